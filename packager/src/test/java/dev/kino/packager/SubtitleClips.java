package dev.kino.packager;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/** Sources with embedded text subtitle streams, muxed with libavformat (video and audio copied from a clip). */
public final class SubtitleClips {
    private SubtitleClips() {
    }

    /** One subtitle event: times in milliseconds, the packet payload as the container stores it. */
    public record Event(long startMs, long endMs, String payload) {
    }

    /** One subtitle stream to add. */
    public record Sub(int codecId, String language, String header, List<Event> events) {
    }

    /** The ASS script header a Matroska ASS track carries as codec private data. */
    public static final String ASS_HEADER = "[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n"
            + "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
            + "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
            + "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\nStyle: Default,Arial,16,&Hffffff,&Hffffff,"
            + "&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\n\n[Events]\nFormat: Layer, Start, End, Style, Name, "
            + "MarginL, MarginR, MarginV, Effect, Text\n";

    /** MKV: {@link Clips#mp4()}'s video and audio, an English SubRip stream and a French ASS stream. */
    public static Path mkv() {
        return cachedMux("subs.mkv", "matroska", List.of(
                new Sub(AV_CODEC_ID_SUBRIP, "eng", null, List.of(
                        new Event(500, 1250, "Hello <i>world</i>"),
                        new Event(1500, 2000, "Second line\nand a third"))),
                new Sub(AV_CODEC_ID_ASS, "fre", ASS_HEADER, List.of(
                        new Event(250, 999, "0,0,Default,,0,0,0,,{\\i1}Bonjour{\\i0}\\Nle {\\pos(10,20)}monde"),
                        new Event(2100, 2900, "1,0,Default,,0,0,0,,a < b & c")))));
    }

    /** MP4: {@link Clips#mp4()}'s video and audio and a Spanish mov_text (3GPP timed text) stream. */
    public static Path movText() {
        return cachedMux("subs-movtext.mp4", "mp4", List.of(
                new Sub(AV_CODEC_ID_MOV_TEXT, "spa", null, List.of(
                        new Event(1000, 2500, "Hola")))));
    }

    private static Path cachedMux(String name, String format, List<Sub> subs) {
        Path p = Clips.dir().resolve(name);
        synchronized (SubtitleClips.class) {
            if (!java.nio.file.Files.exists(p)) {
                mux(p, format, Clips.mp4(), subs);
            }
        }
        return p;
    }

    /** Copies all streams of {@code av} (with their tags) and adds the subtitle streams. */
    public static void mux(Path out, String format, Path av, List<Sub> subs) {
        AVFormatContext in = new AVFormatContext(null);
        AVFormatContext oc = new AVFormatContext(null);
        check(avformat_open_input(in, av.toString(), null, null));
        check(avformat_find_stream_info(in, (org.bytedeco.javacpp.PointerPointer<?>) null));
        check(avformat_alloc_output_context2(oc, null, format, out.toString()));
        AVPacket pkt = av_packet_alloc();
        try {
            int n = in.nb_streams();
            for (int i = 0; i < n; i++) {
                AVStream os = avformat_new_stream(oc, null);
                check(avcodec_parameters_copy(os.codecpar(), in.streams(i).codecpar()));
                os.codecpar().codec_tag(0);
                os.time_base(in.streams(i).time_base());
                // keep the copied streams' tags (their language above all), as a real remux does
                AVDictionary tags = new AVDictionary(null);
                av_dict_copy(tags, in.streams(i).metadata(), 0);
                os.metadata(tags);
            }
            for (Sub s : subs) {
                AVStream os = avformat_new_stream(oc, null);
                os.codecpar().codec_type(AVMEDIA_TYPE_SUBTITLE);
                os.codecpar().codec_id(s.codecId());
                os.time_base(av_make_q(1, 1000));
                if (s.header() != null) {
                    byte[] h = s.header().getBytes(StandardCharsets.UTF_8);
                    BytePointer ex = new BytePointer(av_mallocz(h.length + AV_INPUT_BUFFER_PADDING_SIZE));
                    ex.put(h, 0, h.length);
                    os.codecpar().extradata(ex);
                    os.codecpar().extradata_size(h.length);
                }
                AVDictionary d = new AVDictionary(null);
                av_dict_set(d, "language", s.language(), 0);
                os.metadata(d);
            }
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE));
            oc.pb(pb);
            check(avformat_write_header(oc, (AVDictionary) null));
            List<long[]> order = new ArrayList<>();
            for (int k = 0; k < subs.size(); k++) {
                for (int e = 0; e < subs.get(k).events().size(); e++) {
                    order.add(new long[]{subs.get(k).events().get(e).startMs(), k, e});
                }
            }
            order.sort((a, b) -> Long.compare(a[0], b[0]));
            int next = 0;
            while (av_read_frame(in, pkt) >= 0) {
                int si = pkt.stream_index();
                double t = pkt.dts() * av_q2d(in.streams(si).time_base());
                while (next < order.size() && order.get(next)[0] / 1000.0 <= t) {
                    writeSub(oc, n, subs, order.get(next++));
                }
                av_packet_rescale_ts(pkt, in.streams(si).time_base(), oc.streams(si).time_base());
                pkt.pos(-1);
                check(av_interleaved_write_frame(oc, pkt));
            }
            while (next < order.size()) {
                writeSub(oc, n, subs, order.get(next++));
            }
            check(av_write_trailer(oc));
        } finally {
            av_packet_free(pkt);
            avformat_close_input(in);
            avio_closep(oc.pb());
            avformat_free_context(oc);
        }
    }

    private static void writeSub(AVFormatContext oc, int firstSub, List<Sub> subs, long[] which) {
        Sub s = subs.get((int) which[1]);
        Event e = s.events().get((int) which[2]);
        byte[] text = e.payload().getBytes(StandardCharsets.UTF_8);
        byte[] data = text;
        if (s.codecId() == AV_CODEC_ID_MOV_TEXT) {
            data = new byte[text.length + 2];
            data[0] = (byte) (text.length >> 8);
            data[1] = (byte) text.length;
            System.arraycopy(text, 0, data, 2, text.length);
        }
        AVPacket p = av_packet_alloc();
        try {
            check(av_new_packet(p, data.length));
            p.data().put(data, 0, data.length);
            int idx = firstSub + (int) which[1];
            AVStream st = oc.streams(idx);
            p.stream_index(idx);
            p.pts(av_rescale_q(e.startMs(), av_make_q(1, 1000), st.time_base()));
            p.dts(p.pts());
            p.duration(av_rescale_q(e.endMs() - e.startMs(), av_make_q(1, 1000), st.time_base()));
            p.flags(AV_PKT_FLAG_KEY);
            check(av_interleaved_write_frame(oc, p));
        } finally {
            av_packet_free(p);
        }
    }

    private static void check(int r) {
        if (r < 0) {
            throw new IllegalStateException("ffmpeg error " + r);
        }
    }
}
