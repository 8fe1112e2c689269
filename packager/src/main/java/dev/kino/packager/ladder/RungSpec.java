package dev.kino.packager.ladder;

/**
 * One rung a title may have.
 *
 * @param height the picture's short side in pixels (its height for landscape, its width for portrait), even
 * @param bitrate target average video bitrate, bits per second
 * @param maxBitrate peak bitrate (the VBV maximum rate), bits per second; 0 means 1.5 × {@code bitrate}
 */
public record RungSpec(int height, long bitrate, long maxBitrate) {
    /** @throws IllegalArgumentException for a size or bitrate out of range */
    public RungSpec {
        if (height < 64 || height > 4320 || height % 2 != 0) {
            throw new IllegalArgumentException("rung height must be even and within 64..4320, not " + height);
        }
        if (bitrate < 50_000) {
            throw new IllegalArgumentException("rung bitrate must be at least 50000 b/s, not " + bitrate);
        }
        if (maxBitrate == 0) {
            maxBitrate = bitrate * 3 / 2;
        }
        if (maxBitrate < bitrate) {
            throw new IllegalArgumentException("maxBitrate " + maxBitrate + " is below bitrate " + bitrate);
        }
    }

    /** @param height short side @param bitrate average bits per second; peak defaults to 1.5 × */
    public RungSpec(int height, long bitrate) {
        this(height, bitrate, 0);
    }
}
