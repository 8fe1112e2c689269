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
    }
}
