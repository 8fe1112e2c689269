package dev.kino.protocol.hls;

import dev.kino.protocol.internal.Require;

/**
 * A video resolution in pixels, the RFC 8216 §4.2 decimal-resolution {@code <width>x<height>} used by the
 * {@code RESOLUTION} attribute (§4.3.4.2).
 *
 * @param width horizontal pixels, positive
 * @param height vertical pixels, positive
 */
public record Resolution(int width, int height) {

    /**
     * Validates the dimensions.
     *
     * @param width horizontal pixels, positive
     * @param height vertical pixels, positive
     * @throws IllegalArgumentException if width or height is not positive
     */
    public Resolution {
        Require.positive("resolution width", width);
        Require.positive("resolution height", height);
    }

    /**
     * Formats the resolution as a decimal-resolution.
     *
     * @return {@code <width>x<height>}, e.g. {@code 1920x1080}
     */
    @Override
    public String toString() {
        return width + "x" + height;
    }
}
