package dev.kino.packager.transcode;

import dev.kino.packager.ladder.Rung;
import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.media.TrackKind;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

/**
 * A rung made of the source's own H.264 packets ({@link SourceRemux}), fed on the demuxing thread: each packet
 * becomes one sample, timed on the title timeline exactly as the decoded frames are (90 kHz ticks from the first
 * frame's presentation time), decode times shifted to start at 0 as the encoders' are.
 */
final class RemuxRung {
    private final Rung rung;
    private final SourceRemux.Plan plan;
    private final AVRational tb;
    private final AVRational ticks = av_make_q(1, RungEncoder.TIMESCALE);
    private final TrackSink sink;
    private final long frameTicks;
    private TrackFormat format;
    private long dtsShift = Long.MIN_VALUE;
    private long lastDts = Long.MIN_VALUE;
    private long endTicks;
    private long samples;
    private Pending pending;

    private record Pending(long dts, long pts, boolean sync, byte[] data, long duration) {
    }

    RemuxRung(Rung rung, SourceRemux.Plan plan, AVRational tb, TrackSink sink) {
        this.rung = rung;
        this.plan = plan;
        this.tb = av_make_q(tb.num(), tb.den());
        this.sink = sink;
        this.frameTicks = Math.max(1, Math.round(RungEncoder.TIMESCALE * rung.frameRate().frameSeconds()));
    }

    Rung rung() {
        return rung;
    }

    TrackFormat format() {
        return format;
    }

    /** @return samples written so far (the source's video packets) */
    long samples() {
        return samples;
    }

    /** @return the end of the last frame on the title timeline, 90 kHz ticks */
    long endTicks() {
        return endTicks;
    }

    void start() {
        byte[] avcC = plan.avcC();
        format = new TrackFormat(TrackKind.VIDEO, "avc1", H264.codecs(avcC), RungEncoder.TIMESCALE, rung.width(),
                rung.height(), 0, 0, avcC, "und", plan.bitrate());
        sink.copiedFromSource();
        sink.format(format);
    }

    /** @param pkt a source video packet (timed: the scan checked every packet has pts and dts) */
    void packet(AVPacket pkt) {
        byte[] data = new byte[pkt.size()];
        pkt.data().get(data);
        byte[] sample = SourceRemux.sample(data, plan.nalLengthSize());
        long pts = av_rescale_q(pkt.pts() - plan.originPts(), tb, ticks);
        long dts = av_rescale_q(pkt.dts() - plan.originPts(), tb, ticks);
        if (dtsShift == Long.MIN_VALUE) {
            dtsShift = -Math.min(0, dts);
        }
        dts += dtsShift;
        if (lastDts != Long.MIN_VALUE && dts <= lastDts) {
            dts = lastDts + 1;
        }
        lastDts = dts;
        boolean sync = (pkt.flags() & AV_PKT_FLAG_KEY) != 0 && SourceRemux.hasIdr(sample);
        long dur = pkt.duration() > 0 ? Math.max(1, av_rescale_q(pkt.duration(), tb, ticks)) : frameTicks;
        endTicks = Math.max(endTicks, pts + dur);
        Pending p = new Pending(dts, pts, sync, sample, dur);
        if (pending != null) {
            emit(pending, Math.max(1, dts - pending.dts()));
        }
        pending = p;
    }

    void finish() {
        if (pending != null) {
            emit(pending, pending.duration());
            pending = null;
        }
        sink.end();
    }

    private void emit(Pending p, long duration) {
        sink.sample(new EncodedSample(p.dts(), p.pts(), duration, p.sync(), p.data()));
        samples++;
    }
}
