package dev.kino.packager.transcode;

/**
 * Encoder settings that are not part of the ladder.
 *
 * @param x264Preset x264 speed preset ({@code ultrafast} … {@code veryslow}); {@code medium} for production
 * @param threads total encoder threads to aim for across all rungs (usually the core count); each rung's encoder
 *                gets {@code max(1, threads / rungs)}
 * @param audioBitrate AAC bitrate in bits per second (128000)
 * @param audioSampleRate AAC sample rate in Hz (48000)
 * @param remux copy the source's H.264 packets into a rung of the source's size when they qualify
 *              (see {@code SourceRemux}) instead of encoding it; on by default
 */
public record TranscodeOptions(String x264Preset, int threads, int audioBitrate, int audioSampleRate,
                               boolean remux) {
    /** @throws IllegalArgumentException for non-positive values */
    public TranscodeOptions {
        if (threads <= 0 || audioBitrate <= 0 || audioSampleRate <= 0) {
            throw new IllegalArgumentException("threads, audio bitrate and sample rate must be positive");
        }
    }

    /** Options with remuxing on. */
    public TranscodeOptions(String x264Preset, int threads, int audioBitrate, int audioSampleRate) {
        this(x264Preset, threads, audioBitrate, audioSampleRate, true);
    }

    /** @return preset {@code medium}, one thread per core, AAC 128 kb/s 48 kHz, remuxing on */
    public static TranscodeOptions defaults() {
        return new TranscodeOptions("medium", Runtime.getRuntime().availableProcessors(), 128_000, 48_000);
    }

    /** @param preset an x264 preset @return a copy using it */
    public TranscodeOptions withPreset(String preset) {
        return new TranscodeOptions(preset, threads, audioBitrate, audioSampleRate, remux);
    }

    /** @param on whether qualifying rungs are remuxed @return a copy with that setting */
    public TranscodeOptions withRemux(boolean on) {
        return new TranscodeOptions(x264Preset, threads, audioBitrate, audioSampleRate, on);
    }
}
