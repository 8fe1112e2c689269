package dev.kino.control.analytics;

import java.util.Locale;
import java.util.Optional;

/**
 * What happened in a player, as the web player reports it ({@code type} of a playback event, in its wire spelling).
 * Each type says whether the player is playing right after it, which is all the aggregation needs: the time between
 * an event that leaves the player {@link #PLAYING} and the next event is watch time.
 */
public enum EventType {
    /** Playback began (first frame). Leaves the player playing. */
    START("start", State.PLAYING),
    /** Sent every 10 s while playing, and on resume after a pause. Leaves the player playing. */
    HEARTBEAT("heartbeat", State.PLAYING),
    /** The viewer paused. */
    PAUSE("pause", State.STOPPED),
    /** The viewer jumped to {@code position}; the state before it continues, but the jump itself plays nothing. */
    SEEK("seek", State.UNCHANGED),
    /** The buffer ran dry (rebuffering); stall time is not watch time. */
    STALL_START("stall-start", State.STOPPED),
    /** Playback resumed after a stall. */
    STALL_END("stall-end", State.PLAYING),
    /** The player switched rendition ({@code rendition} is the new one); it keeps playing. */
    SWITCH("switch", State.PLAYING),
    /** A fatal player error. */
    ERROR("error", State.STOPPED),
    /** Playback reached the end or the viewer left. */
    END("end", State.STOPPED);

    enum State { PLAYING, STOPPED, UNCHANGED }

    private final String wire;
    private final State after;

    EventType(String wire, State after) {
        this.wire = wire;
        this.after = after;
    }

    /** @return the wire spelling, e.g. {@code stall-start} (also in JSON, e.g. the data export) */
    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
        return wire;
    }

    /** @return whether the player plays after this event, given whether it played before */
    boolean playingAfter(boolean before) {
        return after == State.UNCHANGED ? before : after == State.PLAYING;
    }

    /** @return the type with this wire spelling (exact, lower case) */
    public static Optional<EventType> of(String wire) {
        for (EventType t : values()) {
            if (t.wire.equals(wire)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** @return every wire spelling, for messages and the API document */
    static String spellings() {
        StringBuilder sb = new StringBuilder();
        for (EventType t : values()) {
            sb.append(sb.isEmpty() ? "" : "|").append(t.wire);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
