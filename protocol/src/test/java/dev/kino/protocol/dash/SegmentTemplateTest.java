package dev.kino.protocol.dash;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentTemplateTest {

    private static final SegmentTimeline TL = SegmentTimeline.of(0, 2, 2);

    private static void rejects(String fieldInMessage, SegmentTemplateBuilder b) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(fieldInMessage), e.getMessage());
    }

    @Test
    void acceptsTheUsualForms() {
        assertDoesNotThrow(() -> SegmentTemplate.builder().timescale(90000).initialization("$RepresentationID$/i.mp4")
                .media("$RepresentationID$/$Time$.m4s").timeline(TL).build());
        assertDoesNotThrow(() -> SegmentTemplate.builder().media("$RepresentationID$_$Number%05d$_$Bandwidth$.m4s")
                .duration(4L).build());
        assertDoesNotThrow(() -> SegmentTemplate.builder().media("a$$b/$Number$.m4s").timeline(TL).build());
        assertDoesNotThrow(() -> SegmentTemplate.builder().media("$Time%010d$.m4s").timeline(TL).build());
    }

    @Test
    void rejectsBadTemplates() {
        rejects("both $Number$ and $Time$", SegmentTemplate.builder().media("$Number$-$Time$").timeline(TL));
        rejects("must use $Number$ or $Time$", SegmentTemplate.builder().media("$RepresentationID$.m4s").timeline(TL));
        rejects("needs a timeline", SegmentTemplate.builder().media("$Time$.m4s").duration(4L));
        rejects("set a timeline or a duration", SegmentTemplate.builder().media("$Number$.m4s"));
        rejects("must not be set together", SegmentTemplate.builder().media("$Number$.m4s").duration(4L).timeline(TL));
        rejects("unknown identifier $Foo$", SegmentTemplate.builder().media("$Foo$/$Number$").duration(1L));
        rejects("unknown identifier $RepresentationID%05d$",
                SegmentTemplate.builder().media("$RepresentationID%05d$/$Number$").duration(1L));
        rejects("unclosed", SegmentTemplate.builder().media("$Number$/$Time").duration(1L));
        rejects("SegmentTemplate.initialization", SegmentTemplate.builder().initialization("init-$Number$.mp4")
                .media("$Number$.m4s").duration(1L));
        rejects("SegmentTemplate.timescale", SegmentTemplate.builder().timescale(0).media("$Number$").duration(1L));
        rejects("SegmentTemplate.startNumber",
                SegmentTemplate.builder().media("$Number$").duration(1L).startNumber(-1L));
        rejects("SegmentTemplate.presentationTimeOffset",
                SegmentTemplate.builder().media("$Number$").duration(1L).presentationTimeOffset(-5));
        rejects("SegmentTemplate.duration", SegmentTemplate.builder().media("$Number$").duration(0L));
        assertThrows(NullPointerException.class, () -> SegmentTemplate.builder().duration(1L).build());
    }
}
