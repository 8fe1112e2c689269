package dev.kino.packager.transcode;

import dev.kino.packager.PackagingException;
import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.media.TrackKind;
import dev.kino.packager.source.AudioStreamInfo;
import dev.kino.packager.source.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;

/**
 * Decodes one source audio stream, resamples it to stereo float planar at the output rate (libswresample) and
 * encodes AAC-LC in 1024-sample frames. Runs on the demuxing thread. Timestamps count output samples from 0
 * (timescale = sample rate). The encoder's priming samples ({@code initial_padding}, 1024 = 21.3 ms at 48 kHz) are
 * stored from media time 0 and declared as {@link TrackFormat#encoderDelay()}, which the CMAF writer turns into an
 * edit list, so the first real sample is presented at time 0.
 *
 * <p>A/V alignment: the first decoded frame's timestamp, minus the title's origin (the first video frame's time on
 * the same container clock), says where the audio starts; that much silence is put first when it starts later,
 * and that many samples are dropped when it starts earlier.
 */
final class AudioEncoder implements AutoCloseable {
    private final AudioStreamInfo info;
    private final TrackSink sink;
    private final String what;
    private final int rate;
    private AVCodecContext dec;
    private AVCodecContext enc;
    private SwrContext swr;
    private AVAudioFifo fifo;
    private AVFrame decoded;
    private AVFrame resampled;
    private AVFrame chunk;
    private AVPacket out;
    private long samplesIn;
    private long padding;
    private TrackFormat format;
    private final double tb;
    private double originSeconds;
    private boolean aligned;
    private long skip;

