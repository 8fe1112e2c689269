package dev.kino.packager.thumbs;

import dev.kino.packager.PackagingException;
import dev.kino.packager.source.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.io.ByteArrayOutputStream;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Encodes one picture as a baseline JPEG (JFIF) with FFmpeg's {@code mjpeg} encoder: no AWT, no ImageIO, so it
 * works on headless servers. Input frames are 8-bit 4:2:0 full range ({@code AV_PIX_FMT_YUVJ420P}).
 */
public final class Jpeg {
    private Jpeg() {
    }

    /**
     * @param frame a {@code YUVJ420P} frame with even width and height
     * @param qscale the JPEG quantiser scale, 2 (best) .. 31 (worst); 3–5 is visually good
     * @param what names the picture in error messages
     * @return the JPEG file bytes (starting with the SOI marker {@code FF D8})
     * @throws PackagingException when the encoder is missing or fails
     */
    public static byte[] encode(AVFrame frame, int qscale, String what) {
        Ffmpeg.init();
        AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        if (codec == null || codec.isNull()) {
            throw new PackagingException(what + ": this FFmpeg build has no mjpeg encoder");
        }
        AVCodecContext c = avcodec_alloc_context3(codec);
        AVPacket pkt = av_packet_alloc();
        int oldQuality = frame.quality();
        long oldPts = frame.pts();
        try {
            c.width(frame.width());
            c.height(frame.height());
            c.pix_fmt(AV_PIX_FMT_YUVJ420P);
            c.color_range(AVCOL_RANGE_JPEG);
            c.time_base(av_make_q(1, 25));
            c.flags(c.flags() | AV_CODEC_FLAG_QSCALE);
            c.global_quality(FF_QP2LAMBDA * Math.max(2, Math.min(31, qscale)));
            c.thread_count(1);
            Ffmpeg.check(avcodec_open2(c, codec, (AVDictionary) null), what + ": cannot open the mjpeg encoder");
            frame.quality(c.global_quality());
            frame.pts(0);
            Ffmpeg.check(avcodec_send_frame(c, frame), what + ": mjpeg encoder refused the picture");
            Ffmpeg.check(avcodec_send_frame(c, null), what + ": cannot flush the mjpeg encoder");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                int ret = avcodec_receive_packet(c, pkt);
                if (ret == AVERROR_EOF() || ret == AVERROR_EAGAIN()) {
                    break;
                }
                Ffmpeg.check(ret, what + ": JPEG encoding failed");
                byte[] b = new byte[pkt.size()];
                pkt.data().get(b);
                out.writeBytes(b);
                av_packet_unref(pkt);
            }
            if (out.size() == 0) {
                throw new PackagingException(what + ": the mjpeg encoder produced nothing");
            }
            return out.toByteArray();
        } finally {
            frame.quality(oldQuality);
            frame.pts(oldPts);
            av_packet_free(pkt);
            avcodec_free_context(c);
        }
    }

    /**
     * Reads the picture size from a JPEG's start-of-frame marker (ITU-T T.81 §B.2.2).
     *
     * @param jpeg JPEG file bytes
     * @return {@code {width, height}}
     * @throws IllegalArgumentException when the bytes are not a JPEG or have no SOF marker
     */
    public static int[] size(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG (no SOI marker)");
        }
        int i = 2;
        while (i + 9 < jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xFF) {
                i++;
                continue;
            }
            int m = jpeg[i + 1] & 0xff;
            if (m == 0xFF) {
                i++;
                continue;
            }
            int len = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                int h = ((jpeg[i + 5] & 0xff) << 8) | (jpeg[i + 6] & 0xff);
                int w = ((jpeg[i + 7] & 0xff) << 8) | (jpeg[i + 8] & 0xff);
                return new int[]{w, h};
            }
            i += 2 + len;
        }
        throw new IllegalArgumentException("JPEG without a start-of-frame marker");
    }
}
