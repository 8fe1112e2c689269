package dev.kino.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Model → text → model gives an equal model, and the text is stable. */
class RoundTripTest {

    static Stream<Playlist> playlists() {
        EncryptionKey fairPlay = EncryptionKey.builder().method(KeyMethod.SAMPLE_AES).uri("skd://kino/asset-42")
                .keyFormat("com.apple.streamingkeydelivery").keyFormatVersions(1).build();
        EncryptionKey widevine = EncryptionKey.builder().method(KeyMethod.SAMPLE_AES_CTR)
                .uri("data:text/plain;base64,AAAAW3Bzc2g=").keyFormat("urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed")
                .keyFormatVersions(1, 2).build();
        EncryptionKey aes1 = EncryptionKey.aes128("https://k.example/1");
        EncryptionKey aes2 = EncryptionKey.builder().method(KeyMethod.AES_128).uri("https://k.example/2")
                .iv(HlsFixtures.IV).build();
        MediaInitializationSection init1 = MediaInitializationSection.of("init-1.mp4");
        MediaInitializationSection init2 = MediaInitializationSection.of("init-2.mp4", ByteRange.of(800, 0));

        MediaPlaylist drm = MediaPlaylist.builder().independentSegments(true).endList(true)
                .addSegment(MediaSegment.builder().uri("a.m4s").duration(Duration.ofSeconds(4)).addKey(fairPlay)
                        .addKey(widevine).map(init1).build())
                .addSegment(MediaSegment.builder().uri("b.m4s").duration(Duration.ofSeconds(4)).addKey(fairPlay)
                        .addKey(widevine).map(init1).build())
                // Widevine dropped: written as METHOD=NONE then the FairPlay key again.
                .addSegment(MediaSegment.builder().uri("c.m4s").duration(Duration.ofSeconds(4)).addKey(fairPlay)
                        .map(init1).build())
                .build();

        MediaPlaylist rotation = MediaPlaylist.builder().mediaSequence(1200).discontinuitySequence(3)
                .playlistType(PlaylistType.EVENT)
                .addSegment(MediaSegment.builder().uri("s1200.ts").duration(Duration.ofMillis(5005))
                        .title("Opening, part 1").addKey(aes1).build())
                .addSegment(MediaSegment.builder().uri("s1201.ts").duration(Duration.ofNanos(4_999_999_999L))
                        .addKey(aes2).build())
                .addSegment(MediaSegment.builder().uri("s1202.ts").duration(Duration.ofMillis(3003)).build())
                .addSegment(MediaSegment.builder().uri("https://ads.example/ad.ts").duration(Duration.ofSeconds(5))
                        .discontinuity(true).build())
                .addSegment(MediaSegment.builder().uri("s1203.ts").duration(Duration.ofMillis(5500))
                        .discontinuity(true).addKey(aes1).build())
                .build();

        MediaPlaylist byteRanges = MediaPlaylist.builder().targetDuration(10).minimumVersion(7).endList(true)
                .addSegment(MediaSegment.builder().uri("all.mp4").duration(Duration.ofSeconds(8)).map(init2)
                        .byteRange(ByteRange.of(1000, 800)).build())
                .addSegment(MediaSegment.builder().uri("all.mp4").duration(Duration.ofSeconds(8)).map(init2)
                        .byteRange(ByteRange.ofLength(1200)).build())
                .addSegment(MediaSegment.builder().uri("all.mp4").duration(Duration.ofSeconds(8)).map(init1)
                        .byteRange(ByteRange.ofLength(900)).build())
                .build();

        MediaPlaylist emptyLive = MediaPlaylist.builder().targetDuration(6).build();

        MultivariantPlaylist full = MultivariantPlaylist.builder()
                .addSessionKey(fairPlay).addSessionKey(aes2)
                .addRendition(Rendition.builder().type(RenditionType.CLOSED_CAPTIONS).groupId("cc").name("English CC")
                        .language("en").instreamId("CC1").isDefault(true).autoselect(true).build())
                .addRendition(Rendition.builder().type(RenditionType.CLOSED_CAPTIONS).groupId("cc").name("Service 2")
                        .instreamId("SERVICE2").build())
                .addRendition(Rendition.builder().type(RenditionType.VIDEO).groupId("angles").name("Main")
                        .isDefault(true).autoselect(true).build())
                .addRendition(Rendition.builder().type(RenditionType.VIDEO).groupId("angles").name("Side")
                        .uri("side/playlist.m3u8").build())
                .addRendition(Rendition.builder().type(RenditionType.AUDIO).groupId("ec3").name("Deutsch")
                        .language("de").assocLanguage("de-AT").channels("16/JOC")
                        .characteristics(List.of("public.accessibility.describes-video", "public.easy-to-read"))
                        .uri("audio/de/atmos.m3u8").build())
                .addRendition(Rendition.builder().type(RenditionType.SUBTITLES).groupId("subs").name("Forced")
                        .language("fr").forced(true).uri("subs/fr-forced.m3u8").build())
                .addVariant(VariantStream.builder().uri("v/high.m3u8").bandwidth(9_000_000).codecs("hvc1.2.4.L123.B0",
                        "ec-3").resolution(3840, 2160).frameRate(59.94).audio("ec3").video("angles")
                        .subtitles("subs").closedCaptions("cc").build())
                .addVariant(VariantStream.builder().uri("v/low.m3u8?token=a%2Cb&x=1").bandwidth(1).build())
                .addIFrameVariant(IFrameVariantStream.builder().uri("v/high-if.m3u8").bandwidth(500_000)
                        .averageBandwidth(400_000).codecs("hvc1.2.4.L123.B0").resolution(3840, 2160).video("angles")
                        .build())
                .build();

        return Stream.of(HlsFixtures.cmafMultivariant(), HlsFixtures.cmafMediaAes128(), HlsFixtures.iFrameByteRange(),
                drm, rotation, byteRanges, emptyLive, full);
    }

