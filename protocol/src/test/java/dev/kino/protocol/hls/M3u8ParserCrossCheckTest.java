package dev.kino.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kino.protocol.crosscheck.ThirdPartyParsers;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What our writer produces is read by videojs' m3u8-parser without warnings, and m3u8-parser sees the same
 * segments, durations, byte ranges, keys, maps, variants and renditions as our model.
 */
class M3u8ParserCrossCheckTest {

    private static JsonNode parse(Playlist p) {
        String text = PlaylistWriter.write(p);
        JsonNode out = ThirdPartyParsers.parseHls(text);
        assertTrue(out.path("warnings").isArray(), out::toString);
        assertEquals(0, out.path("warnings").size(), () -> "m3u8-parser warnings " + out.get("warnings") + " for\n" + text);
        return out.get("manifest");
    }

    @Test
    void cmafMultivariant() {
        MultivariantPlaylist p = HlsFixtures.cmafMultivariant();
        JsonNode m = parse(p);
        assertEquals(p.version(), m.path("version").asInt());
        assertTrue(m.path("independentSegments").asBoolean());
        assertEquals(0, m.path("segments").size());

        JsonNode variants = m.get("playlists");
        assertEquals(p.variants().size(), variants.size());
        for (int i = 0; i < variants.size(); i++) {
            VariantStream v = p.variants().get(i);
            JsonNode j = variants.get(i);
            JsonNode a = j.get("attributes");
            assertEquals(v.uri(), j.path("uri").asText());
            assertEquals(v.bandwidth(), a.path("BANDWIDTH").asLong());
            assertEquals(v.averageBandwidth().orElseThrow(), Long.parseLong(a.path("AVERAGE-BANDWIDTH").asText()));
            assertEquals(String.join(",", v.codecs()), a.path("CODECS").asText());
            assertEquals(v.resolution().orElseThrow().width(), a.path("RESOLUTION").path("width").asInt());
            assertEquals(v.resolution().orElseThrow().height(), a.path("RESOLUTION").path("height").asInt());
            assertEquals(v.frameRate().orElseThrow(), a.path("FRAME-RATE").asDouble());
            assertEquals(v.audio().orElseThrow(), a.path("AUDIO").asText());
            assertEquals(v.subtitles().orElseThrow(), a.path("SUBTITLES").asText());
            assertEquals("NONE", a.path("CLOSED-CAPTIONS").asText());
        }

        JsonNode groups = m.get("mediaGroups");
        int seen = 0;
        for (Rendition r : p.renditions()) {
            JsonNode j = groups.path(r.type().attributeValue()).path(r.groupId()).path(r.name());
            assertFalse(j.isMissingNode(), () -> "m3u8-parser lacks " + r);
            assertEquals(r.isDefault(), j.path("default").asBoolean());
            assertEquals(r.autoselect(), j.path("autoselect").asBoolean());
            assertEquals(r.language().orElseThrow(), j.path("language").asText());
            assertEquals(r.uri().orElseThrow(), j.path("uri").asText());
            if (r.type() == RenditionType.SUBTITLES) {
                assertEquals(r.forced(), j.path("forced").asBoolean());
            }
            seen++;
        }
        assertEquals(3, seen);
        assertEquals(2, groups.path("AUDIO").path("aac-stereo").size());
        assertEquals(1, groups.path("SUBTITLES").path("subs").size());

        JsonNode iFrames = m.get("iFramePlaylists");
        assertEquals(p.iFrameVariants().size(), iFrames.size());
        IFrameVariantStream iv = p.iFrameVariants().get(0);
        JsonNode ia = iFrames.get(0).get("attributes");
        assertEquals(iv.uri(), iFrames.get(0).path("uri").asText());
        assertEquals(iv.bandwidth(), ia.path("BANDWIDTH").asLong());
        assertEquals(String.join(",", iv.codecs()), ia.path("CODECS").asText());
        assertEquals(1920, ia.path("RESOLUTION").path("width").asInt());
        assertEquals(1080, ia.path("RESOLUTION").path("height").asInt());
    }

    @Test
    void cmafMediaPlaylistWithMapAndAes128() {
        checkMedia(HlsFixtures.cmafMediaAes128());
    }

    @Test
    void byteRangeIFramePlaylist() {
        MediaPlaylist p = HlsFixtures.iFrameByteRange();
        JsonNode m = checkMedia(p);
        assertTrue(m.path("iFramesOnly").asBoolean());
    }

    @Test
    void keyRotationDiscontinuitiesAndImplicitOffsets() {
        EncryptionKey k1 = EncryptionKey.aes128("https://k.example/1");
        EncryptionKey k2 = EncryptionKey.builder().method(KeyMethod.AES_128).uri("https://k.example/2")
                .iv(HlsFixtures.IV).build();
        MediaPlaylist p = MediaPlaylist.builder().mediaSequence(1200).discontinuitySequence(3)
                .playlistType(PlaylistType.EVENT)
                .addSegment(MediaSegment.builder().uri("s.ts").duration(Duration.ofMillis(5005))
                        .title("Opening, part 1").addKey(k1).byteRange(ByteRange.of(1000, 376)).build())
                .addSegment(MediaSegment.builder().uri("s.ts").duration(Duration.ofNanos(4_999_999_999L))
                        .addKey(k2).byteRange(ByteRange.ofLength(2000)).build())
                .addSegment(MediaSegment.builder().uri("t.ts").duration(Duration.ofMillis(3003)).build())
                .addSegment(MediaSegment.builder().uri("https://ads.example/ad.ts").duration(Duration.ofSeconds(5))
                        .discontinuity(true).build())
                .addSegment(MediaSegment.builder().uri("u.ts").duration(Duration.ofMillis(5500))
                        .discontinuity(true).addKey(k1).build())
                .build();
        JsonNode m = checkMedia(p);
        assertEquals(3, m.path("discontinuitySequence").asLong());
        assertEquals("Opening, part 1", m.get("segments").get(0).path("title").asText());
    }

