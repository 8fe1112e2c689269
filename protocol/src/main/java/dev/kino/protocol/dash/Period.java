package dev.kino.protocol.dash;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code Period} (ISO/IEC 23009-1 §5.3.2). For VOD usually one, starting at zero.
 *
 * @param id the {@code @id}, unique in the MPD (no whitespace)
 * @param start the {@code @start} relative to the presentation start, &gt;= 0
 * @param duration the {@code @duration}, or null (then the Period lasts until the next one or the end of the
 *        presentation)
 * @param baseUrl a Period-level {@code BaseURL}, or null
 * @param adaptationSets at least one; AdaptationSet ids and Representation ids unique within the Period
 */
public record Period(String id, Duration start, Duration duration, String baseUrl,
                     List<AdaptationSet> adaptationSets) {

    /**
     * Creates the Period, validating the components as described on the type.
     *
     * @param id see {@link #id()}
     * @param start see {@link #start()}
     * @param duration see {@link #duration()}
     * @param baseUrl see {@link #baseUrl()}
     * @param adaptationSets see {@link #adaptationSets()}
     * @throws IllegalArgumentException if a field is invalid or ids repeat (message names the field)
     */
    public Period {
        MpdValues.nonBlank(id, "Period.id");
        MpdValues.matches(id, MpdValues.NO_SPACE, "Period.id", "without whitespace");
        MpdValues.notNull(start, "Period.start");
        if (start.isNegative()) {
            throw new IllegalArgumentException("Period.start must be >= 0, got " + start);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("Period.duration must be > 0, got " + duration);
        }
        if (baseUrl != null) {
            MpdValues.nonBlank(baseUrl, "Period.baseUrl");
        }
        adaptationSets = List.copyOf(MpdValues.notNull(adaptationSets, "Period.adaptationSets"));
        if (adaptationSets.isEmpty()) {
            throw new IllegalArgumentException("Period.adaptationSets must not be empty");
        }
        Set<Long> asIds = new HashSet<>();
        Set<String> repIds = new HashSet<>();
        for (AdaptationSet as : adaptationSets) {
            if (as.id() != null && !asIds.add(as.id())) {
                throw new IllegalArgumentException("Period.adaptationSets: duplicate AdaptationSet id " + as.id());
            }
            for (Representation r : as.representations()) {
                if (!repIds.add(r.id())) {
                    throw new IllegalArgumentException("Period.adaptationSets: duplicate Representation id " + r.id());
                }
            }
        }
    }

    /**
     * @return a new builder (id {@code 0}, start zero)
     */
    public static PeriodBuilder builder() {
        return new PeriodBuilder();
    }
}
