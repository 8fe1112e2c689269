package dev.kino.protocol.dash;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.protocol.crosscheck.ThirdPartyParsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Independent validation: videojs' mpd-parser must accept our MPDs and see what we meant. */
class MpdParserCrossCheckTest {

    private static final String URI = "https://origin.example/v/tok/t1/manifest.mpd";
    private static JsonNode clear;
    private static JsonNode prot;

    @BeforeAll
    static void parseBoth() {
        clear = manifest(MpdWriter.write(SampleMpds.clear()));
        prot = manifest(MpdWriter.write(SampleMpds.protectedMpd()));
    }

    private static JsonNode manifest(String mpd) {
        JsonNode out = ThirdPartyParsers.parseMpd(mpd, URI);
        assertFalse(out.has("error"), () -> "mpd-parser rejected the MPD: " + out.get("error"));
        assertNotNull(out.get("manifest"), "mpd-parser printed no manifest");
        return out.get("manifest");
    }

    @Test
    void durationAndVideoPlaylists() {
        for (JsonNode m : List.of(clear, prot)) {
            assertEquals(30.5, m.get("duration").asDouble(), 1e-9);
            assertTrue(m.get("endList").asBoolean());
            JsonNode pls = m.get("playlists");
            assertEquals(2, pls.size());
            JsonNode hi = pls.get(0).get("attributes");
            JsonNode lo = pls.get(1).get("attributes");
            assertEquals("v1080", hi.get("NAME").asText());
            assertEquals(5_000_000, hi.get("BANDWIDTH").asLong());
            assertEquals("avc1.640028", hi.get("CODECS").asText());
            assertEquals(1920, hi.get("RESOLUTION").get("width").asInt());
            assertEquals(1080, hi.get("RESOLUTION").get("height").asInt());
            assertEquals(30000.0 / 1001, hi.get("FRAME-RATE").asDouble(), 1e-9);
            assertEquals("v540", lo.get("NAME").asText());
            assertEquals(960, lo.get("RESOLUTION").get("width").asInt());
            assertEquals("avc1.4d401f", lo.get("CODECS").asText());
        }
    }

    @Test
    void videoSegmentsFollowTheTimeline() {
        JsonNode segs = clear.get("playlists").get(0).get("segments");
        List<Long> durations = SampleMpds.videoDurations();
        assertEquals(durations.size(), segs.size());
        long t = 0;
        for (int i = 0; i < segs.size(); i++) {
            JsonNode s = segs.get(i);
            assertEquals(durations.get(i) / 90_000.0, s.get("duration").asDouble(), 1e-9, "segment " + i);
            assertEquals("https://origin.example/v/tok/t1/v1080/" + t + ".m4s", s.get("resolvedUri").asText());
            assertEquals("https://origin.example/v/tok/t1/v1080/init.mp4",
                    s.get("map").get("resolvedUri").asText());
            t += durations.get(i);
        }
    }

    @Test
    void audioLanguagesLabelsAndNumberedSegments() {
        JsonNode audio = clear.get("mediaGroups").get("AUDIO").get("audio");
        assertEquals(2, audio.size());
        JsonNode en = audio.get("English");
        JsonNode fr = audio.get("Français");
        assertNotNull(en, audio::toString);
        assertNotNull(fr, audio::toString);
        assertEquals("en", en.get("language").asText());
        assertEquals("fr", fr.get("language").asText());
        assertTrue(en.get("default").asBoolean(), "role main → default");
        assertFalse(fr.get("default").asBoolean());
        JsonNode pl = en.get("playlists").get(0);
        assertEquals("mp4a.40.2", pl.get("attributes").get("CODECS").asText());
        assertEquals(128_000, pl.get("attributes").get("BANDWIDTH").asLong());
        JsonNode segs = pl.get("segments");
        List<Long> durations = SampleMpds.audioDurations();
        assertEquals(durations.size(), segs.size());
        double total = 0;
        for (int i = 0; i < segs.size(); i++) {
            assertEquals(durations.get(i) / 48_000.0, segs.get(i).get("duration").asDouble(), 1e-9);
            assertEquals(String.format("a-en/%05d.m4s", i + 1), segs.get(i).get("uri").asText());
            total += segs.get(i).get("duration").asDouble();
        }
        assertEquals(30.5, total, 1e-9);
    }