    @Test
    void fairPlaySessionKeyAndSampleAes() {
        EncryptionKey fairPlay = EncryptionKey.builder().method(KeyMethod.SAMPLE_AES).uri("skd://kino/asset-42")
                .keyFormat("com.apple.streamingkeydelivery").keyFormatVersions(1).build();
        MultivariantPlaylist master = MultivariantPlaylist.builder().addSessionKey(fairPlay)
                .addVariant(VariantStream.builder().uri("v.m3u8").bandwidth(1_000_000).build()).build();
        assertEquals("v.m3u8", parse(master).get("playlists").get(0).path("uri").asText());

        MediaPlaylist media = MediaPlaylist.builder().endList(true)
                .addSegment(MediaSegment.builder().uri("a.m4s").duration(Duration.ofSeconds(4)).addKey(fairPlay)
                        .map(MediaInitializationSection.of("init.mp4")).build())
                .build();
        JsonNode m = parse(media);
        JsonNode fps = m.path("contentProtection").path("com.apple.fps.1_0").path("attributes");
        assertEquals("SAMPLE-AES", fps.path("METHOD").asText());
        assertEquals("skd://kino/asset-42", fps.path("URI").asText());
        assertEquals("com.apple.streamingkeydelivery", fps.path("KEYFORMAT").asText());
        assertEquals("1", fps.path("KEYFORMATVERSIONS").asText());
        assertEquals(6, m.path("version").asInt());
    }

    /** Compares what m3u8-parser read with the model, for playlists whose keys use the identity key format. */
    private static JsonNode checkMedia(MediaPlaylist p) {
        JsonNode m = parse(p);
        assertEquals(p.version(), m.path("version").asInt());
        assertEquals(p.targetDuration(), m.path("targetDuration").asInt());
        assertEquals(p.mediaSequence(), m.path("mediaSequence").asLong());
        assertEquals(p.endList(), m.path("endList").asBoolean(false));
        assertEquals(p.playlistType().map(Enum::name).orElse(""), m.path("playlistType").asText(""));
        JsonNode segments = m.get("segments");
        assertEquals(p.segments().size(), segments.size());
        long nextOffset = 0;
        for (int i = 0; i < segments.size(); i++) {
            MediaSegment s = p.segments().get(i);
            JsonNode j = segments.get(i);
            String where = "segment " + i;
            assertEquals(s.uri(), j.path("uri").asText(), where);
            assertEquals(Double.parseDouble(Formats.seconds(s.duration())), j.path("duration").asDouble(), where);
            assertEquals(s.discontinuity(), j.path("discontinuity").asBoolean(false), where);
            if (s.byteRange().isPresent()) {
                ByteRange r = s.byteRange().get();
                long offset = r.offset().orElse(nextOffset);
                assertEquals(r.length(), j.path("byterange").path("length").asLong(), where);
                assertEquals(offset, j.path("byterange").path("offset").asLong(), where);
                nextOffset = offset + r.length();
            } else {
                assertTrue(j.path("byterange").isMissingNode(), where);
            }
            List<EncryptionKey> keys = s.keys();
            if (keys.isEmpty()) {
                assertTrue(j.path("key").isMissingNode() || j.path("key").isNull(), where + ": " + j);
            } else {
                EncryptionKey k = keys.get(0);
                JsonNode jk = j.get("key");
                assertEquals(k.method().attributeValue(), jk.path("method").asText(), where);
                assertEquals(k.uri().orElseThrow(), jk.path("uri").asText(), where);
                if (k.iv().isPresent()) {
                    ByteBuffer iv = ByteBuffer.wrap(k.iv().get());
                    for (int w = 0; w < 4; w++) {
                        assertEquals(Integer.toUnsignedLong(iv.getInt()), jk.path("iv").path(String.valueOf(w)).asLong(),
                                where + " IV word " + w);
                    }
                } else {
                    assertTrue(jk.path("iv").isMissingNode(), where);
                }
            }
            if (s.map().isPresent()) {
                MediaInitializationSection map = s.map().get();
                assertEquals(map.uri(), j.path("map").path("uri").asText(), where);
                if (map.byteRange().isPresent()) {
                    assertEquals(map.byteRange().get().length(), j.path("map").path("byterange").path("length").asLong());
                    assertEquals(map.byteRange().get().offset().orElseThrow(),
                            j.path("map").path("byterange").path("offset").asLong());
                }
            } else {
                assertTrue(j.path("map").isMissingNode(), where);
            }
        }
        return m;
    }
}
