package dev.kino.packager.source;

import dev.kino.packager.Clips;
import dev.kino.packager.HostileMedia;
import dev.kino.packager.PackagingException;
import dev.kino.packager.SourceRefusedException;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.junit.jupiter.api.Assertions.*;

/** Hostile and out-of-limit sources, refused before decoding with one line naming the file. */
class SourceGateTest {
    @TempDir
    Path tmp;

    private static SourceRefusedException refused(Path file, InputLimits limits) {
        SourceRefusedException e = assertThrows(SourceRefusedException.class, () -> SourceGate.admit(file, limits));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.getFileName() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains(file.getParent().toString()), "no folder: " + e.getMessage());
        return e;
    }

    @Test
    void admitsAnHonestClipAsTheProbeDescribesIt() {
        MediaInfo gated = SourceGate.admit(Clips.mp4(), InputLimits.DEFAULTS);
        assertEquals(SourceProbe.probe(Clips.mp4()), gated);
        for (Path p : List.of(Clips.mkvTwoLanguages(), Clips.mpegts(), Clips.webm(), Clips.mov(), Clips.hevc(),
                Clips.rotated(), Clips.portrait(), Clips.vfr())) {
            assertEquals(1, SourceGate.admit(p, InputLimits.DEFAULTS).video().size(), p.toString());
        }
    }

    @Test
    void pngRenamedMp4IsRefusedAsAnImage() throws Exception {
        Path png = HostileMedia.pngNamedMp4(tmp.resolve("poster.mp4"));
        // Without the gate FFmpeg takes it: one "video" stream of a PNG picture, what used to be published as 0.0 s.
        MediaInfo plain = SourceProbe.probe(png);
        assertEquals("png_pipe", plain.container());
        assertEquals("png", plain.video().get(0).codec());

        SourceRefusedException e = refused(png, InputLimits.DEFAULTS);
        assertEquals("poster.mp4: not a video file: FFmpeg reads it as \"piped png sequence\" (png_pipe), an image"
                + " format; the containers accepted are MP4/MOV/3GP, Matroska/WebM, MPEG-TS, MPEG-PS, AVI, FLV,"
                + " ASF/WMV, MXF, Ogg", e.getMessage());
        assertEquals(png, e.file());
    }

    @Test
    void concatScriptIsRefusedWithoutOpeningWhatItNames() throws Exception {
        // an ffconcat script would make FFmpeg read any local file it names, here the honest clip
        Path script = Files.writeString(tmp.resolve("list.mp4"), "ffconcat version 1.0\nfile '"
                + Clips.small().toAbsolutePath() + "'\n");
        SourceRefusedException e = refused(script, InputLimits.DEFAULTS);
        assertTrue(e.reason().startsWith("not a video file: FFmpeg reads it as \"Virtual concatenation script\""
                + " (concat);"), e.getMessage());
    }

    @Test
    void spsClaiming16000x16000IsRefusedBeforeDecoding() throws Exception {
        Path bomb = HostileMedia.spsClaiming(tmp.resolve("bomb.mp4"), 16000, 16000, 13);
        // the crafted header really claims it (FFmpeg's own limits would let 16000x16000 through)
        AVFormatContext fmt = SourceProbe.openInput(bomb, "bomb.mp4", null);
        try {
            var par = fmt.streams(0).codecpar();
            byte[] extra = new byte[par.extradata_size()];
            par.extradata().get(extra);
            SequenceParameterSet sps = SequenceParameterSet.fromExtradata("h264", extra).get(0);
            assertEquals(16000, sps.codedWidth());
            assertEquals(16000, sps.codedHeight());
        } finally {
            avformat_close_input(fmt);
        }
        SourceRefusedException e = refused(bomb, InputLimits.DEFAULTS);
        assertEquals("bomb.mp4: video stream 0: its H.264 sequence parameter set claims a 16000x16000 picture"
                + " (level 1.3), beyond every H.264 level (level 6.2 allows at most 139,264 macroblocks, 16,880"
                + " pixels a side)", e.getMessage());
    }

    @Test
    void spsWithinTheStandardButBeyondTheLimitsIsRefused() throws Exception {
        Path big = HostileMedia.spsClaiming(tmp.resolve("big.mp4"), 8192, 4320, 60);
        SourceRefusedException e = refused(big, InputLimits.DEFAULTS);
        assertEquals("big.mp4: video stream 0: its H.264 sequence parameter set claims 8192x4320, larger than the"
                + " 7680x4320 accepted, in either orientation (packager.limits.maxWidth, maxHeight)", e.getMessage());
    }

    @Test
    void spsWithALevelTheStandardDoesNotDefineIsRefused() throws Exception {
        Path odd = HostileMedia.spsClaiming(tmp.resolve("odd.mp4"), 160, 96, 77);
        assertEquals("odd.mp4: video stream 0: its H.264 sequence parameter set declares level_idc 77, which is not"
                + " a level of ITU-T H.264 Table A-1", refused(odd, InputLimits.DEFAULTS).getMessage());
    }

    @Test
    void limitsOnSizeFrameRateAndDuration() {
        InputLimits small = InputLimits.DEFAULTS.withMaxSize(480, 480, 480L * 480);
        assertEquals("a.mp4: video stream 0: the container declares 640x360, larger than the 480x480 accepted, in"
                + " either orientation (packager.limits.maxWidth, maxHeight)", refused(Clips.mp4(), small).getMessage());
        InputLimits fewPixels = InputLimits.DEFAULTS.withMaxSize(1920, 1080, 320 * 180 - 1);
        assertEquals("small.mp4: video stream 0: the container declares 320x180, 57,600 pixels, more than the 57,599"
                + " accepted (packager.limits.maxPixels)", refused(Clips.small(), fewPixels).getMessage());
        // portrait is measured in landscape: 180x320 fits 320x180
        SourceGate.admit(Clips.portrait(), InputLimits.DEFAULTS.withMaxSize(320, 180, 320 * 180));

        assertEquals("fifty.mp4: the frame rate is 50 fps over the first 2.0 s, above the 30 fps accepted"
                + " (packager.limits.maxFrameRate)", refused(Clips.fps50(), InputLimits.DEFAULTS.withMaxFrameRate(30))
                .getMessage());
        SourceGate.admit(Clips.fps50(), InputLimits.DEFAULTS.withMaxFrameRate(50));

        assertEquals("small.mp4: it lasts 2.0 s, longer than the 1 s accepted (packager.limits.maxDuration)",
                refused(Clips.small(), InputLimits.DEFAULTS.withMaxDuration(Duration.ofSeconds(1))).getMessage());
        assertEquals("a.mp4: it lasts 3.0 s, longer than the 2 s accepted (packager.limits.maxDuration)",
                refused(Clips.mp4(), InputLimits.DEFAULTS.withMaxDuration(Duration.ofSeconds(2))).getMessage());
    }

    @Test
    void audioOnlyFileIsRefused() {
        assertEquals("a660.mp4: no video stream to package (only audio: aac)",
                refused(Clips.audioOnly660(), InputLimits.DEFAULTS).getMessage());
    }

    @Test
    void unreadableFilesAreNamedWithoutTheirFolder() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.mp4"), "not a video\n".repeat(100));
        PackagingException e = assertThrows(PackagingException.class, () -> SourceGate.admit(text,
                InputLimits.DEFAULTS));
        assertFalse(e instanceof SourceRefusedException, "a broken file, not a foreign one: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("notes.mp4: not a media file FFmpeg can read"), e.getMessage());
        assertFalse(e.getMessage().contains(tmp.toString()), e.getMessage());
        PackagingException missing = assertThrows(PackagingException.class, () -> SourceGate.admit(
                tmp.resolve("gone.mp4"), InputLimits.DEFAULTS));
        assertEquals("gone.mp4: no such file", missing.getMessage());
    }
}