    @Test
    void webVttSubtitles() {
        JsonNode subs = clear.get("mediaGroups").get("SUBTITLES").get("subs");
        Map<String, String[]> expected = new HashMap<>();
        expected.put("English", new String[] {"en", "subs/en.vtt"});
        expected.put("English (CC)", new String[] {"en", "subs/en-cc.vtt"});
        expected.put("Deutsch", new String[] {"de", "subs/de.vtt"});
        assertEquals(expected.keySet(), toSet(subs.fieldNames()));
        expected.forEach((label, e) -> {
            JsonNode g = subs.get(label);
            assertEquals(e[0], g.get("language").asText());
            JsonNode segs = g.get("playlists").get(0).get("segments");
            assertEquals(1, segs.size());
            assertEquals("https://origin.example/v/tok/t1/" + e[1], segs.get(0).get("resolvedUri").asText());
            assertEquals(30.5, segs.get(0).get("duration").asDouble(), 1e-9);
        });
    }

    @Test
    void contentProtectionIsSeen() {
        assertFalse(clear.get("playlists").get(0).has("contentProtection"));
        List<JsonNode> protectedPlaylists = new ArrayList<>();
        prot.get("playlists").forEach(protectedPlaylists::add);
        prot.get("mediaGroups").get("AUDIO").get("audio")
                .forEach(g -> g.get("playlists").forEach(protectedPlaylists::add));
        assertEquals(4, protectedPlaylists.size());
        for (JsonNode pl : protectedPlaylists) {
            JsonNode cp = pl.get("contentProtection");
            assertNotNull(cp, pl::toString);
            JsonNode mp4 = cp.get("mp4protection").get("attributes");
            assertEquals("cenc", mp4.get("value").asText());
            assertEquals(SampleMpds.KID.toString(), mp4.get("cenc:default_KID").asText());
            assertArrayEquals(Pssh.widevineBox(List.of(SampleMpds.KID), null),
                    bytes(cp.get("com.widevine.alpha").get("pssh")));
            assertArrayEquals(Pssh.w3cCommonBox(List.of(SampleMpds.KID)),
                    bytes(cp.get("org.w3.clearkey").get("pssh")));
        }
        prot.get("mediaGroups").get("SUBTITLES").get("subs")
                .forEach(g -> assertFalse(g.get("playlists").get(0).has("contentProtection")));
    }

    @Test
    void numberTemplateWithDurationIsExpanded() {
        JsonNode m = manifest(XmlAssert.golden("minimal-number.mpd"));
        JsonNode segs = m.get("playlists").get(0).get("segments");
        // 3600.04 s at 4 s per segment: 900 full segments and a last partial one.
        assertEquals(901, segs.size());
        assertEquals("v/seg-0.m4s?a=1&b=\"2\"", segs.get(0).get("uri").asText(), "XML escaping undone");
        assertEquals("https://cdn.example/title/v/seg-0.m4s?a=1&b=%222%22", segs.get(0).get("resolvedUri").asText());
        assertEquals("v/seg-900.m4s?a=1&b=\"2\"", segs.get(900).get("uri").asText());
        assertEquals(4.0, segs.get(0).get("duration").asDouble(), 1e-9);
        assertEquals(0.04, segs.get(900).get("duration").asDouble(), 1e-6);
        assertEquals("cbcs", m.get("playlists").get(0).get("contentProtection").get("mp4protection")
                .get("attributes").get("value").asText());
    }

    private static byte[] bytes(JsonNode typedArray) {
        // mpd-parser's Uint8Array serialises as {"0":n,"1":n,...}
        assertNotNull(typedArray, "no pssh");
        byte[] b = new byte[typedArray.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) typedArray.get(Integer.toString(i)).asInt();
        }
        return b;
    }

    private static java.util.Set<String> toSet(java.util.Iterator<String> it) {
        java.util.Set<String> s = new java.util.HashSet<>();
        it.forEachRemaining(s::add);
        return s;
    }
}
