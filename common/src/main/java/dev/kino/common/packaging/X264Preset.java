package dev.kino.common.packaging;

import java.util.Locale;

/**
 * An x264 speed preset ({@code packager.preset}, {@code ./kino package --preset}): slower presets spend more CPU for
 * a better picture at the same bitrate. The names are x264's own ({@code x264 --fullhelp}, "--preset").
 */
public enum X264Preset {
    ULTRAFAST, SUPERFAST, VERYFAST, FASTER, FAST, MEDIUM, SLOW, SLOWER, VERYSLOW;

    /** @return the name x264 (and FFmpeg's {@code libx264} {@code preset} option) takes, e.g. {@code veryfast} */
    public String x264Name() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return x264Name();
    }
}
