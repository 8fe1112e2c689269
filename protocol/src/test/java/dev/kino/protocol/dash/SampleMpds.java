package dev.kino.protocol.dash;

import dev.kino.protocol.media.FrameRate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** MPDs shared by the tests. */
final class SampleMpds {

    static final UUID KID = UUID.fromString("10000000-1000-1000-8000-000000000001");
    static final String LICENCE_URL = "https://licence.example/clearkey?title=t1&v=2";

    private SampleMpds() {
    }

    /** 30.5 s: video 90 kHz ticks, 2 s segments then 0.5 s; audio 48 kHz. */
    static List<Long> videoDurations() {
        List<Long> d = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            d.add(180_000L);
        }
        d.add(45_000L);
        return d;
    }

    static List<Long> audioDurations() {
        // AAC frames of 1024 samples: 2 s segments are 94 or 93 frames (96256 / 95232 samples) alternating.
        List<Long> d = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < 15; i++) {
            long dur = (i % 2 == 0) ? 96_256L : 95_232L;
            d.add(dur);
            total += dur;
        }
        d.add(30L * 48_000 + 24_000 - total);
        return d;
    }

    /** A clear two-rendition video, two audio languages and two WebVTT subtitle tracks. */
    static Mpd clear() {
        return base(List.of());
    }

    /** The same, protected with cenc, Widevine, DASH-IF ClearKey and the W3C common pssh. */
    static Mpd protectedMpd() {
        return base(List.of(
                ContentProtection.mp4Protection(EncryptionScheme.CENC, KID),
                ContentProtection.widevine(KID, Pssh.widevineBox(List.of(KID), null)),
                ContentProtection.clearKey(KID, LICENCE_URL),
                ContentProtection.w3cCommon(List.of(KID), LICENCE_URL)));
    }

    private static Mpd base(List<ContentProtection> cps) {
        SegmentTemplate video = SegmentTemplate.builder()
                .timescale(90_000)
                .initialization("$RepresentationID$/init.mp4")
                .media("$RepresentationID$/$Time$.m4s")
                .timeline(0, videoDurations())
                .build();
        SegmentTemplate audio = SegmentTemplate.builder()
                .timescale(48_000)
                .initialization("$RepresentationID$/init.mp4")
                .media("$RepresentationID$/$Number%05d$.m4s")
                .startNumber(1L)
                .timeline(0, audioDurations())
                .build();
        AdaptationSet v = AdaptationSet.builder(ContentType.VIDEO).id(1L).mimeType("video/mp4")
                .startWithSap(1).maxResolution(1920, 1080).par("16:9")
                .role(Role.MAIN)
                .contentProtections(cps)
                .segmentTemplate(video)
                .representation(Representation.builder("v1080").bandwidth(5_000_000).codecs("avc1.640028")
                        .resolution(1920, 1080).frameRate(FrameRate.of(30000, 1001)).sar("1:1").build())
                .representation(Representation.builder("v540").bandwidth(1_200_000).codecs("avc1.4d401f")
                        .resolution(960, 540).frameRate(FrameRate.of(30000, 1001)).sar("1:1").build())
                .build();
        AdaptationSet en = AdaptationSet.builder(ContentType.AUDIO).id(2L).mimeType("audio/mp4").lang("en")
                .startWithSap(1).role(Role.MAIN).label("English")
                .contentProtections(cps)
                .segmentTemplate(audio)
                .representation(Representation.builder("a-en").bandwidth(128_000).codecs("mp4a.40.2")
                        .audioSamplingRate(48_000).audioChannels(2).build())
                .build();
        AdaptationSet fr = AdaptationSet.builder(ContentType.AUDIO).id(3L).mimeType("audio/mp4").lang("fr")
                .startWithSap(1).role(Role.DUB).label("Français")
                .contentProtections(cps)
                .segmentTemplate(audio)
                .representation(Representation.builder("a-fr").bandwidth(96_000).codecs("mp4a.40.2")
                        .audioSamplingRate(48_000).audioChannels(6).build())
                .build();
        AdaptationSet subEn = AdaptationSet.webVtt(4L, "en", Role.SUBTITLE, "English", "s-en", 256,
                "subs/en.vtt");
        AdaptationSet capEn = AdaptationSet.webVtt(5L, "en", Role.CAPTION, "English (CC)", "c-en", 256,
                "subs/en-cc.vtt");
        AdaptationSet subDe = AdaptationSet.webVtt(6L, "de", Role.SUBTITLE, "Deutsch", "s-de", 256,
                "subs/de.vtt");
        return Mpd.builder()
                .profile(Mpd.PROFILE_ISOFF_LIVE)
                .profile(Mpd.PROFILE_CMAF)
                .mediaPresentationDuration(Duration.ofMillis(30_500))
                .minBufferTime(Duration.ofSeconds(2))
                .period(Period.builder().id("p0").adaptationSets(List.of(v, en, fr, subEn, capEn, subDe)).build())
                .build();
    }
}
