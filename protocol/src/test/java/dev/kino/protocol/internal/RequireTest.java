package dev.kino.protocol.internal;

import dev.kino.protocol.dash.Representation;
import dev.kino.protocol.hls.VariantStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequireTest {

    @Test
    void boundsAndMessages() {
        assertEquals(1, Require.positive("BANDWIDTH", 1));
        assertEquals("BANDWIDTH must be positive: 0",
                assertThrows(IllegalArgumentException.class, () -> Require.positive("BANDWIDTH", 0)).getMessage());
        assertEquals(0, Require.nonNegative("EXT-X-MEDIA-SEQUENCE", 0));
        assertEquals("EXT-X-MEDIA-SEQUENCE must not be negative: -1", assertThrows(IllegalArgumentException.class,
                () -> Require.nonNegative("EXT-X-MEDIA-SEQUENCE", -1)).getMessage());
        assertNull(Require.positiveIfPresent("Representation.width", null));
        assertThrows(IllegalArgumentException.class, () -> Require.positiveIfPresent("Representation.width", 0));
    }

    /** The same bad number reads the same whichever format rejects it. */
    @Test
    void dashAndHlsSayItTheSameWay() {
        String dash = assertThrows(IllegalArgumentException.class,
                () -> Representation.builder("v").bandwidth(0).codecs("avc1.64001f").build()).getMessage();
        String hls = assertThrows(IllegalArgumentException.class,
                () -> VariantStream.builder().bandwidth(0)).getMessage();
        assertEquals("Representation.bandwidth must be positive: 0", dash);
        assertEquals("BANDWIDTH must be positive: 0", hls);
    }
}
