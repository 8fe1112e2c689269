package dev.kino.protocol.dash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builder of {@link Mpd}. Defaults: profiles {@code [}{@link Mpd#PROFILE_ISOFF_LIVE}{@code ]} if none is added,
 * minBufferTime 2 s. Not thread-safe.
 */
public final class MpdBuilder {

    private final List<String> profiles = new ArrayList<>();
    private Duration mediaPresentationDuration;
    private Duration minBufferTime = Duration.ofSeconds(2);
    private String baseUrl;
    private final List<Period> periods = new ArrayList<>();

    MpdBuilder() {
    }

    /**
     * @param profile a profile URN to add
     * @return this
     */
    public MpdBuilder profile(String profile) {
        profiles.add(profile);
        return this;
    }

    /**
     * @param duration the presentation duration
     * @return this
     */
    public MpdBuilder mediaPresentationDuration(Duration duration) {
        this.mediaPresentationDuration = duration;
        return this;
    }

    /**
     * @param duration the minimum buffer time; default 2 s
     * @return this
     */
    public MpdBuilder minBufferTime(Duration duration) {
        this.minBufferTime = duration;
        return this;
    }

    /**
     * @param url MPD-level BaseURL, or null
     * @return this
     */
    public MpdBuilder baseUrl(String url) {
        this.baseUrl = url;
        return this;
    }

    /**
     * @param period a Period to add
     * @return this
     */
    public MpdBuilder period(Period period) {
        periods.add(period);
        return this;
    }

    /**
     * @return the MPD
     * @throws IllegalArgumentException if a rule of {@link Mpd} is broken
     * @throws NullPointerException if mediaPresentationDuration was not set
     */
    public Mpd build() {
        List<String> p = profiles.isEmpty() ? List.of(Mpd.PROFILE_ISOFF_LIVE) : profiles;
        return new Mpd(p, mediaPresentationDuration, minBufferTime, baseUrl, periods);
    }
}
