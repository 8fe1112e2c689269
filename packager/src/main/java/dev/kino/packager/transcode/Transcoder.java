package dev.kino.packager.transcode;

import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.PackagingException;
import dev.kino.packager.ladder.Ladder;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.source.AudioStreamInfo;
import dev.kino.packager.source.Ffmpeg;
import dev.kino.packager.source.MediaInfo;
import dev.kino.packager.source.SourceProbe;
import dev.kino.packager.source.SubtitleStreamInfo;
import dev.kino.packager.source.VideoStreamInfo;
import dev.kino.packager.subtitle.SubtitleCue;
import dev.kino.packager.subtitle.SubtitleDecoder;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Decodes a source once and encodes the whole ladder plus the audio tracks from the same decoded frames.
 *
 * <p>Threads: the calling thread demuxes, decodes video (on itself alone when the encoders already fill the cores,
 * else with 2 decoder threads), applies the rotation if any, and hands each frame by reference to one encoder
 * thread per rung through a bounded queue (6 frames), so decoding never runs far ahead of the slowest rung and both
 * cores stay busy; each rung thread scales with libswscale (bicubic, to 8-bit 4:2:0) and encodes with libx264
 * ({@code libopenh264} if x264 is missing). Smaller rungs take their pictures from the largest scaled rung
 * ({@link #cascade}); the largest rung may get a second x264 frame thread. Audio is decoded, resampled and
 * AAC-encoded on the calling thread.
 *
 * <p>Keyframes: the demuxing thread marks the first frame whose presentation time reaches each multiple of the GOP
 * duration ({@link Ladder#gopSeconds()}, which divides the segment duration) and every rung forces an IDR there
 * ({@code AV_PICTURE_TYPE_I} with x264 {@code forced-idr=1}, {@code scenecut=0}, {@code open-gop=0}, closed GOPs),
 * so all rungs have sync samples at the same presentation times. Half-rate rungs always keep those frames.
 *
 * <p>Timestamps: video in 90 kHz ticks, presentation time 0 at the first decoded frame (the title's origin);
 * with B-frames the decode times are shifted to start at 0 and composition offsets can be negative (the CMAF writer
 * uses {@code trun} version 1). Audio in samples at the output rate: its first sample is aligned to the origin
 * (audio that starts later in the source is preceded by silence, audio that starts earlier is trimmed; audio packets
 * are held until the first video frame fixes the origin), and the AAC encoder's priming samples are removed by an
 * edit list ({@link TrackFormat#encoderDelay()}). Text subtitle streams are decoded from the same demuxing pass
 * ({@link SubtitleDecoder}) and returned on the title timeline.
 *
 * <p>Cancellation: {@code cancelled} is checked before every packet; a cancelled run frees everything and throws
 * {@link PackagingCancelledException} without calling {@link TrackSink#end()}.
 */
public final class Transcoder {
    private final MediaInfo source;
    private final Ladder ladder;
    private final List<AudioStreamInfo> audio;
    private final List<SubtitleStreamInfo> subtitles;
    private final TranscodeOptions options;

    /**
     * @param source the probed source ({@link SourceProbe#probe})
     * @param ladder the rungs to encode
     * @param audio the source audio streams to encode (each once)
     * @param options encoder settings
     * @throws PackagingException when the source has no video stream
     */
    public Transcoder(MediaInfo source, Ladder ladder, List<AudioStreamInfo> audio, TranscodeOptions options) {
        this(source, ladder, audio, List.of(), options);
    }

    /**
     * @param source the probed source ({@link SourceProbe#probe})
     * @param ladder the rungs to encode
     * @param audio the source audio streams to encode (each once)
     * @param subtitles the source text subtitle streams to decode ({@link SubtitleStreamInfo#text()}; others are
     *                  ignored)
     * @param options encoder settings
     * @throws PackagingException when the source has no video stream
     */
    public Transcoder(MediaInfo source, Ladder ladder, List<AudioStreamInfo> audio,
                      List<SubtitleStreamInfo> subtitles, TranscodeOptions options) {
        if (source.primaryVideo().isEmpty()) {
            throw new PackagingException(dev.kino.packager.SourceRefusedException.name(source.file())
                    + ": no decodable video stream to package");
        }
        this.source = source;
        this.ladder = ladder;
        this.audio = List.copyOf(audio);
        this.subtitles = subtitles.stream().filter(SubtitleStreamInfo::text).toList();
        this.options = options;
    }

    /**
     * @return the H.264 encoder this FFmpeg build offers: {@code libx264}, else {@code libopenh264}
     * @throws PackagingException when it has neither
     */
    public static String h264Encoder() {
        Ffmpeg.init();
        String n = VideoEncoderFactory.h264EncoderName();
        if (n == null) {
            throw new PackagingException("this FFmpeg build has neither libx264 nor libopenh264");
        }
        return n;
    }

    /**
     * Runs the transcode to completion on the calling thread (plus one thread per rung).
     *
     * @param videoSinks the sink of each rung
     * @param audioSinks the sink of each audio stream
     * @param listener progress
     * @param cancelled polled before every packet
     * @return the formats and durations
     * @throws PackagingCancelledException when cancelled
     * @throws PackagingException when decoding, encoding or a sink fails
     */
    public TranscodeResult run(Function<Rung, TrackSink> videoSinks, Function<AudioStreamInfo, TrackSink> audioSinks,
                               TranscodeListener listener, BooleanSupplier cancelled) {
        return run(videoSinks, audioSinks, FrameTap.NONE, listener, cancelled);
    }

    /**
     * Runs the transcode, showing every decoded source frame to {@code tap} as well (thumbnails, poster).
     *
     * @param videoSinks the sink of each rung
     * @param audioSinks the sink of each audio stream
     * @param tap sees each decoded frame on the demuxing thread; {@link FrameTap#close()} is called at the end
     * @param listener progress
     * @param cancelled polled before every packet
     * @return the formats and durations
     * @throws PackagingCancelledException when cancelled
     * @throws PackagingException when decoding, encoding, the tap or a sink fails
     */
    public TranscodeResult run(Function<Rung, TrackSink> videoSinks, Function<AudioStreamInfo, TrackSink> audioSinks,
                               FrameTap tap, TranscodeListener listener, BooleanSupplier cancelled) {
        String encoder = h264Encoder();
        long t0 = System.nanoTime();
        VideoStreamInfo vinfo = source.primaryVideo().orElseThrow();
        // messages name the file, never the server folder it sits in (editors read them on the job)
        String file = dev.kino.packager.SourceRefusedException.name(source.file());
        AVFormatContext fmt = SourceProbe.open(source.file());
        AVCodecContext vdec = null;
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        Rotator rotator = vinfo.rotation() == 0 ? null : new Rotator(vinfo.rotation(), file);
        List<RungEncoder> rungs = new ArrayList<>();
        List<RemuxRung> remuxers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Map<Integer, AudioEncoder> audioEncoders = new HashMap<>();
        List<AudioEncoder> audioOrder = new ArrayList<>();
        Map<Integer, SubtitleDecoder> subDecoders = new LinkedHashMap<>();
        Deque<AVPacket> held = new ArrayDeque<>();
        boolean ok = false;
        try {
            AVStream vst = fmt.streams(vinfo.index());
            for (int i = 0; i < fmt.nb_streams(); i++) {
                int idx = i;
                if (i != vinfo.index() && audio.stream().noneMatch(a -> a.index() == idx)
                        && subtitles.stream().noneMatch(x -> x.index() == idx)) {
                    fmt.streams(i).discard(AVDISCARD_ALL);
                }
            }
            SourceRemux.Plan plan = SourceRemux.plan(source, ladder, options.remux());
            plan.notes().forEach(listener::note);
            int encoded = (int) ladder.rungs().stream().filter(r -> !plan.remuxes(r)).count();
            // Frame-threaded decoding costs CPU (about 4 s of the benchmark's 69): when the rungs' encoders
            // already keep every core busy, the source is decoded on this thread alone.
            vdec = openVideoDecoder(vst, file, encoded >= options.threads() ? 1 : 2);
            for (AudioStreamInfo a : audio) {
                AudioEncoder ae = new AudioEncoder(a, fmt.streams(a.index()), options.audioBitrate(),
                        options.audioSampleRate(), audioSinks.apply(a), file + " audio stream " + a.index());
                audioEncoders.put(a.index(), ae);
                audioOrder.add(ae);
            }
            for (SubtitleStreamInfo x : subtitles) {
                subDecoders.put(x.index(), new SubtitleDecoder(fmt.streams(x.index()), file + " subtitle stream "
                        + x.index() + " (" + x.codec() + ")"));
            }
            int perRung = Math.max(1, options.threads() / Math.max(1, encoded));
            for (Rung r : ladder.rungs()) {
                if (plan.remuxes(r)) {
                    RemuxRung rr = new RemuxRung(r, plan, vst.time_base(), videoSinks.apply(r));
                    rr.start();
                    remuxers.add(rr);
                    continue;
                }
                int th = rungs.isEmpty() ? topRungThreads(ladder, plan, perRung, options.threads()) : perRung;
                RungEncoder re = new RungEncoder(r, ladder, encoder, th, options.x264Preset(), videoSinks.apply(r),
                        file + " " + r.name());
                rungs.add(re);
                Thread t = new Thread(re, "kino-enc-" + r.shortSide() + "p");
                t.setDaemon(true);
                threads.add(t);
            }
            List<RungEncoder> roots = cascade(rungs, vinfo.displayWidth(), vinfo.displayHeight());
            threads.forEach(Thread::start);
            // Nothing to encode: frames are decoded only for the thumbnails and poster, so only keyframes are.
            boolean keyframesOnly = rungs.isEmpty();
            if (keyframesOnly) {
                vdec.skip_frame(AVDISCARD_NONKEY);
            }

            FanOut fan = new FanOut(rungs, roots, ladder, vst.time_base(), source.durationSeconds(), tap, listener, t0);
            while (true) {
                if (cancelled.getAsBoolean()) {
                    throw new PackagingCancelledException(file + ": packaging cancelled");
                }
                checkRungs(rungs);
                int ret = av_read_frame(fmt, pkt);
                if (ret == AVERROR_EOF()) {
                    break;
                }
                if (ret < 0) {
                    // a read error in the middle of a file: treat the rest as missing (truncated file)
                    break;
                }
                try {
                    if (pkt.stream_index() == vinfo.index()) {
                        for (RemuxRung rr : remuxers) {
                            rr.packet(pkt);
                        }
                        int s = avcodec_send_packet(vdec, pkt);
                        if (s >= 0 || s == AVERROR_EAGAIN()) {
                            receiveVideo(vdec, frame, rotator, fan);
                        }
                    } else if (audioEncoders.containsKey(pkt.stream_index())) {
                        if (fan.frames == 0 && held.size() < MAX_HELD) {
                            // the title's origin is the first decoded video frame: hold audio until it is known
                            AVPacket c = av_packet_clone(pkt);
                            if (c == null || c.isNull()) {
                                throw new PackagingException(file + ": out of memory for an audio packet");
                            }
                            held.add(c);
                        } else {
                            releaseHeld(held, audioEncoders, fan, vst);
                            audioEncoders.get(pkt.stream_index()).packet(pkt, fan.originSeconds(vst));
                        }
                    } else {
                        SubtitleDecoder sd = subDecoders.get(pkt.stream_index());
                        if (sd != null) {
                            sd.packet(pkt);
                        }
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            avcodec_send_packet(vdec, null);
            receiveVideo(vdec, frame, rotator, fan);
            if (fan.frames == 0) {
                throw new PackagingException(file + ": no video frame could be decoded; the video stream is corrupt"
                        + " or truncated");
            }
            if (!remuxers.isEmpty() && fan.origin != plan.originPts()) {
                throw new PackagingException(file + ": the first decoded frame (pts " + fan.origin + ") is not the"
                        + " first packet's (pts " + plan.originPts() + "); cannot remux");
            }
            releaseHeld(held, audioEncoders, fan, vst);
            for (AudioEncoder ae : audioOrder) {
                ae.finish();
            }
            for (RemuxRung rr : remuxers) {
                rr.finish();
            }
            long endTicks = keyframesOnly ? remuxers.stream().mapToLong(RemuxRung::endTicks).max().orElse(0)
                    : fan.endTicks();
            tap.end(endTicks);
            for (RungEncoder re : roots) {
                if (!re.offer(RungEncoder.Item.END)) {
                    break;
                }
            }
            for (Thread t : threads) {
                t.join();
            }
            checkRungs(rungs);
            double wall = (System.nanoTime() - t0) / 1e9;
            double seconds = (double) endTicks / RungEncoder.TIMESCALE;
            listener.progress(1.0, wall > 0 ? seconds / wall : 0);
            List<TrackFormat> vf = new ArrayList<>();
            List<Long> fedFrames = new ArrayList<>();
            int ei = 0;
            int ri = 0;
            for (Rung r : ladder.rungs()) {
                if (plan.remuxes(r)) {
                    RemuxRung rr = remuxers.get(ri++);
                    vf.add(rr.format());
                    fedFrames.add(rr.samples());
                } else {
                    vf.add(rungs.get(ei).format());
                    fedFrames.add(fan.kept[ei++]);
                }
            }
            List<TrackFormat> af = audioOrder.stream().map(AudioEncoder::format).toList();
            double origin = fan.originSeconds(vst);
            long originMs = Math.round(origin * 1000);
            long endMs = Math.round(seconds * 1000);
            Map<Integer, List<SubtitleCue>> cues = new LinkedHashMap<>();
            subDecoders.forEach((idx, d) -> cues.put(idx, d.cues(originMs, endMs)));
            // A negative container start (audio pre-roll, e.g. AAC priming remuxed without an edit list) is not
            // where playback starts: players show 0 there.
            double start = fmt.start_time() == AV_NOPTS_VALUE ? origin
                    : Math.min(origin, Math.max(0, (double) fmt.start_time() / AV_TIME_BASE));
            ok = true;
            long sourceFrames = keyframesOnly ? plan.packets() : fan.frames;
            return new TranscodeResult(encoder, vf, af, seconds, wall, cues, origin - start, sourceFrames, fedFrames,
                    plan.remuxed().stream().map(Rung::name).toList(), plan.notes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PackagingCancelledException(file + ": packaging interrupted");
        } finally {
            if (!ok) {
                rungs.forEach(RungEncoder::abort);
                for (Thread t : threads) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            held.forEach(p -> av_packet_free(p));
            audioOrder.forEach(AudioEncoder::close);
            subDecoders.values().forEach(SubtitleDecoder::close);
            tap.close();
            if (rotator != null) {
                rotator.close();
            }
            av_frame_free(frame);
            av_packet_free(pkt);
            if (vdec != null) {
                avcodec_free_context(vdec);
            }
            avformat_close_input(fmt);
        }
    }

    /**
     * Chooses where each rung's pictures come from: the decoded source, or the first (largest) rung scaled from the
     * source when that rung is larger in both dimensions and keeps every frame the smaller one needs (scaling
     * 1080p → 720p → 480p costs less than 1080p → 480p: the benchmark's ladder spends about half the scaling CPU;
     * the 480p picture differs from a direct bicubic scale by about 56 dB PSNR, far below the encoder's error).
     * Only one level: a rung scaled from a rung is never scaled from again, so no picture is resampled more than twice.
     *
     * @param rungs the encoded rungs, largest first
     * @param width the decoded source frame's width (after rotation), pixels
     * @param height its height, pixels
     * @return the rungs fed from the source; the others are {@linkplain RungEncoder#feed fed} by their parent
     */
    static List<RungEncoder> cascade(List<RungEncoder> rungs, int width, int height) {
        List<RungEncoder> roots = new ArrayList<>();
        RungEncoder parent = null;
        for (RungEncoder re : rungs) {
            Rung r = re.rung();
            if (parent != null && parent.rung().width() > r.width() && parent.rung().height() > r.height()
                    && (!parent.rung().halfRate() || r.halfRate())) {
                parent.feed(re);
                continue;
            }
            roots.add(re);
            boolean scaled = r.width() != width || r.height() != height;
            if (parent == null && scaled) {
                parent = re;
            }
        }
        return roots;
    }

    /**
     * The largest encoded rung is the pipeline's critical path: it costs the most per frame, and with one thread
     * among several busy ones the scheduler's fair share leaves it behind until every other thread waits for it (a
     * core idle ~9% of the benchmark's run). When it carries more than a core's share of the ladder's pixels it gets
     * a second x264 frame thread (about 4% more CPU for that rung, the cores stay busy).
     */
    private static int topRungThreads(Ladder ladder, SourceRemux.Plan plan, int perRung, int threads) {
        double total = 0;
        double top = 0;
        for (Rung r : ladder.rungs()) {
            if (plan.remuxes(r)) {
                continue;
            }
            double px = (double) r.width() * r.height() * r.frameRate().fps();
            total += px;
            top = Math.max(top, px);
        }
        return perRung == 1 && threads > 1 && top > total / threads ? 2 : perRung;
    }

    /** Audio packets held while no video frame has fixed the origin; past this the stream's start time is used. */
    private static final int MAX_HELD = 1000;

    private static void releaseHeld(Deque<AVPacket> held, Map<Integer, AudioEncoder> encoders, FanOut fan,
                                    AVStream vst) {
        AVPacket p;
        while ((p = held.poll()) != null) {
            try {
                encoders.get(p.stream_index()).packet(p, fan.originSeconds(vst));
            } finally {
                av_packet_free(p);
            }
        }
    }

    private static void checkRungs(List<RungEncoder> rungs) {
        for (RungEncoder re : rungs) {
            Throwable f = re.failure();
            if (f != null) {
                if (f instanceof PackagingException pe) {
                    throw new PackagingException(pe.getMessage(), pe);
                }
                throw new PackagingException(re.rung().name() + ": encoding failed: " + f, f);
            }
        }
    }

    private static AVCodecContext openVideoDecoder(AVStream st, String file, int threads) {
        AVCodec codec = avcodec_find_decoder(st.codecpar().codec_id());
        AVCodecContext c = avcodec_alloc_context3(codec);
        Ffmpeg.check(avcodec_parameters_to_context(c, st.codecpar()), file + ": bad video decoder parameters");
        c.pkt_timebase(st.time_base());
        c.thread_count(threads);
        // The source was admitted at this size (SourceGate): a picture larger than it, e.g. from a parameter set
        // sent in-band later in an MPEG-TS stream, is refused by the decoder instead of allocated. The margin
        // covers the stride alignment FFmpeg adds to the width it checks.
        c.max_pixels(Math.min(Integer.MAX_VALUE, (long) (st.codecpar().width() + 64) * (st.codecpar().height() + 64)));
        int ret = avcodec_open2(c, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
        if (ret < 0) {
            avcodec_free_context(c);
            throw new PackagingException(file + ": cannot open the " + codec.name().getString() + " decoder: "
                    + Ffmpeg.errorText(ret));
        }
        return c;
    }

    private static void receiveVideo(AVCodecContext dec, AVFrame frame, Rotator rotator, FanOut fan)
            throws InterruptedException {
        while (true) {
            int ret = avcodec_receive_frame(dec, frame);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF() || ret < 0) {
                return;
            }
            try {
                if (rotator != null) {
                    InterruptedException[] ie = new InterruptedException[1];
                    rotator.push(frame, f -> {
                        try {
                            fan.accept(f);
                        } catch (InterruptedException e) {
                            ie[0] = e;
                        }
                    });
                    if (ie[0] != null) {
                        throw ie[0];
                    }
                } else {
                    fan.accept(frame);
                }
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /** Timestamps, GOP boundaries and per-rung frame selection, on the demuxing thread. */
    private static final class FanOut {
        private final List<RungEncoder> rungs;
        private final List<RungEncoder> roots;
        private final long gopTicks;
        private final AVRational tb;
        private final double duration;
        private final FrameTap tap;
        private final TranscodeListener listener;
        private final long t0;
        private final long nominalTicks;
        private long origin = AV_NOPTS_VALUE;
        private long lastPts = Long.MIN_VALUE;
        private long lastGop = -1;
        private int sinceBoundary;
        private long frames;
        private final long[] kept;
        private long lastReport;

        FanOut(List<RungEncoder> rungs, List<RungEncoder> roots, Ladder ladder, AVRational tb, double duration,
               FrameTap tap, TranscodeListener listener, long t0) {
            this.roots = roots;
            this.tap = tap;
            this.kept = new long[rungs.size()];
            this.rungs = rungs;
            this.gopTicks = (long) ladder.gopSeconds() * RungEncoder.TIMESCALE;
            this.tb = av_make_q(tb.num(), tb.den());
            this.duration = duration;
            this.listener = listener;
            this.t0 = t0;
            this.nominalTicks = Math.max(1, Math.round(RungEncoder.TIMESCALE
                    * ladder.rungs().get(0).frameRate().frameSeconds() / (ladder.rungs().get(0).halfRate() ? 2 : 1)));
        }

        void accept(AVFrame f) throws InterruptedException {
            long ts = f.best_effort_timestamp();
            long pts;
            if (ts == AV_NOPTS_VALUE) {
                pts = lastPts == Long.MIN_VALUE ? 0 : lastPts + nominalTicks;
            } else {
                if (origin == AV_NOPTS_VALUE) {
                    origin = ts;
                }
                pts = av_rescale_q(ts - origin, tb, av_make_q(1, RungEncoder.TIMESCALE));
            }
            if (lastPts != Long.MIN_VALUE && pts <= lastPts) {
                pts = lastPts + 1;
            }
            if (pts < 0) {
                pts = 0;
            }
            lastPts = pts;
            long gop = pts / gopTicks;
            boolean boundary = gop > lastGop;
            if (boundary) {
                lastGop = gop;
                sinceBoundary = 0;
            }
            tap.frame(f, pts);
            RungEncoder.Item item = new RungEncoder.Item(null, pts, boundary, boundary || sinceBoundary % 2 == 0);
            for (int k = 0; k < rungs.size(); k++) {
                RungEncoder re = rungs.get(k);
                if (!re.keeps(item)) {
                    continue;
                }
                kept[k]++;
                if (roots.contains(re)) {
                    AVFrame ref = av_frame_clone(f);
                    if (ref == null || ref.isNull()) {
                        throw new PackagingException("out of memory for a video frame");
                    }
                    re.offer(new RungEncoder.Item(ref, pts, boundary, item.halfRate()));
                }
            }
            sinceBoundary++;
            frames++;
            long now = System.nanoTime();
            if (now - lastReport > 200_000_000L) {
                lastReport = now;
                double secs = (double) pts / RungEncoder.TIMESCALE;
                double wall = (now - t0) / 1e9;
                listener.progress(duration > 0 ? Math.min(1.0, secs / duration) : 0, wall > 0 ? secs / wall : 0);
            }
        }

        /**
         * @return the title's origin on the container timeline, seconds: the first decoded frame's timestamp, else
         *         the video stream's start time, else 0
         */
        double originSeconds(AVStream vst) {
            if (origin != AV_NOPTS_VALUE) {
                return origin * av_q2d(tb);
            }
            return vst.start_time() == AV_NOPTS_VALUE ? 0 : vst.start_time() * av_q2d(vst.time_base());
        }

        long endTicks() {
            return lastPts + nominalTicks;
        }

        double endSeconds() {
            return (double) endTicks() / RungEncoder.TIMESCALE;
        }
    }
}
