package dev.kino.protocol.cmcd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples of CTA-5004 (§4, "Examples"), and what a hostile or broken client might send. */
class CmcdTest {
    /** CTA-5004's query example: every key, in one percent-encoded parameter. */
    private static final String SPEC_QUERY = "bl%3D21300%2Cbr%3D3200%2Cbs%2Ccid%3D%22faec5fc2-ac30-11eabb37-0242ac130002%22"
            + "%2Cd%3D4004%2Cdl%3D18500%2Cmtp%3D48100%2Cnor%3D%22..%252F300kbps%252Ftrack.m4v%22%2Cnrr%3D%2212323-48763%22"
            + "%2Cot%3Dv%2Cpr%3D1.08%2Crtp%3D12000%2Csf%3Dd%2Csid%3D%226e2fb550-c457-11e9-bb97-0800200c9a66%22%2Cst%3Dv"
            + "%2Csu%2Ctb%3D6000";

    private static void assertSpecValues(Cmcd c) {
        assertEquals(21300, c.bufferLengthMs());
        assertEquals(3200, c.encodedBitrateKbps());
        assertTrue(c.bufferStarvation());
        assertEquals("faec5fc2-ac30-11eabb37-0242ac130002", c.contentId());
        assertEquals(4004, c.objectDurationMs());
        assertEquals(18500, c.deadlineMs());
        assertEquals(48100, c.measuredThroughputKbps());
        assertEquals("..%2F300kbps%2Ftrack.m4v", c.nextObjectRequest());
        assertEquals("12323-48763", c.nextRangeRequest());
        assertEquals(Cmcd.ObjectType.VIDEO, c.objectType());
        assertEquals(1.08, c.playbackRate());
        assertEquals(12000, c.requestedMaxThroughputKbps());
        assertEquals(Cmcd.StreamingFormat.DASH, c.streamingFormat());
        assertEquals("6e2fb550-c457-11e9-bb97-0800200c9a66", c.sessionId());
        assertEquals(Cmcd.StreamType.VOD, c.streamType());
        assertTrue(c.startup());
        assertEquals(6000, c.topBitrateKbps());
        assertEquals(0, c.malformed());
    }

    @Test
    void theSpecsQueryExampleWithEveryKey() {
        String uri = "/v/tok/t1/video-720p/seg-00001.m4s?x=1&CMCD=" + SPEC_QUERY + "&y=2";
        String raw = Cmcd.rawQueryValue(uri);
        assertEquals(SPEC_QUERY, raw);
        assertSpecValues(Cmcd.parse(Cmcd.decodeQueryValue(raw)));
    }

    @Test
    void theSpecsHeaderExampleSplitOverTheFourHeaders() {
        Cmcd c = Cmcd.parse(
                "bl=21300,dl=18500,mtp=48100,nor=\"..%2F300kbps%2Ftrack.m4v\",nrr=\"12323-48763\",su", // CMCD-Request
                "br=3200,d=4004,ot=v,tb=6000",                                                      // CMCD-Object
                "bs,rtp=12000",                                                                     // CMCD-Status
                "cid=\"faec5fc2-ac30-11eabb37-0242ac130002\",pr=1.08,sf=d,sid=\"6e2fb550-c457-11e9-bb97-0800200c9a66\",st=v");
        assertSpecValues(c);
    }

    @Test
    void theSpecsSmallerExamples() {
        // a session id alone
        Cmcd sid = Cmcd.parse(Cmcd.decodeQueryValue("sid%3D%226e2fb550-c457-11e9-bb97-0800200c9a66%22"));
        assertEquals("6e2fb550-c457-11e9-bb97-0800200c9a66", sid.sessionId());
        assertEquals(-1, sid.encodedBitrateKbps());
        assertFalse(sid.startup());
        // booleans by their bare key
        Cmcd flags = Cmcd.parse(Cmcd.decodeQueryValue("bs%2Csu"));
        assertTrue(flags.bufferStarvation());
        assertTrue(flags.startup());
        // custom keys are somebody else's: ignored, not malformed
        Cmcd custom = Cmcd.parse(Cmcd.decodeQueryValue(
                "d%3D4004%2Ccom.example-myNumericKey%3D500%2Ccom.examplemyStringKey%3D%22myStringValue%22"));
        assertEquals(4004, custom.objectDurationMs());
        assertEquals(0, custom.malformed());
        // a manifest request at start-up, HLS
        Cmcd m = Cmcd.parse("ot=m,sf=h,st=v,su");
        assertEquals(Cmcd.ObjectType.MANIFEST, m.objectType());
        assertEquals(Cmcd.StreamingFormat.HLS, m.streamingFormat());
        // muxed and timed text are two-letter tokens
        assertEquals(Cmcd.ObjectType.MUXED, Cmcd.parse("ot=av").objectType());
        assertEquals(Cmcd.ObjectType.TIMED_TEXT, Cmcd.parse("ot=tt").objectType());
    }

    @Test
    void findingTheParameterDoesNotMistakeOthers() {
        assertNull(Cmcd.rawQueryValue("/v/t/a/seg.m4s"));
        assertNull(Cmcd.rawQueryValue("/v/t/a/seg.m4s?NOTCMCD=br%3D1&CMCDX=2"));
        assertEquals("", Cmcd.rawQueryValue("/v/t/a/seg.m4s?CMCD"));
        assertEquals("br%3D1", Cmcd.rawQueryValue("/v/t/a/seg.m4s?a=CMCD=x&CMCD=br%3D1"));
        assertTrue(Cmcd.parse(Cmcd.decodeQueryValue("")).isEmpty());
    }

    @Test
    void badPairsAreSkippedAndCountedNeverThrown() {
        Cmcd c = Cmcd.parse("br=abc,bl=-5,ot=zz,sf=\"h\",su=maybe,cid=unquoted,mtp=99999999999,=7,tb=6000,pr=1.x");
        assertEquals(-1, c.encodedBitrateKbps());
        assertEquals(-1, c.bufferLengthMs());
        assertNull(c.objectType());
        assertNull(c.streamingFormat());
        assertFalse(c.startup());
        assertNull(c.contentId());
        assertEquals(-1, c.measuredThroughputKbps());
        assertTrue(Double.isNaN(c.playbackRate()));
        assertEquals(6000, c.topBitrateKbps(), "a good pair among bad ones is kept");
        assertEquals(9, c.malformed());
        // an id over 64 characters, an unterminated string (the rest of the list is lost), junk encoding
        assertNull(Cmcd.parse("sid=\"" + "x".repeat(65) + "\"").sessionId());
        Cmcd open = Cmcd.parse("br=800,cid=\"abc,bl=100");
        assertEquals(800, open.encodedBitrateKbps());
        assertEquals(-1, open.bufferLengthMs());
        assertEquals(1, open.malformed());
        assertNull(Cmcd.decodeQueryValue("br%3"));
        assertEquals(1, Cmcd.parse("x".repeat(Cmcd.MAX_LIST_LENGTH + 1)).malformed());
        // a quoted comma belongs to the string
        assertEquals("a,b", Cmcd.parse("nor=\"a,b\",br=1").nextObjectRequest());
        assertEquals(1, Cmcd.parse("nor=\"a,b\",br=1").encodedBitrateKbps());
        assertEquals("q\"uote\\d", Cmcd.parse("nor=\"q\\\"uote\\\\d\"").nextObjectRequest());
    }
}
