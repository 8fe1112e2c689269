package dev.kino.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kino.protocol.media.FrameRate;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Builders reject invalid models with clear messages. */
class ModelValidationTest {

    private static void rejects(String fragment, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    private static VariantStreamBuilder variant() {
        return VariantStream.builder().uri("v.m3u8").bandwidth(1_000_000);
    }

    private static RenditionBuilder audio(String name) {
        return Rendition.builder().type(RenditionType.AUDIO).groupId("aac").name(name).uri(name + ".m3u8");
    }

    @Test
    void bandwidthMustBePositive() {
        rejects("BANDWIDTH must be positive: 0", () -> VariantStream.builder().bandwidth(0));
        rejects("BANDWIDTH must be positive: -5", () -> IFrameVariantStream.builder().bandwidth(-5));
        rejects("BANDWIDTH is required", () -> VariantStream.builder().uri("v.m3u8").build());
        rejects("BANDWIDTH is required", () -> IFrameVariantStream.builder().uri("v.m3u8").build());
        rejects("AVERAGE-BANDWIDTH must be positive", () -> variant().averageBandwidth(0));
    }

    @Test
    void keys() {
        rejects("METHOD=AES-128 requires a URI", () -> EncryptionKey.builder().method(KeyMethod.AES_128).build());
        rejects("METHOD=SAMPLE-AES-CTR requires a URI",
                () -> EncryptionKey.builder().method(KeyMethod.SAMPLE_AES_CTR).build());
        rejects("IV must be exactly 16 bytes (128 bits), got 15", () -> EncryptionKey.builder().iv(new byte[15]));
        rejects("IV must be exactly 16 bytes (128 bits), got 17", () -> EncryptionKey.builder().iv(new byte[17]));
        rejects("METHOD=NONE allows no other attribute",
                () -> EncryptionKey.builder().method(KeyMethod.NONE).keyFormat("identity").build());
        rejects("METHOD is required", () -> EncryptionKey.builder().uri("k").build());
        rejects("KEYFORMATVERSIONS entry must be positive", () -> EncryptionKey.builder().keyFormatVersions(1, 0));
        rejects("a segment key cannot have METHOD=NONE", () -> MediaSegment.builder().uri("a.ts")
                .duration(Duration.ofSeconds(1)).addKey(EncryptionKey.builder().method(KeyMethod.NONE).build()).build());
        rejects("two keys with KEYFORMAT \"identity\"", () -> MediaSegment.builder().uri("a.ts")
                .duration(Duration.ofSeconds(1)).addKey(EncryptionKey.aes128("k1"))
                .addKey(EncryptionKey.builder().method(KeyMethod.AES_128).uri("k2").keyFormat("identity").build())
                .build());
    }

    @Test
    void ivIsCopiedInAndOut() {
        byte[] iv = HlsFixtures.IV.clone();
        EncryptionKey k = EncryptionKey.builder().method(KeyMethod.AES_128).uri("k").iv(iv).build();
        iv[0] = 42;
        k.iv().orElseThrow()[1] = 42;
        assertEquals(0, k.iv().orElseThrow()[0]);
        assertEquals(1, k.iv().orElseThrow()[1]);
    }

    @Test
    void quotedStringsCannotHoldQuotesOrLineBreaks() {
        rejects("EXT-X-MEDIA NAME cannot be written as a quoted-string (RFC 8216 §4.2): it contains a double quote",
                () -> audio("The \"Director\" cut").build());
        rejects("it contains a line feed", () -> audio("a").language("en\nfr").build());
        rejects("it contains a carriage return", () -> EncryptionKey.aes128("https://k\r"));
        rejects("EXT-X-MAP URI cannot be written", () -> MediaInitializationSection.of("init\".mp4"));
        rejects("CODECS entry cannot be written", () -> variant().codecs("avc1\"").build());
        rejects("EXT-X-STREAM-INF AUDIO cannot be written", () -> variant().audio("a\"b").build());
        rejects("must not contain CR or LF", () -> MediaSegment.builder().uri("a.ts").duration(Duration.ofSeconds(1))
                .title("two\nlines").build());
        rejects("segment URI must not contain CR or LF", () -> MediaSegment.of("a.ts\n#EXT-X-ENDLIST",
                Duration.ofSeconds(1)));
        rejects("must not start with '#'", () -> MediaSegment.of("#a.ts", Duration.ofSeconds(1)));
        rejects("EXT-X-STREAM-INF URI must not be blank", () -> variant().uri(" ").build());
    }

    @Test
    void renditions() {
        rejects("DEFAULT=YES requires AUTOSELECT=YES (RFC 8216 §4.3.4.1)", () -> audio("en").isDefault(true).build());
        rejects("a SUBTITLES rendition requires a URI", () -> Rendition.builder().type(RenditionType.SUBTITLES)
                .groupId("s").name("en").build());
        rejects("a CLOSED-CAPTIONS rendition cannot have a URI", () -> Rendition.builder()
                .type(RenditionType.CLOSED_CAPTIONS).groupId("cc").name("en").instreamId("CC1").uri("x").build());
        rejects("INSTREAM-ID is only allowed with TYPE=CLOSED-CAPTIONS", () -> audio("en").instreamId("CC1").build());
        rejects("FORCED is only allowed with TYPE=SUBTITLES", () -> audio("en").forced(true).build());
        rejects("CHANNELS is only allowed with TYPE=AUDIO", () -> Rendition.builder().type(RenditionType.SUBTITLES)
                .groupId("s").name("en").uri("s.m3u8").channels("2").build());
        rejects("EXT-X-MEDIA GROUP-ID is required", () -> Rendition.builder().type(RenditionType.AUDIO).name("a")
                .build());
        rejects("EXT-X-MEDIA NAME must not be empty", () -> audio("").build());
    }

    @Test
    void multivariantGroups() {
        rejects("references AUDIO group \"aac\" but no EXT-X-MEDIA with TYPE=AUDIO has that GROUP-ID",
                () -> MultivariantPlaylist.builder().addVariant(variant().audio("aac").build()).build());
        rejects("references SUBTITLES group \"aac\"", () -> MultivariantPlaylist.builder()
                .addRendition(audio("en").build()).addVariant(variant().subtitles("aac").build()).build());
        rejects("EXT-X-I-FRAME-STREAM-INF if.m3u8 references VIDEO group \"v\"", () -> MultivariantPlaylist.builder()
                .addVariant(variant().build())
                .addIFrameVariant(IFrameVariantStream.builder().uri("if.m3u8").bandwidth(1).video("v").build())
                .build());
        rejects("are named \"en\"", () -> MultivariantPlaylist.builder().addRendition(audio("en").build())
                .addRendition(audio("en").build()).addVariant(variant().build()).build());
        rejects("more than one DEFAULT=YES member", () -> MultivariantPlaylist.builder()
                .addRendition(audio("en").isDefault(true).autoselect(true).build())
                .addRendition(audio("ja").isDefault(true).autoselect(true).build())
                .addVariant(variant().build()).build());
        rejects("at least one EXT-X-STREAM-INF", () -> MultivariantPlaylist.builder().build());
        rejects("lacks CLOSED-CAPTIONS=NONE", () -> MultivariantPlaylist.builder()
                .addVariant(variant().noClosedCaptions().build()).addVariant(variant().uri("b.m3u8").build()).build());
        rejects("EXT-X-SESSION-KEY cannot have METHOD=NONE", () -> MultivariantPlaylist.builder()
                .addVariant(variant().build()).addSessionKey(EncryptionKey.builder().method(KeyMethod.NONE).build())
                .build());
        rejects("duplicate EXT-X-SESSION-KEY", () -> MultivariantPlaylist.builder().addVariant(variant().build())
                .addSessionKey(EncryptionKey.aes128("k")).addSessionKey(EncryptionKey.aes128("k")).build());
        // The same GROUP-ID may name groups of different types.
        MultivariantPlaylist.builder().addRendition(audio("en").build())
                .addRendition(Rendition.builder().type(RenditionType.SUBTITLES).groupId("aac").name("en")
                        .uri("s.m3u8").build())
                .addVariant(variant().audio("aac").subtitles("aac").build()).build();
    }

    @Test
    void targetDurationIsComputedAsTheRoundedMaximum() {
        MediaPlaylist p = MediaPlaylist.builder()
                .addSegment(MediaSegment.of("a.ts", Duration.ofMillis(6006)))
                .addSegment(MediaSegment.of("b.ts", Duration.ofMillis(6499)))
                .addSegment(MediaSegment.of("c.ts", Duration.ofMillis(2000))).build();
        assertEquals(6, p.targetDuration());
        assertEquals(7, MediaPlaylist.builder().addSegment(MediaSegment.of("a.ts", Duration.ofMillis(6500))).build()
                .targetDuration(), "halves round up");
        assertEquals(1, MediaPlaylist.builder().addSegment(MediaSegment.of("a.ts", Duration.ofMillis(300))).build()
                .targetDuration(), "the target duration is at least 1");
    }

    @Test
    void explicitTargetDurationIsValidated() {
        rejects("segment 1 (b.ts) lasts 6.5 s, which rounds to 7 s, more than EXT-X-TARGETDURATION 6 s",
                () -> MediaPlaylist.builder().targetDuration(6).addSegment(MediaSegment.of("a.ts", Duration.ofSeconds(6)))
                        .addSegment(MediaSegment.of("b.ts", Duration.ofMillis(6500))).build());
        assertEquals(6, MediaPlaylist.builder().targetDuration(6)
                .addSegment(MediaSegment.of("a.ts", Duration.ofMillis(6499))).build().targetDuration());
        assertEquals(10, MediaPlaylist.builder().targetDuration(10)
                .addSegment(MediaSegment.of("a.ts", Duration.ofSeconds(2))).build().targetDuration());
        rejects("needs an explicit EXT-X-TARGETDURATION", () -> MediaPlaylist.builder().build());
        rejects("EXT-X-TARGETDURATION must be positive", () -> MediaPlaylist.builder().targetDuration(0));
    }

    @Test
    void segments() {
        rejects("segment duration (EXTINF) is required", () -> MediaSegment.builder().uri("a.ts").build());
        rejects("must be positive: 0 s", () -> MediaSegment.of("a.ts", Duration.ZERO));
        rejects("must be positive", () -> MediaSegment.of("a.ts", Duration.ofSeconds(-1)));
        rejects("byte range length must be positive", () -> ByteRange.of(0, 0));
        rejects("byte range offset must not be negative", () -> ByteRange.of(1, -1));
        rejects("EXT-X-MAP BYTERANGE needs an offset", () -> MediaInitializationSection.of("i.mp4",
                ByteRange.ofLength(10)));
        rejects("has a byte range without offset", () -> MediaPlaylist.builder().addSegment(MediaSegment.builder()
                .uri("a.mp4").duration(Duration.ofSeconds(1)).byteRange(ByteRange.ofLength(10)).build()).build());
        rejects("has a byte range without offset", () -> MediaPlaylist.builder()
                .addSegment(MediaSegment.builder().uri("a.mp4").duration(Duration.ofSeconds(1))
                        .byteRange(ByteRange.of(10, 0)).build())
                .addSegment(MediaSegment.builder().uri("b.mp4").duration(Duration.ofSeconds(1))
                        .byteRange(ByteRange.ofLength(10)).build()).build());
        rejects("a Media Initialization Section cannot be removed", () -> MediaPlaylist.builder()
                .addSegment(MediaSegment.builder().uri("a.mp4").duration(Duration.ofSeconds(1))
                        .map(MediaInitializationSection.of("i.mp4")).build())
                .addSegment(MediaSegment.of("b.mp4", Duration.ofSeconds(1))).build());
        rejects("the IV is required then (RFC 8216 §4.3.2.5)", () -> MediaPlaylist.builder()
                .addSegment(MediaSegment.builder().uri("a.mp4").duration(Duration.ofSeconds(1))
                        .addKey(EncryptionKey.aes128("k")).map(MediaInitializationSection.of("i.mp4")).build())
                .build());
        rejects("protocol version must be between 1 and 12", () -> MediaPlaylist.builder().minimumVersion(13));
    }

    @Test
    void accessorsExposeWhatWasBuilt() {
        VariantStream v = variant().frameRate(30000.0 / 1001).resolution(1280, 720).build();
        assertEquals(29.97, v.frameRate().orElseThrow());
        assertEquals(29.97, variant().frameRate(FrameRate.of(30000, 1001)).build().frameRate().orElseThrow(),
                "an exact rate is written as its fps, three decimals");
        assertEquals(Optional.of(new Resolution(1280, 720)), v.resolution());
        assertTrue(v.averageBandwidth().isEmpty());
        assertEquals("1280x720", new Resolution(1280, 720).toString());
        assertEquals("10@5", ByteRange.of(10, 5).toString());
        assertEquals("10", ByteRange.ofLength(10).toString());
        assertEquals(Duration.ofMillis(5005), MediaSegment.builder().uri("a").durationSeconds(5.005).build().duration());
        assertEquals(EncryptionKey.IDENTITY_KEY_FORMAT, EncryptionKey.aes128("k").effectiveKeyFormat());
    }
}
