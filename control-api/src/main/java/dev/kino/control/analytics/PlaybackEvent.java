package dev.kino.control.analytics;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One validated playback event, as the {@link EventSink} stores it.
 *
 * @param id the client's event id, unique per event (replays of the same event are ignored)
 * @param type what happened
 * @param mediaId the media item played
 * @param sessionId the playback session ({@code sessionId} of {@code POST /api/v1/playback})
 * @param at when it happened on the client, millisecond precision
 * @param position playback position in seconds from the start of the item, 0 or more
 * @param rendition the rendition playing, e.g. {@code 720p}, or null
 * @param detail other fields the client sent (e.g. an error's {@code message}), small scalars only; may be empty
 */
public record PlaybackEvent(UUID id, EventType type, UUID mediaId, UUID sessionId, Instant at, double position,
                            String rendition, Map<String, Object> detail) {
    public PlaybackEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? Map.of() : Map.copyOf(detail);
    }
}
