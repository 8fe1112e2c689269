package dev.kino.protocol.dash;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A static (VOD) Media Presentation Description (ISO/IEC 23009-1 §5.3.1, {@code @type="static"}). Write it with
 * {@link MpdWriter#write(Mpd)}.
 *
 * @param profiles the {@code @profiles} URNs, at least one, e.g. {@link #PROFILE_ISOFF_LIVE} and/or
 *        {@link #PROFILE_CMAF}
 * @param mediaPresentationDuration the whole presentation's duration, &gt; 0
 * @param minBufferTime the {@code @minBufferTime}, &gt;= 0 (DASH-IF IOP: about the longest segment duration)
 * @param baseUrl an MPD-level {@code BaseURL}, or null (segment URLs then resolve against the MPD URL)
 * @param periods at least one, ids unique, starts strictly increasing and before the end of the presentation
 */
public record Mpd(List<String> profiles, Duration mediaPresentationDuration, Duration minBufferTime, String baseUrl,
                  List<Period> periods) {

    /** The ISO BMFF live profile (ISO/IEC 23009-1 §8.4), which SegmentTemplate-based VOD also uses. */
    public static final String PROFILE_ISOFF_LIVE = "urn:mpeg:dash:profile:isoff-live:2011";
    /** The CMAF profile (ISO/IEC 23009-1 4th ed. §8.12). */
    public static final String PROFILE_CMAF = "urn:mpeg:dash:profile:cmaf:2019";
    /** The MPD namespace. */
    public static final String NAMESPACE = "urn:mpeg:dash:schema:mpd:2011";

    /**
     * Creates the Mpd, validating the components as described on the type.
     *
     * @param profiles see {@link #profiles()}
     * @param mediaPresentationDuration see {@link #mediaPresentationDuration()}
     * @param minBufferTime see {@link #minBufferTime()}
     * @param baseUrl see {@link #baseUrl()}
     * @param periods see {@link #periods()}
     * @throws IllegalArgumentException if a field is invalid (message names the field)
     */
    public Mpd {
        profiles = List.copyOf(MpdValues.notNull(profiles, "Mpd.profiles"));
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("Mpd.profiles must not be empty");
        }
        for (String p : profiles) {
            MpdValues.nonBlank(p, "Mpd.profiles");
            if (p.contains(",") || !MpdValues.NO_SPACE.matcher(p).matches()) {
                throw new IllegalArgumentException("Mpd.profiles entry must have no comma or space: " + p);
            }
        }
        MpdValues.notNull(mediaPresentationDuration, "Mpd.mediaPresentationDuration");
        if (mediaPresentationDuration.isNegative() || mediaPresentationDuration.isZero()) {
            throw new IllegalArgumentException("Mpd.mediaPresentationDuration must be > 0, got "
                    + mediaPresentationDuration);
        }
        MpdValues.notNull(minBufferTime, "Mpd.minBufferTime");
        if (minBufferTime.isNegative()) {
            throw new IllegalArgumentException("Mpd.minBufferTime must be >= 0, got " + minBufferTime);
        }
        if (baseUrl != null) {
            MpdValues.nonBlank(baseUrl, "Mpd.baseUrl");
        }
        periods = List.copyOf(MpdValues.notNull(periods, "Mpd.periods"));
        if (periods.isEmpty()) {
            throw new IllegalArgumentException("Mpd.periods must not be empty");
        }
        Set<String> ids = new HashSet<>();
        Duration previous = null;
        for (Period p : periods) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("Mpd.periods: duplicate Period id " + p.id());
            }
            if (previous != null && p.start().compareTo(previous) <= 0) {
                throw new IllegalArgumentException("Mpd.periods: Period " + p.id() + " start " + p.start()
                        + " is not after the previous start " + previous);
            }
            if (p.start().compareTo(mediaPresentationDuration) >= 0) {
                throw new IllegalArgumentException("Mpd.periods: Period " + p.id() + " starts at or after "
                        + "mediaPresentationDuration");
            }
            previous = p.start();
        }
    }

    /**
     * @return a new builder (profile {@link #PROFILE_ISOFF_LIVE} unless set, minBufferTime 2 s)
     */
    public static MpdBuilder builder() {
        return new MpdBuilder();
    }
}
