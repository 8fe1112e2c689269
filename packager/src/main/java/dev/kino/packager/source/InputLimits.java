package dev.kino.packager.source;

import java.time.Duration;
import java.util.Objects;

/**
 * What a source may claim and still be packaged: {@link SourceGate} refuses anything beyond these before a single
 * picture is decoded, and bounds the decoders FFmpeg opens while probing by {@link #maxPixels}. The defaults are
 * what a video service takes from its uploaders: pictures up to 8K UHD (7680x4320, 33,177,600 pixels), 240 frames a
 * second, 12 hours.
 *
 * <p>Width and height are compared in landscape orientation: the longer side of the coded picture against
 * {@code maxWidth}, the shorter against {@code maxHeight}, so a portrait 2160x3840 phone video is as welcome as a
 * landscape 3840x2160 one.
 *
 * @param maxWidth the longer side of the picture at most, pixels ({@code packager.limits.maxWidth})
 * @param maxHeight the shorter side of the picture at most, pixels ({@code packager.limits.maxHeight})
 * @param maxPixels width times height at most ({@code packager.limits.maxPixels}); also FFmpeg's
 *                  {@code max_pixels} for every decoder opened while probing, so no frame buffer beyond it is
 *                  allocated
 * @param maxFrameRate frames per second at most ({@code packager.limits.maxFrameRate})
 * @param maxDuration longest source ({@code packager.limits.maxDuration})
 */
public record InputLimits(int maxWidth, int maxHeight, long maxPixels, int maxFrameRate, Duration maxDuration) {
    /** 8K UHD, 240 fps, 12 hours. */
    public static final InputLimits DEFAULTS = new InputLimits(7680, 4320, 7680L * 4320, 240, Duration.ofHours(12));

    /** @throws IllegalArgumentException for a limit that is not positive, or a width below the height */
    public InputLimits {
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (maxWidth <= 0 || maxHeight <= 0 || maxPixels <= 0 || maxFrameRate <= 0 || maxDuration.isNegative()
                || maxDuration.isZero()) {
            throw new IllegalArgumentException("input limits must be positive: " + maxWidth + "x" + maxHeight + ", "
                    + maxPixels + " pixels, " + maxFrameRate + " fps, " + maxDuration);
        }
        if (maxWidth < maxHeight) {
            throw new IllegalArgumentException("maxWidth (the longer side) " + maxWidth + " is below maxHeight "
                    + maxHeight);
        }
    }

    /** @return these limits with another duration (tests, short-form services) */
    public InputLimits withMaxDuration(Duration d) {
        return new InputLimits(maxWidth, maxHeight, maxPixels, maxFrameRate, d);
    }

    /** @return these limits with another frame rate */
    public InputLimits withMaxFrameRate(int fps) {
        return new InputLimits(maxWidth, maxHeight, maxPixels, fps, maxDuration);
    }

    /** @return these limits with another picture size */
    public InputLimits withMaxSize(int width, int height, long pixels) {
        return new InputLimits(width, height, pixels, maxFrameRate, maxDuration);
    }
}
