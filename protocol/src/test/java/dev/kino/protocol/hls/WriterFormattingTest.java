package dev.kino.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Attribute and value formatting of RFC 8216 §4.2. */
class WriterFormattingTest {

    private static String extinf(Duration d) {
        String text = PlaylistWriter.write(MediaPlaylist.builder().addSegment(MediaSegment.of("a.ts", d)).build());
        return text.lines().filter(l -> l.startsWith("#EXTINF:")).findFirst().orElseThrow();
    }

    @Test
    void durationsArePlainDecimalsWithoutTrailingZerosOrExponent() {
        assertEquals("#EXTINF:6,", extinf(Duration.ofSeconds(6)));
        assertEquals("#EXTINF:6.006,", extinf(Duration.ofMillis(6006)));
        assertEquals("#EXTINF:0.5,", extinf(Duration.ofMillis(500)));
        assertEquals("#EXTINF:0.000000001,", extinf(Duration.ofNanos(1)));
        assertEquals("#EXTINF:3.003003,", extinf(Duration.ofNanos(3_003_003_000L)));
        assertEquals("#EXTINF:100000000,", extinf(Duration.ofSeconds(100_000_000)));
    }

    @Test
    void mediaPlaylistLayout() {
        MediaPlaylist p = MediaPlaylist.builder().mediaSequence(7).discontinuitySequence(2)
                .playlistType(PlaylistType.EVENT)
                .addSegment(MediaSegment.builder().uri("a.ts").duration(Duration.ofSeconds(4)).title("Intro, ♪")
                        .build())
                .addSegment(MediaSegment.builder().uri("b.ts").duration(Duration.ofSeconds(4)).discontinuity(true)
                        .addKey(EncryptionKey.builder().method(KeyMethod.SAMPLE_AES).uri("skd://k")
                                .iv(HlsFixtures.IV).keyFormat("com.apple.streamingkeydelivery")
                                .keyFormatVersions(1, 2).build())
                        .build())
                .build();
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:5
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:7
                #EXT-X-DISCONTINUITY-SEQUENCE:2
                #EXT-X-PLAYLIST-TYPE:EVENT
                #EXTINF:4,Intro, ♪
                a.ts
                #EXT-X-DISCONTINUITY
                #EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://k",IV=0x000102030405060708090a0b0c0d0e0f,\
                KEYFORMAT="com.apple.streamingkeydelivery",KEYFORMATVERSIONS="1/2"
                #EXTINF:4,
                b.ts
                """, PlaylistWriter.write(p));
    }

    @Test
    void multivariantAttributesAreTypedAsTheRfcSays() {
        MultivariantPlaylist p = MultivariantPlaylist.builder()
                .addSessionKey(EncryptionKey.builder().method(KeyMethod.SAMPLE_AES).uri("skd://k")
                        .keyFormat("com.apple.streamingkeydelivery").build())
                .addRendition(Rendition.builder().type(RenditionType.CLOSED_CAPTIONS).groupId("cc").name("English")
                        .language("en").instreamId("CC1").isDefault(true).autoselect(true).build())
                .addRendition(Rendition.builder().type(RenditionType.AUDIO).groupId("a").name("Desc")
                        .characteristics(List.of("public.accessibility.describes-video")).uri("d.m3u8").build())
                .addVariant(VariantStream.builder().uri("v.m3u8").bandwidth(2_000_000).codecs("avc1.4d401f")
                        .resolution(960, 540).frameRate(25).audio("a").closedCaptions("cc").build())
                .build();
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:1
                #EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="skd://k",KEYFORMAT="com.apple.streamingkeydelivery"
                #EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",LANGUAGE="en",NAME="English",DEFAULT=YES,\
                AUTOSELECT=YES,INSTREAM-ID="CC1"
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="Desc",DEFAULT=NO,AUTOSELECT=NO,\
                CHARACTERISTICS="public.accessibility.describes-video",URI="d.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.4d401f",RESOLUTION=960x540,FRAME-RATE=25.000,\
                AUDIO="a",CLOSED-CAPTIONS="cc"
                v.m3u8
                """, PlaylistWriter.write(p));
    }

    @Test
    void everyLineEndsWithLineFeedOnly() {
        for (Playlist p : List.<Playlist>of(HlsFixtures.cmafMultivariant(), HlsFixtures.cmafMediaAes128(),
                HlsFixtures.iFrameByteRange())) {
            String text = PlaylistWriter.write(p);
            assertTrue(text.startsWith("#EXTM3U\n"));
            assertTrue(text.endsWith("\n"));
            assertTrue(text.indexOf('\r') < 0);
            assertTrue(text.lines().noneMatch(String::isEmpty), "no blank lines");
        }
    }
}
