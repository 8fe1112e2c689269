package dev.kino.packager.source;

import dev.kino.protocol.media.FrameRate;
/**
 * One video stream of a source, as libavformat reports it.
 *
 * @param index the stream index in the container
 * @param codec FFmpeg's codec name ({@code h264}, {@code hevc}, {@code vp9}, ...)
 * @param width coded width in pixels, before rotation
 * @param height coded height in pixels, before rotation
 * @param rotation clockwise rotation the player must apply, from the display matrix: 0, 90, 180 or 270 degrees
 * @param avgFrameRate the average frame rate ({@code avg_frame_rate}), or null when the container does not know it
 * @param realFrameRate the lowest rate that represents all timestamps exactly ({@code r_frame_rate}), or null
 * @param pixelFormat FFmpeg's pixel format name, e.g. {@code yuv420p}
 */
public record VideoStreamInfo(int index, String codec, int width, int height, int rotation,
                              FrameRate avgFrameRate, FrameRate realFrameRate, String pixelFormat) {

    /** @return the width as displayed: the height when the stream is rotated by 90 or 270 degrees */
    public int displayWidth() {
        return rotation % 180 == 0 ? width : height;
    }

    /** @return the height as displayed */
    public int displayHeight() {
        return rotation % 180 == 0 ? height : width;
    }

    /** @return true when the displayed picture is taller than wide */
    public boolean portrait() {
        return displayHeight() > displayWidth();
    }

    /**
     * @return the frame rate to encode at: the average rate when known and plausible, else the real base rate,
     *         else 25
     */
    public FrameRate frameRate() {
        if (avgFrameRate != null && avgFrameRate.fps() >= 1 && avgFrameRate.fps() <= 240) {
            return avgFrameRate;
        }
        if (realFrameRate != null && realFrameRate.fps() >= 1 && realFrameRate.fps() <= 240) {
            return realFrameRate;
        }
        return new FrameRate(25, 1);
    }
}
