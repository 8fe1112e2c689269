package dev.kino.media.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccessLogTest {
    @Test
    void tokensAreRedactedToVersionAndKeyId() {
        assertEquals("/v/1.k1.…/t1/master.m3u8", AccessLog.redact("/v/1.k1.AAAA.BBBB/t1/master.m3u8"));
        assertEquals("/v/…/t1/x.m4s", AccessLog.redact("/v/garbage/t1/x.m4s"));
        assertEquals("/v/1.k1.…", AccessLog.redact("/v/1.k1.AAAA.BBBB"));
        assertEquals("/metrics", AccessLog.redact("/metrics"));
        String token = "1.k2026-01.BwAAAABpVbkAAAAAAGlV8UALL3RpdGxlLTEyMy8EGMsAcQAHdXNlci00MghzLTdmM2E5Yw"
                + ".lmhRKFfYG_KfnT9nSZ9r0W2sJv-LoDd_zmgAU030DCE";
        // absolute-form request targets (RFC 9112 §3.2.2) and anything that carries a token elsewhere
        assertEquals("http://evil.example/v/1.k2026-01.…/t1/x.m4s",
                AccessLog.redact("http://evil.example/v/" + token + "/t1/x.m4s"));
        assertEquals("HTTPS://evil.example:8443/v/1.k2026-01.…?a=b",
                AccessLog.redact("HTTPS://evil.example:8443/v/" + token + "?a=b"));
        assertEquals("/x?t=1.k2026-01.…&u=2", AccessLog.redact("/x?t=" + token + "&u=2"));
        assertEquals("/v/1.k2026-01.…/a/v/1.k2026-01.…/b", AccessLog.redact("/v/" + token + "/a/v/" + token + "/b"));
        assertEquals(null, AccessLog.redact(null));
    }
}
