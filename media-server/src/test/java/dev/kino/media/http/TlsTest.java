package dev.kino.media.http;

import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Files over TLS (generated self-signed certificate): HTTP/1.1 and HTTP/2 through ALPN, chunked bodies. */
class TlsTest {
    @TempDir
    static Path root;
    static MediaFixture m;

    @BeforeAll
    static void start() throws Exception {
        m = MediaFixture.start(root, s -> s.tls = true);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static HttpClient client(HttpClient.Version version) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        // The generated certificate names 127.0.0.1, so hostname verification passes.
        return HttpClient.newBuilder().sslContext(ctx).version(version).build();
    }

    private static HttpResponse<byte[]> get(HttpClient c, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + m.server.tlsPort() + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void http11OverTls() throws Exception {
        HttpClient c = client(HttpClient.Version.HTTP_1_1);
        HttpResponse<byte[]> r = get(c, m.path("t1", "video-720p/seg-00001.m4s"));
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        assertEquals(200, r.statusCode());
        assertArrayEquals(MediaFixture.segmentBytes(), r.body());
        HttpResponse<byte[]> part = get(c, m.path("t1", "video-720p/seg-00001.m4s"), "Range", "bytes=500-599");
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(MediaFixture.segmentBytes(), 500, 600), part.body());
    }

    @Test
    void http2ThroughAlpn() throws Exception {
        HttpClient c = client(HttpClient.Version.HTTP_2);
        HttpResponse<byte[]> r = get(c, m.path("t1", "video-720p/seg-00001.m4s"), "Range", "bytes=-10");
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals(206, r.statusCode());
        assertEquals("bytes 990-999/1000", r.headers().firstValue("content-range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(MediaFixture.segmentBytes(), 990, 1000), r.body());
        HttpResponse<byte[]> key = get(c, m.path("t1", "keys/" + MediaFixture.AES_KID_T1));
        assertArrayEquals(MediaFixture.AES_KEY_T1, key.body());
        assertEquals(403, get(c, "/v/bad/t1/master.m3u8").statusCode());
        HttpResponse<byte[]> head = c.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + m.server.tlsPort() + m.path("t1", "master.m3u8"))).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
    }
}
