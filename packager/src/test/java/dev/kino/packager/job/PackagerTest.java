package dev.kino.packager.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.keystore.WrappedKey;
import dev.kino.common.keystore.WrappedKeyFile;
import dev.kino.common.packaging.Protection;
import dev.kino.packager.Clips;
import dev.kino.packager.Packager;
import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.PackagingException;
import dev.kino.packager.crypto.Aes128Segments;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.packager.media.TrackKind;
import dev.kino.packager.output.OutputVerifier;
import dev.kino.packager.output.TitleWriter;
import dev.kino.packager.transcode.TranscodeOptions;
import dev.kino.protocol.hls.MediaPlaylist;
import dev.kino.protocol.hls.MultivariantPlaylist;
import dev.kino.protocol.hls.PlaylistParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class PackagerTest {
    static final LadderSpec SPEC = new LadderSpec(List.of(new RungSpec(360, 600_000), new RungSpec(180, 200_000)),
            2, 2, false, 2);
    static final ContentKeyWrapper KEK = new ContentKeyWrapper(new byte[16]);
    static final Packager PACKAGER = new Packager(KEK, TranscodeOptions.defaults().withPreset("veryfast"));

    @TempDir
    Path root;

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void clearTitleIsPublishedWithHlsAndDash() throws Exception {
        List<PackagingProgress> seen = Collections.synchronizedList(new ArrayList<>());
        PackagingHandle h = PACKAGER.start(new PackagingRequest(List.of(Clips.mkvTwoLanguages()), "clear-1", root,
                SPEC, Protection.NONE), seen::add);
        PackagingResult r = h.await();
        assertTrue(h.isDone());
        assertEquals(PackagingProgress.Phase.DONE, h.progress().phase());
        assertEquals("libx264", r.videoEncoder());
        Path dir = root.resolve("clear-1");
        assertEquals(dir, r.folder());
        assertEquals(Protection.NONE, r.protection());
        // Typed tracks: the languages are the manifests' BCP 47 tags, the codecs their RFC 6381 strings.
        List<PackagedTrack> video = r.tracks(TrackKind.VIDEO);
        assertEquals(List.of("video-360p", "video-180p"), video.stream().map(PackagedTrack::name).toList());
        assertEquals(640, video.get(0).width());
        assertEquals(360, video.get(0).height());
        assertTrue(video.get(0).codecs().matches("avc1\\.[0-9a-f]{6}"), video.get(0).codecs());
        assertEquals(List.of("en", "fr"), r.languages(TrackKind.AUDIO));
        assertEquals(List.of("audio-eng", "audio-fre"), r.tracks(TrackKind.AUDIO).stream().map(PackagedTrack::name).toList());
        assertTrue(r.tracks(TrackKind.AUDIO).stream().allMatch(t -> t.codecs().equals("mp4a.40.2")), r.tracks().toString());
        assertEquals(List.of(), r.tracks(TrackKind.TEXT));
        assertEquals(List.of("clear-1"), Files.list(root).map(p -> p.getFileName().toString()).toList(),
                "only the published folder remains");
        List<String> files = files(dir);
        for (String f : List.of("master.m3u8", "manifest.mpd", "manifest.json", "video-360p.m3u8",
                "video-180p.m3u8", "video-360p-iframes.m3u8", "video-360p/init.mp4", "video-360p/seg-00001.m4s",
                "video-360p/seg-00002.m4s", "video-180p/seg-00002.m4s", "audio-eng.m3u8", "audio-fre.m3u8",
                "audio-eng/init.mp4", "audio-fre/seg-00002.m4s", "thumbnails.vtt", "thumbs-001.jpg", "poster.jpg")) {
            assertTrue(files.contains(f), f + " in " + files);
        }
        assertFalse(files.contains(WrappedKeyFile.FILE_NAME));
        MultivariantPlaylist master = PlaylistParser.parseMultivariant(Files.readString(dir.resolve("master.m3u8")));
        assertEquals(2, master.variants().size());
        assertEquals(2, master.renditions().size());
        assertEquals(2, master.iFrameVariants().size());
        MediaPlaylist v = PlaylistParser.parseMedia(Files.readString(dir.resolve("video-360p.m3u8")));
        assertEquals(2, v.segments().size());
        double total = v.segments().stream().mapToDouble(s -> s.duration().toNanos() / 1e9).sum();
        assertEquals(3.0, total, 0.05);
        assertEquals(2.0, v.segments().get(0).duration().toNanos() / 1e9, 1e-6, "aligned on the 2 s IDR");

        JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        assertEquals("clear-1", m.path("titleId").asText());
        assertEquals(2, m.path("video").size());
        assertEquals("eng", m.path("audio").get(0).path("language").asText());
        assertEquals("fre", m.path("audio").get(1).path("language").asText());
        assertTrue(m.path("video").get(0).path("codecs").asText().startsWith("avc1.64"));
        for (String f : files) {
            if (!f.equals("manifest.json")) {
                assertEquals(TitleWriter.sha256(dir.resolve(f)), m.path("files").path(f).asText(), f);
            }
        }
        String mpd = Files.readString(dir.resolve("manifest.mpd"));
        assertTrue(mpd.contains("video-360p/seg-$Number%05d$.m4s"), mpd);
        // thumbnails: 3 s at a 2 s interval = 2 tiles of 160x90 in one sheet; poster at 10% in source size
        assertEquals("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nthumbs-001.jpg#xywh=0,0,160,90\n\n"
                + "00:00:02.000 --> 00:00:03.000\nthumbs-001.jpg#xywh=160,0,160,90\n\n",
                Files.readString(dir.resolve("thumbnails.vtt")));
        assertArrayEquals(new int[]{320, 90}, dev.kino.packager.thumbs.Jpeg.size(
                Files.readAllBytes(dir.resolve("thumbs-001.jpg"))));
        assertArrayEquals(new int[]{640, 360}, dev.kino.packager.thumbs.Jpeg.size(
                Files.readAllBytes(dir.resolve("poster.jpg"))));
        assertEquals("thumbnails.vtt", m.path("thumbnails").path("vtt").asText());
        assertEquals(2, m.path("thumbnails").path("count").asInt());
        assertEquals("thumbs-001.jpg", m.path("thumbnails").path("sheets").get(0).asText());
        assertEquals("poster.jpg", m.path("poster").path("file").asText());
        assertEquals(0.3, m.path("poster").path("timeSeconds").asDouble(), 0.05);
        assertTrue(m.path("files").has("poster.jpg") && m.path("files").has("thumbnails.vtt"));
        assertTrue(seen.stream().anyMatch(p -> p.phase() == PackagingProgress.Phase.TRANSCODING));
        assertEquals(PackagingProgress.Phase.DONE, seen.get(seen.size() - 1).phase());
    }

    @Test
    void subtitlesFromStreamsAndSidecars() throws Exception {
        Path srt = Files.writeString(root.resolve("movie.fr.srt"),
                "1\n00:00:01,000 --> 00:00:02,345\n<i>Salut</i>\n\n");
        Path vtt = Files.writeString(root.resolve("movie.de.vtt"), "WEBVTT\n\n00:00.100 --> 00:00.900\nHallo\n");
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(dev.kino.packager.SubtitleClips.mkv(), srt, vtt),
                "subs-1", root.resolve("out"), SPEC, Protection.NONE), PackagingListener.NONE);
        Path dir = r.folder();
        assertTrue(r.renditions().containsAll(List.of("subs-eng", "subs-fre", "subs-fra", "subs-deu")),
                r.renditions().toString());
        assertEquals("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n"
                + "1\n00:00:00.500 --> 00:00:01.250\nHello world\n\n"
                + "2\n00:00:01.500 --> 00:00:02.000\nSecond line\nand a third\n\n",
                Files.readString(dir.resolve("subs-eng.vtt")));
        assertEquals("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n"
                + "1\n00:00:00.250 --> 00:00:00.999\nBonjour\nle monde\n\n"
                + "2\n00:00:02.100 --> 00:00:02.900\na &lt; b &amp; c\n\n",
                Files.readString(dir.resolve("subs-fre.vtt")));
        // The Matroska muxer shifted every stream by the audio's 21 ms pre-roll: the video (title time 0) starts at
        // container time 0.021 while side-car times count from the container's start (0), so they move 21 ms earlier.
        assertTrue(Files.readString(dir.resolve("subs-fra.vtt")).contains("00:00:00.979 --> 00:00:02.324\nSalut\n"),
                Files.readString(dir.resolve("subs-fra.vtt")));
        assertTrue(Files.readString(dir.resolve("subs-deu.vtt")).contains("00:00:00.079 --> 00:00:00.879\nHallo\n"));

        MultivariantPlaylist master = PlaylistParser.parseMultivariant(Files.readString(dir.resolve("master.m3u8")));
        var subs = master.renditions().stream()
                .filter(x -> x.type() == dev.kino.protocol.hls.RenditionType.SUBTITLES).toList();
        assertEquals(4, subs.size());
        assertEquals(List.of("English", "French", "French 2", "German"), subs.stream().map(x -> x.name()).toList());
        String masterText = Files.readString(dir.resolve("master.m3u8"));
        assertTrue(masterText.contains("TYPE=SUBTITLES,GROUP-ID=\"subs\""), masterText);
        assertTrue(master.variants().stream().allMatch(v -> v.subtitles().orElse("").equals("subs")), masterText);
        MediaPlaylist sp = PlaylistParser.parseMedia(Files.readString(dir.resolve("subs-eng.m3u8")));
        assertEquals(1, sp.segments().size());
        assertEquals("subs-eng.vtt", sp.segments().get(0).uri());
        assertEquals(3, sp.targetDuration());
        String mpd = Files.readString(dir.resolve("manifest.mpd"));
        assertTrue(mpd.contains("mimeType=\"text/vtt\"") && mpd.contains("<BaseURL>subs-deu.vtt</BaseURL>"), mpd);
        JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        assertEquals(4, m.path("subtitles").size());
        assertEquals("movie.fr.srt", m.path("subtitles").get(2).path("source").asText());
        assertTrue(m.path("files").has("subs-eng.vtt"));
    }

    @Test
    void movTextStreamBecomesWebVtt() throws Exception {
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(dev.kino.packager.SubtitleClips.movText()),
                "movtext-1", root, SPEC, Protection.CENC), PackagingListener.NONE);
        assertTrue(Files.readString(r.folder().resolve("subs-spa.vtt")).contains("00:00:01.000 --> 00:00:02.500\nHola\n"));
    }

    @Test
    void extraInputMustBeSubtitles() throws Exception {
        PackagingHandle h = PACKAGER.start(new PackagingRequest(List.of(Clips.small(), Clips.small()), "two-1", root,
                SPEC, Protection.NONE), PackagingListener.NONE);
        PackagingException e = assertThrows(PackagingException.class, h::await);
        assertTrue(e.getMessage().contains("subtitle files"), e.getMessage());
    }

    @Test
    void aes128AndCencTitle() throws Exception {
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(Clips.mp4()), "both-1", root, SPEC,
                Protection.BOTH), PackagingListener.NONE);
        Path dir = r.folder();
        assertEquals(2, r.keyIds().size());
        List<WrappedKey> keys = WrappedKeyFile.read(Files.readAllBytes(dir.resolve(WrappedKeyFile.FILE_NAME)),
                KEK.fingerprint(), "keys");
        assertEquals(List.of("aes-128", "cenc"), keys.stream().map(WrappedKey::scheme).toList());
        String hlsKid = keys.get(0).kid();
        String media = Files.readString(dir.resolve("video-360p.m3u8"));
        assertTrue(media.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"keys/" + hlsKid + "\""), media);
        byte[] init = Files.readAllBytes(dir.resolve("video-360p/init.mp4"));
        boolean initClear = new String(init, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ftyp");
        // RFC 8216 §4.3.2.5: a key tag before the map tag means the init section is encrypted with it
        assertEquals(media.indexOf("#EXT-X-MAP") < media.indexOf("#EXT-X-KEY"), initClear);
        assertTrue(Files.exists(dir.resolve("cenc/video-360p/seg-00001.m4s")));
        String mpd = Files.readString(dir.resolve("manifest.mpd"));
        assertTrue(mpd.contains("cenc/video-360p/init.mp4"), mpd);
        assertTrue(mpd.contains("urn:mpeg:dash:mp4protection:2011"), mpd);
        // DASH-IF ClearKey with the licence URL relative to the MPD: the media server fills in the viewer's
        assertTrue(mpd.contains("<ContentProtection schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\" value=\"ClearKey1.0\""), mpd);
        assertTrue(mpd.contains("<dashif:Laurl>license/clearkey</dashif:Laurl>"), mpd);
        assertTrue(mpd.contains("<clearkey:Laurl Lic_type=\"EME-1.0\">license/clearkey</clearkey:Laurl>"), mpd);
        // I-frame playlist of the AES-128 copy: each segment's IDR picture as a file of its own, with its own IV
        MediaPlaylist iframes = PlaylistParser.parseMedia(Files.readString(dir.resolve("video-360p-iframes.m3u8")));
        assertTrue(iframes.iFramesOnly());
        MediaPlaylist segments = PlaylistParser.parseMedia(media);
        assertEquals(segments.segments().size(), iframes.segments().size());
        byte[] key = KEK.unwrap(keys.get(0).wrapped());
        for (int i = 0; i < iframes.segments().size(); i++) {
            var s = iframes.segments().get(i);
            assertEquals(String.format("video-360p/iframe-%05d.m4s", i + 1), s.uri());
            assertTrue(s.byteRange().isEmpty());
            assertEquals(segments.segments().get(i).duration(), s.duration());
            byte[] iv = s.keys().get(0).iv().orElseThrow();
            assertFalse(java.util.Arrays.equals(segments.segments().get(i).keys().get(0).iv().orElseThrow(), iv),
                    "no IV is used twice under the key");
            byte[] clear = Aes128Segments.decrypt(key, iv, Files.readAllBytes(dir.resolve(s.uri())));
            Path one = root.resolve("iframe-" + i + ".mp4");
            Files.write(one, init);
            Files.write(one, clear, java.nio.file.StandardOpenOption.APPEND);
            assertEquals(1, OutputVerifier.decode(one, null, org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO,
                    s.uri()), "one picture");
        }
        MultivariantPlaylist both = PlaylistParser.parseMultivariant(Files.readString(dir.resolve("master.m3u8")));
        assertEquals(both.variants().size(), both.iFrameVariants().size(), "an I-frame playlist per rung");
        assertTrue(both.iFrameVariants().stream().anyMatch(v -> v.uri().equals("video-360p-iframes.m3u8")));
        // the AES-128 segment is not a readable MP4 without the key
        byte[] seg = Files.readAllBytes(dir.resolve("video-360p/seg-00001.m4s"));
        assertNotEquals("styp", new String(seg, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void cencOnlyTitle() throws Exception {
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(Clips.small()), "cenc-1", root,
                SPEC.withSegmentSeconds(2), Protection.CENC), PackagingListener.NONE);
        String media = Files.readString(r.folder().resolve("video-180p.m3u8"));
        assertTrue(media.contains("METHOD=SAMPLE-AES-CTR"), media);
        assertEquals(1, r.keyIds().size());
    }

    @Test
    void aes128OnlyHasNoMpd() throws Exception {
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(Clips.small()), "aes-1", root, SPEC,
                Protection.AES_128), PackagingListener.NONE);
        assertFalse(Files.exists(r.folder().resolve("manifest.mpd")));
        assertTrue(Files.exists(r.folder().resolve("master.m3u8")));
    }

    @Test
    void cancelLeavesNothingBehind() throws Exception {
        PackagingHandle[] h = new PackagingHandle[1];
        Object lock = new Object();
        synchronized (lock) {
            h[0] = PACKAGER.start(new PackagingRequest(List.of(Clips.mp4()), "cancel-1", root, SPEC, Protection.BOTH),
                    p -> {
                        if (p.phase() == PackagingProgress.Phase.TRANSCODING) {
                            synchronized (lock) {
                                h[0].cancel();
                            }
                        }
                    });
        }
        assertThrows(PackagingCancelledException.class, h[0]::await);
        assertEquals(PackagingProgress.Phase.CANCELLED, h[0].progress().phase());
        assertEquals(List.of(), files(root));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aCancellationSignalStopsARunOnTheCallingThreadAndLeavesNothingBehind() throws Exception {
        CancellationSignal cancel = new CancellationSignal();
        List<PackagingProgress> seen = Collections.synchronizedList(new ArrayList<>());
        PackagingRequest request = new PackagingRequest(List.of(Clips.mp4()), "cancel-2", root, SPEC, Protection.CENC);
        long t0 = System.nanoTime();
        assertThrows(PackagingCancelledException.class, () -> PACKAGER.run(request, p -> {
            seen.add(p);
            if (p.phase() == PackagingProgress.Phase.TRANSCODING) {
                cancel.cancel();
            }
        }, cancel));
        assertEquals(PackagingProgress.Phase.CANCELLED, seen.get(seen.size() - 1).phase());
        assertTrue(seen.stream().noneMatch(p -> p.phase() == PackagingProgress.Phase.WRITING),
                "stopped while transcoding: " + seen);
        assertFalse(Files.exists(request.titleFolder()));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(0, s.count(), "no temporary folder left");
        }
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L);
    }

    @Test
    void badInputFailsCleanly() throws Exception {
        Path bad = Files.writeString(root.resolve("bad.mp4"), "nope");
        Path out = root.resolve("out");
        PackagingHandle h = PACKAGER.start(PackagingRequest.of(bad, "bad-1", out, Protection.NONE), PackagingListener.NONE);
        PackagingException e = assertThrows(PackagingException.class, h::await);
        assertTrue(e.getMessage().contains("bad.mp4"), e.getMessage());
        assertEquals(PackagingProgress.Phase.FAILED, h.progress().phase());
        assertFalse(Files.exists(out.resolve("bad-1")));
    }

    @Test
    void hostileSourcesAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        Path out = root.resolve("out");
        Packager limited = new Packager(KEK, TranscodeOptions.defaults().withPreset("veryfast"),
                dev.kino.common.packaging.VerificationDepth.KEYFRAMES,
                dev.kino.packager.source.InputLimits.DEFAULTS.withMaxDuration(java.time.Duration.ofSeconds(1))
                        .withMaxFrameRate(30));
        record Case(Path source, String message) {
        }
        List<Case> cases = List.of(
                new Case(dev.kino.packager.HostileMedia.pngNamedMp4(in.resolve("poster.mp4")),
                        "poster.mp4: not a video file: FFmpeg reads it as \"piped png sequence\" (png_pipe), an image format;"),
                new Case(dev.kino.packager.HostileMedia.spsClaiming(in.resolve("bomb.mp4"), 16000, 16000, 13),
                        "bomb.mp4: video stream 0: its H.264 sequence parameter set claims a 16000x16000 picture"),
                new Case(Clips.small(), "small.mp4: it lasts 2.0 s, longer than the 1 s accepted"),
                new Case(Clips.fps50(), "fifty.mp4: the frame rate is 50 fps over the first 2.0 s, above the 30 fps"),
                new Case(Clips.audioOnly660(), "a660.mp4: no video stream to package (only audio: aac)"));
        for (Case c : cases) {
            List<PackagingProgress.Phase> phases = Collections.synchronizedList(new ArrayList<>());
            PackagingHandle h = limited.start(PackagingRequest.of(c.source(), "hostile-1", out, Protection.BOTH),
                    p -> phases.add(p.phase()));
            dev.kino.packager.SourceRefusedException e = assertThrows(dev.kino.packager.SourceRefusedException.class,
                    h::await);
            assertTrue(e.getMessage().startsWith(c.message()), e.getMessage());
            assertFalse(e.getMessage().contains(root.toString()), "no server folder in " + e.getMessage());
            assertEquals(List.of(PackagingProgress.Phase.PROBING, PackagingProgress.Phase.FAILED), phases);
            assertFalse(Files.exists(out), "nothing written for " + c.source().getFileName());
        }
    }

    @Test
    void existingTitleIsNotReplaced() throws Exception {
        Files.createDirectories(root.resolve("taken"));
        PackagingHandle h = PACKAGER.start(new PackagingRequest(List.of(Clips.small()), "taken", root, SPEC,
                Protection.NONE), PackagingListener.NONE);
        assertThrows(PackagingException.class, h::await);
    }
}
