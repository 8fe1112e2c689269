package dev.kino.protocol.media;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameRateTest {
    @Test
    void halvesExactly() {
        assertEquals(FrameRate.of(25), FrameRate.of(50).half());
        assertEquals(FrameRate.of(30000, 1001), FrameRate.of(60000, 1001).half());
        assertEquals(FrameRate.of(25, 2), FrameRate.of(25).half());
    }

    @Test
    void frameDurationIsTheInverse() {
        assertEquals(0.04, FrameRate.of(25).frameSeconds(), 1e-12);
        assertEquals(1001.0 / 30000, FrameRate.of(30000, 1001).frameSeconds(), 1e-12);
    }

    @Test
    void refusesNonPositiveParts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameRate.of(0, 1));
        assertEquals("FrameRate.numerator must be positive: 0", e.getMessage());
    }
}
