package dev.kino.protocol.dash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builder of {@link Period}. Defaults: id {@code 0}, start {@link Duration#ZERO}. Not thread-safe. */
public final class PeriodBuilder {

    private String id = "0";
    private Duration start = Duration.ZERO;
    private Duration duration;
    private String baseUrl;
    private final List<AdaptationSet> adaptationSets = new ArrayList<>();

    PeriodBuilder() {
    }

    /**
     * @param id Period id
     * @return this
     */
    public PeriodBuilder id(String id) {
        this.id = id;
        return this;
    }

    /**
     * @param start start within the presentation
     * @return this
     */
    public PeriodBuilder start(Duration start) {
        this.start = start;
        return this;
    }

    /**
     * @param duration Period duration, or null
     * @return this
     */
    public PeriodBuilder duration(Duration duration) {
        this.duration = duration;
        return this;
    }

    /**
     * @param url Period-level BaseURL, or null
     * @return this
     */
    public PeriodBuilder baseUrl(String url) {
        this.baseUrl = url;
        return this;
    }

    /**
     * @param as an AdaptationSet to add
     * @return this
     */
    public PeriodBuilder adaptationSet(AdaptationSet as) {
        adaptationSets.add(as);
        return this;
    }

    /**
     * @param sets AdaptationSets to add, in order
     * @return this
     */
    public PeriodBuilder adaptationSets(List<AdaptationSet> sets) {
        adaptationSets.addAll(sets);
        return this;
    }

    /**
     * @return the Period
     * @throws IllegalArgumentException if a rule of {@link Period} is broken
     */
    public Period build() {
        return new Period(id, start, duration, baseUrl, adaptationSets);
    }
}
