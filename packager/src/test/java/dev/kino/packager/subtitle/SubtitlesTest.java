package dev.kino.packager.subtitle;

import dev.kino.packager.SubtitleClips;
import dev.kino.packager.source.MediaInfo;
import dev.kino.packager.source.SourceProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SubtitlesTest {
    @TempDir
    Path dir;

    @Test
    void assTextLosesStylingAndKeepsLineBreaks() {
        assertEquals("Bonjour\nle monde", WebVtt.assToText("{\\i1}Bonjour{\\i0}\\Nle {\\pos(10,20)}monde"));
        assertEquals("a b", WebVtt.assToText("a\\hb"));
        assertEquals("text", WebVtt.assToText("{\\p1}m 0 0 l 10 10{\\p0}text"));
        assertEquals("x", SubtitleDecoder.dialogueText("0,0,Default,,0,0,0,,x"));
        assertEquals("y, z", SubtitleDecoder.dialogueText("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,y, z"));
        assertEquals("a &lt; b &amp; c --&gt;", WebVtt.escape("a < b & c -->"));
    }

    @Test
    void timestampsAndFile() {
        assertEquals("00:00:00.000", WebVtt.timestamp(0));
        assertEquals("01:02:03.004", WebVtt.timestamp(3_723_004));
        assertEquals("100:00:00.000", WebVtt.timestamp(360_000_000));
        assertEquals(3_723_004, WebVtt.parseTimestamp("01:02:03.004"));
        assertEquals(63_004, WebVtt.parseTimestamp("01:03.004"));
        String f = WebVtt.file(List.of(new SubtitleCue(500, 1250, "a\nb")), 0);
        assertEquals("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n1\n00:00:00.500 --> 00:00:01.250\na\nb\n\n",
                f);
        assertEquals(List.of(new WebVtt.ParsedCue(500, 1250, "a\nb")), WebVtt.parse(f));
    }

    @Test
    void openEndedCuesCloseAtTheNextOne() {
        List<SubtitleCue> c = SubtitleDecoder.shift(List.of(new long[]{1000, Long.MIN_VALUE},
                new long[]{3000, Long.MIN_VALUE}, new long[]{200, 900}), List.of("a", "b", "c"), 500, 60_000);
        assertEquals(List.of(new SubtitleCue(0, 400, "c"), new SubtitleCue(500, 2500, "a"),
                new SubtitleCue(2500, 7500, "b")), c);
    }

    @Test
    void sidecarSrtAndVtt() throws Exception {
        Path srt = Files.writeString(dir.resolve("movie.fr.srt"), "\uFEFF1\r\n00:00:00,250 --> 00:00:01,500\r\n"
                + "<b>gras</b> &amp; co\r\n\r\n2\r\n00:00:02,000 --> 00:00:04,000\r\nfin\r\n");
        assertTrue(SubtitleFiles.isSubtitleFile(srt));
        assertFalse(SubtitleFiles.isSubtitleFile(dir.resolve("movie.mp4")));
        assertEquals("fra", SubtitleFiles.language(srt));
        assertEquals("deu", SubtitleFiles.language(Path.of("a.deu.vtt")));
        assertEquals("und", SubtitleFiles.language(Path.of("a.vtt")));
        List<SubtitleCue> cues = SubtitleFiles.read(srt, 0, 3000);
        assertEquals(List.of(new SubtitleCue(250, 1500, "gras &amp; co"), new SubtitleCue(2000, 3000, "fin")), cues,
                "SubRip tags stripped, cut at the title's end");
        Path vtt = Files.writeString(dir.resolve("movie.de.vtt"), "WEBVTT\n\nNOTE hi\n\nid1\n00:00.100 --> 00:01.000 "
                + "align:start\n<v Anna>Hallo</v>\n");
        assertEquals(List.of(new SubtitleCue(0, 900, "Hallo")), SubtitleFiles.read(vtt, 100, 10_000),
                "shifted by the origin offset");
    }

    @Test
    void embeddedStreamsDecodeExactly() {
        MediaInfo info = SourceProbe.probe(SubtitleClips.mkv());
        assertEquals(2, info.subtitles().size());
        assertTrue(info.subtitles().get(0).text());
    }
}
