package dev.kino.protocol.dash;

import dev.kino.protocol.media.FrameRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelValidationTest {

    private static final SegmentTemplate TEMPLATE =
            SegmentTemplate.builder().media("$RepresentationID$/$Number$.m4s").duration(2L).build();

    private static void rejects(String fieldInMessage, Executable e) {
        RuntimeException ex = assertThrows(RuntimeException.class, e);
        assertTrue(ex instanceof IllegalArgumentException || ex instanceof NullPointerException, ex.toString());
        assertTrue(String.valueOf(ex.getMessage()).contains(fieldInMessage),
                "message should name " + fieldInMessage + ": " + ex.getMessage());
    }

    private static RepresentationBuilder video(String id) {
        return Representation.builder(id).bandwidth(1000).codecs("avc1.64001f").resolution(640, 360);
    }

    private static AdaptationSetBuilder videoSet() {
        return AdaptationSet.builder(ContentType.VIDEO).mimeType("video/mp4").segmentTemplate(TEMPLATE)
                .representation(video("v").build());
    }

    @Test
    void representation() {
        rejects("Representation.id", () -> Representation.builder().bandwidth(1).build());
        rejects("Representation.id", () -> Representation.builder("a b").bandwidth(1).build());
        rejects("Representation.id", () -> Representation.builder("a/b").bandwidth(1).build());
        rejects("Representation.bandwidth", () -> Representation.builder("a").build());
        rejects("Representation.codecs", () -> Representation.builder("a").bandwidth(1).codecs("avc1 x").build());
        rejects("Representation.width", () -> Representation.builder("a").bandwidth(1).resolution(0, 5).build());
        rejects("Representation.sar", () -> Representation.builder("a").bandwidth(1).sar("1/1").build());
        rejects("Representation.audioSamplingRate",
                () -> Representation.builder("a").bandwidth(1).audioSamplingRate(-48000).build());
        rejects("Representation.audioChannels", () -> Representation.builder("a").bandwidth(1).audioChannels(0).build());
        rejects("Representation.mimeType", () -> Representation.builder("a").bandwidth(1).mimeType("mp4").build());
        rejects("Representation.baseUrl", () -> Representation.builder("a").bandwidth(1).baseUrl(" ").build());
    }

    @Test
    void adaptationSet() {
        rejects("AdaptationSet.contentType", () -> AdaptationSet.builder().mimeType("video/mp4").build());
        rejects("AdaptationSet.mimeType", () -> AdaptationSet.builder(ContentType.VIDEO).build());
        rejects("does not fit contentType audio", () -> AdaptationSet.builder(ContentType.AUDIO)
                .mimeType("video/mp4").representation(video("v").build()).build());
        rejects("AdaptationSet.lang", () -> videoSet().lang("english!").build());
        rejects("AdaptationSet.startWithSap", () -> videoSet().startWithSap(7).build());
        rejects("AdaptationSet.par", () -> videoSet().par("16x9").build());
        rejects("AdaptationSet.representations must not be empty", () -> AdaptationSet.builder(ContentType.VIDEO)
                .mimeType("video/mp4").build());
        rejects("duplicate Representation id", () -> videoSet().representation(video("v").build()).build());
        rejects("no segment template and no BaseURL", () -> AdaptationSet.builder(ContentType.VIDEO)
                .mimeType("video/mp4").representation(video("v").build()).build());
        rejects("codecs must be set for audio", () -> AdaptationSet.builder(ContentType.AUDIO).mimeType("audio/mp4")
                .segmentTemplate(TEMPLATE).representation(Representation.builder("a").bandwidth(1).build()).build());
        rejects("width/height must be set for video", () -> AdaptationSet.builder(ContentType.VIDEO)
                .mimeType("video/mp4").segmentTemplate(TEMPLATE)
                .representation(Representation.builder("v").bandwidth(1).codecs("avc1").build()).build());
        rejects("exceeds maxWidth", () -> videoSet().maxResolution(320, 1080).build());
        rejects("exceeds maxHeight", () -> videoSet().maxResolution(1920, 180).build());
        rejects("AdaptationSet.roles has duplicates", () -> videoSet().role(Role.MAIN).role(Role.MAIN).build());
        rejects("AdaptationSet.label", () -> videoSet().label("").build());
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        rejects("conflicting default_KIDs", () -> videoSet()
                .contentProtection(ContentProtection.mp4Protection(EncryptionScheme.CENC, a))
                .contentProtection(ContentProtection.clearKey(b, "https://l.example/")).build());
    }

    @Test
    void periodAndMpd() {
        AdaptationSet as = videoSet().id(1L).build();
        rejects("Period.id", () -> Period.builder().id(" ").adaptationSet(as).build());
        rejects("Period.start", () -> Period.builder().start(Duration.ofSeconds(-1)).adaptationSet(as).build());
        rejects("Period.duration", () -> Period.builder().duration(Duration.ZERO).adaptationSet(as).build());
        rejects("Period.adaptationSets must not be empty", () -> Period.builder().build());
        rejects("duplicate AdaptationSet id 1", () -> Period.builder().adaptationSet(as).adaptationSet(as).build());
        AdaptationSet sameRep = videoSet().id(2L).build();
        rejects("duplicate Representation id v", () -> Period.builder().adaptationSet(as).adaptationSet(sameRep)
                .build());

        Period p0 = Period.builder().adaptationSet(as).build();
        rejects("Mpd.mediaPresentationDuration", () -> Mpd.builder().period(p0).build());
        rejects("Mpd.mediaPresentationDuration", () -> Mpd.builder().mediaPresentationDuration(Duration.ZERO)
                .period(p0).build());
        rejects("Mpd.minBufferTime", () -> Mpd.builder().mediaPresentationDuration(Duration.ofSeconds(5))
                .minBufferTime(Duration.ofSeconds(-1)).period(p0).build());
        rejects("Mpd.periods must not be empty", () -> Mpd.builder().mediaPresentationDuration(Duration.ofSeconds(5))
                .build());
        rejects("Mpd.profiles", () -> Mpd.builder().profile("a,b").mediaPresentationDuration(Duration.ofSeconds(5))
                .period(p0).build());
        Period p1 = Period.builder().id("1").start(Duration.ZERO).adaptationSet(as).build();
        rejects("is not after the previous start", () -> Mpd.builder()
                .mediaPresentationDuration(Duration.ofSeconds(5)).period(p0).period(p1).build());
        rejects("duplicate Period id", () -> Mpd.builder()
                .mediaPresentationDuration(Duration.ofSeconds(5)).period(p0).period(p0).build());
        Period late = Period.builder().id("9").start(Duration.ofSeconds(5)).adaptationSet(as).build();
        rejects("starts at or after", () -> Mpd.builder()
                .mediaPresentationDuration(Duration.ofSeconds(5)).period(late).build());
    }

    @Test
    void xmlInvalidCharactersAreRejectedEarly() {
        rejects("AdaptationSet.label", () -> videoSet().label("bell\u0007").build());
        rejects("ContentProtection.licenceUrl", () -> ContentProtection.clearKey(null, "https://x/\u0000"));
    }

    @Test
    void builderDefaultsAndImmutability() {
        Mpd m = Mpd.builder().mediaPresentationDuration(Duration.ofSeconds(5))
                .period(Period.builder().adaptationSet(videoSet().build()).build()).build();
        assertEquals(List.of(Mpd.PROFILE_ISOFF_LIVE), m.profiles());
        assertEquals(Duration.ofSeconds(2), m.minBufferTime());
        assertEquals("0", m.periods().get(0).id());
        assertEquals(Duration.ZERO, m.periods().get(0).start());
        assertTrue(m.periods().get(0).adaptationSets().get(0).segmentAlignment());
        assertThrows(UnsupportedOperationException.class, () -> m.periods().add(null));
        assertThrows(UnsupportedOperationException.class,
                () -> m.periods().get(0).adaptationSets().get(0).representations().clear());
        assertEquals(SampleMpds.protectedMpd(), SampleMpds.protectedMpd(), "value equality");
    }

    @Test
    void frameRate() {
        assertEquals("25", FrameRate.of(25).toString());
        assertEquals("30000/1001", FrameRate.of(30000, 1001).toString());
        assertEquals("25", FrameRate.of(50, 2).toString());
        assertEquals(FrameRate.of(25), FrameRate.parse("50/2"));
        assertEquals(FrameRate.of(24000, 1001), FrameRate.parse("24000/1001"));
        assertEquals(29.97, FrameRate.parse("30000/1001").fps(), 0.001);
        rejects("FrameRate.denominator", () -> FrameRate.of(25, 0));
        rejects("frame rate must be N or N/D", () -> FrameRate.parse("29.97"));
    }

    @Test
    void xsDuration() {
        assertEquals("PT0S", XsDuration.format(Duration.ZERO));
        assertEquals("PT2S", XsDuration.format(Duration.ofSeconds(2)));
        assertEquals("PT30.5S", XsDuration.format(Duration.ofMillis(30_500)));
        assertEquals("PT1M30.5S", XsDuration.format(Duration.ofMillis(90_500)));
        assertEquals("PT1H", XsDuration.format(Duration.ofHours(1)));
        assertEquals("PT1H0.04S", XsDuration.format(Duration.ofHours(1).plusMillis(40)));
        assertEquals("PT25H1M", XsDuration.format(Duration.ofHours(25).plusMinutes(1)));
        assertEquals("PT0.000000001S", XsDuration.format(Duration.ofNanos(1)));
        rejects("negative", () -> XsDuration.format(Duration.ofSeconds(-1)));
        for (Duration d : List.of(Duration.ZERO, Duration.ofMillis(30_500), Duration.ofHours(2).plusNanos(123),
                Duration.ofSeconds(3599))) {
            assertEquals(d, XsDuration.parse(XsDuration.format(d)));
        }
        assertEquals(Duration.ofDays(1).plusHours(2).plusMillis(3_500), XsDuration.parse("P1DT2H3.5S"));
        for (String bad : List.of("P", "PT", "P1Y", "PT1.S", "-PT1S", "1S", "PT1H2S3M")) {
            assertThrows(IllegalArgumentException.class, () -> XsDuration.parse(bad), bad);
        }
    }
}
