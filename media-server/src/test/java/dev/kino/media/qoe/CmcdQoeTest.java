package dev.kino.media.qoe;

import dev.kino.common.metrics.PrometheusText;
import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real media server (port 0) receives segment requests carrying CMCD in the query and in the headers; the
 * aggregated series on its admin port reflect them, bad CMCD still gets the segment, and CMCD never changes what is
 * served (body, validators, cache headers).
 */
class CmcdQoeTest {
    private static final String CHROME_DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0 Safari/537.36";
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private static final String SID = "6e2fb550-c457-11e9-bb97-0800200c9a66";
    private static final String CID = "faec5fc2-ac30-11ea-bb37-0242ac130002";

    @TempDir
    static Path root;
    private static MediaFixture m;

    @BeforeAll
    static void start() throws Exception {
        m = MediaFixture.start(root);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private String segment() {
        return m.path("t1", "video-720p/seg-00001.m4s");
    }

    private String scrape() throws Exception {
        return m.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.server.metricsPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String text, String series) {
        Matcher x = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return x.find() ? Double.parseDouble(x.group(1)) : 0;
    }

    private void awaitFolded(long n) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (m.server.cmcd().folded() < n && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(n, m.server.cmcd().folded(), "samples folded");
    }

    @Test
    void cmcdFromTheQueryAndTheHeadersReachesTheSeriesAndChangesNothingServed() throws Exception {
        String before = scrape();
        long folded = m.server.cmcd().folded();
        HttpResponse<byte[]> plain = m.get(segment(), "User-Agent", CHROME_DESKTOP);
        assertEquals(200, plain.statusCode());

        // hls.js's way: one query parameter, keys in alphabetical order, percent-encoded
        String cmcd = "bl=21300,br=3200,cid=\"" + CID + "\",d=4004,mtp=48100,ot=v,sf=h,sid=\"" + SID + "\",st=v,su,tb=6000";
        HttpResponse<byte[]> query = m.get(segment() + "?CMCD=" + java.net.URLEncoder.encode(cmcd,
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"), "User-Agent", CHROME_DESKTOP);
        assertEquals(200, query.statusCode());
        assertArrayEquals(plain.body(), query.body());
        for (String h : new String[] {"etag", "last-modified", "cache-control", "vary"}) {
            assertEquals(plain.headers().firstValue(h), query.headers().firstValue(h), h + " must not depend on CMCD");
        }

        // the header way, split by kind (CTA-5004 §2.2), from a phone
        HttpResponse<byte[]> headers = m.get(segment(), "User-Agent", IPHONE,
                "CMCD-Object", "br=800,d=4004,ot=v,tb=3000",
                "CMCD-Request", "bl=1200,mtp=900",
                "CMCD-Status", "bs,rtp=4000",
                "CMCD-Session", "cid=\"" + CID + "\",sf=d,sid=\"" + SID + "\",st=v");
        assertEquals(200, headers.statusCode());
        assertArrayEquals(plain.body(), headers.body());
        // a range request of the same object with CMCD: ranges are untouched
        assertEquals(206, m.get(segment() + "?CMCD=ot%3Dv%2Cbr%3D3200", "Range", "bytes=0-9",
                "User-Agent", CHROME_DESKTOP).statusCode());
        awaitFolded(folded + 3);

        String text = scrape();
        assertEquals(2, value(text, "kino_cmcd_requests_total{ot=\"v\",band=\"2500-5000\",device=\"desktop\"}")
                - value(before, "kino_cmcd_requests_total{ot=\"v\",band=\"2500-5000\",device=\"desktop\"}"), text);
        assertEquals(1, value(text, "kino_cmcd_requests_total{ot=\"v\",band=\"600-1200\",device=\"mobile\"}")
                - value(before, "kino_cmcd_requests_total{ot=\"v\",band=\"600-1200\",device=\"mobile\"}"));
        assertEquals(21.3, value(text, "kino_cmcd_buffer_length_seconds_sum{band=\"2500-5000\",device=\"desktop\"}")
                - value(before, "kino_cmcd_buffer_length_seconds_sum{band=\"2500-5000\",device=\"desktop\"}"), 1e-9);
        assertEquals(1, value(text, "kino_cmcd_buffer_length_seconds_bucket{band=\"600-1200\",device=\"mobile\",le=\"2.0\"}")
                - value(before, "kino_cmcd_buffer_length_seconds_bucket{band=\"600-1200\",device=\"mobile\",le=\"2.0\"}"));
        assertEquals(48100, value(text, "kino_cmcd_measured_throughput_kbps_sum{band=\"2500-5000\",device=\"desktop\"}")
                - value(before, "kino_cmcd_measured_throughput_kbps_sum{band=\"2500-5000\",device=\"desktop\"}"), 1e-9);
        assertEquals(2, value(text, "kino_cmcd_encoded_bitrate_kbps_count{ot=\"v\",device=\"desktop\"}")
                - value(before, "kino_cmcd_encoded_bitrate_kbps_count{ot=\"v\",device=\"desktop\"}"));
        assertEquals(1, value(text, "kino_cmcd_startup_requests_total{band=\"2500-5000\",device=\"desktop\"}")
                - value(before, "kino_cmcd_startup_requests_total{band=\"2500-5000\",device=\"desktop\"}"));
        assertEquals(1, value(text, "kino_cmcd_buffer_starvation_total{band=\"600-1200\",device=\"mobile\"}")
                - value(before, "kino_cmcd_buffer_starvation_total{band=\"600-1200\",device=\"mobile\"}"));
        assertEquals(1, value(text, "kino_cmcd_streams_total{sf=\"h\",st=\"v\"}")
                - value(before, "kino_cmcd_streams_total{sf=\"h\",st=\"v\"}"));
        assertEquals(1, value(text, "kino_cmcd_streams_total{sf=\"d\",st=\"v\"}")
                - value(before, "kino_cmcd_streams_total{sf=\"d\",st=\"v\"}"));
        assertEquals(3, value(text, "kino_media_time_to_first_byte_seconds_count{ot=\"v\"}")
                - value(before, "kino_media_time_to_first_byte_seconds_count{ot=\"v\"}"));
        assertTrue(value(text, "kino_media_time_to_first_byte_seconds_sum{ot=\"v\"}") > 0, text);
        // sessions and titles are never labels
        assertFalse(text.contains(SID) || text.contains(CID), "an id became a label:\n" + text);
        assertTrue(text.contains("# TYPE kino_cmcd_buffer_length_seconds histogram"), text);
    }

    @Test
    void malformedCmcdStillGetsTheSegmentAndIsCounted() throws Exception {
        long folded = m.server.cmcd().folded();
        String before = scrape();
        byte[] expected = MediaFixture.segmentBytes();
        String[] bad = {"?CMCD=br%3Dabc%2Cot%3Dzz%2Cbl%3D-4", "?CMCD", "?CMCD=" + "a".repeat(900)};
        for (String q : bad) {
            HttpResponse<byte[]> r = m.get(segment() + q);
            assertEquals(200, r.statusCode(), q);
            assertArrayEquals(expected, r.body(), q);
        }
        HttpResponse<byte[]> h = m.get(segment(), "CMCD-Object", "ot=\"unterminated", "CMCD-Request", "bl=,,,=,su=2");
        assertEquals(200, h.statusCode());
        assertArrayEquals(expected, h.body());
        // not even percent-encoding (no well-behaved client library sends it, so on a raw connection)
        String raw = m.raw("GET " + segment() + "?CMCD=%ZZ% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
        awaitFolded(folded + bad.length + 2);
        String text = scrape();
        assertTrue(value(text, "kino_cmcd_malformed_total") - value(before, "kino_cmcd_malformed_total") >= 3, text);
        assertEquals(bad.length + 2, value(text, "kino_cmcd_requests_total{ot=\"unknown\",band=\"unknown\",device=\"other\"}")
                - value(before, "kino_cmcd_requests_total{ot=\"unknown\",band=\"unknown\",device=\"other\"}"));
    }

    @Test
    void requestsWithoutCmcdOrRefusedByTheTokenGateAreNotFolded() throws Exception {
        long folded = m.server.cmcd().folded();
        assertEquals(200, m.get(segment()).statusCode());
        assertEquals(200, m.get(segment() + "?other=1&NOTCMCD=br%3D1").statusCode());
        // made-up requests cannot skew the figures: a bad token with CMCD is refused and not counted
        assertEquals(403, m.get("/v/bad/t1/video-720p/seg-00001.m4s?CMCD=br%3D99999%2Cbs").statusCode());
        assertEquals(200, m.get(segment() + "?CMCD=ot%3Dv").statusCode()); // a marker that it would have been seen
        awaitFolded(folded + 1);
    }

    @Test
    void aCrossOriginPlayerMaySendTheCmcdHeaders() throws Exception {
        HttpResponse<byte[]> pre = m.send("OPTIONS", segment(), null, "Origin", MediaFixture.ORIGIN,
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "cmcd-object,cmcd-request");
        assertEquals(204, pre.statusCode());
        String allowed = pre.headers().firstValue("access-control-allow-headers").orElse("");
        for (String h : new String[] {"CMCD-Object", "CMCD-Request", "CMCD-Session", "CMCD-Status"}) {
            assertTrue(allowed.contains(h), allowed);
        }
    }

    @Test
    void aFullQueueDropsAndCounts() {
        CmcdAggregator a = new CmcdAggregator(2, false);
        assertTrue(a.offer("br%3D800", null, null, null, null, null, 1_000_000));
        assertTrue(a.offer(null, "br=3200,ot=v", null, null, null, IPHONE, 2_000_000));
        assertFalse(a.offer("br%3D5000", null, null, null, null, null, 1_000_000));
        assertEquals(1, a.dropped());
        a.drain();
        assertEquals(2, a.folded());
        PrometheusText out = new PrometheusText();
        a.write(out);
        String text = out.toString();
        assertEquals(1, value(text, "kino_cmcd_dropped_total"));
        assertEquals(1, value(text, "kino_cmcd_requests_total{ot=\"unknown\",band=\"600-1200\",device=\"other\"}"));
        assertEquals(1, value(text, "kino_cmcd_requests_total{ot=\"v\",band=\"2500-5000\",device=\"mobile\"}"));
        a.close();
        assertFalse(a.offer("br%3D800", null, null, null, null, null, 1));
    }

    @Test
    void bandsAndDeviceClassesAreFewAndFixed() {
        assertEquals("0-600", CmcdAggregator.band(400));
        assertEquals("600-1200", CmcdAggregator.band(800));
        assertEquals("1200-2500", CmcdAggregator.band(1500));
        assertEquals("2500-5000", CmcdAggregator.band(3000));
        assertEquals("5000-8000", CmcdAggregator.band(5000));
        assertEquals("8000+", CmcdAggregator.band(250000));
        assertEquals("unknown", CmcdAggregator.band(-1));
        assertEquals(DeviceClass.TV, DeviceClass.of("Mozilla/5.0 (Linux; Android 12; BRAVIA 4K) AppleWebKit"));
        assertEquals(DeviceClass.MOBILE, DeviceClass.of(IPHONE));
        assertEquals(DeviceClass.DESKTOP, DeviceClass.of(CHROME_DESKTOP));
        assertEquals(DeviceClass.OTHER, DeviceClass.of("curl/8.5.0"));
        assertEquals(DeviceClass.OTHER, DeviceClass.of(null));
    }
}
