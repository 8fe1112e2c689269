package dev.kino.media;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.config.Secret;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.keystore.WrappedKey;
import dev.kino.common.keystore.WrappedKeyFile;
import dev.kino.common.secret.Secrets;
import dev.kino.common.state.SharedState;
import dev.kino.media.access.TakenDownTitles;
import dev.kino.protocol.token.PlaybackClaims;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TitleId;
import dev.kino.protocol.token.TokenSigner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A published media root with two titles and a real server on 127.0.0.1:0, for tests.
 *
 * <pre>
 * t1/master.m3u8, manifest.mpd, video-720p/init.mp4, video-720p/seg-00001.m4s (1000 bytes: i % 251),
 *    video-720p/index.m3u8, subs-en.vtt, poster.jpg, manifest.json, keys.wrapped.json (aes-128 + cenc)
 * t2/master.m3u8, keys.wrapped.json (aes-128 + cenc)
 * </pre>
 */
public final class MediaFixture implements AutoCloseable {
    public static final byte[] TOKEN_KEY = filled(32, 7);
    public static final byte[] KEK = filled(16, 9);
    public static final String ORIGIN = "https://player.example";
    public static final String AES_KID_T1 = "11111111111111111111111111111111";
    public static final String CENC_KID_T1 = "22222222222222222222222222222222";
    public static final String AES_KID_T2 = "33333333333333333333333333333333";
    public static final String CENC_KID_T2 = "44444444444444444444444444444444";
    public static final byte[] AES_KEY_T1 = filled(16, 0x11);
    public static final byte[] CENC_KEY_T1 = filled(16, 0x22);
    public static final byte[] AES_KEY_T2 = filled(16, 0x33);
    public static final byte[] CENC_KEY_T2 = filled(16, 0x44);
    public static final String PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:7\n"
            + "#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720\nvideo-720p/index.m3u8\n".repeat(20);

    /** Mutable settings applied before the server starts. */
    public static final class Settings {
        public java.util.List<String> trustedProxies = java.util.List.of();
        /** {@code media.sendBuffer}, bytes; 0: the kernel's automatic sizing. */
        public int sendBuffer = 0;
        public Duration clockSkew = Duration.ofSeconds(30);
        public Duration idleTimeout = Duration.ofSeconds(30);
        public Duration readTimeout = Duration.ofSeconds(10);
        public int maxConnections = 64;
        public int maxHeaderBytes = 4096;
        public int maxUriBytes = 1024;
        public Duration shutdownGrace = Duration.ofSeconds(2);
        public String widevineUrl = "";
        public String widevineToken = "";
        public boolean tls;
        public List<String> cors = List.of(ORIGIN);
        public SharedState state;
        public int streamLimit;
        public Duration streamLeaseTtl = Duration.ofSeconds(30);
        /** {@code MediaServer.Builder.fastAnswers}. */
        public boolean fastAnswers = true;
    }

    public final Path root;
    public final MediaServer server;
    public final TakenDownTitles takedowns = new TakenDownTitles();
    public final TokenSigner signer = new TokenSigner(SigningKeys.single("k1", TOKEN_KEY));
    public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private MediaFixture(Path root, Settings s) throws IOException {
        this.root = root;
        publish(root);
        KinoConfig.MediaServer cfg = new KinoConfig.MediaServer("127.0.0.1", 0, "http://127.0.0.1", root, s.cors,
                Duration.ofSeconds(2), Duration.ofDays(1), s.idleTimeout, s.readTimeout, s.maxConnections,
                s.maxHeaderBytes, s.maxUriBytes, s.shutdownGrace, new KinoConfig.Tls(s.tls, 0, null, null),
                new KinoConfig.Widevine(s.widevineUrl, Secret.of(s.widevineToken)), s.trustedProxies, s.sendBuffer);
        Secrets secrets = new Secrets(Map.of("k1", TOKEN_KEY), KEK);
        MediaServer.Builder b = MediaServer.builder(cfg, secrets).metrics("127.0.0.1", 0).takedowns(takedowns)
                .clockSkew(s.clockSkew)
                .blockingThreads(2)
                .fastAnswers(s.fastAnswers);
        if (s.state != null) {
            b.sharedState(s.state);
        }
        if (s.streamLimit > 0) {
            b.streamLimit(s.streamLimit, s.streamLeaseTtl);
        }
        this.server = b.start();
    }

    public static MediaFixture start(Path root) throws IOException {
        return new MediaFixture(root, new Settings());
    }

    public static MediaFixture start(Path root, Consumer<Settings> tweak) throws IOException {
        Settings s = new Settings();
        tweak.accept(s);
        return new MediaFixture(root, s);
    }

    public static byte[] segmentBytes() {
        byte[] b = new byte[1000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    private static void publish(Path root) throws IOException {
        Path t1 = Files.createDirectories(root.resolve("t1"));
        Files.writeString(t1.resolve("master.m3u8"), PLAYLIST);
        Files.writeString(t1.resolve("manifest.mpd"), "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"/>\n");
        Path v = Files.createDirectories(t1.resolve("video-720p"));
        Files.write(v.resolve("init.mp4"), filled(64, 1));
        Files.write(v.resolve("seg-00001.m4s"), segmentBytes());
        Files.writeString(v.resolve("index.m3u8"), "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4,\nseg-00001.m4s\n");
        Files.writeString(t1.resolve("subs-en.vtt"), "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n");
        Files.write(t1.resolve("poster.jpg"), filled(10, 0xff));
        Files.writeString(t1.resolve("manifest.json"), "{\"internal\":true}");
        ContentKeyWrapper w = new ContentKeyWrapper(KEK);
        Files.write(t1.resolve(WrappedKeyFile.FILE_NAME), WrappedKeyFile.write(List.of(
                new WrappedKey(AES_KID_T1, "aes-128", w.wrap(AES_KEY_T1)),
                new WrappedKey(CENC_KID_T1, "cenc", w.wrap(CENC_KEY_T1))), w.fingerprint()));
        Path t2 = Files.createDirectories(root.resolve("t2"));
        Files.writeString(t2.resolve("master.m3u8"), PLAYLIST);
        Files.write(t2.resolve(WrappedKeyFile.FILE_NAME), WrappedKeyFile.write(List.of(
                new WrappedKey(AES_KID_T2, "aes-128", w.wrap(AES_KEY_T2)),
                new WrappedKey(CENC_KID_T2, "cenc", w.wrap(CENC_KEY_T2))), w.fingerprint()));
    }

    public static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** @return a token granting the whole title for five minutes */
    public String token(String title) {
        return signer.sign(claims(title).build());
    }

    public static PlaybackClaims.Builder claims(String title) {
        return PlaybackClaims.builder().validFor(Instant.now().minusSeconds(5), Duration.ofMinutes(5))
                .title(TitleId.of(title));
    }

    /** @return {@code /v/{token for title}/{title}/{rest}} */
    public String path(String title, String rest) {
        return "/v/" + token(title) + "/" + title + "/" + rest;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    public HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends raw bytes and reads until the server closes the connection (or 20 s pass). */
    public String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readAll(s.getInputStream());
        }
    }

    public static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            for (int n; (n = in.read(b)) >= 0; ) {
                buf.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            buf.write("<timeout>".getBytes(StandardCharsets.ISO_8859_1));
        } catch (java.net.SocketException e) {
            // reset by peer: the server closed
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        server.close();
    }
}