    @ParameterizedTest
    @MethodSource("playlists")
    void modelToTextToModel(Playlist playlist) throws PlaylistParseException {
        String text = PlaylistWriter.write(playlist);
        Playlist parsed = PlaylistParser.parse(text);
        assertEquals(playlist, parsed, text);
        assertEquals(playlist.getClass(), parsed.getClass());
        assertEquals(text, PlaylistWriter.write(parsed), "text is stable across a second round trip");
    }

    @Test
    void keyChangesAreWrittenOnlyWhereTheyHappen() {
        MediaPlaylist drm = (MediaPlaylist) playlists().skip(3).findFirst().orElseThrow();
        String text = PlaylistWriter.write(drm);
        assertEquals(4, text.lines().filter(l -> l.startsWith("#EXT-X-KEY:")).count(), text);
        assertEquals(1, text.lines().filter(l -> l.equals("#EXT-X-KEY:METHOD=NONE")).count(), text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("#EXT-X-MAP:")).count(), text);
    }

    @Test
    void nonCanonicalTextParsesToTheSameModelAsItsCanonicalForm() throws PlaylistParseException {
        String messy = "#EXTM3U\r\n"
                + "# a comment\r\n"
                + "#EXT-X-TARGETDURATION:10\r\n"
                + "#EXT-X-VERSION:4\r\n"
                + "#EXT-X-UNKNOWN-TAG:FOO=BAR\r\n"
                + "\r\n"
                + "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",FUTURE-ATTR=1\r\n"
                + "#EXTINF:10.000,\r\n"
                + "#EXT-X-BYTERANGE:100@0\r\n"
                + "a.ts\r\n"
                + "#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\r\n"
                + "#EXTINF:9.5\r\n"
                + "#EXT-X-BYTERANGE:100\r\n"
                + "a.ts\r\n";
        MediaPlaylist parsed = PlaylistParser.parseMedia(messy);
        assertEquals(4, parsed.version());
        assertEquals(Duration.ofSeconds(10), parsed.segments().get(0).duration());
        assertEquals(Duration.ofMillis(9500), parsed.segments().get(1).duration());
        assertEquals(parsed.segments().get(0).keys(), parsed.segments().get(1).keys());
        String canonical = "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n"
                + "#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:10,\n#EXT-X-BYTERANGE:100@0\na.ts\n"
                + "#EXTINF:9.5,\n#EXT-X-BYTERANGE:100\na.ts\n";
        assertEquals(canonical, PlaylistWriter.write(parsed));
        assertEquals(parsed, PlaylistParser.parse(canonical));
        assertInstanceOf(MediaPlaylist.class, PlaylistParser.parse(canonical));
    }
}
