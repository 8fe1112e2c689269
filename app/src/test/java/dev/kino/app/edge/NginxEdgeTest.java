package dev.kino.app.edge;

import dev.kino.app.demo.DemoClip;
import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.secret.Secrets;
import dev.kino.media.MediaServer;
import dev.kino.packager.Packager;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.common.packaging.Protection;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.packager.transcode.TranscodeOptions;
import dev.kino.protocol.token.IpRange;
import dev.kino.protocol.token.PlaybackClaims;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TitleId;
import dev.kino.protocol.token.TokenSigner;
import dev.kino.protocol.token.TokenVerifier;
import dev.kino.protocol.token.VerificationResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code config/examples/nginx-edge.conf} in Debian's nginx (with njs) in front of a real Kino origin: a clip made by
 * FFmpeg, packaged by the packager (HLS AES-128 + DASH CENC) into the media root, served by the media server on
 * port 0. Between nginx and the origin sits {@link OriginTap}, a relay recording every request that reaches the
 * origin; the origin's own Prometheus counters confirm its counts.
 *
 * <p>The edge's key ring is made by {@code nginx-edge/token-keys-json.sh} from the very file Kino generated its
 * keys into, plus a second, older key (rotation): tokens signed by either pass. Tokens are signed with the
 * protocol module's {@link TokenSigner}, and the edge's verdict is compared with {@link TokenVerifier}'s on
 * hundreds of valid, mutated and forged tokens.
 *
 * <p>Skipped without nginx and its njs module, unless {@code REQUIRE_NGINX_EDGE_TEST=1} (CI): see {@link NginxEdge}.
 */
class NginxEdgeTest {
    private static final String TITLE = "edge-title";
    private static final String CORS_ORIGIN = "https://watch.example.com"; // allowed by the shipped map
    private static final Pattern DETAIL = Pattern.compile("\"detail\":\"token check failed: ([a-z-]+)\"");

    @TempDir
    static Path dataDir;

