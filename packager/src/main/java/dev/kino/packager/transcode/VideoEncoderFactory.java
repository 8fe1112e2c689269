package dev.kino.packager.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodec;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

/** Picks the H.264 encoder of this FFmpeg build. */
final class VideoEncoderFactory {
    private VideoEncoderFactory() {
    }

    /** @return {@code libx264} when present, else {@code libopenh264}, else null */
    static String h264EncoderName() {
        for (String n : new String[]{"libx264", "libopenh264"}) {
            AVCodec c = avcodec_find_encoder_by_name(n);
            if (c != null && !c.isNull()) {
                return n;
            }
        }
        return null;
    }
}
