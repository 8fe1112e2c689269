package dev.kino.packager.subtitle;

import dev.kino.packager.PackagingException;
import dev.kino.packager.source.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Side-car subtitle files given as extra inputs: {@code .srt} (SubRip), {@code .vtt} (WebVTT), {@code .ass} and
 * {@code .ssa}, read through libavformat's demuxers and {@link SubtitleDecoder}. Their times count from the start
 * of the source as players show it (the container's start time).
 */
public final class SubtitleFiles {
    /** Extensions accepted as side-car subtitles, lower case, without the dot. */
    public static final Set<String> EXTENSIONS = Set.of("srt", "vtt", "ass", "ssa");

    private SubtitleFiles() {
    }

    /** @return true when the file name ends with a side-car subtitle extension (case-insensitive) */
    public static boolean isSubtitleFile(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
    }

    /**
     * The language from a {@code name.<lang>.srt} suffix: a two-letter ISO 639-1 code becomes its ISO 639-2/T
     * code ({@code en} → {@code eng}), a three-letter code is kept.
     *
     * @param file the side-car file
     * @return the ISO 639-2 code, or {@code und} when the name has none
     */
    public static String language(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String[] parts = n.split("\\.");
        if (parts.length < 3) {
            return "und";
        }
        String tag = parts[parts.length - 2];
        if (tag.matches("[a-z]{3}")) {
            return tag;
        }
        if (tag.matches("[a-z]{2}")) {
            try {
                String iso3 = Locale.forLanguageTag(tag).getISO3Language();
                return iso3.isEmpty() ? "und" : iso3;
            } catch (MissingResourceException e) {
                return "und";
            }
        }
        return "und";
    }

    /**
     * Reads every cue of a side-car file.
     *
     * @param file the file
     * @param shiftMs milliseconds subtracted from every time (the source's start-time offset of the title's first
     *                video frame)
     * @param endMs the title's end, milliseconds
     * @return the cues on the title timeline
     * @throws PackagingException when the file is missing or no demuxer reads it as subtitles
     */
    public static List<SubtitleCue> read(Path file, long shiftMs, long endMs) {
        Ffmpeg.init();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new PackagingException(file + ": no such subtitle file");
        }
        AVFormatContext fmt = new AVFormatContext(null);
        // Subtitle demuxers only, reading this local file only: a "subtitle" that is really a playlist or a concat
        // list must not make FFmpeg open other files or URLs.
        AVDictionary opts = new AVDictionary(null);
        av_dict_set(opts, "protocol_whitelist", "file", 0);
        av_dict_set(opts, "format_whitelist", "srt,webvtt,ass", 0);
        int ret = avformat_open_input(fmt, file.toAbsolutePath().toString(), null, opts);
        av_dict_free(opts);
        if (ret < 0) {
            throw new PackagingException(file + ": not a subtitle file FFmpeg can read: " + Ffmpeg.errorText(ret));
        }
        AVPacket pkt = av_packet_alloc();
        SubtitleDecoder dec = null;
        try {
            Ffmpeg.check(avformat_find_stream_info(fmt, (PointerPointer<?>) null), file + ": subtitle stream info");
            int idx = -1;
            for (int i = 0; i < fmt.nb_streams(); i++) {
                if (fmt.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_SUBTITLE) {
                    idx = i;
                    break;
                }
            }
            if (idx < 0) {
                throw new PackagingException(file + ": no subtitle stream in the file");
            }
            dec = new SubtitleDecoder(fmt.streams(idx), file.toString());
            while (av_read_frame(fmt, pkt) >= 0) {
                try {
                    if (pkt.stream_index() == idx) {
                        dec.packet(pkt);
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            return dec.cues(shiftMs, endMs);
        } finally {
            if (dec != null) {
                dec.close();
            }
            av_packet_free(pkt);
            avformat_close_input(fmt);
        }
    }
}
