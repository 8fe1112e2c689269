package dev.kino.app;

import dev.kino.app.demo.DemoClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./kino package} refuses hostile and out-of-limit sources with {@code kino: <file>: <reason>}, exit 1. */
class HostileSourceCliTest {

    private record Run(int exit, String out, String err) {
        String lastErrorLine() {
            List<String> lines = err.lines().toList();
            return lines.get(lines.size() - 1);
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<Path> published(Path out) throws Exception {
        if (!Files.exists(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.toList();
        }
    }

    @Test
    void pngRenamedMp4IsRefusedWithOneLine(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("poster.mp4");
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Path out = dir.resolve("media");
        Run r = run("package", png.toString(), "--out", out.toString(), "--set", "data.dir=" + dir.resolve("data"));
        assertEquals(1, r.exit(), r.err());
        assertEquals("kino: poster.mp4: not a video file: FFmpeg reads it as \"piped png sequence\" (png_pipe), an"
                + " image format; the containers accepted are MP4/MOV/3GP, Matroska/WebM, MPEG-TS, MPEG-PS, AVI, FLV,"
                + " ASF/WMV, MXF, Ogg", r.lastErrorLine());
        assertTrue(r.out().isEmpty(), r.out());
        assertEquals(List.of(), published(out), "nothing published, no temporary folder");
    }

    @Test
    void configuredLimitsApply(@TempDir Path dir) throws Exception {
        Path clip = DemoClip.generate(dir.resolve("fast.mp4"), 160, 96, 50, 1);
        Path out = dir.resolve("media");
        Run r = run("package", clip.toString(), "--out", out.toString(), "--set", "data.dir=" + dir.resolve("data"),
                "--set", "packager.limits.maxFrameRate=30");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.lastErrorLine().startsWith("kino: fast.mp4: the frame rate is 50 fps over the first"),
                r.lastErrorLine());
        assertTrue(r.lastErrorLine().endsWith(", above the 30 fps accepted (packager.limits.maxFrameRate)"),
                r.lastErrorLine());
        assertEquals(List.of(), published(out));
    }
}
