package dev.kino.media.file;

import dev.kino.media.MediaException;
import dev.kino.media.MediaFixture;
import dev.kino.protocol.token.PlaybackClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A grant's rendition cap at the origin, on the multivariant playlist and MPD the packager writes (a four-rung
 * ladder, 240p to 720p, copied from a {@code ./kino demo} title): capped viewers see and get only what the cap allows.
 */
class RenditionCapTest {
    @TempDir
    static Path root;
    static MediaFixture m;
    static byte[] master;
    static byte[] mpd;

    @BeforeAll
    static void start() throws IOException {
        m = MediaFixture.start(root);
        master = resource("master.m3u8");
        mpd = resource("manifest.mpd");
        Path t = Files.createDirectories(root.resolve("capped"));
        Files.write(t.resolve("master.m3u8"), master);
        Files.write(t.resolve("manifest.mpd"), mpd);
        for (String rung : new String[]{"video-240p", "video-360p", "video-480p", "video-720p"}) {
            Files.createDirectories(t.resolve(rung));
            Files.createDirectories(t.resolve("cenc").resolve(rung));
            Files.write(t.resolve(rung).resolve("seg-00001.m4s"), MediaFixture.segmentBytes());
            Files.write(t.resolve(rung).resolve("init.mp4"), MediaFixture.filled(64, 1));
            Files.write(t.resolve("cenc").resolve(rung).resolve("init.mp4"), MediaFixture.filled(64, 2));
            Files.writeString(t.resolve(rung + ".m3u8"), "#EXTM3U\n#EXT-X-MAP:URI=\"" + rung + "/init.mp4\"\n"
                    + "#EXTINF:6,\n" + rung + "/seg-00001.m4s\n#EXT-X-ENDLIST\n");
            Files.writeString(t.resolve(rung + "-iframes.m3u8"), "#EXTM3U\n");
        }
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RenditionCapTest.class.getResourceAsStream("/capped/" + name)) {
            return in.readAllBytes();
        }
    }

    private static String capped(int maxHeight, String rest) {
        PlaybackClaims.Builder c = MediaFixture.claims("capped");
        if (maxHeight > 0) {
            c.maxHeight(maxHeight);
        }
        return "/v/" + m.signer.sign(c.build()) + "/capped/" + rest;
    }

    @Test
    void theMultivariantPlaylistListsOnlyRenditionsWithinTheCap() throws Exception {
        HttpResponse<byte[]> full = m.get(capped(0, "master.m3u8"));
        assertArrayEquals(master, full.body(), "no cap: the file as written");
        HttpResponse<byte[]> r = m.get(capped(360, "master.m3u8"));
        assertEquals(200, r.statusCode());
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("video-360p.m3u8") && text.contains("video-240p.m3u8"), text);
        assertTrue(text.contains("video-360p-iframes.m3u8") && text.contains("video-240p-iframes.m3u8"), text);
        assertFalse(text.contains("video-480p") || text.contains("video-720p"), text);
        assertFalse(text.contains("RESOLUTION=1280x720") || text.contains("RESOLUTION=854x480"), text);
        assertTrue(text.contains("#EXT-X-MEDIA:TYPE=AUDIO"), "audio renditions are not capped");
        long streamInfs = text.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF")).count();
        long uris = text.lines().filter(l -> l.startsWith("video-") && l.endsWith(".m3u8")).count();
        assertEquals(2, streamInfs);
        assertEquals(streamInfs, uris, "every EXT-X-STREAM-INF keeps its URI line");
        assertNotEquals(full.headers().firstValue("etag").orElseThrow(), r.headers().firstValue("etag").orElseThrow(),
                "another body, another validator");
        HttpResponse<byte[]> gz = m.get(capped(360, "master.m3u8"), "Accept-Encoding", "gzip");
        assertEquals("gzip", gz.headers().firstValue("content-encoding").orElse(""));
    }

    @Test
    void theMpdListsOnlyRepresentationsWithinTheCap() throws Exception {
        HttpResponse<byte[]> r = m.get(capped(240, "manifest.mpd"));
        assertEquals(200, r.statusCode());
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("id=\"video-240p\""), text);
        for (String gone : new String[]{"video-360p", "video-480p", "video-720p"}) {
            assertFalse(text.contains(gone), gone + " must be gone:\n" + text);
        }
        assertTrue(text.contains("contentType=\"audio\""), "the audio AdaptationSet stays");
        // still one well-formed MPD
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document doc = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(r.body()));
        assertEquals(2, doc.getElementsByTagNameNS("urn:mpeg:dash:schema:mpd:2011", "Representation").getLength(),
                "one video and one audio Representation");
        org.w3c.dom.Element video = (org.w3c.dom.Element) doc.getElementsByTagNameNS("urn:mpeg:dash:schema:mpd:2011",
                "AdaptationSet").item(0);
        assertEquals("426", video.getAttribute("maxWidth"), "the set's largest width is that of what it keeps");
        assertEquals("240", video.getAttribute("maxHeight"), "the set's largest height is that of what it keeps");
        assertArrayEquals(mpd, RenditionCap.mpd(mpd, 720), "a cap above every rendition changes nothing");
    }

    @Test
    void aVideoAdaptationSetLeftWithoutRepresentationsGoesAsAWhole() {
        String twoSets = """
                <?xml version="1.0" encoding="UTF-8"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static">
                  <Period id="0">
                    <AdaptationSet id="1" contentType="video" maxWidth="1280" maxHeight="720">
                      <Representation id="avc-720p" bandwidth="3000000" width="1280" height="720"/>
                      <Representation id="avc-360p" bandwidth="800000" width="640" height="360"/>
                    </AdaptationSet>
                    <AdaptationSet id="2" contentType="video" maxWidth="3840" maxHeight="2160">
                      <Representation id="hevc-2160p" bandwidth="9000000" width="3840" height="2160">
                        <BaseURL>hevc-2160p.mp4</BaseURL>
                      </Representation>
                    </AdaptationSet>
                    <AdaptationSet id="3" contentType="audio">
                      <Representation id="audio" bandwidth="128000"/>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """;
        String capped = new String(RenditionCap.mpd(twoSets.getBytes(StandardCharsets.UTF_8), 360), StandardCharsets.UTF_8);
        assertEquals("""
                <?xml version="1.0" encoding="UTF-8"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static">
                  <Period id="0">
                    <AdaptationSet id="1" contentType="video" maxWidth="640" maxHeight="360">
                      <Representation id="avc-360p" bandwidth="800000" width="640" height="360"/>
                    </AdaptationSet>
                    <AdaptationSet id="3" contentType="audio">
                      <Representation id="audio" bandwidth="128000"/>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """, capped);
        MediaException none = org.junit.jupiter.api.Assertions.assertThrows(MediaException.class,
                () -> RenditionCap.mpd(twoSets.getBytes(StandardCharsets.UTF_8), 240));
        assertEquals(403, none.status());
        assertTrue(none.getMessage().contains("240p"), none.getMessage());
    }

    @Test
    void renditionsAboveTheCapAreRefused() throws Exception {
        for (String rest : new String[]{"video-480p.m3u8", "video-720p-iframes.m3u8", "video-720p/seg-00001.m4s",
                "video-480p/init.mp4", "cenc/video-720p/init.mp4"}) {
            HttpResponse<byte[]> r = m.get(capped(360, rest));
            assertEquals(403, r.statusCode(), rest);
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("rendition-not-allowed"), rest);
        }
        for (String rest : new String[]{"video-360p.m3u8", "video-240p/seg-00001.m4s", "cenc/video-360p/init.mp4"}) {
            assertEquals(200, m.get(capped(360, rest)).statusCode(), rest);
        }
        assertEquals(200, m.get(capped(0, "video-720p/seg-00001.m4s")).statusCode(), "no cap, no limit");
        HttpResponse<byte[]> none = m.get(capped(144, "master.m3u8"));
        assertEquals(403, none.statusCode(), "a cap below every rendition leaves nothing to play");
    }

    @Test
    void persistentLicencesNeedTheOfflineClaim() throws Exception {
        String kid = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.util.HexFormat.of().parseHex(MediaFixture.CENC_KID_T1));
        byte[] temporary = ("{\"kids\":[\"" + kid + "\"],\"type\":\"temporary\"}").getBytes(StandardCharsets.UTF_8);
        byte[] persistent = ("{\"kids\":[\"" + kid + "\"],\"type\":\"persistent-license\"}").getBytes(StandardCharsets.UTF_8);
        String plain = "/v/" + m.signer.sign(MediaFixture.claims("t1").build()) + "/t1/license/clearkey";
        String offline = "/v/" + m.signer.sign(MediaFixture.claims("t1").offline(true).build()) + "/t1/license/clearkey";
        assertEquals(200, m.send("POST", plain, temporary).statusCode());
        HttpResponse<byte[]> refused = m.send("POST", plain, persistent);
        assertEquals(403, refused.statusCode());
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("offline-not-allowed"));
        HttpResponse<byte[]> allowed = m.send("POST", offline, persistent);
        assertEquals(200, allowed.statusCode());
        assertTrue(new String(allowed.body(), StandardCharsets.UTF_8).contains("\"type\":\"persistent-license\""));
    }
}
