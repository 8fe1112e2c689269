package dev.kino.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** EXT-X-VERSION follows the RFC 8216 §7 list. */
class VersionTest {

    private static MediaSegmentBuilder seg() {
        return MediaSegment.builder().uri("s.m4s").duration(Duration.ofSeconds(4));
    }

    private static Arguments media(String name, int expected, boolean iFramesOnly, UnaryOperator<MediaSegmentBuilder> s) {
        return Arguments.of(name, expected, iFramesOnly, s);
    }

    static Stream<Arguments> mediaCases() {
        return Stream.of(
                media("plain integer EXTINF", 1, false, s -> s),
                media("AES-128 without IV", 1, false, s -> s.addKey(EncryptionKey.aes128("k"))),
                media("IV attribute", 2, false, s -> s.addKey(EncryptionKey.builder().method(KeyMethod.AES_128)
                        .uri("k").iv(HlsFixtures.IV).build())),
                media("fractional EXTINF", 3, false, s -> s.duration(Duration.ofMillis(3999))),
                media("nanosecond EXTINF", 3, false, s -> s.duration(Duration.ofSeconds(4, 1))),
                media("EXT-X-BYTERANGE", 4, false, s -> s.byteRange(ByteRange.of(10, 0))),
                media("EXT-X-I-FRAMES-ONLY", 4, true, s -> s),
                media("SAMPLE-AES", 5, false, s -> s.addKey(EncryptionKey.builder().method(KeyMethod.SAMPLE_AES)
                        .uri("skd://k").build())),
                media("SAMPLE-AES-CTR alone is not in the §7 list", 1, false, s -> s.addKey(EncryptionKey.builder()
                        .method(KeyMethod.SAMPLE_AES_CTR).uri("k").build())),
                media("KEYFORMAT", 5, false, s -> s.addKey(EncryptionKey.builder().method(KeyMethod.AES_128).uri("k")
                        .keyFormat("identity").build())),
                media("KEYFORMATVERSIONS", 5, false, s -> s.addKey(EncryptionKey.builder().method(KeyMethod.AES_128)
                        .uri("k").keyFormatVersions(1).build())),
                media("EXT-X-MAP in an I-frame playlist", 5, true,
                        s -> s.map(MediaInitializationSection.of("init.mp4"))),
                media("EXT-X-MAP in a regular media playlist", 6, false,
                        s -> s.map(MediaInitializationSection.of("init.mp4"))),
                media("everything", 6, false, s -> s.duration(Duration.ofMillis(3500)).byteRange(ByteRange.of(1, 0))
                        .map(MediaInitializationSection.of("i.mp4"))
                        .addKey(EncryptionKey.builder().method(KeyMethod.SAMPLE_AES).uri("k").iv(HlsFixtures.IV)
                                .keyFormat("identity").build())));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("mediaCases")
    void mediaPlaylistVersion(String name, int expected, boolean iFramesOnly, UnaryOperator<MediaSegmentBuilder> s)
            throws PlaylistParseException {
        MediaPlaylist p = MediaPlaylist.builder().iFramesOnly(iFramesOnly).addSegment(s.apply(seg()).build()).build();
        assertEquals(expected, p.requiredVersion());
        assertEquals(expected, p.version());
        String text = PlaylistWriter.write(p);
        assertEquals(expected, PlaylistParser.parseMedia(text).version(), text);
        assertEquals("#EXT-X-VERSION:" + expected, text.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void minimumVersionRaisesButNeverLowers() {
        MediaSegment mapped = seg().map(MediaInitializationSection.of("i.mp4")).build();
        assertEquals(6, MediaPlaylist.builder().minimumVersion(3).addSegment(mapped).build().version());
        MediaPlaylist p = MediaPlaylist.builder().minimumVersion(7).addSegment(mapped).build();
        assertEquals(7, p.version());
        assertEquals(6, p.requiredVersion());
    }

    @Test
    void declaredVersionIsKeptWhenParsing() throws PlaylistParseException {
        MediaPlaylist p = PlaylistParser.parseMedia("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n"
                + "#EXTINF:4,\na.ts\n");
        assertEquals(7, p.version());
        assertEquals(1, p.requiredVersion());
    }

    @Test
    void multivariantPlaylistVersion() {
        VariantStream v = VariantStream.builder().uri("v.m3u8").bandwidth(1).closedCaptions("cc").build();
        MultivariantPlaylist cc = MultivariantPlaylist.builder().addVariant(v)
                .addRendition(Rendition.builder().type(RenditionType.CLOSED_CAPTIONS).groupId("cc").name("a")
                        .instreamId("CC1").build())
                .build();
        assertEquals(1, cc.requiredVersion(), "EXT-X-MEDIA, groups and INSTREAM-ID=CCn need no version (§7)");
        MultivariantPlaylist service = MultivariantPlaylist.builder().addVariant(v)
                .addRendition(Rendition.builder().type(RenditionType.CLOSED_CAPTIONS).groupId("cc").name("a")
                        .instreamId("SERVICE63").build())
                .build();
        assertEquals(7, service.version());
        assertEquals(1, HlsFixtures.cmafMultivariant().version());
        assertEquals(4, MultivariantPlaylist.builder().addVariant(v).minimumVersion(4)
                .addRendition(Rendition.builder().type(RenditionType.CLOSED_CAPTIONS).groupId("cc").name("a")
                        .instreamId("CC1").build()).build().version());
    }
}
