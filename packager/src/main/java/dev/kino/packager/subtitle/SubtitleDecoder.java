package dev.kino.packager.subtitle;

import dev.kino.packager.PackagingException;
import dev.kino.packager.source.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avcodec.AVSubtitleRect;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Decodes one text subtitle stream (SubRip, ASS/SSA, WebVTT, mov_text, …) with {@code avcodec_decode_subtitle2},
 * which turns every text codec into ASS dialogue lines; their text field becomes plain cue text
 * ({@link WebVtt#assToText}).
 *
 * <p>Times are exact to the millisecond on the stream's own timeline (the container's presentation times): start
 * = packet pts + {@code start_display_time}; end = packet pts + packet duration (rescaled together, so no rounding
 * accumulates), else {@code end_display_time}, else the next cue's start (at most 5 s later). Cues with no text
 * left are dropped.
 */
public final class SubtitleDecoder implements AutoCloseable {
    /** Longest cue when a packet gives no end time and no next cue follows, milliseconds. */
    static final long OPEN_END_MS = 5000;
    private static final AVRational MS = av_make_q(1, 1000);

    private final String what;
    private final AVRational tb;
    private AVCodecContext dec;
    private final List<long[]> times = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    /**
     * @param stream a text subtitle stream of an open demuxer
     * @param what names the stream in error messages
     * @throws PackagingException when there is no decoder for it
     */
    public SubtitleDecoder(AVStream stream, String what) {
        Ffmpeg.init();
        this.what = what;
        this.tb = av_make_q(stream.time_base().num(), stream.time_base().den());
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        if (codec == null || codec.isNull()) {
            throw new PackagingException(what + ": no subtitle decoder for "
                    + avcodec_get_name(stream.codecpar().codec_id()).getString());
        }
        dec = avcodec_alloc_context3(codec);
        Ffmpeg.check(avcodec_parameters_to_context(dec, stream.codecpar()), what + ": bad subtitle parameters");
        dec.pkt_timebase(stream.time_base());
        int ret = avcodec_open2(dec, codec, (AVDictionary) null);
        if (ret < 0) {
            avcodec_free_context(dec);
            dec = null;
            throw new PackagingException(what + ": cannot open the subtitle decoder: " + Ffmpeg.errorText(ret));
        }
    }

    /**
     * Decodes one packet of this stream. A packet that does not decode is skipped, as players do.
     *
     * @param pkt a packet (not freed here)
     */
    public void packet(AVPacket pkt) {
        if (pkt.pts() == AV_NOPTS_VALUE && pkt.dts() == AV_NOPTS_VALUE) {
            return;
        }
        long pts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
        try (AVSubtitle sub = new AVSubtitle()) {
            int[] got = new int[1];
            int ret = avcodec_decode_subtitle2(dec, sub, got, pkt);
            if (ret < 0 || got[0] == 0) {
                return;
            }
            try {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < sub.num_rects(); i++) {
                    AVSubtitleRect r = sub.rects(i);
                    String t = null;
                    if (r.type() == SUBTITLE_ASS && r.ass() != null && !r.ass().isNull()) {
                        t = WebVtt.assToText(dialogueText(r.ass().getString("UTF-8")));
                    } else if (r.type() == SUBTITLE_TEXT && r.text() != null && !r.text().isNull()) {
                        t = r.text().getString("UTF-8").strip();
                    }
                    if (t != null && !t.isEmpty()) {
                        if (!text.isEmpty()) {
                            text.append('\n');
                        }
                        text.append(t);
                    }
                }
                if (text.isEmpty()) {
                    return;
                }
                long startDisplay = sub.start_display_time() & 0xFFFFFFFFL;
                long endDisplay = sub.end_display_time() & 0xFFFFFFFFL;
                long start = av_rescale_q(pts, tb, MS) + startDisplay;
                long end;
                if (pkt.duration() > 0) {
                    end = av_rescale_q(pts + pkt.duration(), tb, MS);
                } else if (endDisplay > startDisplay && endDisplay != 0xFFFFFFFFL) {
                    end = start - startDisplay + endDisplay;
                } else {
                    end = Long.MIN_VALUE; // open: closed by the next cue
                }
                times.add(new long[]{start, end});
                texts.add(text.toString());
            } finally {
                avsubtitle_free(sub);
            }
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The text field of an ASS event line as FFmpeg decoders give it
     * ({@code ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text}); an older {@code Dialogue:} line
     * (with start and end before the style) is handled too.
     */
    static String dialogueText(String ass) {
        String line = ass.strip();
        int fields = 9;
        if (line.startsWith("Dialogue:")) {
            line = line.substring(9).strip();
            fields = 10;
        }
        String[] parts = line.split(",", fields);
        return parts.length == fields ? parts[fields - 1] : line;
    }

    /**
     * @param originMs the container time, milliseconds, that becomes 0 on the title timeline
     * @param endMs the title's end, milliseconds: cues are cut there, later ones dropped
     * @return the cues on the title timeline, sorted by start; cues ending before 0 dropped, starts clamped to 0
     */
    public List<SubtitleCue> cues(long originMs, long endMs) {
        return shift(times, texts, originMs, endMs);
    }

    static List<SubtitleCue> shift(List<long[]> times, List<String> texts, long originMs, long endMs) {
        Integer[] order = new Integer[times.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(times.get(a)[0], times.get(b)[0]));
        List<SubtitleCue> out = new ArrayList<>();
        for (int k = 0; k < order.length; k++) {
            long[] t = times.get(order[k]);
            long end = t[1];
            if (end == Long.MIN_VALUE) {
                end = t[0] + OPEN_END_MS;
                if (k + 1 < order.length) {
                    end = Math.min(end, times.get(order[k + 1])[0]);
                }
            }
            long s = Math.max(0, t[0] - originMs);
            long e = Math.min(endMs, end - originMs);
            if (e > s) {
                out.add(new SubtitleCue(s, e, texts.get(order[k])));
            }
        }
        return out;
    }

    /** @return what this decoder reads, for messages */
    public String what() {
        return what;
    }

    @Override
    public void close() {
        if (dec != null) {
            avcodec_free_context(dec);
            dec = null;
        }
    }
}
