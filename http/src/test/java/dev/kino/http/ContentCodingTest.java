package dev.kino.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9110 §12.5.3 negotiation, including the cases both servers used to get wrong. */
class ContentCodingTest {
    @Test
    void gzipWhenAcceptedWithANonZeroWeight() {
        assertTrue(ContentCoding.prefersGzip("gzip"));
        assertTrue(ContentCoding.prefersGzip("br, GZIP;q=0.5"));
        assertTrue(ContentCoding.prefersGzip("x-gzip"), "x-gzip is gzip (§8.4.1.3)");
        assertTrue(ContentCoding.prefersGzip("*"));
        assertTrue(ContentCoding.prefersGzip("gzip, deflate, br"));
        assertTrue(ContentCoding.prefersGzip("identity;q=0.5, gzip"));
    }

    @Test
    void identityWhenGzipIsRefusedOrNotListed() {
        assertFalse(ContentCoding.prefersGzip("gzip;q=0"));
        assertFalse(ContentCoding.prefersGzip("gzip; q=0.000"));
        assertFalse(ContentCoding.prefersGzip("deflate, br"));
        assertFalse(ContentCoding.prefersGzip(null));
        assertFalse(ContentCoding.prefersGzip(""));
        assertFalse(ContentCoding.prefersGzip("gzip;q=0.5, identity"), "identity weighs more");
        assertFalse(ContentCoding.prefersGzip("gzip;q=bogus"));
        assertEquals(ContentCoding.IDENTITY, ContentCoding.select("gzip;q=0, *", ContentCoding.GZIP),
                "an explicit refusal beats the wildcard");
        assertEquals(ContentCoding.IDENTITY, ContentCoding.select("x-gzip;q=0, *;q=1", ContentCoding.GZIP));
    }

    @Test
    void identityRefused() {
        assertNull(ContentCoding.select("identity;q=0", ContentCoding.GZIP), "nothing acceptable: 406 or identity");
        assertNull(ContentCoding.select("*;q=0"), "the wildcard refuses identity too when it is not listed");
        assertEquals(ContentCoding.IDENTITY, ContentCoding.select("*;q=0, identity"));
        assertEquals(ContentCoding.GZIP, ContentCoding.select("identity;q=0, gzip", ContentCoding.GZIP));
    }

    @Test
    void gzipRoundTrips() throws IOException {
        byte[] text = "#EXTM3U\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] gz = ContentCoding.gzip(text);
        assertTrue(gz.length < text.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertArrayEquals(text, in.readAllBytes());
        }
    }
}
