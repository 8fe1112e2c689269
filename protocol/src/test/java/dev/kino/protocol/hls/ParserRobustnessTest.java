package dev.kino.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every single-character corruption of the golden playlists either parses into a model that writes back to
 * parseable text, or fails with a {@link PlaylistParseException} whose line number is inside the input; never
 * with another exception. Exhaustive over positions, so deterministic.
 */
class ParserRobustnessTest {

    private static final char[] REPLACEMENTS = {'"', ',', '\n'};

    @ParameterizedTest
    @ValueSource(strings = {"cmaf-vod-multivariant.m3u8", "cmaf-vod-media-aes128.m3u8", "iframes-byterange.m3u8"})
    void singleCharacterCorruptionsFailCleanly(String golden) {
        String text = HlsFixtures.resource(golden);
        int rejected = 0;
        for (int i = 0; i < text.length(); i++) {
            rejected += check(text.substring(0, i) + text.substring(i + 1));
            for (char c : REPLACEMENTS) {
                rejected += check(text.substring(0, i) + c + text.substring(i + 1));
            }
        }
        assertTrue(rejected > text.length(), "most corruptions are detected: " + rejected);
    }

    private static int check(String corrupted) {
        try {
            Playlist p = PlaylistParser.parse(corrupted);
            assertEquals(p, PlaylistParser.parse(PlaylistWriter.write(p)), corrupted);
            return 0;
        } catch (PlaylistParseException e) {
            long lines = corrupted.lines().count();
            assertTrue(e.lineNumber() >= 1 && e.lineNumber() <= Math.max(1, lines),
                    () -> e.getMessage() + " is outside the " + lines + " lines of\n" + corrupted);
            return 1;
        } catch (RuntimeException e) {
            fail("unexpected " + e + " for\n" + corrupted, e);
            return 0;
        }
    }
}
