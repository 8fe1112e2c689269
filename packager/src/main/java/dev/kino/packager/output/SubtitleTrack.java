package dev.kino.packager.output;

import dev.kino.packager.subtitle.SubtitleCue;

import java.util.List;

/**
 * One WebVTT subtitle rendition of a title.
 *
 * @param name the rendition name, also the file stem: {@code subs-eng}, {@code subs-eng-2}
 * @param language the language: ISO 639-2 from the stream tag or the side-car name, {@code und} when unknown
 * @param label the human-readable name for players ({@code NAME} in HLS, {@code Label} in DASH), unique per title
 * @param source where the cues came from, e.g. {@code movie.mkv stream 3 (subrip)} or {@code movie.fr.srt}
 * @param cues the cues on the title timeline, in start order
 */
public record SubtitleTrack(String name, String language, String label, String source, List<SubtitleCue> cues) {
    /** Copies the list. */
    public SubtitleTrack {
        cues = List.copyOf(cues);
    }

    /** @return the WebVTT file, relative to the title root: {@code <name>.vtt} */
    public String vttFile() {
        return name + ".vtt";
    }

    /** @return the HLS media playlist: {@code <name>.m3u8} */
    public String playlist() {
        return name + ".m3u8";
    }
}
