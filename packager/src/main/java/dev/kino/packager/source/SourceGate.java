package dev.kino.packager.source;

import dev.kino.packager.PackagingException;
import dev.kino.packager.SourceRefusedException;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVProbeData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_SCORE_RETRY;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_format3;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * Admission control for sources: refuses what the packager cannot honestly package before FFmpeg decodes a single
 * picture of it, with one {@link SourceRefusedException} whose message is {@code <file name>: <reason>}.
 *
 * <p>In order, {@link #admit}:
 * <ol>
 *   <li>opens the file with libavformat allowed to read that local file only ({@code protocol_whitelist=file}:
 *       no playlist, {@code concat} list or reference inside can make FFmpeg fetch a URL or another file) and with
 *       one of the video containers in {@link #CONTAINERS} only ({@code format_whitelist}). Anything else, an
 *       image above all (a PNG renamed {@code .mp4} is FFmpeg's {@code png_pipe}, one "frame" of 0 seconds), is
 *       refused, naming what FFmpeg took it for;</li>
 *   <li>reads, from the container header alone, each video stream's declared picture size and, for H.264 and
 *       HEVC, the sequence parameter sets of its decoder configuration ({@link SequenceParameterSet}): a level
 *       the standard does not define, a coded picture beyond the standard's largest level, or one beyond
 *       {@link InputLimits} is refused here, before any decoder exists;</li>
 *   <li>lets libavformat find the stream parameters ({@code avformat_find_stream_info}, which decodes a few
 *       frames) with every decoder bounded to {@link InputLimits#maxPixels()} ({@code max_pixels}: a frame buffer
 *       beyond it is never allocated), for streams whose header says nothing (MPEG-TS);</li>
 *   <li>checks what was found: at least one decodable video stream with a positive duration, its picture size and
 *       duration within {@link InputLimits}, and again its parameter sets (MPEG-TS has them only now);</li>
 *   <li>demuxes (does not decode) the first seconds of that stream and checks the frame rate its timestamps show
 *       against {@link InputLimits#maxFrameRate()}: the container's own figure is metadata, and for variable
 *       frame rate Matroska merely its time base.</li>
 * </ol>
 * What passes is the {@link MediaInfo} of {@link SourceProbe#probe}. Thread-safe (no shared state).
 */
public final class SourceGate {
    /**
     * The containers accepted, by libavformat demuxer name (as {@code format_whitelist} matches them) → the name
     * editors know. What video services take from uploaders; no image formats, no playlists, no raw elementary
     * streams (no container, so no trustworthy timing).
     */
    public static final Map<String, String> CONTAINERS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mov", "MP4/MOV/3GP");
        m.put("matroska", "Matroska/WebM");
        m.put("mpegts", "MPEG-TS");
        m.put("mpeg", "MPEG-PS");
        m.put("avi", "AVI");
        m.put("flv", "FLV");
        m.put("asf", "ASF/WMV");
        m.put("mxf", "MXF");
        m.put("ogg", "Ogg");
        CONTAINERS = java.util.Collections.unmodifiableMap(m);
    }

    /** Bytes read to tell what a refused file is ({@code av_probe_input_format3}); libavformat probes 1 MiB too. */
    private static final int SNIFF_BYTES = 1 << 20;
    /**
     * Slack on the coded picture size read from parameter sets: they give it in whole blocks (16-pixel macroblocks,
     * HEVC coding blocks of up to 64), the cropping to the displayed size comes later. Exact sizes are checked
     * after probing.
     */
    private static final int CODED_SLACK = 63;
    /** At most this many video packets are demuxed to measure the frame rate. */
    private static final int RATE_PACKETS = 1000;
    /** At most this much presentation time is demuxed to measure the frame rate, seconds. */
    private static final double RATE_SECONDS = 10;

    private SourceGate() {
    }

    /**
     * @param file the source
     * @param limits what a source may claim
     * @return its description, when admitted
     * @throws SourceRefusedException when the source is refused (see the class comment)
     * @throws PackagingException when it cannot be read at all (missing, empty, corrupt); messages name the file
     *                            by its name only
     */
    public static MediaInfo admit(Path file, InputLimits limits) {
        Ffmpeg.init();
        String label = SourceRefusedException.name(file);
        SourceProbe.checkReadable(file, label);
        AVFormatContext fmt;
        try {
            fmt = SourceProbe.openInput(file, label, String.join(",", CONTAINERS.keySet()));
        } catch (SourceProbe.OpenFailed e) {
            String what = recognise(file, label);
            if (what != null) {
                throw new SourceRefusedException(file, "not a video file: FFmpeg reads it as " + what
                        + "; the containers accepted are " + String.join(", ", CONTAINERS.values()));
            }
            throw e;
        }
        try {
            String demuxer = fmt.iformat().name().getString();
            if (CONTAINERS.keySet().stream().noneMatch(c -> List.of(demuxer.split(",")).contains(c))) {
                throw new SourceRefusedException(file, "not a video container (" + demuxer + ")");
            }
            for (int i = 0; i < fmt.nb_streams(); i++) {
                checkHeader(file, fmt.streams(i), i, limits);
            }
            SourceProbe.findStreamInfo(fmt, label, limits.maxPixels());
            MediaInfo info = SourceProbe.describe(file, label, fmt);
            checkStreams(file, fmt, info, limits);
            return info;
        } finally {
            avformat_close_input(fmt);
        }
    }

    /** What the container header says of one video stream, before anything is decoded. */
    private static void checkHeader(Path file, AVStream st, int index, InputLimits limits) {
        AVCodecParameters par = st.codecpar();
        if (par.codec_type() != AVMEDIA_TYPE_VIDEO || (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0) {
            return;
        }
        String where = "video stream " + index + ": ";
        if (par.width() > 0 && par.height() > 0) {
            String p = sizeProblem(par.width(), par.height(), limits, 0, "the container declares");
            if (p != null) {
                throw new SourceRefusedException(file, where + p);
            }
        }
        checkParameterSets(file, par, where, limits);
    }

    /** The stream's H.264 / HEVC sequence parameter sets, against the standard and the limits. */
    private static void checkParameterSets(Path file, AVCodecParameters par, String where, InputLimits limits) {
        if (par.extradata() == null || par.extradata_size() <= 0) {
            return;
        }
        String codec = avcodec_get_name(par.codec_id()).getString();
        byte[] extra = new byte[par.extradata_size()];
        par.extradata().get(extra);
        List<SequenceParameterSet> sets;
        try {
            sets = SequenceParameterSet.fromExtradata(codec, extra);
        } catch (IllegalArgumentException e) {
            throw new SourceRefusedException(file, where + "its " + codec + " decoder configuration does not parse ("
                    + e.getMessage() + ")");
        }
        for (SequenceParameterSet sps : sets) {
            String p = sps.beyondStandard();
            if (p == null) {
                p = sizeProblem(sps.codedWidth(), sps.codedHeight(), limits, CODED_SLACK,
                        "its " + (codec.equals("h264") ? "H.264" : "HEVC") + " sequence parameter set claims");
            }
            if (p != null) {
                throw new SourceRefusedException(file, where + p);
            }
        }
    }

    /** What probing found: a real video stream with a duration, within the limits. */
    private static void checkStreams(Path file, AVFormatContext fmt, MediaInfo info, InputLimits limits) {
        VideoStreamInfo v = info.primaryVideo().orElseThrow(() -> new SourceRefusedException(file,
                "no video stream to package (only " + describe(info) + ")"));
        AVStream st = fmt.streams(v.index());
        String where = info.video().size() > 1 ? "video stream " + v.index() + ": " : "";
        String p = sizeProblem(v.width(), v.height(), limits, 0, "the picture is");
        if (p != null) {
            throw new SourceRefusedException(file, where + p);
        }
        checkParameterSets(file, st.codecpar(), where, limits);
        // The container's frame rate is metadata (Matroska derives 1000 fps from its 1 ms time base for any variable
        // rate video): the rate that costs decoding time is the one the timestamps show.
        double[] measured = measureFrameRate(fmt, v.index());
        if (measured[0] > limits.maxFrameRate() * 1.01) {
            throw new SourceRefusedException(file, String.format(Locale.ROOT, "%sthe frame rate is %s fps over the"
                    + " first %.1f s, above the %d fps accepted (packager.limits.maxFrameRate)", where,
                    decimal(measured[0]), measured[1], limits.maxFrameRate()));
        }
        double videoSeconds = st.duration() != AV_NOPTS_VALUE && st.duration() > 0
                ? st.duration() * SourceProbe.q(st.time_base()) : info.durationSeconds();
        if (!(videoSeconds > 0)) {
            throw new SourceRefusedException(file, where + "the video has no duration (a single picture, or no"
                    + " frames at all)");
        }
        double seconds = Math.max(videoSeconds, info.durationSeconds());
        if (seconds > limits.maxDuration().toMillis() / 1000.0) {
            throw new SourceRefusedException(file, "it lasts " + clock(seconds) + ", longer than the "
                    + human(limits.maxDuration()) + " accepted (packager.limits.maxDuration)");
        }
    }

    /**
     * Demuxes (never decodes) the first packets of a video stream, up to {@link #RATE_PACKETS} of them or
     * {@link #RATE_SECONDS} of presentation time, and counts frames per second of their timestamps. Leaves the
     * context read: the caller closes it.
     *
     * @return {frames per second, seconds measured}; {0, 0} when fewer than two packets carry a timestamp
     */
    private static double[] measureFrameRate(AVFormatContext fmt, int index) {
        for (int i = 0; i < fmt.nb_streams(); i++) {
            if (i != index) {
                fmt.streams(i).discard(AVDISCARD_ALL);
            }
        }
        double tb = SourceProbe.q(fmt.streams(index).time_base());
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int n = 0;
        AVPacket pkt = av_packet_alloc();
        try {
            while (n < RATE_PACKETS && av_read_frame(fmt, pkt) >= 0) {
                try {
                    long t = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                    if (pkt.stream_index() != index || t == AV_NOPTS_VALUE) {
                        continue;
                    }
                    n++;
                    min = Math.min(min, t);
                    max = Math.max(max, t);
                    if ((max - min) * tb >= RATE_SECONDS) {
                        break;
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
        } finally {
            av_packet_free(pkt);
        }
        double seconds = n < 2 ? 0 : (max - min) * tb;
        return seconds > 0 ? new double[]{(n - 1) / seconds, seconds} : new double[]{0, 0};
    }

    /** @return {@code 50} or {@code 29.97} */
    private static String decimal(double x) {
        String s = String.format(Locale.ROOT, "%.2f", x);
        return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
    }

    /**
     * @param slack pixels a side the picture may exceed the limits by (block-rounded coded sizes)
     * @param claim how the sentence starts ("the picture is")
     * @return what is wrong with a {@code w}x{@code h} picture, or null
     */
    private static String sizeProblem(long w, long h, InputLimits l, int slack, String claim) {
        long longer = Math.max(w, h);
        long shorter = Math.min(w, h);
        if (longer > l.maxWidth() + slack || shorter > l.maxHeight() + slack) {
            return claim + " " + w + "x" + h + ", larger than the " + l.maxWidth() + "x" + l.maxHeight()
                    + " accepted, in either orientation (packager.limits.maxWidth, maxHeight)";
        }
        if (Math.max(0, w - slack) * Math.max(0, h - slack) > l.maxPixels()) {
            return String.format(Locale.ROOT, "%s %dx%d, %,d pixels, more than the %,d accepted"
                    + " (packager.limits.maxPixels)", claim, w, h, w * h, l.maxPixels());
        }
        return null;
    }

    private static String describe(MediaInfo info) {
        List<String> parts = new java.util.ArrayList<>();
        if (!info.audio().isEmpty()) {
            parts.add("audio: " + String.join(", ", info.audio().stream().map(AudioStreamInfo::codec).toList()));
        }
        if (!info.subtitles().isEmpty()) {
            parts.add("subtitles: " + String.join(", ", info.subtitles().stream().map(SubtitleStreamInfo::codec)
                    .toList()));
        }
        return parts.isEmpty() ? "nothing decodable" : String.join("; ", parts);
    }

    /**
     * Tells what a file libavformat refused to open is, from its first bytes, when some demuxer is fairly sure
     * (a score above {@code AVPROBE_SCORE_RETRY}): no demuxer is opened, nothing but the probe functions run.
     *
     * @return e.g. {@code "piped png sequence" (png_pipe), an image format}, or null when nothing is sure or the
     *         format is an accepted container (then the file is broken, not foreign)
     */
    private static String recognise(Path file, String label) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            return null;
        }
        try (BytePointer buf = new BytePointer((long) head.length + AVPROBE_PADDING_SIZE);
             BytePointer name = new BytePointer(label);
             IntPointer score = new IntPointer(1L);
             AVProbeData pd = new AVProbeData()) {
            buf.zero();
            buf.put(head);
            pd.filename(name).buf(buf).buf_size(head.length).mime_type(null);
            AVInputFormat f = av_probe_input_format3(pd, 1, score);
            if (f == null || f.isNull() || score.get() <= AVPROBE_SCORE_RETRY) {
                return null;
            }
            String demuxer = f.name().getString();
            if (CONTAINERS.keySet().stream().anyMatch(c -> List.of(demuxer.split(",")).contains(c))) {
                return null;
            }
            String longName = f.long_name() == null || f.long_name().isNull() ? demuxer : f.long_name().getString();
            boolean image = demuxer.endsWith("_pipe") || demuxer.startsWith("image2")
                    || List.of("gif", "apng", "ico", "jpegxl_anim", "alias_pix", "brender_pix").contains(demuxer);
            return "\"" + longName + "\" (" + demuxer + ")" + (image ? ", an image format" : "");
        }
    }

    /** @return seconds as {@code 3.0 s}, or {@code 1:02:03} from a minute on */
    private static String clock(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** @return a limit as {@code 12 h}, {@code 90 min}, {@code 2 s} */
    private static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s % 60 == 0) {
            return s / 60 + " min";
        }
        return d.toMillis() % 1000 == 0 ? s + " s" : d.toMillis() + " ms";
    }
}