    AudioEncoder(AudioStreamInfo info, AVStream stream, int bitrate, int rate, TrackSink sink, String what) {
        this.info = info;
        this.sink = sink;
        this.what = what;
        this.rate = rate;
        this.tb = av_q2d(stream.time_base());
        try {
            openDecoder(stream);
            openEncoder(bitrate);
            swr = swr_alloc();
            fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, 4096);
            decoded = av_frame_alloc();
            resampled = av_frame_alloc();
            chunk = av_frame_alloc();
            out = av_packet_alloc();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    TrackFormat format() {
        return format;
    }

    int streamIndex() {
        return info.index();
    }

    private void openDecoder(AVStream stream) {
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        dec = avcodec_alloc_context3(codec);
        Ffmpeg.check(avcodec_parameters_to_context(dec, stream.codecpar()), what + ": bad decoder parameters");
        dec.pkt_timebase(stream.time_base());
        Ffmpeg.check(avcodec_open2(dec, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
                what + ": cannot open the " + info.codec() + " decoder");
    }

    private void openEncoder(int bitrate) {
        AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
        if (codec == null || codec.isNull()) {
            throw new PackagingException(what + ": this FFmpeg build has no AAC encoder");
        }
        enc = avcodec_alloc_context3(codec);
        enc.sample_fmt(AV_SAMPLE_FMT_FLTP);
        enc.sample_rate(rate);
        av_channel_layout_default(enc.ch_layout(), 2);
        enc.bit_rate(bitrate);
        enc.time_base(av_make_q(1, rate));
        enc.profile(AV_PROFILE_AAC_LOW);
        enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        Ffmpeg.check(avcodec_open2(enc, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
                what + ": cannot open the AAC encoder");
        byte[] asc = new byte[enc.extradata_size()];
        if (asc.length == 0) {
            throw new PackagingException(what + ": the AAC encoder gave no AudioSpecificConfig");
        }
        enc.extradata().get(asc);
        padding = Math.max(0, enc.initial_padding());
        format = new TrackFormat(TrackKind.AUDIO, "mp4a", "mp4a.40.2", rate, 0, 0, rate, 2, asc, info.language(),
                bitrate, padding);
        sink.format(format);
    }

    /**
     * Decodes a packet of this stream and encodes what is ready.
     *
     * @param pkt the packet
     * @param origin the title's time 0 on the container clock, seconds
     */
    void packet(AVPacket pkt, double origin) {
        this.originSeconds = origin;
        packet(pkt);
    }

    /** Decodes a packet (null flushes at end of input) and encodes what is ready. */
    private void packet(AVPacket pkt) {
        int ret = avcodec_send_packet(dec, pkt);
        if (ret < 0 && ret != AVERROR_EOF() && pkt != null) {
            return; // a damaged packet: skip it, as players do
        }
        while (true) {
            ret = avcodec_receive_frame(dec, decoded);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                break;
            }
            if (ret < 0) {
                break; // undecodable frame: skipped
            }
            try {
                if (!aligned) {
                    align(decoded);
                }
                resample(decoded);
            } finally {
                av_frame_unref(decoded);
            }
            encodeReady(false);
        }
    }

    private void align(AVFrame first) {
        aligned = true;
        long ts = first.best_effort_timestamp();
        if (ts == AV_NOPTS_VALUE) {
            return;
        }
        long offset = Math.round((ts * tb - originSeconds) * rate);
        if (offset > 0) {
            silence(offset);
        } else {
            skip = -offset;
        }
    }

    private void silence(long samples) {
        AVFrame z = av_frame_alloc();
        try {
            z.nb_samples((int) Math.min(samples, 4096));
            z.format(AV_SAMPLE_FMT_FLTP);
            z.sample_rate(rate);
            av_channel_layout_default(z.ch_layout(), 2);
            Ffmpeg.check(av_frame_get_buffer(z, 0), what + ": audio frame");
            Ffmpeg.check(av_samples_set_silence(z.extended_data(), 0, z.nb_samples(), 2, AV_SAMPLE_FMT_FLTP),
                    what + ": silence");
            long left = samples;
            while (left > 0) {
                int n = (int) Math.min(left, z.nb_samples());
                Ffmpeg.check(av_audio_fifo_write(fifo, z.extended_data(), n), what + ": audio buffer");
                left -= n;
                encodeReady(false);
            }
        } finally {
            av_frame_free(z);
        }
    }

    private void resample(AVFrame in) {
        av_frame_unref(resampled);
        resampled.format(AV_SAMPLE_FMT_FLTP);
        resampled.sample_rate(rate);
        av_channel_layout_default(resampled.ch_layout(), 2);
        int ret = swr_convert_frame(swr, resampled, in);
        if (ret < 0) {
            // the input format changed mid-stream: reconfigure and retry once
            swr_close(swr);
            Ffmpeg.check(swr_config_frame(swr, resampled, in), what + ": cannot resample");
            Ffmpeg.check(swr_convert_frame(swr, resampled, in), what + ": cannot resample");
        }
        if (resampled.nb_samples() > 0) {
            Ffmpeg.check(av_audio_fifo_write(fifo, resampled.extended_data(), resampled.nb_samples()),
                    what + ": audio buffer");
            if (skip > 0) {
                int d = (int) Math.min(skip, av_audio_fifo_size(fifo));
                av_audio_fifo_drain(fifo, d);
                skip -= d;
            }
        }
    }

    private void encodeReady(boolean flush) {
        int frameSize = enc.frame_size() > 0 ? enc.frame_size() : 1024;
        while (av_audio_fifo_size(fifo) >= frameSize || (flush && av_audio_fifo_size(fifo) > 0)) {
            int n = Math.min(frameSize, av_audio_fifo_size(fifo));
            av_frame_unref(chunk);
            chunk.nb_samples(n);
            chunk.format(AV_SAMPLE_FMT_FLTP);
            chunk.sample_rate(rate);
            av_channel_layout_default(chunk.ch_layout(), 2);
            Ffmpeg.check(av_frame_get_buffer(chunk, 0), what + ": audio frame");
            av_audio_fifo_read(fifo, chunk.extended_data(), n);
            chunk.pts(samplesIn);
            samplesIn += n;
            Ffmpeg.check(avcodec_send_frame(enc, chunk), what + ": AAC encoder refused a frame");
            receive();
        }
    }

    private void receive() {
        while (true) {
            int ret = avcodec_receive_packet(enc, out);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            Ffmpeg.check(ret, what + ": AAC encoding failed");
            try {
                byte[] data = new byte[out.size()];
                out.data().get(data);
                long pts = Math.max(0, out.pts() + padding);
                long dur = out.duration() > 0 ? out.duration() : 1024;
                sink.sample(new EncodedSample(pts, pts, dur, true, data));
            } finally {
                av_packet_unref(out);
            }
        }
    }

    /** Flushes decoder, resampler and encoder, then ends the sink. */
    void finish() {
        packet(null);
        av_frame_unref(resampled);
        resampled.format(AV_SAMPLE_FMT_FLTP);
        resampled.sample_rate(rate);
        av_channel_layout_default(resampled.ch_layout(), 2);
        if (swr_is_initialized(swr) > 0 && swr_convert_frame(swr, resampled, null) >= 0 && resampled.nb_samples() > 0) {
            av_audio_fifo_write(fifo, resampled.extended_data(), resampled.nb_samples());
        }
        encodeReady(true);
        Ffmpeg.check(avcodec_send_frame(enc, null), what + ": cannot flush the AAC encoder");
        receive();
        sink.end();
    }

    /** @return seconds of audio encoded so far */
    double seconds() {
        return (double) samplesIn / rate;
    }

    @Override
    public void close() {
        if (out != null) {
            av_packet_free(out);
        }
        if (decoded != null) {
            av_frame_free(decoded);
        }
        if (resampled != null) {
            av_frame_free(resampled);
        }
        if (chunk != null) {
            av_frame_free(chunk);
        }
        if (fifo != null) {
            av_audio_fifo_free(fifo);
        }
        if (swr != null) {
            swr_free(swr);
        }
        if (enc != null) {
            avcodec_free_context(enc);
        }
        if (dec != null) {
            avcodec_free_context(dec);
        }
        out = null;
        decoded = null;
        resampled = null;
        chunk = null;
        fifo = null;
        swr = null;
        enc = null;
        dec = null;
    }
}
