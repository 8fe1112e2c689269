package dev.kino.protocol.hls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/** Playlists shared by the HLS tests, built through the public API. */
final class HlsFixtures {

    static final byte[] IV = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

    private HlsFixtures() {
    }

    /** A typical CMAF VOD: 3 video variants, audio in Japanese and English, English subtitles, an I-frame variant. */
    static MultivariantPlaylist cmafMultivariant() {
        Rendition ja = Rendition.builder().type(RenditionType.AUDIO).groupId("aac-stereo").language("ja").name("日本語")
                .isDefault(true).autoselect(true).channels("2").uri("audio/ja/aac/playlist.m3u8").build();
        Rendition en = Rendition.builder().type(RenditionType.AUDIO).groupId("aac-stereo").language("en").name("English")
                .autoselect(true).channels("2").uri("audio/en/aac/playlist.m3u8").build();
        Rendition subs = Rendition.builder().type(RenditionType.SUBTITLES).groupId("subs").language("en")
                .name("English").autoselect(true).uri("subtitles/en/playlist.m3u8").build();
        return MultivariantPlaylist.builder()
                .independentSegments(true)
                .addRendition(ja).addRendition(en).addRendition(subs)
                .addVariant(variant("video/1080p/playlist.m3u8", 6_000_000, 4_800_000, "avc1.640028", 1920, 1080))
                .addVariant(variant("video/720p/playlist.m3u8", 3_500_000, 2_800_000, "avc1.64001f", 1280, 720))
                .addVariant(variant("video/480p/playlist.m3u8", 1_500_000, 1_200_000, "avc1.64001e", 854, 480))
                .addIFrameVariant(IFrameVariantStream.builder().bandwidth(600_000).codecs("avc1.640028")
                        .resolution(1920, 1080).uri("video/1080p/iframes.m3u8").build())
                .build();
    }

    private static VariantStream variant(String uri, long peak, long average, String videoCodec, int w, int h) {
        return VariantStream.builder().uri(uri).bandwidth(peak).averageBandwidth(average)
                .codecs(videoCodec, "mp4a.40.2").resolution(w, h).frameRate(24000.0 / 1001)
                .audio("aac-stereo").subtitles("subs").noClosedCaptions().build();
    }

    /** A CMAF VOD media playlist with an init segment and AES-128 with an explicit IV. */
    static MediaPlaylist cmafMediaAes128() {
        EncryptionKey key = EncryptionKey.builder().method(KeyMethod.AES_128)
                .uri("https://keys.kino.example/v1/keys/7f3a").iv(IV).build();
        MediaInitializationSection init = MediaInitializationSection.of("init.mp4");
        MediaPlaylistBuilder b = MediaPlaylist.builder().playlistType(PlaylistType.VOD).independentSegments(true)
                .endList(true);
        double[] durations = {6.006, 6.006, 6.006, 4.171};
        for (int i = 0; i < durations.length; i++) {
            b.addSegment(MediaSegment.builder().uri(String.format("segment-%05d.m4s", i))
                    .durationSeconds(durations[i]).addKey(key).map(init).build());
        }
        return b.build();
    }

    /** An I-frame playlist addressing I-frames by byte range in one CMAF file. */
    static MediaPlaylist iFrameByteRange() {
        MediaInitializationSection init = MediaInitializationSection.of("stream.mp4", ByteRange.of(1207, 0));
        long[][] ranges = {{48237, 1207}, {51003, 1562844}, {47790, 3120517}, {39110, 4698032}};
        Duration[] durations = {Duration.ofMillis(2002), Duration.ofMillis(2002), Duration.ofMillis(2002),
                Duration.ofMillis(1501)};
        MediaPlaylistBuilder b = MediaPlaylist.builder().playlistType(PlaylistType.VOD).iFramesOnly(true).endList(true);
        for (int i = 0; i < ranges.length; i++) {
            b.addSegment(MediaSegment.builder().uri("stream.mp4").duration(durations[i])
                    .byteRange(ByteRange.of(ranges[i][0], ranges[i][1])).map(init).build());
        }
        return b.build();
    }

    static String resource(String name) {
        try (InputStream in = HlsFixtures.class.getResourceAsStream("/hls/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /hls/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
