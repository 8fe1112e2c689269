package dev.kino.app.demo;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Generates the demo's source clip on the spot: colour bars, a box moving across the picture and a
 * seven-segment seconds counter (so a viewer can tell where the player is), with a 440 Hz tone that beeps
 * at every second, as H.264 + AAC in MP4. Written to a temporary file and renamed, so a crash never leaves a
 * half-written clip behind.
 */
public final class DemoClip {
    private static final int SAMPLE_RATE = 48_000;

    private DemoClip() {
    }

    /**
     * @param out the MP4 file to write
     * @param width picture width in pixels (even)
     * @param height picture height in pixels (even)
     * @param fps frames per second
     * @param seconds duration in seconds
     * @return {@code out}
     * @throws IOException when the file cannot be written or encoded
     */
    public static Path generate(Path out, int width, int height, int fps, int seconds) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".part.mp4");
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(tmp.toFile(), width, height, 2)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            rec.setFrameRate(fps);
            rec.setGopSize(fps * 2);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setVideoOption("preset", "veryfast");
            rec.setVideoBitrate(4_000_000);
            rec.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            rec.setSampleRate(SAMPLE_RATE);
            rec.setAudioChannels(2);
            rec.setAudioBitrate(128_000);
            rec.setMetadata("title", "Kino demo clip");
            rec.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            byte[] background = background(width, height, frame.imageStride);
            int samplesPerFrame = SAMPLE_RATE / fps;
            for (int i = 0; i < seconds * fps; i++) {
                paint(frame, background, width, height, i, fps);
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
                rec.recordSamples(SAMPLE_RATE, 2, tone(i * samplesPerFrame, samplesPerFrame));
            }
            rec.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot encode the demo clip " + out + ": " + e.getMessage(), e);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    private static ShortBuffer tone(int firstSample, int count) {
        ShortBuffer buf = ShortBuffer.allocate(count * 2);
        for (int k = 0; k < count; k++) {
            int n = firstSample + k;
            boolean beep = n % SAMPLE_RATE < SAMPLE_RATE / 10;
            double f = beep ? 880 : 440;
            short v = (short) ((beep ? 9000 : 3000) * Math.sin(2 * Math.PI * f * n / SAMPLE_RATE));
            buf.put(v).put(v);
        }
        buf.flip();
        return buf;
    }

    private static final int[][] BARS = {
        {192, 192, 192}, {0, 192, 192}, {192, 192, 0}, {0, 192, 0}, {192, 0, 192}, {0, 0, 192}, {192, 0, 0}};

    /** Segments a..g of a seven-segment digit, per digit 0-9. */
    private static final int[] DIGITS = {0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F};

    private static void paint(Frame frame, byte[] background, int w, int h, int index, int fps) {
        ByteBuffer b = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        b.position(0);
        b.put(background);
        b.position(0);
        int barsBottom = h * 2 / 3;
        int boxSize = h / 6;
        int boxX = (int) ((long) index * 6 % Math.max(1, w - boxSize));
        int boxY = barsBottom + (h - barsBottom - boxSize) / 2;
        fill(b, stride, w, h, boxX, boxY, boxSize, boxSize, (byte) 255);
        int seconds = index / fps;
        String text = String.format("%02d.%d", seconds % 100, (index % fps) * 10 / fps);
        int digitW = h / 10;
        int digitH = digitW * 2;
        int x0 = w / 2 - (text.length() * (digitW + digitW / 3)) / 2;
        int y0 = h / 4 - digitH / 2;
        for (char c : text.toCharArray()) {
            if (c == '.') {
                fill(b, stride, w, h, x0, y0 + digitH - digitW / 4, digitW / 4, digitW / 4);
                x0 += digitW / 2;
                continue;
            }
            drawDigit(b, stride, w, h, x0, y0, digitW, digitH, DIGITS[c - '0']);
            x0 += digitW + digitW / 3;
        }
    }

    private static void drawDigit(ByteBuffer b, int stride, int w, int h, int x, int y, int dw, int dh, int segs) {
        int t = Math.max(2, dw / 5);
        int half = dh / 2;
        if ((segs & 0x01) != 0) fill(b, stride, w, h, x, y, dw, t);                 // a
        if ((segs & 0x02) != 0) fill(b, stride, w, h, x + dw - t, y, t, half);       // b
        if ((segs & 0x04) != 0) fill(b, stride, w, h, x + dw - t, y + half, t, half); // c
        if ((segs & 0x08) != 0) fill(b, stride, w, h, x, y + dh - t, dw, t);          // d
        if ((segs & 0x10) != 0) fill(b, stride, w, h, x, y + half, t, half);          // e
        if ((segs & 0x20) != 0) fill(b, stride, w, h, x, y, t, half);                 // f
        if ((segs & 0x40) != 0) fill(b, stride, w, h, x, y + half - t / 2, dw, t);    // g
    }

    private static void fill(ByteBuffer b, int stride, int w, int h, int x, int y, int fw, int fh) {
        fill(b, stride, w, h, x, y, fw, fh, (byte) 0);
    }

    private static void fill(ByteBuffer b, int stride, int w, int h, int x, int y, int fw, int fh, byte value) {
        for (int yy = Math.max(0, y); yy < Math.min(h, y + fh); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(w, x + fw); xx++) {
                int o = yy * stride + xx * 3;
                b.put(o, value).put(o + 1, value).put(o + 2, value);
            }
        }
    }

    /** The still part of the picture (colour bars over a dark gradient), BGR24 rows of {@code stride} bytes. */
    private static byte[] background(int w, int h, int stride) {
        byte[] px = new byte[stride * h];
        int barsBottom = h * 2 / 3;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r;
                int g;
                int bl;
                if (y < barsBottom) {
                    int[] c = BARS[x * BARS.length / w];
                    r = c[0];
                    g = c[1];
                    bl = c[2];
                } else {
                    int v = 16 + (x * 200 / w);
                    r = v / 3;
                    g = v / 3;
                    bl = v / 2;
                }
                int o = y * stride + x * 3;
                px[o] = (byte) bl;
                px[o + 1] = (byte) g;
                px[o + 2] = (byte) r;
            }
        }
        return px;
    }
}
