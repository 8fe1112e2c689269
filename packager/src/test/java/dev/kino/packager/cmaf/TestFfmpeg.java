package dev.kino.packager.cmaf;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test-only: opens a file with FFmpeg in-process (JavaCV) and demuxes or decodes it. */
public final class TestFfmpeg {
    private TestFfmpeg() {
    }

    /** Decoded output: one hash per video frame, and the number of decoded audio samples per channel. */
    public record Decoded(List<Integer> videoFrameHashes, long audioSamples) {
    }

    /** @return the concatenation of the parts */
    public static byte[] concat(byte[] first, List<byte[]> rest) {
        int n = first.length + rest.stream().mapToInt(b -> b.length).sum();
        byte[] out = Arrays.copyOf(first, n);
        int p = first.length;
        for (byte[] b : rest) {
            System.arraycopy(b, 0, out, p, b.length);
            p += b.length;
        }
        return out;
    }

    /** @return the number of packets FFmpeg's mov demuxer reads from the file */
    public static int countPackets(byte[] file, Path dir, String decryptionKeyHex) {
        try (FFmpegFrameGrabber g = open(file, dir, decryptionKeyHex)) {
            int n = 0;
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (p.size() > 0) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes every frame of the file. */
    public static Decoded decode(byte[] file, Path dir, String decryptionKeyHex) {
        try (FFmpegFrameGrabber g = open(file, dir, decryptionKeyHex)) {
            List<Integer> hashes = new ArrayList<>();
            long audio = 0;
            Frame f;
            while ((f = g.grab()) != null) {
                if (f.image != null) {
                    ByteBuffer b = ((ByteBuffer) f.image[0]).duplicate();
                    byte[] px = new byte[b.remaining()];
                    b.get(px);
                    hashes.add(Arrays.hashCode(px));
                }
                if (f.samples != null) {
                    Buffer s = f.samples[0];
                    audio += f.samples.length > 1 ? s.limit() : s.limit() / Math.max(1, f.audioChannels);
                }
            }
            return new Decoded(hashes, audio);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FFmpegFrameGrabber open(byte[] file, Path dir, String keyHex) throws IOException {
        Path p = Files.createTempFile(dir, "out", ".mp4");
        Files.write(p, file);
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(p.toFile());
        g.setFormat("mp4");
        if (keyHex != null) {
            g.setOption("decryption_key", keyHex);
        }
        g.start();
        return g;
    }
}
