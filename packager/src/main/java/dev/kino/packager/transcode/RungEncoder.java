package dev.kino.packager.transcode;

import dev.kino.packager.PackagingException;
import dev.kino.packager.ladder.Ladder;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.media.TrackKind;
import dev.kino.packager.source.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

/**
 * Scales and encodes one rung on its own thread, fed by the demuxing thread through a bounded queue of
 * reference-counted frames. Timestamps are 90 kHz ticks; IDRs are forced at the frames the demuxing thread marks
 * as GOP boundaries.
 */
final class RungEncoder implements Runnable {
    static final int TIMESCALE = 90_000;
    private static final int QUEUE = 6;

    /**
     * A queued frame: a reference the encoder thread must free, or the end marker (frame null).
     *
     * @param pts presentation time, 90 kHz ticks
     * @param idr a GOP boundary: the encoder forces an IDR here
     * @param halfRate whether a half-frame-rate rung keeps this frame (a boundary or every other frame after it)
     */
    record Item(AVFrame frame, long pts, boolean idr, boolean halfRate) {
        static final Item END = new Item(null, 0, false, false);
    }

    private final Rung rung;
    private final Ladder ladder;
    private final String encoderName;
    private final int threads;
    private final String preset;
    private final TrackSink sink;
    private final String what;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
    private final List<RungEncoder> children = new ArrayList<>();
    private final long frameTicks;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private TrackFormat format;
    private long lastPts = Long.MIN_VALUE;
    private long dtsShift = Long.MIN_VALUE;
    private PendingPacket pending;

    private record PendingPacket(long dts, long pts, boolean key, byte[] data) {
    }

    RungEncoder(Rung rung, Ladder ladder, String encoderName, int threads, String preset, TrackSink sink, String what) {
        this.rung = rung;
        this.ladder = ladder;
        this.encoderName = encoderName;
        this.threads = threads;
        this.preset = preset;
        this.sink = sink;
        this.what = what;
        this.frameTicks = Math.max(1, Math.round(TIMESCALE * rung.frameRate().frameSeconds()));
    }

    Rung rung() {
        return rung;
    }

    TrackFormat format() {
        return format;
    }

    Throwable failure() {
        return failure;
    }

    /**
     * Makes this rung scale {@code child}'s frames from its own scaled pictures instead of the decoded source
     * (cheaper: the benchmark's 480p and 360p rungs scaled from 720p cost half the scaling CPU of scaling them from
     * 1080p). Call before the thread starts.
     *
     * @param child a smaller rung that keeps a subset of this rung's frames (not full rate under a half-rate rung)
     */
    void feed(RungEncoder child) {
        children.add(child);
    }

    /** @return the rungs this one feeds with its scaled pictures */
    List<RungEncoder> children() {
        return List.copyOf(children);
    }

    /** @param item a frame of the source @return whether this rung encodes it */
    boolean keeps(Item item) {
        return !rung.halfRate() || item.halfRate();
    }

    /** Stops the worker without finishing the stream (cancel or failure elsewhere). */
    void abort() {
        aborted = true;
    }

