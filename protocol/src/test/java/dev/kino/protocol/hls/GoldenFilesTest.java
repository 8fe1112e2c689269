package dev.kino.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The writer's exact output for typical playlists, and the parser reading that text back. */
class GoldenFilesTest {

    @Test
    void cmafMultivariantIsWrittenExactly() {
        assertEquals(HlsFixtures.resource("cmaf-vod-multivariant.m3u8"),
                PlaylistWriter.write(HlsFixtures.cmafMultivariant()));
    }

    @Test
    void cmafMediaPlaylistWithMapAndAes128IsWrittenExactly() {
        assertEquals(HlsFixtures.resource("cmaf-vod-media-aes128.m3u8"),
                PlaylistWriter.write(HlsFixtures.cmafMediaAes128()));
    }

    @Test
    void byteRangeIFramePlaylistIsWrittenExactly() {
        assertEquals(HlsFixtures.resource("iframes-byterange.m3u8"),
                PlaylistWriter.write(HlsFixtures.iFrameByteRange()));
    }

    @Test
    void cmafMultivariantGoldenParsesToTheModel() throws PlaylistParseException {
        assertEquals(HlsFixtures.cmafMultivariant(),
                PlaylistParser.parseMultivariant(HlsFixtures.resource("cmaf-vod-multivariant.m3u8")));
    }

    @Test
    void cmafMediaGoldenParsesToTheModel() throws PlaylistParseException {
        MediaPlaylist parsed = PlaylistParser.parseMedia(HlsFixtures.resource("cmaf-vod-media-aes128.m3u8"));
        assertEquals(HlsFixtures.cmafMediaAes128(), parsed);
        // The key and map written once apply to every segment.
        assertEquals(4, parsed.segments().stream().filter(s -> s.keys().size() == 1 && s.map().isPresent()).count());
    }

    @Test
    void iFrameGoldenParsesToTheModel() throws PlaylistParseException {
        assertEquals(HlsFixtures.iFrameByteRange(),
                PlaylistParser.parseMedia(HlsFixtures.resource("iframes-byterange.m3u8")));
    }
}
