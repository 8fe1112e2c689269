package dev.kino.packager.transcode;

import dev.kino.packager.media.TrackFormat;

import java.util.List;

/**
 * What a finished transcode produced.
 *
 * @param videoEncoder the FFmpeg encoder used for video: {@code libx264}, or {@code libopenh264} as a fallback
 * @param video the video formats, in ladder order
 * @param audio the audio formats, in the order of the requested audio streams
 * @param videoSeconds presentation duration of the video, seconds
 * @param wallSeconds wall-clock time the transcode took, seconds
 */
public record TranscodeResult(String videoEncoder, List<TrackFormat> video, List<TrackFormat> audio,
                              double videoSeconds, double wallSeconds) {
    /** Copies the lists. */
    public TranscodeResult {
        video = List.copyOf(video);
        audio = List.copyOf(audio);
    }
}
