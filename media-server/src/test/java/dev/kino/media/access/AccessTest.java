package dev.kino.media.access;

import dev.kino.media.MediaFixture;
import dev.kino.protocol.token.FailureReason;
import dev.kino.protocol.token.IpRange;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TokenSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token failures map to 403/410 with private, no-store, are counted by reason; take-downs answer 404. */
class AccessTest {
    @TempDir
    static Path root;
    static MediaFixture m;

    @BeforeAll
    static void start() throws IOException {
        m = MediaFixture.start(root);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static HttpResponse<byte[]> fetch(String token, String title) throws Exception {
        return m.get("/v/" + token + "/" + title + "/master.m3u8");
    }

    private static void assertDenied(HttpResponse<byte[]> r, int status, FailureReason reason, long before) {
        assertEquals(status, r.statusCode());
        assertEquals("private, no-store", r.headers().firstValue("cache-control").orElse(null));
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(null));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"status\":" + status), body);
        assertEquals(before + 1, m.server.metrics().tokenFailures(reason), reason.name());
    }

    @Test
    void validToken() throws Exception {
        assertEquals(200, fetch(m.token("t1"), "t1").statusCode());
    }

    @Test
    void tampered() throws Exception {
        String t = m.token("t1");
        char last = t.charAt(t.length() - 1);
        String tampered = t.substring(0, t.length() - 1) + (last == 'A' ? 'B' : 'A');
        long before = m.server.metrics().tokenFailures(FailureReason.BAD_SIGNATURE);
        assertDenied(fetch(tampered, "t1"), 403, FailureReason.BAD_SIGNATURE, before);
    }

    @Test
    void malformedAndUnknownKey() throws Exception {
        long before = m.server.metrics().tokenFailures(FailureReason.MALFORMED);
        assertDenied(fetch("not-a-token", "t1"), 403, FailureReason.MALFORMED, before);
        String other = new TokenSigner(SigningKeys.single("k9", MediaFixture.filled(32, 1)))
                .sign(MediaFixture.claims("t1").build());
        before = m.server.metrics().tokenFailures(FailureReason.UNKNOWN_KEY);
        assertDenied(fetch(other, "t1"), 403, FailureReason.UNKNOWN_KEY, before);
    }

    @Test
    void wrongPath() throws Exception {
        long before = m.server.metrics().tokenFailures(FailureReason.PATH_NOT_ALLOWED);
        assertDenied(fetch(m.token("t2"), "t1"), 403, FailureReason.PATH_NOT_ALLOWED, before);
    }

    @Test
    void wrongAddress() throws Exception {
        String t = m.signer.sign(MediaFixture.claims("t1").clientRange(IpRange.parse("10.0.0.0/8")).build());
        long before = m.server.metrics().tokenFailures(FailureReason.ADDRESS_NOT_ALLOWED);
        assertDenied(fetch(t, "t1"), 403, FailureReason.ADDRESS_NOT_ALLOWED, before);
        String local = m.signer.sign(MediaFixture.claims("t1").clientRange(IpRange.parse("127.0.0.0/8")).build());
        assertEquals(200, fetch(local, "t1").statusCode());
    }

    @Test
    void expiredIs410AndNotYetValidIs403() throws Exception {
        String expired = m.signer.sign(MediaFixture.claims("t1")
                .validFor(Instant.now().minusSeconds(7200), Duration.ofMinutes(5)).build());
        long before = m.server.metrics().tokenFailures(FailureReason.EXPIRED);
        assertDenied(fetch(expired, "t1"), 410, FailureReason.EXPIRED, before);
        String future = m.signer.sign(MediaFixture.claims("t1")
                .validFor(Instant.now().plusSeconds(7200), Duration.ofMinutes(5)).build());
        before = m.server.metrics().tokenFailures(FailureReason.NOT_YET_VALID);
        assertDenied(fetch(future, "t1"), 403, FailureReason.NOT_YET_VALID, before);
    }

    @Test
    void takeDownAnswers404AndRestoreServesAgain() throws Exception {
        m.takedowns.takeDown("t2");
        try {
            HttpResponse<byte[]> r = fetch(m.token("t2"), "t2");
            assertEquals(404, r.statusCode());
            assertEquals("no-store", r.headers().firstValue("cache-control").orElse(null));
            assertEquals(404, m.get(m.path("t2", "keys/" + MediaFixture.AES_KID_T2)).statusCode());
        } finally {
            m.takedowns.restore("t2");
        }
        assertEquals(200, fetch(m.token("t2"), "t2").statusCode());
    }
}
