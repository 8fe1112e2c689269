package dev.kino.packager.ladder;

import dev.kino.protocol.media.FrameRate;

/**
 * One planned video rendition: H.264 High, 8-bit 4:2:0.
 *
 * @param width output width in pixels, even
 * @param height output height in pixels, even
 * @param bitrate target average bitrate, bits per second
 * @param maxBitrate VBV maximum rate, bits per second
 * @param bufferBits VBV buffer size, bits (2 × bitrate)
 * @param frameRate nominal output frame rate
 * @param halfRate true when every other source frame is dropped (sources above 30 fps on rungs ≤ 480p)
 */
public record Rung(int width, int height, long bitrate, long maxBitrate, long bufferBits, FrameRate frameRate,
                   boolean halfRate) {
    /** @return the short side: the name of the rung ({@code 720} for 1280x720 and for 720x1280) */
    public int shortSide() {
        return Math.min(width, height);
    }

    /** @return the rendition's folder and playlist stem, e.g. {@code video-720p} */
    public String name() {
        return "video-" + shortSide() + "p";
    }
}
