package dev.kino.packager.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link SourceProbe#probe} found in a source file. Only streams this FFmpeg build can decode are
 * listed; cover-art pictures are not video streams.
 *
 * @param file the probed file
 * @param container libavformat's demuxer name(s), e.g. {@code mov,mp4,m4a,3gp,3g2,mj2} or {@code matroska,webm}
 * @param durationSeconds the duration in seconds (the container's, else the longest stream's)
 * @param video video streams, in container order
 * @param audio audio streams, in container order
 * @param subtitles subtitle streams, in container order
 */
public record MediaInfo(Path file, String container, double durationSeconds, List<VideoStreamInfo> video,
                        List<AudioStreamInfo> audio, List<SubtitleStreamInfo> subtitles) {
    /** Copies the lists. */
    public MediaInfo {
        video = List.copyOf(video);
        audio = List.copyOf(audio);
        subtitles = List.copyOf(subtitles);
    }

    /** @return the first video stream, the one a title is made from */
    public Optional<VideoStreamInfo> primaryVideo() {
        return video.stream().findFirst();
    }
}