    /**
     * Queues a frame reference (ownership passes to this encoder), waiting while the queue is full.
     *
     * @return false when the encoder has failed or was aborted (the frame was freed)
     */
    boolean offer(Item item) throws InterruptedException {
        while (failure == null && !aborted) {
            if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        if (item.frame() != null) {
            av_frame_free(item.frame());
        }
        return false;
    }

    @Override
    public void run() {
        AVCodecContext enc = null;
        SwsContext sws = null;
        AVFrame scaled = null;
        AVPacket pkt = null;
        try {
            enc = open();
            scaled = av_frame_alloc();
            scaled.format(AV_PIX_FMT_YUV420P);
            scaled.width(rung.width());
            scaled.height(rung.height());
            Ffmpeg.check(av_frame_get_buffer(scaled, 0), what + ": cannot allocate a frame");
            pkt = av_packet_alloc();
            while (true) {
                Item item = queue.poll(50, TimeUnit.MILLISECONDS);
                if (aborted) {
                    if (item != null && item.frame() != null) {
                        av_frame_free(item.frame());
                    }
                    return;
                }
                if (item == null) {
                    continue;
                }
                if (item.frame() == null) {
                    break; // end of stream
                }
                AVFrame src = item.frame();
                long pts = item.pts() <= lastPts ? lastPts + 1 : item.pts();
                lastPts = pts;
                if (src.width() == rung.width() && src.height() == rung.height() && src.format() == AV_PIX_FMT_YUV420P) {
                    // Same size and format: the scaler would only copy the picture (and x264 copies it again), so
                    // the decoded frame goes to the encoder as is, stripped of what the scaled frame would not carry.
                    try {
                        share(src, item);
                        asScaled(src);
                        src.pts(pts);
                        src.pict_type(item.idr() ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
                        Ffmpeg.check(avcodec_send_frame(enc, src), what + ": encoder refused a frame");
                    } finally {
                        av_frame_free(src);
                    }
                    drain(enc, pkt);
                    continue;
                }
                // With children the scaled picture is shared with them (by reference), so each frame gets its own
                // buffer; without, one buffer is reused (x264 has copied the picture when send_frame returns).
                AVFrame out = children.isEmpty() ? scaled : newPicture();
                try {
                    try {
                        sws = sws_getCachedContext(sws, src.width(), src.height(), src.format(), rung.width(),
                                rung.height(), AV_PIX_FMT_YUV420P, SWS_BICUBIC, null, null, (DoublePointer) null);
                        if (sws == null || sws.isNull()) {
                            throw new PackagingException(what + ": cannot scale " + src.width() + "x" + src.height());
                        }
                        Ffmpeg.check(av_frame_make_writable(out), what + ": cannot make the frame writable");
                        sws_scale(sws, src.data(), src.linesize(), 0, src.height(), out.data(), out.linesize());
                    } finally {
                        av_frame_free(src);
                    }
                    share(out, item);
                    out.pts(pts);
                    out.pict_type(item.idr() ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
                    Ffmpeg.check(avcodec_send_frame(enc, out), what + ": encoder refused a frame");
                } finally {
                    if (out != scaled) {
                        av_frame_free(out);
                    }
                }
                drain(enc, pkt);
            }
            for (RungEncoder child : children) {
                child.offer(Item.END);
            }
            Ffmpeg.check(avcodec_send_frame(enc, null), what + ": cannot flush the encoder");
            drain(enc, pkt);
            if (pending != null) {
                emit(pending, frameTicks);
                pending = null;
            }
            sink.end();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (Throwable t) {
            failure = t;
        } finally {
            Item left;
            while ((left = queue.poll()) != null) {
                if (left.frame() != null) {
                    av_frame_free(left.frame());
                }
            }
            if (pkt != null) {
                av_packet_free(pkt);
            }
            if (scaled != null) {
                av_frame_free(scaled);
            }
            if (sws != null) {
                sws_freeContext(sws);
            }
            if (enc != null) {
                avcodec_free_context(enc);
            }
        }
    }

    /** Hands a reference to {@code picture} to each child rung that keeps this frame. */
    private void share(AVFrame picture, Item item) throws InterruptedException {
        for (RungEncoder child : children) {
            if (child.keeps(item)) {
                AVFrame ref = av_frame_clone(picture);
                if (ref == null || ref.isNull()) {
                    throw new PackagingException(what + ": out of memory for a video frame");
                }
                child.offer(new Item(ref, item.pts(), item.idr(), item.halfRate()));
            }
        }
    }

    private AVFrame newPicture() {
        AVFrame f = av_frame_alloc();
        if (f == null || f.isNull()) {
            throw new PackagingException(what + ": out of memory for a video frame");
        }
        f.format(AV_PIX_FMT_YUV420P);
        f.width(rung.width());
        f.height(rung.height());
        int ret = av_frame_get_buffer(f, 0);
        if (ret < 0) {
            av_frame_free(f);
            Ffmpeg.check(ret, what + ": cannot allocate a frame");
        }
        return f;
    }

    /**
     * Makes a decoded frame look like a freshly scaled one to the encoder: no side data (captions, HDR metadata),
     * no interlacing or key flags, unspecified sample aspect ratio and colour description (the encoder context
     * carries those), so the direct path encodes exactly as the scaled path would.
     */
    private static void asScaled(AVFrame f) {
        while (f.nb_side_data() > 0) {
            av_frame_remove_side_data(f, f.side_data(0).type());
        }
        f.flags(0);
        f.sample_aspect_ratio(av_make_q(0, 1));
        f.color_range(AVCOL_RANGE_UNSPECIFIED);
        f.colorspace(AVCOL_SPC_UNSPECIFIED);
        f.color_primaries(AVCOL_PRI_UNSPECIFIED);
        f.color_trc(AVCOL_TRC_UNSPECIFIED);
        f.chroma_location(AVCHROMA_LOC_UNSPECIFIED);
        f.crop_top(0);
        f.crop_bottom(0);
        f.crop_left(0);
        f.crop_right(0);
    }

    private AVCodecContext open() {
        AVCodec codec = avcodec_find_encoder_by_name(encoderName);
        AVCodecContext c = avcodec_alloc_context3(codec);
        if (c == null || c.isNull()) {
            throw new PackagingException(what + ": cannot allocate the " + encoderName + " encoder");
        }
        int gopFrames = Math.max(1, (int) Math.round(ladder.gopSeconds() * rung.frameRate().fps()));
        c.width(rung.width());
        c.height(rung.height());
        c.pix_fmt(AV_PIX_FMT_YUV420P);
        c.time_base(av_make_q(1, TIMESCALE));
        c.framerate(av_make_q(Math.toIntExact(rung.frameRate().numerator()), Math.toIntExact(rung.frameRate().denominator())));
        c.sample_aspect_ratio(av_make_q(1, 1));
        c.bit_rate(rung.bitrate());
        c.rc_max_rate(rung.maxBitrate());
        c.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, rung.bufferBits()));
        // Our forced IDRs come first; the encoder's own keyframe interval is only a safety net past them.
        c.gop_size(gopFrames * 2 + 1);
        c.keyint_min(gopFrames);
        c.max_b_frames(ladder.bFrames());
        c.thread_count(threads);
        c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER | AV_CODEC_FLAG_CLOSED_GOP);
        c.profile(AV_PROFILE_H264_HIGH);
        AVDictionary opts = new AVDictionary(null);
        try {
            if (encoderName.equals("libx264")) {
                av_dict_set(opts, "preset", preset, 0);
                av_dict_set(opts, "profile", "high", 0);
                av_dict_set(opts, "forced-idr", "1", 0);
                av_dict_set(opts, "x264-params", "scenecut=0:open-gop=0:repeat-headers=0:aud=0", 0);
            } else {
                av_dict_set(opts, "profile", "high", 0);
                av_dict_set(opts, "allow_skip_frames", "0", 0);
            }
            int ret = avcodec_open2(c, codec, opts);
            if (ret < 0) {
                avcodec_free_context(c);
                throw new PackagingException(what + ": cannot open the " + encoderName + " encoder at "
                        + rung.width() + "x" + rung.height() + ": " + Ffmpeg.errorText(ret));
            }
        } finally {
            av_dict_free(opts);
        }
        if (c.extradata() == null || c.extradata_size() <= 0) {
            avcodec_free_context(c);
            throw new PackagingException(what + ": " + encoderName + " gave no SPS/PPS (global header)");
        }
        byte[] extra = new byte[c.extradata_size()];
        c.extradata().get(extra);
        byte[] avcC = H264.avcC(extra);
        format = new TrackFormat(TrackKind.VIDEO, "avc1", H264.codecs(avcC), TIMESCALE, rung.width(), rung.height(),
                0, 0, avcC, "und", rung.bitrate());
        sink.format(format);
        return c;
    }

    private void drain(AVCodecContext enc, AVPacket pkt) {
        while (true) {
            int ret = avcodec_receive_packet(enc, pkt);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            Ffmpeg.check(ret, what + ": encoding failed");
            try {
                byte[] data = new byte[pkt.size()];
                pkt.data().get(data);
                long pts = pkt.pts();
                long dts = pkt.dts() == AV_NOPTS_VALUE ? pts : pkt.dts();
                if (dtsShift == Long.MIN_VALUE) {
                    // B-frame reordering makes the first dts negative; shift decode times to start at 0 and keep
                    // presentation times (the composition offsets may become negative: trun version 1).
                    dtsShift = -Math.min(0, dts);
                }
                PendingPacket p = new PendingPacket(dts + dtsShift, pts, (pkt.flags() & AV_PKT_FLAG_KEY) != 0,
                        H264.toAvccSample(data));
                if (pending != null) {
                    emit(pending, Math.max(1, p.dts() - pending.dts()));
                }
                pending = p;
            } finally {
                av_packet_unref(pkt);
            }
        }
    }

    private void emit(PendingPacket p, long duration) {
        sink.sample(new EncodedSample(p.dts(), p.pts(), duration, p.key(), p.data()));
    }

    static AVRational q(int num, int den) {
        return av_make_q(num, den);
    }

    @SuppressWarnings("unused")
    private static String str(BytePointer p) {
        return p == null || p.isNull() ? "" : p.getString();
    }
}
