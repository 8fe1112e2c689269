package dev.kino.protocol.dash;

/** Builder of {@link SegmentTemplate}; see that type for units and rules. Not thread-safe. */
public final class SegmentTemplateBuilder {

    private long timescale = 1;
    private String initialization;
    private String media;
    private Long startNumber;
    private long presentationTimeOffset;
    private Long duration;
    private SegmentTimeline timeline;

    SegmentTemplateBuilder() {
    }

    /**
     * @param ticksPerSecond ticks per second, &gt; 0; default 1
     * @return this
     */
    public SegmentTemplateBuilder timescale(long ticksPerSecond) {
        this.timescale = ticksPerSecond;
        return this;
    }

    /**
     * @param template initialization URL template, e.g. {@code $RepresentationID$/init.mp4}
     * @return this
     */
    public SegmentTemplateBuilder initialization(String template) {
        this.initialization = template;
        return this;
    }

    /**
     * @param template media URL template, e.g. {@code $RepresentationID$/$Number%05d$.m4s}
     * @return this
     */
    public SegmentTemplateBuilder media(String template) {
        this.media = template;
        return this;
    }

    /**
     * @param number first {@code $Number$}; null to omit (DASH default 1)
     * @return this
     */
    public SegmentTemplateBuilder startNumber(Long number) {
        this.startNumber = number;
        return this;
    }

    /**
     * @param ticks presentation time offset in timescale ticks; default 0
     * @return this
     */
    public SegmentTemplateBuilder presentationTimeOffset(long ticks) {
        this.presentationTimeOffset = ticks;
        return this;
    }

    /**
     * @param ticks constant segment duration in timescale ticks (no timeline)
     * @return this
     */
    public SegmentTemplateBuilder duration(Long ticks) {
        this.duration = ticks;
        return this;
    }

    /**
     * @param timeline exact segment times
     * @return this
     */
    public SegmentTemplateBuilder timeline(SegmentTimeline timeline) {
        this.timeline = timeline;
        return this;
    }

    /**
     * Shortcut for {@code timeline(new SegmentTimeline(startTime, durations))}.
     *
     * @param startTime start of the first segment, ticks
     * @param durations segment durations, ticks
     * @return this
     */
    public SegmentTemplateBuilder timeline(long startTime, java.util.List<Long> durations) {
        this.timeline = new SegmentTimeline(startTime, durations);
        return this;
    }

    /**
     * @return the template
     * @throws IllegalArgumentException if the values break a rule of {@link SegmentTemplate}
     * @throws NullPointerException if {@code media} was not set
     */
    public SegmentTemplate build() {
        return new SegmentTemplate(timescale, initialization, media, startNumber, presentationTimeOffset, duration,
                timeline);
    }
}
