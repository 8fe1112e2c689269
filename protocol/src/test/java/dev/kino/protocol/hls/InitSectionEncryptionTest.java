package dev.kino.protocol.hls;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8216 §4.3.2.4: an EXT-X-KEY applies to every EXT-X-MAP that follows it, so order carries meaning. */
class InitSectionEncryptionTest {
    private static final byte[] IV = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

    private static EncryptionKey key(String uri) {
        return EncryptionKey.builder().method(KeyMethod.AES_128).uri(uri).iv(IV).build();
    }

    private static MediaPlaylist twoSegments(MediaInitializationSection first, MediaInitializationSection second) {
        return MediaPlaylist.builder().playlistType(PlaylistType.VOD).endList(true)
                .addSegment(MediaSegment.builder().uri("a.m4s").durationSeconds(4).addKey(key("k1")).map(first).build())
                .addSegment(MediaSegment.builder().uri("b.m4s").durationSeconds(4).addKey(key("k1")).map(second).build())
                .build();
    }

    @Test
    void clearSectionIsDeclaredBeforeTheKeyAndAnEncryptedOneAfterIt() throws Exception {
        String clear = PlaylistWriter.write(twoSegments(MediaInitializationSection.of("init.mp4"),
                MediaInitializationSection.of("init.mp4")));
        assertTrue(clear.indexOf("#EXT-X-MAP") < clear.indexOf("#EXT-X-KEY"), clear);
        MediaPlaylist parsedClear = PlaylistParser.parseMedia(clear);
        assertFalse(parsedClear.segments().get(0).map().orElseThrow().encrypted());

        MediaInitializationSection enc = MediaInitializationSection.of("init.mp4").withEncrypted(true);
        String encrypted = PlaylistWriter.write(twoSegments(enc, enc));
        assertTrue(encrypted.indexOf("#EXT-X-KEY") < encrypted.indexOf("#EXT-X-MAP"), encrypted);
        MediaPlaylist parsedEnc = PlaylistParser.parseMedia(encrypted);
        assertTrue(parsedEnc.segments().get(0).map().orElseThrow().encrypted());
        assertEquals(twoSegments(enc, enc), parsedEnc);
    }

    @Test
    void aNewClearSectionAfterAnAes128KeyResetsTheKeyFirst() throws Exception {
        MediaPlaylist p = twoSegments(MediaInitializationSection.of("init-1.mp4"), MediaInitializationSection.of("init-2.mp4"));
        String text = PlaylistWriter.write(p);
        int second = text.indexOf("#EXT-X-MAP:URI=\"init-2.mp4\"");
        int none = text.indexOf("#EXT-X-KEY:METHOD=NONE");
        assertTrue(none > 0 && none < second, text);
        assertTrue(text.indexOf("#EXT-X-KEY:METHOD=AES-128", second) > second, "the key is declared again: " + text);
        assertEquals(p, PlaylistParser.parseMedia(text));
    }
}
