package dev.kino.packager.source;

import dev.kino.protocol.media.FrameRate;
import dev.kino.packager.PackagingException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

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
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
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
     * Describes a source as it is, without the limits of {@link SourceGate} (which the packager applies): for
     * tools and tests that need to know what a file holds.
     *
     * @param file the source file
     * @return its streams and duration
     * @throws PackagingException when the file cannot be used as a source (see the class comment); messages name
     *                            the file as given
     */
    public static MediaInfo probe(Path file) {
        Ffmpeg.init();
        String label = file.toString();
        checkReadable(file, label);
        AVFormatContext fmt = openInput(file, label, null);
        try {
            findStreamInfo(fmt, label, null);
            return describe(file, label, fmt);
        } finally {
            avformat_close_input(fmt);
        }
    }

    /**
     * Opens the file and reads its stream information; the caller closes it with {@code avformat_close_input}.
     * For a source already admitted ({@link SourceGate#admit}): libavformat may read the local file only (no
     * other protocol, so no playlist or reference inside it can make FFmpeg fetch anything else). Messages name the
     * file by its name only.
     *
     * @param file a readable, non-empty file
     * @return the opened demuxer context
     * @throws PackagingException when libavformat cannot open or understand it
     */
    public static AVFormatContext open(Path file) {
        Ffmpeg.init();
        String label = dev.kino.packager.SourceRefusedException.name(file);
        AVFormatContext fmt = openInput(file, label, null);
        try {
            findStreamInfo(fmt, label, null);
        } catch (RuntimeException e) {
            avformat_close_input(fmt);
            throw e;
        }
        return fmt;
    }

    /**
     * {@code avformat_open_input} with {@code protocol_whitelist=file} and any further options.
     *
     * @param label how messages name the file
     * @param formatWhitelist {@code format_whitelist}, the demuxers allowed (comma-separated names), or null for any
     * @return the opened context (streams listed, their parameters as the container header declares them)
     * @throws PackagingException when libavformat cannot open it
     */
    static AVFormatContext openInput(Path file, String label, String formatWhitelist) {
        AVFormatContext fmt = new AVFormatContext(null);
        AVDictionary opts = new AVDictionary(null);
        av_dict_set(opts, "protocol_whitelist", "file", 0);
        if (formatWhitelist != null) {
            av_dict_set(opts, "format_whitelist", formatWhitelist, 0);
        }
        int ret = avformat_open_input(fmt, file.toAbsolutePath().toString(), null, opts);
        av_dict_free(opts);
        if (ret < 0) {
            throw new OpenFailed(ret, label + ": not a media file FFmpeg can read (" + Ffmpeg.errorText(ret)
                    + "); it may be truncated, corrupt or of an unsupported format");
        }
        return fmt;
    }

    /** {@link #openInput} failed: the message for the user and FFmpeg's error code. */
    static final class OpenFailed extends PackagingException {
        private static final long serialVersionUID = 1L;
        final int code;

        OpenFailed(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /**
     * {@code avformat_find_stream_info}, which decodes a few frames of each stream to learn what the header does
     * not say. The caller closes the context, also when this fails.
     *
     * @param label how messages name the file
     * @param maxPixels when not null, no decoder it opens allocates a picture of more than this many pixels
     *                  ({@code max_pixels}, at most 2<sup>31</sup> − 1; those decoders already run on one thread,
     *                  FFmpeg's own choice there)
     * @throws PackagingException when the stream information cannot be read
     */
    static void findStreamInfo(AVFormatContext fmt, String label, Long maxPixels) {
        int n = fmt.nb_streams();
        PointerPointer<AVDictionary> perStream = null;
        if (maxPixels != null && n > 0) {
            perStream = new PointerPointer<>(n);
            for (int i = 0; i < n; i++) {
                AVDictionary d = new AVDictionary(null);
                av_dict_set(d, "max_pixels", Long.toString(Math.min(maxPixels, Integer.MAX_VALUE)), 0);
                perStream.put(i, d);
            }
        }
        int ret;
        try {
            ret = avformat_find_stream_info(fmt, perStream);
        } finally {
            if (perStream != null) {
                for (int i = 0; i < n; i++) {
                    AVDictionary d = perStream.get(AVDictionary.class, i);
                    if (d != null && !d.isNull()) {
                        av_dict_free(d);
                    }
                }
                perStream.close();
            }
        }
        if (ret < 0) {
            throw new PackagingException(label + ": cannot read stream information (" + Ffmpeg.errorText(ret)
                    + "); the file may be truncated or corrupt");
        }
    }

    static void checkReadable(Path file, String label) {
        if (!Files.exists(file)) {
            throw new PackagingException(label + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new PackagingException(label + ": not a readable regular file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new PackagingException(label + ": the file is empty");
            }
        } catch (IOException e) {
            throw new PackagingException(label + ": cannot read the file size", e);
        }
    }

    static MediaInfo describe(Path file, String label, AVFormatContext fmt) {
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
                throw new PackagingException(label + ": no stream this FFmpeg build can decode: "
                        + String.join(", ", undecodable));
            }
            throw new PackagingException(label + ": the file has no video and no audio stream"
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
