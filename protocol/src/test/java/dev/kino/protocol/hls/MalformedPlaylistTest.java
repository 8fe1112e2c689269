package dev.kino.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed input is rejected with the 1-based line number and a reason. */
class MalformedPlaylistTest {

    private static final String MEDIA = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n";
    private static final String MASTER = "#EXTM3U\n";

    private static String pl(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static Arguments c(String name, String text, int line, String reasonFragment) {
        return Arguments.of(name, text, line, reasonFragment);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("empty input", "", 1, "first line must be #EXTM3U"),
                c("missing #EXTM3U", pl("#EXT-X-TARGETDURATION:6", "#EXTINF:5,", "a.ts"), 1,
                        "first line must be #EXTM3U"),
                c("byte order mark", "\uFEFF" + MEDIA, 1, "byte order mark"),
                c("#EXTM3U twice", MEDIA + "#EXTM3U\n", 3, "#EXTM3U may only be the first line"),
                c("missing target duration", pl("#EXTM3U", "#EXTINF:5,", "a.ts"), 3,
                        "lacks the required EXT-X-TARGETDURATION"),
                c("EXTINF at end without URI", MEDIA + pl("#EXTINF:5,"), 3, "EXTINF is not followed by a URI line"),
                c("EXTINF followed by EXTINF", MEDIA + pl("#EXTINF:5,", "#EXTINF:5,", "a.ts"), 3,
                        "another EXTINF follows on line 4"),
                c("non-numeric duration", MEDIA + pl("#EXTINF:abc,", "a.ts"), 3,
                        "EXTINF duration must be a non-negative decimal number of seconds, got 'abc'"),
                c("negative duration", MEDIA + pl("#EXTINF:-1,", "a.ts"), 3, "got '-1'"),
                c("exponent duration", MEDIA + pl("#EXTINF:5e0,", "a.ts"), 3, "got '5e0'"),
                c("huge duration", MEDIA + pl("#EXTINF:99999999999999999999,", "a.ts"), 3,
                        "EXTINF duration is too large"),
                c("huge media sequence", MEDIA + pl("#EXT-X-MEDIA-SEQUENCE:9999999999999999999"), 3,
                        "EXT-X-MEDIA-SEQUENCE is too large"),
                c("huge BANDWIDTH", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=18446744073709551615", "v.m3u8"), 2,
                        "attribute BANDWIDTH is too large"),
                c("zero duration", MEDIA + pl("#EXTINF:0,", "a.ts"), 3, "EXTINF duration must be positive"),
                c("segment longer than target", MEDIA + pl("#EXTINF:5,", "a.ts", "#EXTINF:6.5,", "b.ts"), 5,
                        "segment duration 6.5 s rounds to 7 s, longer than EXT-X-TARGETDURATION 6 s"),
                c("URI without EXTINF", MEDIA + pl("#EXTINF:5,", "a.ts", "b.ts"), 5,
                        "URI line 'b.ts' is not preceded by an EXTINF tag"),
                c("EXT-X-BYTERANGE at end", MEDIA + pl("#EXT-X-BYTERANGE:10@0"), 3,
                        "EXT-X-BYTERANGE is not followed by a URI line"),
                c("malformed byte range", MEDIA + pl("#EXTINF:5,", "#EXT-X-BYTERANGE:10-20", "a.ts"), 4,
                        "byte range must be <length>[@<offset>], got '10-20'"),
                c("byte range without offset first", pl("#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-TARGETDURATION:6",
                        "#EXTINF:5,", "#EXT-X-BYTERANGE:10", "a.ts"), 5,
                        "EXT-X-BYTERANGE without offset needs the previous segment"),
                c("unknown playlist type", MEDIA + pl("#EXT-X-PLAYLIST-TYPE:LIVE"), 3,
                        "unknown EXT-X-PLAYLIST-TYPE value 'LIVE' (expected EVENT or VOD)"),
                c("unknown key method", MEDIA + pl("#EXT-X-KEY:METHOD=AES-256,URI=\"k\""), 3,
                        "EXT-X-KEY unknown METHOD value 'AES-256'"),
                c("key without METHOD", MEDIA + pl("#EXT-X-KEY:URI=\"k\""), 3,
                        "EXT-X-KEY lacks required attribute METHOD"),
                c("AES-128 without URI", MEDIA + pl("#EXT-X-KEY:METHOD=AES-128"), 3,
                        "METHOD=AES-128 requires a URI"),
                c("NONE with URI", MEDIA + pl("#EXT-X-KEY:METHOD=NONE,URI=\"k\""), 3,
                        "METHOD=NONE allows no other attribute"),
                c("short IV", MEDIA + pl("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x0102"), 3,
                        "IV must be exactly 16 bytes (128 bits), got 2"),
                c("IV not hexadecimal", MEDIA + pl("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0xZZ"), 3,
                        "attribute IV must be a hexadecimal-sequence"),
                c("unterminated quoted-string", MEDIA + pl("#EXT-X-KEY:METHOD=AES-128,URI=\"k"), 3,
                        "EXT-X-KEY attribute URI: unterminated quoted-string"),
                c("attribute without '='", MEDIA + pl("#EXT-X-KEY:METHOD"), 3, "expected '=' after METHOD"),
                c("trailing comma", MEDIA + pl("#EXT-X-KEY:METHOD=NONE,"), 3, "attribute list ends with a ','"),
                c("lower-case attribute name", MEDIA + pl("#EXT-X-KEY:method=NONE"), 3,
                        "expected an attribute name [A-Z0-9-] at column 1"),
                c("duplicate attribute", MEDIA + pl("#EXT-X-KEY:METHOD=NONE,METHOD=NONE"), 3,
                        "attribute METHOD appears more than once"),
                c("garbage after quoted-string", MEDIA + pl("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"x"), 3,
                        "expected ',' after the value of URI"),
                c("unquoted URI", MEDIA + pl("#EXT-X-KEY:METHOD=AES-128,URI=k"), 3,
                        "attribute URI must be a quoted-string, got k"),
                c("quoted enumerated-string", MEDIA + pl("#EXT-X-KEY:METHOD=\"AES-128\",URI=\"k\""), 3,
                        "attribute METHOD must not be quoted"),
                c("bad KEYFORMATVERSIONS", pl("#EXTM3U", "#EXT-X-VERSION:5", "#EXT-X-TARGETDURATION:6",
                        "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\",KEYFORMATVERSIONS=\"1/x\""), 4,
                        "KEYFORMATVERSIONS must be positive integers separated by '/'"),
                c("EXT-X-MAP without URI", MEDIA + pl("#EXT-X-MAP:BYTERANGE=\"10@0\""), 3,
                        "EXT-X-MAP lacks required attribute URI"),
                c("EXT-X-MAP byte range without offset", MEDIA + pl("#EXT-X-MAP:URI=\"i.mp4\",BYTERANGE=\"10\""), 3,
                        "BYTERANGE needs an offset"),
                c("EXT-X-MAP under AES-128 without IV", pl("#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:6",
                        "#EXT-X-KEY:METHOD=AES-128,URI=\"k\"", "#EXT-X-MAP:URI=\"i.mp4\""), 5,
                        "EXT-X-MAP follows an EXT-X-KEY with METHOD=AES-128 and no IV"),
                c("duplicate target duration", MEDIA + pl("#EXT-X-TARGETDURATION:6"), 3,
                        "EXT-X-TARGETDURATION appears more than once"),
                c("non-integer target duration", pl("#EXTM3U", "#EXT-X-TARGETDURATION:6.5"), 2,
                        "EXT-X-TARGETDURATION must be a decimal-integer, got '6.5'"),
                c("media sequence after a segment", MEDIA + pl("#EXTINF:5,", "a.ts", "#EXT-X-MEDIA-SEQUENCE:3"), 5,
                        "EXT-X-MEDIA-SEQUENCE must appear before the first Media Segment"),
                c("value on a tag without value", MEDIA + pl("#EXT-X-ENDLIST:YES"), 3, "EXT-X-ENDLIST takes no value"),
                c("version too low for EXT-X-MAP", pl("#EXTM3U", "#EXT-X-VERSION:5", "#EXT-X-TARGETDURATION:6",
                        "#EXT-X-MAP:URI=\"i.mp4\"", "#EXTINF:5,", "a.m4s"), 2,
                        "EXT-X-VERSION is 5 but the playlist needs version 6: EXT-X-MAP in a Media Playlist without "
                                + "EXT-X-I-FRAMES-ONLY"),
                c("no version but fractional EXTINF", MEDIA + pl("#EXTINF:5.5,", "a.ts"), 1,
                        "no EXT-X-VERSION (so version 1) but the playlist needs version 3"),
                c("unsupported version", MEDIA + pl("#EXT-X-VERSION:99"), 3, "unsupported EXT-X-VERSION 99"),
                c("multivariant tag in a media playlist", MEDIA + pl("#EXTINF:5,", "a.ts",
                        "#EXT-X-STREAM-INF:BANDWIDTH=1", "b.m3u8"), 5,
                        "EXT-X-STREAM-INF is a multivariant playlist tag but EXT-X-TARGETDURATION on line 2 makes "
                                + "this a media playlist"),
                c("neither kind of playlist", pl("#EXTM3U", "#EXT-X-VERSION:3"), 2,
                        "no media playlist tag"),
                // Multivariant playlists
                c("STREAM-INF without BANDWIDTH", MASTER + pl("#EXT-X-STREAM-INF:CODECS=\"avc1.640028\"", "v.m3u8"), 2,
                        "EXT-X-STREAM-INF lacks required attribute BANDWIDTH"),
                c("non-numeric BANDWIDTH", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=fast", "v.m3u8"), 2,
                        "attribute BANDWIDTH must be a decimal-integer, got fast"),
                c("zero BANDWIDTH", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=0", "v.m3u8"), 2,
                        "BANDWIDTH must be positive: 0"),
                c("bad RESOLUTION", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=1920*1080", "v.m3u8"), 2,
                        "attribute RESOLUTION must be a decimal-resolution"),
                c("bad FRAME-RATE", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=1,FRAME-RATE=fast", "v.m3u8"), 2,
                        "attribute FRAME-RATE must be a decimal-floating-point"),
                c("bad CLOSED-CAPTIONS", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=NO", "v.m3u8"), 2,
                        "attribute CLOSED-CAPTIONS must be a quoted-string or NONE, got NO"),
                c("STREAM-INF at end without URI", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=1"), 2,
                        "EXT-X-STREAM-INF is not followed by a URI line"),
                c("STREAM-INF followed by STREAM-INF", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=1",
                        "#EXT-X-STREAM-INF:BANDWIDTH=2", "v.m3u8"), 2, "another EXT-X-STREAM-INF follows on line 3"),
                c("URI line without STREAM-INF", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=1", "a.m3u8", "b.m3u8"), 4,
                        "URI line 'b.m3u8' is not preceded by EXT-X-STREAM-INF"),
                c("undefined AUDIO group", MASTER + pl(
                        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac\",NAME=\"en\",URI=\"a.m3u8\"",
                        "#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"aac\"", "a.m3u8",
                        "#EXT-X-STREAM-INF:BANDWIDTH=2,AUDIO=\"ac3\"", "b.m3u8"), 5,
                        "EXT-X-STREAM-INF references AUDIO group \"ac3\" but no EXT-X-MEDIA with TYPE=AUDIO"),
                c("group of the wrong type", MASTER + pl(
                        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"en\",URI=\"a.m3u8\"",
                        "#EXT-X-STREAM-INF:BANDWIDTH=1,SUBTITLES=\"g\"", "a.m3u8"), 3,
                        "references SUBTITLES group \"g\""),
                c("undefined VIDEO group of an I-frame stream", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=1", "a.m3u8",
                        "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,VIDEO=\"v\",URI=\"if.m3u8\""), 4,
                        "EXT-X-I-FRAME-STREAM-INF references VIDEO group \"v\""),
                c("I-frame stream without URI", MASTER + pl("#EXT-X-STREAM-INF:BANDWIDTH=1", "a.m3u8",
                        "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1"), 4,
                        "EXT-X-I-FRAME-STREAM-INF lacks required attribute URI"),
                c("unknown rendition TYPE", MASTER + pl("#EXT-X-MEDIA:TYPE=TEXT,GROUP-ID=\"g\",NAME=\"n\""), 2,
                        "EXT-X-MEDIA unknown TYPE value 'TEXT'"),
                c("rendition without NAME", MASTER + pl("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\""), 2,
                        "EXT-X-MEDIA lacks required attribute NAME"),
                c("unknown DEFAULT value", MASTER + pl("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"n\",DEFAULT=Y"),
                        2, "attribute DEFAULT has unknown value Y (expected YES or NO)"),
                c("DEFAULT without AUTOSELECT", MASTER + pl(
                        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"n\",DEFAULT=YES,AUTOSELECT=NO"), 2,
                        "DEFAULT=YES requires AUTOSELECT=YES"),
                c("subtitles without URI", MASTER + pl("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"en\""), 2,
                        "a SUBTITLES rendition requires a URI"),
                c("closed captions without INSTREAM-ID", MASTER + pl(
                        "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"en\""), 2,
                        "requires INSTREAM-ID"),
                c("bad INSTREAM-ID", MASTER + pl(
                        "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"en\",INSTREAM-ID=\"CC5\""), 2,
                        "INSTREAM-ID must be CC1..CC4 or SERVICE1..SERVICE63"),
                c("duplicate NAME in a group", MASTER + pl(
                        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"en\",URI=\"a.m3u8\"",
                        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"en\",URI=\"b.m3u8\""), 3,
                        "is already named \"en\""),
                c("two DEFAULT=YES in a group", MASTER + pl(
                        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"a\",DEFAULT=YES,AUTOSELECT=YES",
                        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"b\",DEFAULT=YES,AUTOSELECT=YES"), 3,
                        "already has a DEFAULT=YES member"),
                c("CLOSED-CAPTIONS=NONE on some variants only", MASTER + pl(
                        "#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=NONE", "a.m3u8",
                        "#EXT-X-STREAM-INF:BANDWIDTH=2", "b.m3u8"), 4,
                        "CLOSED-CAPTIONS=NONE on line 2 requires every EXT-X-STREAM-INF to say NONE"),
                c("session key with METHOD=NONE", MASTER + pl("#EXT-X-SESSION-KEY:METHOD=NONE",
                        "#EXT-X-STREAM-INF:BANDWIDTH=1", "a.m3u8"), 2, "EXT-X-SESSION-KEY cannot have METHOD=NONE"),
                c("no variant at all", MASTER + pl("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"a\",URI=\"a.m3u8\""),
                        2, "multivariant playlist has no EXT-X-STREAM-INF"),
                c("SERVICE captions in version 6", pl("#EXTM3U", "#EXT-X-VERSION:6",
                        "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"s\",INSTREAM-ID=\"SERVICE1\"",
                        "#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=\"cc\"", "a.m3u8"), 2,
                        "EXT-X-VERSION is 6 but the playlist needs version 7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsWithLineAndReason(String name, String text, int line, String reasonFragment) {
        PlaylistParseException e = assertThrows(PlaylistParseException.class, () -> PlaylistParser.parse(text));
        assertTrue(e.reason().contains(reasonFragment), () -> "reason '" + e.reason() + "' lacks '" + reasonFragment + "'");
        assertEquals(line, e.lineNumber(), () -> "wrong line for: " + e.getMessage());
        assertEquals("line " + line + ": " + e.reason(), e.getMessage());
    }

    @Test
    void wrongKindIsRejectedByTheTypedEntryPoints() {
        String media = MEDIA + "#EXTINF:5,\na.ts\n";
        String master = MASTER + "#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n";
        assertTrue(assertThrows(PlaylistParseException.class, () -> PlaylistParser.parseMultivariant(media))
                .reason().contains("this is a media playlist"));
        assertTrue(assertThrows(PlaylistParseException.class, () -> PlaylistParser.parseMedia(master))
                .reason().contains("this is a multivariant playlist"));
    }

    @Test
    void unknownTagsAndAttributesAreIgnored() throws PlaylistParseException {
        MultivariantPlaylist p = PlaylistParser.parseMultivariant(MASTER
                + "#EXT-X-SESSION-DATA:DATA-ID=\"com.kino.title\",VALUE=\"x\"\n"
                + "#EXT-X-KINO-EXPERIMENT:ANYTHING\n"
                + "#EXT-X-STREAM-INF:BANDWIDTH=1,HDCP-LEVEL=TYPE-0,NEW-ATTR=\"v\"\n"
                + "a.m3u8\n");
        assertEquals(1, p.variants().size());
        assertEquals(1, p.variants().get(0).bandwidth());
    }
}
