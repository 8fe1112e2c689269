package dev.kino.control.catalog;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Life of a playable item, from source to take-down. Every change goes through
 * {@link #canMoveTo(MediaState)}; an illegal one is answered 409.
 *
 * <pre>
 * uploaded ─package→ queued ─claim→ packaging ─done→ ready ─publish→ published ─take down→ taken_down
 *                       ↑  (lease expired) ↩      └fail→ failed ─retry→ queued        ↑unpublish→ ready
 *                                                                      taken_down ─publish→ published
 * </pre>
 */
public enum MediaState {
    UPLOADED, QUEUED, PACKAGING, READY, FAILED, PUBLISHED, TAKEN_DOWN;

    /** @return the wire and column name, e.g. {@code taken_down} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the state named {@code wire}; IllegalArgumentException for an unknown name */
    public static MediaState of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** @return the states this one may change to */
    public Set<MediaState> next() {
        return switch (this) {
            case UPLOADED -> EnumSet.of(UPLOADED, QUEUED);
            case QUEUED -> EnumSet.of(PACKAGING, UPLOADED, FAILED);
            case PACKAGING -> EnumSet.of(READY, FAILED, QUEUED, UPLOADED);
            case READY -> EnumSet.of(PUBLISHED, QUEUED, UPLOADED);
            case FAILED -> EnumSet.of(QUEUED, UPLOADED);
            case PUBLISHED -> EnumSet.of(PUBLISHED, READY, TAKEN_DOWN);
            case TAKEN_DOWN -> EnumSet.of(PUBLISHED, READY, TAKEN_DOWN);
        };
    }

    public boolean canMoveTo(MediaState to) {
        return next().contains(to);
    }

    /** @return the states from which {@code to} may be reached */
    public static Set<MediaState> from(MediaState to) {
        Set<MediaState> out = EnumSet.noneOf(MediaState.class);
        for (MediaState s : values()) {
            if (s.canMoveTo(to)) {
                out.add(s);
            }
        }
        return out;
    }
}