    private static KinoConfig config;
    private static Secrets secrets;
    private static MediaServer origin;
    private static OriginTap tap;
    private static NginxEdge edge;
    private static TokenSigner signer;
    private static TokenSigner oldKeySigner;
    private static TokenVerifier verifier;
    private static Path titleDir;
    // The title's objects, paths relative to its folder. The edge's cache lives as long as the class, so a test that
    // expects a MISS uses objects no other test fetches: video playlist, init and first segment (one copy for every
    // viewer), second video segment (ranges), audio playlist (variants), MPD with fresh tokens (per viewer).
    private static String videoPlaylist;
    private static String init;
    private static List<String> segments;
    private static String audioPlaylist;
    private static List<String> audioSegments;
    private static String audioInit;
    private static String keyPath;
    private static String cencKid;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        if (!NginxEdge.available()) {
            return; // every test is then skipped (or failed, with REQUIRE_NGINX_EDGE_TEST=1) by requireNginx()
        }
        config = KinoConfig.from(ConfigLoader.withShippedDefaults().flag("data.dir=" + dataDir)
                .flag("media.host=127.0.0.1").flag("media.port=0").flag("metrics.port=0").load());
        // The key ring as Kino keeps it: generated into <data.dir>/secrets/ on first start. A second key is added
        // after it, as during a rotation (protocol/TOKENS.md §6): the first signs, both verify.
        SecretStore.resolve(config);
        Path keyFile = SecretStore.directory(config.dataDir()).resolve(SecretStore.TOKEN_KEYS_FILE);
        Files.writeString(keyFile, Files.readString(keyFile).strip() + "\n" + SecretStore.newTokenKeyLine() + "\n");
        secrets = SecretStore.resolve(config);
        assertEquals(2, secrets.tokenKeys().size());
        String oldKid = secrets.tokenKeys().keySet().stream().skip(1).findFirst().orElseThrow();
        signer = new TokenSigner(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId()));
        oldKeySigner = new TokenSigner(SigningKeys.of(secrets.tokenKeys(), oldKid));
        verifier = new TokenVerifier(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId()),
                config.tokens().clockSkew());

        // A published title: 4 s of FFmpeg-made video, 180p and 144p rungs, 2 s segments, AES-128 for HLS and CENC for
        // DASH.
        Path clip = DemoClip.generate(dataDir.resolve("clip.mp4"), 320, 180, 25, 4);
        Files.createDirectories(config.media().root());
        new Packager(new ContentKeyWrapper(secrets.keyEncryptionKey()), TranscodeOptions.defaults().withPreset("veryfast"))
                .run(new PackagingRequest(List.of(clip), TITLE, config.media().root(),
                        new LadderSpec(List.of(new RungSpec(180, 300_000), new RungSpec(144, 200_000)), 2, 2, false, 0), Protection.BOTH), p -> { });
        titleDir = config.media().root().resolve(TITLE);
        findObjects();

        origin = MediaServer.builder(config.media(), secrets).metrics("127.0.0.1", 0)
                .clockSkew(config.tokens().clockSkew()).start();
        tap = OriginTap.start(origin.port());
        Path keyRing = dataDir.resolve("token-keys.json");
        Process script = new ProcessBuilder("bash", repo().resolve("config/examples/nginx-edge/token-keys-json.sh").toString(),
                keyFile.toString()).redirectOutput(keyRing.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, script.waitFor(), "token-keys-json.sh");
        edge = NginxEdge.start(repo(), Files.createDirectories(dataDir.resolve("edge")), tap.port(), keyRing,
                config.tokens().clockSkew());
    }

    @BeforeEach
    void requireNginx() {
        NginxEdge.requireNginxWithNjs();
    }

    @AfterAll
    static void stop() throws IOException {
        if (edge != null) {
            edge.close();
        }
        if (tap != null) {
            tap.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    /** The repository root: the folder holding config/examples/nginx-edge.conf, above the module's directory. */
    private static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("config/examples/nginx-edge.conf"))) {
                return p;
            }
        }
        throw new IllegalStateException("config/examples/nginx-edge.conf not found above " + Path.of("").toAbsolutePath());
    }

    /** The objects of the packaged title, from its playlists on disk: paths relative to the title folder. */
    private static void findObjects() throws IOException {
        String master = Files.readString(titleDir.resolve("master.m3u8"));
        videoPlaylist = master.lines().filter(l -> !l.startsWith("#") && l.endsWith(".m3u8")).findFirst().orElseThrow();
        String media = Files.readString(titleDir.resolve(videoPlaylist));
        init = relative(videoPlaylist, attribute(media, "#EXT-X-MAP:", "URI"));
        keyPath = relative(videoPlaylist, attribute(media, "#EXT-X-KEY:", "URI"));
        segments = media.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> relative(videoPlaylist, l)).toList();
        assertTrue(segments.size() >= 2, media);
        assertTrue(keyPath.startsWith("keys/"), keyPath);
        audioPlaylist = relative("master.m3u8", attribute(master, "#EXT-X-MEDIA:TYPE=AUDIO", "URI"));
        String audio = Files.readString(titleDir.resolve(audioPlaylist));
        audioInit = relative(audioPlaylist, attribute(audio, "#EXT-X-MAP:", "URI"));
        audioSegments = audio.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> relative(audioPlaylist, l)).toList();
        assertFalse(audioSegments.isEmpty(), audio);
        Matcher kid = Pattern.compile("cenc:default_KID=\"([0-9a-fA-F-]{36})\"").matcher(Files.readString(titleDir.resolve("manifest.mpd")));
        assertTrue(kid.find(), "CENC MPD");
        UUID u = UUID.fromString(kid.group(1));
        cencKid = Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
    }

    private static String attribute(String playlist, String tag, String name) {
        String line = playlist.lines().filter(l -> l.startsWith(tag)).findFirst().orElseThrow(() -> new AssertionError(tag + " in " + playlist));
        Matcher m = Pattern.compile(name + "=\"([^\"]+)\"").matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }

    private static String relative(String playlist, String uri) {
        return URI.create("/" + playlist).resolve(uri).getPath().substring(1);
    }

    // ------------------------------------------------------------------------------------------------ tokens

    private static PlaybackClaims.Builder claims() {
        return PlaybackClaims.builder().validFor(Instant.now().minusSeconds(5), Duration.ofMinutes(10)).title(TitleId.of(TITLE));
    }

    private static String token(UnaryOperator<PlaybackClaims.Builder> tweak) {
        return signer.sign(tweak.apply(claims()).build());
    }

    private static String viewer(String name) {
        return token(b -> b.userId(name).sessionId("s-" + name));
    }

    /** A token with exactly these claims bytes, MAC'd with a real key: what only a broken signer could make. */
    private static String forge(String kid, byte[] secret, String claimsText) throws GeneralSecurityException {
        String signingInput = "1." + kid + "." + claimsText;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String forge(byte[] claims) throws GeneralSecurityException {
        String kid = secrets.currentTokenKeyId();
        return forge(kid, secrets.tokenKeys().get(kid), b64(claims));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Claims bytes (protocol/TOKENS.md §4) field by field, including the invalid combinations a signer never writes. */
    private static final class RawClaims {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        RawClaims(int flags, long nbf, long exp, String prefix) {
            out.write(flags);
            u64(nbf);
            u64(exp);
            string(prefix);
        }

        static RawClaims valid(int flags) {
            long now = Instant.now().getEpochSecond();
            return new RawClaims(flags, now - 60, now + 600, "/" + TITLE + "/");
        }

        RawClaims u64(long v) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
            return this;
        }

        RawClaims string(String s) {
            out.write(s.length());
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        RawClaims bytes(int... b) {
            for (int x : b) {
                out.write(x);
            }
            return this;
        }

        byte[] done() {
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------------------------------------ requests

    private static String target(String token, String rel) {
        return "/v/" + token + "/" + TITLE + "/" + rel;
    }

    private static HttpResponse<byte[]> get(String token, String rel, String... headers) throws Exception {
        return send("GET", target(token, rel), null, headers);
    }

    private static HttpResponse<byte[]> send(String method, String target, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + target))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String cacheStatus(HttpResponse<?> r) {
        return r.headers().firstValue("X-Cache-Status").orElse("(none)");
    }

    /** One answer read off a raw socket: for request targets a URI class would normalise or refuse. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private static RawResponse raw(InetAddress to, String target, String... headers) throws IOException {
        try (Socket s = new Socket(to, edge.port())) {
            s.setSoTimeout(20_000);
            StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            assertTrue(end > 0, "no response head: " + all);
            String[] lines = all.substring(0, end).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                h.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), h, all.substring(end + 4));
        }
    }

    /**
     * What the edge decided: "ok" when the request went on to the cache (every answer from there carries
     * X-Cache-Status, refusals never do), else the reason in the edge's problem detail.
     */
    private static String edgeVerdict(RawResponse r) {
        if (!r.header("X-Cache-Status").isEmpty()) {
            return "ok";
        }
        Matcher m = DETAIL.matcher(r.body());
        assertTrue(m.find() && r.header("Content-Type").equals("application/problem+json"), r.status() + " " + r.body());
        assertEquals("private, no-store", r.header("Cache-Control"));
        assertEquals(m.group(1).equals("expired") ? 410 : 403, r.status(), r.body());
        return m.group(1);
    }

    private static String oracle(String token, String path, InetAddress client) {
        VerificationResult v = verifier.verify(token, path, client, Instant.now());
        return v instanceof VerificationResult.Rejected rejected
                ? rejected.reason().name().toLowerCase(Locale.ROOT).replace('_', '-') : "ok";
    }

    /** The origin's own count of requests answered for a resource kind (kino_media_requests_total, all statuses). */
    private static long originCount(String kind) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + origin.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^kino_media_requests_total\\{status=\"\\d+\",kind=\"" + kind + "\"} (\\d+)$").matcher(text);
        long sum = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** The origin counts a request once its last byte is written, a moment after nginx has it: wait for that. */
    private static void assertOriginCount(String kind, long expected) throws Exception {
        long seen = originCount(kind);
        for (int i = 0; i < 50 && seen < expected; i++) {
            Thread.sleep(100);
            seen = originCount(kind);
        }
        assertEquals(expected, seen, "requests of kind " + kind + " the origin answered");
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void oneCachedCopyServesEveryViewer() throws Exception {
        long playlistsBefore = originCount("playlist");
        long segmentsBefore = originCount("segment");
        String viewerA = viewer("viewer-a");
        String viewerB = viewer("viewer-b");
        String oldKey = oldKeySigner.sign(claims().userId("viewer-c").build());
        for (String rel : List.of(videoPlaylist, init, segments.get(0))) {
            byte[] file = Files.readAllBytes(titleDir.resolve(rel));
            String object = "/" + TITLE + "/" + rel;
            HttpResponse<byte[]> first = get(viewerA, rel);
            assertEquals(200, first.statusCode(), rel);
            assertEquals("MISS", cacheStatus(first), rel);
            assertArrayEquals(file, first.body(), rel);
            for (String[] again : new String[][]{{"the same viewer", viewerA}, {"another viewer", viewerB},
                    {"a viewer with a token of the older key", oldKey}}) {
                HttpResponse<byte[]> r = get(again[1], rel);
                assertEquals(200, r.statusCode(), rel + ", " + again[0]);
                assertEquals("HIT", cacheStatus(r), rel + ", " + again[0]);
                assertArrayEquals(file, r.body(), rel + ", " + again[0]);
            }
            assertEquals(1, tap.count(object), "the origin saw one request for " + object + ": " + tap.requests());
        }
        assertOriginCount("playlist", playlistsBefore + 1);
        assertOriginCount("segment", segmentsBefore + 2); // the init section and the segment
    }

    @Test
    void aCappedViewerGetsTheCappedPlaylistAndNoRenditionAboveTheCapEvenOnAHit() throws Exception {
        assertTrue(videoPlaylist.startsWith("video-180p"), videoPlaylist);
        String full = viewer("uncapped");
        String segment = segments.get(0);
        get(full, segment);
        assertEquals("HIT", cacheStatus(get(full, segment)), "the 180p segment is cached");
        HttpResponse<byte[]> refused = get(token(b -> b.maxHeight(144)), segment);
        assertEquals(403, refused.statusCode());
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("rendition-not-allowed"));
        assertEquals(403, get(token(b -> b.maxHeight(144)), videoPlaylist).statusCode());

        String cappedMaster = new String(get(token(b -> b.maxHeight(144)), "master.m3u8").body(), StandardCharsets.UTF_8);
        assertFalse(cappedMaster.contains("video-180p"), cappedMaster);
        assertTrue(cappedMaster.contains("video-144p"), cappedMaster);
        HttpResponse<byte[]> again = get(token(b -> b.maxHeight(144).userId("another")), "master.m3u8");
        assertEquals("HIT", cacheStatus(again), "one cached copy per cap");
        assertArrayEquals(cappedMaster.getBytes(StandardCharsets.UTF_8), again.body());
        String fullMaster = new String(get(full, "master.m3u8").body(), StandardCharsets.UTF_8);
        assertTrue(fullMaster.contains("video-180p"), "the uncapped copy is another cache entry: " + fullMaster);
        String cap180 = new String(get(token(b -> b.maxHeight(180)), "master.m3u8").body(), StandardCharsets.UTF_8);
        assertTrue(cap180.contains("video-180p") && cap180.contains("video-144p"), cap180);
    }

    @Test
    void refusedAtTheEdgeEvenWhenTheObjectIsCached() throws Exception {
        String valid = viewer("viewer-d");
        String rel = audioSegments.get(0);
        get(valid, rel);
        assertEquals("HIT", cacheStatus(get(valid, rel)), "cached");
        int reachedOrigin = tap.requests().size();

        long now = Instant.now().getEpochSecond();
        String kid = secrets.currentTokenKeyId();
        String claimsText = valid.split("\\.")[2];
        byte[] longerClaims = Base64.getUrlDecoder().decode(claimsText);
        longerClaims[16] ^= 0x01; // one more second of expiry (or one less): any change of the claims
        byte[] otherSecret = new byte[32];
        Arrays.fill(otherSecret, (byte) 7);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("no token at all", "malformed|/" + TITLE + "/" + rel);
        cases.put("an empty token", "malformed|/v//" + TITLE + "/" + rel);
        cases.put("not a token", "malformed|" + target("not-a-token", rel));
        cases.put("MAC tampered", "bad-signature|" + target(valid.substring(0, valid.length() - 1)
                + (valid.endsWith("A") ? "B" : "A"), rel));
        cases.put("claims tampered, MAC kept", "bad-signature|" + target(valid.replace(claimsText, b64(longerClaims)), rel));
        cases.put("signed with another secret under the same kid", "bad-signature|"
                + target(forge(kid, otherSecret, claimsText), rel));
        cases.put("signed with a key the edge does not have", "unknown-key|"
                + target(forge("k-retired", otherSecret, claimsText), rel));
        cases.put("expired", "expired|" + target(token(b -> b.notBefore(now - 7200).expiresAt(now - 3600)), rel));
        cases.put("not yet valid", "not-yet-valid|" + target(token(b -> b.notBefore(now + 3600).expiresAt(now + 7200)), rel));
        cases.put("a token for another title", "path-not-allowed|"
                + target(signer.sign(claims().title(TitleId.of("other-title")).build()), rel));
        cases.put("a token for another title, climbing out of it", "path-not-allowed|/v/"
                + signer.sign(claims().title(TitleId.of("other-title")).build()) + "/other-title/../" + TITLE + "/" + rel);
        cases.put("a token for another title, percent-encoded dots", "path-not-allowed|/v/"
                + signer.sign(claims().title(TitleId.of("other-title")).build()) + "/other-title/%2e%2e/" + TITLE + "/" + rel);
        cases.put("a token for this title, a path needing normalisation", "path-not-allowed|"
                + target(valid, "./" + rel));
        cases.put("a token for another address range", "address-not-allowed|"
                + target(token(b -> b.clientRange(IpRange.parse("10.0.0.0/8"))), rel));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String[] expected = c.getValue().split("\\|", 2);
            RawResponse r = raw(InetAddress.getLoopbackAddress(), expected[1], "Origin", CORS_ORIGIN);
            assertEquals(expected[0], edgeVerdict(r), c.getKey());
            assertEquals(CORS_ORIGIN, r.header("Access-Control-Allow-Origin"), "a player may read why: " + c.getKey());
        }
        assertEquals(reachedOrigin, tap.requests().size(), "refused requests never reach the origin: "
                + tap.requests().subList(reachedOrigin, tap.requests().size()));
        assertEquals("HIT", cacheStatus(get(token(b -> b.clientRange(IpRange.parse("127.0.0.0/8"))), rel)),
                "a token bound to the client's range passes");
        assertEquals("HIT", cacheStatus(get(valid, rel)), "the cached copy is still served to valid tokens");
    }

    @Test
    void edgeVerdictsAgreeWithTheOriginVerifier() throws Exception {
        String rel = audioSegments.get(0);
        String path = "/" + TITLE + "/" + rel;
        get(viewer("warm"), rel);
        long now = Instant.now().getEpochSecond();
        List<String[]> cases = new ArrayList<>(); // token, path after it

        // Every single-character change of a valid token: version, kid, claims, MAC, and the dots between them.
        String valid = token(b -> b.userId("user-42").sessionId("s-7f3a9c"));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < valid.length(); i++) {
            char c = alphabet.charAt((alphabet.indexOf(valid.charAt(i)) + 1 + i % 7) % alphabet.length());
            cases.add(new String[]{valid.substring(0, i) + c + valid.substring(i + 1), path});
        }
        // Shapes: truncated, extended, extra field, too long, prototype-chain kids, version 2.
        String kid = secrets.currentTokenKeyId();
        String[] f = valid.split("\\.");
        for (String t : List.of(valid, valid.substring(0, valid.length() - 1), valid + "A", valid + ".x", "1." + kid + "." + f[2],
                "1..." + f[3], "2." + kid + "." + f[2] + "." + f[3], "1." + "k".repeat(33) + "." + f[2] + "." + f[3],
                "1." + kid + "." + "A".repeat(1024) + "." + f[3], "1.__proto__." + f[2] + "." + f[3],
                "1.constructor." + f[2] + "." + f[3], "1.toString." + f[2] + "." + f[3], "-", "")) {
            cases.add(new String[]{t, path});
        }
        // Valid signatures over claims a signer never writes: step 4 must call them malformed, in the same places.
        cases.add(new String[]{forge(RawClaims.valid(0x08).done()), path});                      // unknown flag
        cases.add(new String[]{forge(RawClaims.valid(0).bytes(0).done()), path});                // a trailing byte
        cases.add(new String[]{forge(Arrays.copyOf(RawClaims.valid(0).done(), 17)), path});      // truncated
        cases.add(new String[]{forge(new RawClaims(0, now, now, "/").done()), path});            // exp = nbf
        cases.add(new String[]{forge(new RawClaims(0, now, 253402300800L, "/").done()), path});  // exp after 9999
        cases.add(new String[]{forge(new RawClaims(0, -1, now + 60, "/").done()), path});        // nbf 2^64-1
        cases.add(new String[]{forge(new RawClaims(0, now - 9, now + 60, "/" + TITLE).done()), path}); // no final '/'
        cases.add(new String[]{forge(new RawClaims(0, now - 9, now + 60, "/a/../").done()), path});
        cases.add(new String[]{forge(new RawClaims(0, now - 9, now + 60, "/a%2F/").done()), path});
        cases.add(new String[]{forge(new RawClaims(0, now - 9, now + 60, "//").done()), path});
        cases.add(new String[]{forge(new RawClaims(0, now - 9, now + 60, "").done()), path});
        cases.add(new String[]{forge(RawClaims.valid(1).bytes(4, 8, 127, 0, 0, 0).done()), path});   // 127/8: valid
        cases.add(new String[]{forge(RawClaims.valid(1).bytes(4, 8, 127, 0, 0, 1).done()), path});   // host bits set
        cases.add(new String[]{forge(RawClaims.valid(1).bytes(4, 33, 127, 0, 0, 1).done()), path});  // prefix > 32
        cases.add(new String[]{forge(RawClaims.valid(1).bytes(5, 8, 127, 0, 0, 0).done()), path});   // family 5
        cases.add(new String[]{forge(RawClaims.valid(1).bytes(6, 104, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 0)
                .done()), path});                                                                     // IPv4-mapped
        cases.add(new String[]{forge(RawClaims.valid(2).string("").done()), path});                  // empty user id
        cases.add(new String[]{forge(RawClaims.valid(2).string("u".repeat(129)).done()), path});     // user id too long
        cases.add(new String[]{forge(RawClaims.valid(2).string("a b").done()), path});               // space in it
        cases.add(new String[]{forge(RawClaims.valid(6).string("u".repeat(128)).string("~").done()), path}); // valid
        String canonical = b64(RawClaims.valid(2).string("u").done()); // 32 bytes: the last character has 2 unused bits
        String lastChar = canonical.substring(canonical.length() - 1);
        int v = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(lastChar);
        String nonCanonical = canonical.substring(0, canonical.length() - 1)
                + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(v | 1); // an unused bit set
        cases.add(new String[]{forge(kid, secrets.tokenKeys().get(kid), nonCanonical), path});
        String oneMod4 = canonical + "A".repeat((5 - canonical.length() % 4) % 4);
        cases.add(new String[]{forge(kid, secrets.tokenKeys().get(kid), oneMod4), path});          // length 1 mod 4
        // Time: the skew allowance on both bounds, and just outside it.
        long skew = config.tokens().clockSkew().toSeconds();
        cases.add(new String[]{token(b -> b.notBefore(now - 3600).expiresAt(now - skew + 10)), path});
        cases.add(new String[]{token(b -> b.notBefore(now - 3600).expiresAt(now - skew - 10)), path});
        cases.add(new String[]{token(b -> b.notBefore(now + skew - 10).expiresAt(now + 3600)), path});
        cases.add(new String[]{token(b -> b.notBefore(now + skew + 10).expiresAt(now + 3600)), path});
        // Path prefixes and paths.
        for (String prefix : List.of("/", "/" + TITLE + "/", "/" + TITLE + "/" + rel.substring(0, rel.indexOf('/') + 1),
                "/" + TITLE.substring(0, 4) + "/", "/" + TITLE + "-2/", "/other/")) {
            cases.add(new String[]{token(b -> b.pathPrefix(prefix)), path});
        }
        String whole = token(b -> b.pathPrefix("/"));
        for (String p : List.of("/" + TITLE + "//" + rel, "/" + TITLE + "/./" + rel, "/" + TITLE + "/x/../" + rel,
                "/" + TITLE + "/" + rel.replace("-", "%2D"), "/" + TITLE + "/a~b_c.d-e", "/" + TITLE + "/a%20b", "/" + TITLE + "/ü")) {
            cases.add(new String[]{whole, p});
        }
        // Client ranges, against 127.0.0.1 (and ::1 when the edge listens there).
        for (String range : List.of("127.0.0.0/8", "127.0.0.1/32", "127.0.0.2/32", "10.0.0.0/8", "0.0.0.0/0", "::/0",
                "::1/128", "::ffff:127.0.0.0/104", "2001:db8::/32")) {
            cases.add(new String[]{token(b -> b.clientRange(IpRange.parse(range))), path});
        }

        List<InetAddress> clients = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.1")));
        if (edge.ipv6()) {
            clients.add(InetAddress.getByName("::1"));
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        int reachedOrigin = tap.requests().size();
        long toOrigin = 0;
        for (InetAddress client : clients) {
            for (String[] c : cases) {
                String expected = oracle(c[0], c[1], client);
                String actual = edgeVerdict(raw(client, "/v/" + c[0] + c[1]));
                assertEquals(expected, actual, "token " + c[0] + " path " + c[1] + " from " + client.getHostAddress());
                seen.merge(expected, 1, Integer::sum);
                if (expected.equals("ok") && !c[1].equals(path)) {
                    toOrigin++; // a granted path that is not the cached object: a miss, or a 404 not cached
                }
            }
        }
        assertTrue(seen.keySet().containsAll(List.of("ok", "malformed", "unknown-key", "bad-signature", "not-yet-valid",
                "expired", "path-not-allowed", "address-not-allowed")), "every verdict is exercised: " + seen);
        assertEquals(reachedOrigin + toOrigin, tap.requests().size(), "only granted requests for uncached objects reach the origin");
    }

    @Test
    void compressedAndPlainPlaylistsAreCachedAsTwoVariants() throws Exception {
        byte[] file = Files.readAllBytes(titleDir.resolve(audioPlaylist));
        String object = "/" + TITLE + "/" + audioPlaylist;
        HttpResponse<byte[]> plain = get(viewer("viewer-m"), audioPlaylist);
        assertEquals("MISS", cacheStatus(plain));
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        assertArrayEquals(file, plain.body());
        for (String status : List.of("MISS", "HIT")) { // Vary: Accept-Encoding: a second variant, then its hit
            HttpResponse<byte[]> gz = get(viewer("viewer-n"), audioPlaylist, "Accept-Encoding", "gzip");
            assertEquals(status, cacheStatus(gz));
            assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
            try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))) {
                assertArrayEquals(file, in.readAllBytes());
            }
        }
        HttpResponse<byte[]> plainAgain = get(viewer("viewer-o"), audioPlaylist);
        assertEquals("HIT", cacheStatus(plainAgain));
        assertTrue(plainAgain.headers().firstValue("Content-Encoding").isEmpty(), "a client that did not ask never gets gzip");
        assertArrayEquals(file, plainAgain.body());
        assertEquals(2, tap.count(object), "one origin request per variant");
    }

    @Test
    void keysAndLicencesAreNeverCached() throws Exception {
        long keysBefore = originCount("key");
        long licencesBefore = originCount("licence");
        String t = viewer("viewer-e");
        byte[] first = null;
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> key = get(t, keyPath);
            assertEquals(200, key.statusCode());
            assertEquals(16, key.body().length);
            assertEquals("(none)", cacheStatus(key), "the key location has no cache");
            assertTrue(key.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
            if (first != null) {
                assertArrayEquals(first, key.body());
            }
            first = key.body();
        }
        assertEquals(2, tap.count("/" + TITLE + "/" + keyPath), "both key requests reached the origin");
        assertOriginCount("key", keysBefore + 2);

        byte[] challenge = ("{\"kids\":[\"" + cencKid + "\"],\"type\":\"temporary\"}").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> licence = send("POST", target(t, "license/clearkey"), challenge, "Content-Type", "application/json");
            String body = new String(licence.body(), StandardCharsets.UTF_8);
            assertEquals(200, licence.statusCode(), body);
            assertTrue(body.contains("\"kid\":\"" + cencKid + "\""), body);
            assertEquals("(none)", cacheStatus(licence));
        }
        assertEquals(2, tap.count(r -> r.method().equals("POST") && r.target().endsWith("/" + TITLE + "/license/clearkey")));
        assertOriginCount("licence", licencesBefore + 2);

        int reachedOrigin = tap.requests().size();
        String expired = token(b -> b.notBefore(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)));
        assertEquals(410, get(expired, keyPath).statusCode());
        assertEquals(403, send("POST", target("not-a-token", "license/clearkey"), challenge).statusCode());
        assertEquals(reachedOrigin, tap.requests().size(), "the edge refuses keys and licences for bad tokens too");
    }

    @Test
    void cmcdIsNoPartOfTheCacheKeyReachesTheOriginOnAMissAndIsLoggedOnHits() throws Exception {
        String rel = segments.get(0).replace("video-180p/", "video-144p/"); // an object no other test fetches
        assertTrue(Files.isRegularFile(titleDir.resolve(rel)), rel);
        String cmcd = "CMCD=" + java.net.URLEncoder.encode("bl=12000,br=300,ot=v,sf=h,sid=\"s-cmcd\",su",
                StandardCharsets.UTF_8).replace("+", "%20");
        HttpResponse<byte[]> miss = send("GET", target(viewer("viewer-cmcd"), rel) + "?" + cmcd + "&other=1", null);
        assertEquals(200, miss.statusCode());
        assertEquals("MISS", cacheStatus(miss));
        List<OriginTap.Request> fetched = tap.requests().stream()
                .filter(r -> r.target().contains("/" + TITLE + "/" + rel)).toList();
        assertEquals(1, fetched.size(), fetched.toString());
        assertTrue(fetched.get(0).target().endsWith("/" + TITLE + "/" + rel + "?" + cmcd),
                "the origin gets CMCD and nothing else of the query: " + fetched.get(0).target());

        // another viewer with other CMCD: the same cache entry, the same bytes, the origin not asked again
        HttpResponse<byte[]> hit = send("GET", target(viewer("viewer-cmcd2"), rel) + "?CMCD=bl%3D300%2Cbs", null);
        assertEquals("HIT", cacheStatus(hit));
        assertArrayEquals(miss.body(), hit.body());
        assertEquals(1, tap.count(r -> r.target().contains("/" + TITLE + "/" + rel)));
        String log = "";
        for (int i = 0; i < 50 && !log.contains("bl%3D300%2Cbs"); i++) {
            Thread.sleep(20);
            log = Files.readString(edge.prefix().resolve("access.log"));
        }
        assertTrue(log.contains("\"bl%3D300%2Cbs\""), "the edge logs the CMCD of hits: " + log);
    }

    @Test
    void byteRangesAreServedFromOneWholeCopy() throws Exception {
        String rel = segments.get(1);
        byte[] file = Files.readAllBytes(titleDir.resolve(rel));
        int len = file.length;
        String t = viewer("viewer-f");

        HttpResponse<byte[]> miss = get(t, rel, "Range", "bytes=100-199");
        assertEquals(206, miss.statusCode());
        assertEquals("MISS", cacheStatus(miss));
        assertEquals("bytes 100-199/" + len, miss.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(file, 100, 200), miss.body());
        List<OriginTap.Request> fetched = tap.requests().stream().filter(r -> r.target().endsWith("/" + TITLE + "/" + rel)).toList();
        assertEquals(1, fetched.size());
        assertTrue(fetched.get(0).header("Range").isEmpty(), "the edge fetches the whole object to cache it");

        HttpResponse<byte[]> tail = get(viewer("viewer-g"), rel, "Range", "bytes=-50");
        assertEquals(206, tail.statusCode());
        assertEquals("HIT", cacheStatus(tail));
        assertEquals("bytes " + (len - 50) + "-" + (len - 1) + "/" + len, tail.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(file, len - 50, len), tail.body());

        HttpResponse<byte[]> open = get(t, rel, "Range", "bytes=" + (len - 10) + "-");
        assertEquals(206, open.statusCode());
        assertArrayEquals(Arrays.copyOfRange(file, len - 10, len), open.body());

        HttpResponse<byte[]> beyond = get(t, rel, "Range", "bytes=" + len + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + len, beyond.headers().firstValue("Content-Range").orElse(""));

        HttpResponse<byte[]> whole = get(t, rel);
        assertEquals(200, whole.statusCode());
        assertEquals("HIT", cacheStatus(whole));
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElse(""));
        assertArrayEquals(file, whole.body());
        assertEquals(1, tap.count("/" + TITLE + "/" + rel), "one origin request served every range");
        assertEquals(List.of(), tap.errors());
    }

    @Test
    void dashMpdsAreCachedPerViewer() throws Exception {
        String a = viewer("viewer-h");
        String b = viewer("viewer-i");
        long before = tap.count("/" + TITLE + "/manifest.mpd");
        HttpResponse<byte[]> first = get(a, "manifest.mpd");
        assertEquals("MISS", cacheStatus(first));
        HttpResponse<byte[]> again = get(a, "manifest.mpd");
        assertEquals("HIT", cacheStatus(again));
        HttpResponse<byte[]> other = get(b, "manifest.mpd");
        assertEquals("MISS", cacheStatus(other), "another viewer's MPD is never served: it names that viewer's licence URL");
        String mine = new String(again.body(), StandardCharsets.UTF_8);
        String theirs = new String(other.body(), StandardCharsets.UTF_8);
        assertTrue(mine.contains("/v/" + a + "/" + TITLE + "/license/clearkey") && !mine.contains(b), mine);
        assertTrue(theirs.contains("/v/" + b + "/" + TITLE + "/license/clearkey") && !theirs.contains(a), theirs);
        assertEquals(before + 2, tap.count("/" + TITLE + "/manifest.mpd"));
    }

    @Test
    void forwardsTheClientAddressItSawNotTheOneItWasSent() throws Exception {
        HttpResponse<byte[]> r = get(viewer("viewer-j"), "master.m3u8", "X-Forwarded-For", "203.0.113.9");
        assertEquals(200, r.statusCode());
        OriginTap.Request sent = tap.requests().stream()
                .filter(q -> q.method().equals("GET") && q.target().endsWith("/" + TITLE + "/master.m3u8"))
                .reduce((x, y) -> y).orElseThrow();
        assertEquals(1, sent.headerCount("X-Forwarded-For"));
        assertEquals("127.0.0.1", sent.header("X-Forwarded-For").orElseThrow(), "a client cannot choose its address");
        if (edge.ipv6()) {
            String t = viewer("viewer-k");
            assertEquals(200, raw(InetAddress.getByName("::1"), target(t, "manifest.mpd"), "X-Forwarded-For", "::2").status());
            OriginTap.Request v6 = tap.requests().stream().filter(q -> q.target().contains(t)).findFirst().orElseThrow();
            assertEquals("::1", v6.header("X-Forwarded-For").orElseThrow());
        }
    }

    @Test
    void failsClosedWhenTheCheckItselfFails() throws Exception {
        // A key ring whose secret is not text: the HMAC step throws inside njs. An empty verdict would let the
        // request through; the configuration refuses every verdict but "ok".
        Path broken = dataDir.resolve("broken-ring.json");
        Files.writeString(broken, "{\"" + secrets.currentTokenKeyId() + "\": 42}");
        try (NginxEdge second = NginxEdge.start(repo(), Files.createDirectories(dataDir.resolve("edge-broken")), tap.port(),
                broken, config.tokens().clockSkew())) {
            int reachedOrigin = tap.requests().size();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), second.port())) {
                s.getOutputStream().write(("GET " + target(viewer("viewer-p"), init) + " HTTP/1.1\r\nHost: edge\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 403 ") && answer.contains("token check failed: edge-error"), answer);
            }
            assertEquals(reachedOrigin, tap.requests().size());
            assertTrue(second.log().contains("kino token check failed"), "the cause is in the error log");
        }
    }

    @Test
    void preflightsPassWithoutAToken() throws Exception {
        HttpResponse<byte[]> r = send("OPTIONS", "/v/-/" + TITLE + "/master.m3u8", null,
                "Origin", CORS_ORIGIN, "Access-Control-Request-Method", "GET");
        assertEquals(204, r.statusCode(), "the origin answers CORS preflights, which carry no credentials");
        assertTrue(tap.count(q -> q.method().equals("OPTIONS")) >= 1);
    }

    @Test
    void accessLogKeepsNoToken() throws Exception {
        String t = viewer("viewer-l");
        assertEquals(200, get(t, audioInit).statusCode());
        String mac = t.substring(t.lastIndexOf('.') + 1);
        String log = "";
        for (int i = 0; i < 50 && !log.contains("/" + TITLE + "/" + audioInit); i++) {
            Thread.sleep(20);
            log = Files.readString(edge.prefix().resolve("access.log"));
        }
        assertTrue(log.contains("/v/1." + secrets.currentTokenKeyId() + ".../" + TITLE + "/" + audioInit), log);
        assertFalse(log.contains(mac), "a token is a credential: never logged whole");
    }
}
