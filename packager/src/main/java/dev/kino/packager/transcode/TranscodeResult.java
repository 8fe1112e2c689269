package dev.kino.packager.transcode;

import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.subtitle.SubtitleCue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished transcode produced.
 *
 * @param videoEncoder the FFmpeg encoder used for video: {@code libx264}, or {@code libopenh264} as a fallback
 * @param video the video formats, in ladder order
 * @param audio the audio formats, in the order of the requested audio streams
 * @param videoSeconds presentation duration of the video, seconds
 * @param wallSeconds wall-clock time the transcode took, seconds
 * @param subtitles the cues of each decoded text subtitle stream (by stream index, source order), on the title
 *                  timeline
 * @param originOffsetSeconds where the title's time 0 (the first video frame) lies after the source's start as
 *                            players show it (the container's {@code start_time}, taken as 0 when negative),
 *                            seconds; side-car subtitle times are shifted by it
 * @param sourceFrames video frames decoded from the source
 * @param rungFrames frames handed to each rung's encoder, in ladder order (the source frames, or about half of
 *                   them on a half-rate rung; for a remuxed rung, the source packets copied)
 * @param remuxedRungs names of the rungs made from the source's own H.264 packets instead of an encode
 * @param notes what the job log should say (remux decisions and why a rung was encoded instead)
 */
public record TranscodeResult(String videoEncoder, List<TrackFormat> video, List<TrackFormat> audio,
                              double videoSeconds, double wallSeconds, Map<Integer, List<SubtitleCue>> subtitles,
                              double originOffsetSeconds, long sourceFrames, List<Long> rungFrames,
                              List<String> remuxedRungs, List<String> notes) {
    /** Copies the lists. */
    public TranscodeResult {
        remuxedRungs = List.copyOf(remuxedRungs);
        notes = List.copyOf(notes);
        video = List.copyOf(video);
        audio = List.copyOf(audio);
        Map<Integer, List<SubtitleCue>> m = new LinkedHashMap<>();
        subtitles.forEach((k, v) -> m.put(k, List.copyOf(v)));
        subtitles = java.util.Collections.unmodifiableMap(m);
        rungFrames = List.copyOf(rungFrames);
    }

    /** A result where every rung was encoded, without notes. */
    public TranscodeResult(String videoEncoder, List<TrackFormat> video, List<TrackFormat> audio,
                           double videoSeconds, double wallSeconds, Map<Integer, List<SubtitleCue>> subtitles,
                           double originOffsetSeconds, long sourceFrames, List<Long> rungFrames) {
        this(videoEncoder, video, audio, videoSeconds, wallSeconds, subtitles, originOffsetSeconds, sourceFrames,
                rungFrames, List.of(), List.of());
    }

    /** A result without subtitles, origin at the source's start. */
    public TranscodeResult(String videoEncoder, List<TrackFormat> video, List<TrackFormat> audio,
                           double videoSeconds, double wallSeconds) {
        this(videoEncoder, video, audio, videoSeconds, wallSeconds, Map.of(), 0, 0, List.of());
    }
}
