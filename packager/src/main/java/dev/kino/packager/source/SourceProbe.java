package dev.kino.packager.source;

import dev.kino.packager.PackagingException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_PROP_TEXT_SUB;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

/**
 * Opens a source with libavformat and describes it. Thread-safe (no shared state).
 *
 * <p>Every unusable input fails with one {@link PackagingException} whose message starts with the file name:
 * a missing or unreadable file, an empty file, a file no demuxer recognises (text, random bytes), a truncated
 * file whose index is missing, a file without any audio or video stream, and a file whose only video or
 * audio streams use codecs this FFmpeg build cannot decode.
 */
public final class SourceProbe {
    private SourceProbe() {
    }

    /**
     * @param file the source file
     * @return its streams and duration
     * @throws PackagingException when the file cannot be used as a source (see the class comment)
     */
    public static MediaInfo probe(Path file) {
        Ffmpeg.init();
        checkReadable(file);
        AVFormatContext fmt = open(file);
        try {
            return describe(file, fmt);
        } finally {
            avformat_close_input(fmt);
        }
    }

    /**
     * Opens the file and reads its stream information; the caller closes it with {@code avformat_close_input}.
     *
     * @param file a readable, non-empty file
     * @return the opened demuxer context
     * @throws PackagingException when libavformat cannot open or understand it
     */
    public static AVFormatContext open(Path file) {
        Ffmpeg.init();
        AVFormatContext fmt = new AVFormatContext(null);
        int ret = avformat_open_input(fmt, file.toAbsolutePath().toString(), null, null);
        if (ret < 0) {
            throw new PackagingException(file + ": not a media file FFmpeg can read (" + Ffmpeg.errorText(ret)
                    + "); it may be truncated, corrupt or of an unsupported format");
        }
        ret = avformat_find_stream_info(fmt, (org.bytedeco.javacpp.PointerPointer<?>) null);
        if (ret < 0) {
            avformat_close_input(fmt);
            throw new PackagingException(file + ": cannot read stream information (" + Ffmpeg.errorText(ret)
                    + "); the file may be truncated or corrupt");
        }
        return fmt;
    }

    static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new PackagingException(file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new PackagingException(file + ": not a readable regular file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new PackagingException(file + ": the file is empty");
            }
        } catch (IOException e) {
            throw new PackagingException(file + ": cannot read the file size", e);
        }
    }

    private static MediaInfo describe(Path file, AVFormatContext fmt) {
        List<VideoStreamInfo> video = new ArrayList<>();
        List<AudioStreamInfo> audio = new ArrayList<>();
        List<SubtitleStreamInfo> subs = new ArrayList<>();
        List<String> undecodable = new ArrayList<>();
        double maxStreamDuration = 0;
        for (int i = 0; i < fmt.nb_streams(); i++) {
            AVStream st = fmt.streams(i);
            AVCodecParameters par = st.codecpar();
            int type = par.codec_type();
            String codec = avcodec_get_name(par.codec_id()).getString();
            if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0) {
                maxStreamDuration = Math.max(maxStreamDuration, st.duration() * q(st.time_base()));
            }
            if (type == AVMEDIA_TYPE_VIDEO) {
                if ((st.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0) {
                    continue; // cover art
                }
                if (!decodable(par)) {
                    undecodable.add("video stream " + i + " (" + codec + ")");
                    continue;
                }
                if (par.width() <= 0 || par.height() <= 0) {
                    undecodable.add("video stream " + i + " (" + codec + ", no picture size)");
                    continue;
                }
                String pix = par.format() < 0 ? "unknown" : nameOrUnknown(av_get_pix_fmt_name(par.format()));
                video.add(new VideoStreamInfo(i, codec, par.width(), par.height(), rotation(par),
                        rate(st.avg_frame_rate()), rate(st.r_frame_rate()), pix));
            } else if (type == AVMEDIA_TYPE_AUDIO) {
                if (!decodable(par)) {
                    undecodable.add("audio stream " + i + " (" + codec + ")");
                    continue;
                }
                int channels = par.ch_layout().nb_channels();
                if (channels <= 0 || par.sample_rate() <= 0) {
                    undecodable.add("audio stream " + i + " (" + codec + ", no channel count or sample rate)");
                    continue;
                }
                audio.add(new AudioStreamInfo(i, codec, language(st), channels, par.sample_rate(),
                        Ffmpeg.tag(st.metadata(), "title")));
            } else if (type == AVMEDIA_TYPE_SUBTITLE) {
                var desc = avcodec_descriptor_get(par.codec_id());
                boolean text = desc != null && !desc.isNull() && (desc.props() & AV_CODEC_PROP_TEXT_SUB) != 0;
                subs.add(new SubtitleStreamInfo(i, codec, language(st), text));
            }
        }
        if (video.isEmpty() && audio.isEmpty()) {
            if (!undecodable.isEmpty()) {
                throw new PackagingException(file + ": no stream this FFmpeg build can decode: "
                        + String.join(", ", undecodable));
            }
            throw new PackagingException(file + ": the file has no video and no audio stream"
                    + (subs.isEmpty() ? "" : " (only " + subs.size() + " subtitle stream(s))"));
        }
        double duration = fmt.duration() != AV_NOPTS_VALUE && fmt.duration() > 0
                ? (double) fmt.duration() / AV_TIME_BASE : maxStreamDuration;
        String container = fmt.iformat() == null || fmt.iformat().isNull() ? "unknown"
                : fmt.iformat().name().getString();
        return new MediaInfo(file, container, duration, video, audio, subs);
    }

    private static boolean decodable(AVCodecParameters par) {
        AVCodec dec = avcodec_find_decoder(par.codec_id());
        return dec != null && !dec.isNull();
    }

    private static String language(AVStream st) {
        String lang = Ffmpeg.tag(st.metadata(), "language");
        return lang == null ? "und" : lang.toLowerCase(Locale.ROOT);
    }

    private static String nameOrUnknown(org.bytedeco.javacpp.BytePointer p) {
        return p == null || p.isNull() ? "unknown" : p.getString();
    }

    private static int rotation(AVCodecParameters par) {
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.data() == null || sd.size() < 36) {
            return 0;
        }
        // av_display_rotation_get is counter-clockwise; players rotate clockwise by its negation.
        double ccw = av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(ccw)) {
            return 0;
        }
        long cw = Math.round(-ccw / 90.0) * 90;
        return (int) (((cw % 360) + 360) % 360);
    }

    private static FrameRate rate(AVRational r) {
        return r == null || r.num() <= 0 || r.den() <= 0 ? null : new FrameRate(r.num(), r.den());
    }

    static double q(AVRational r) {
        return r.den() == 0 ? 0 : (double) r.num() / r.den();
    }
}
