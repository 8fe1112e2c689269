package dev.kino.control.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.InvalidInputException;
import dev.kino.control.analytics.AnalyticsTypes.IngestResult;
import dev.kino.control.analytics.AnalyticsTypes.Refused;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore;
import dev.kino.control.catalog.Viewer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validates a batch of playback events one by one: a bad event refuses only itself, with its index and a reason.
 * Besides the shape, an event must be recent ({@link #MAX_AGE} back, {@link #MAX_AHEAD} ahead of this server's
 * clock), name a media item that exists, and belong to the caller's playback session for that item, at a time the
 * session was valid. That binding is what stops inflated figures: a session id comes only from
 * {@code POST /api/v1/playback} (which takes a stream lease for an account), events of an account's session are
 * accepted only with that account's bearer token, and a guest session's id is a random secret known only to the
 * player it was granted to.
 */
final class Ingest {
    /** Events per batch; the rest are refused. */
    static final int MAX_BATCH = 500;
    /** Other fields kept per event. */
    static final int MAX_EXTRA = 8;
    /** Longest string of another field. */
    static final int MAX_EXTRA_TEXT = 256;
    /** Oldest event accepted (a player that was offline for a while still sends its batch). */
    static final Duration MAX_AGE = Duration.ofHours(24);
    /** Latest event accepted: clients' clocks run a little ahead. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(2);
    /** Slack around a session's validity for the clocks of client and server. */
    static final Duration SESSION_SLACK = Duration.ofMinutes(10);
    private static final double MAX_POSITION = 7 * 24 * 3600;
    private static final Pattern RENDITION = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern EXTRA_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");
    private static final Set<String> FIELDS = Set.of("id", "type", "mediaId", "sessionId", "at", "position", "rendition");

    private final Catalog catalog;
    private final SessionStore sessions;
    private final Clock clock;

    Ingest(Catalog catalog, SessionStore sessions, Clock clock) {
        this.catalog = catalog;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Validated events of a batch and the refusals. */
    record Checked(List<PlaybackEvent> events, List<Refused> refused) {
        IngestResult result() {
            return new IngestResult(events.size(), refused);
        }
    }

    /**
     * @param caller who posts the batch (a guest without a bearer token)
     * @param body the request body
     * @throws InvalidInputException when the body has no {@code events} array (422)
     */
    Checked check(Viewer caller, JsonNode body) {
        JsonNode list = body.get("events");
        if (list == null || !list.isArray()) {
            throw InvalidInputException.of("events", "is required: an array of playback events");
        }
        Instant now = clock.instant();
        Map<Integer, PlaybackEvent> shaped = new LinkedHashMap<>();
        List<Refused> refused = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (i >= MAX_BATCH) {
                refused.add(new Refused(i, "batch-too-large", "a batch holds at most " + MAX_BATCH + " events"));
                continue;
            }
            try {
                PlaybackEvent e = shape(list.get(i));
                if (e.at().isAfter(now.plus(MAX_AHEAD))) {
                    refused.add(new Refused(i, "in-the-future", "at is more than " + MAX_AHEAD.toMinutes()
                            + " minutes ahead of the server's clock"));
                } else if (e.at().isBefore(now.minus(MAX_AGE))) {
                    refused.add(new Refused(i, "too-old", "at is more than " + MAX_AGE.toHours() + " hours ago"));
                } else {
                    shaped.put(i, e);
                }
            } catch (IllegalArgumentException bad) {
                refused.add(new Refused(i, "malformed", bad.getMessage()));
            }
        }
        Set<UUID> mediaIds = new HashSet<>();
        Set<UUID> sessionIds = new HashSet<>();
        shaped.values().forEach(e -> {
            mediaIds.add(e.mediaId());
            sessionIds.add(e.sessionId());
        });
        Map<UUID, MediaStore.MediaRow> media = catalog.media(List.copyOf(mediaIds));
        Map<UUID, SessionStore.Session> known = sessions.find(sessionIds);
        List<PlaybackEvent> accepted = new ArrayList<>();
        for (Iterator<Map.Entry<Integer, PlaybackEvent>> it = shaped.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, PlaybackEvent> entry = it.next();
            int i = entry.getKey();
            PlaybackEvent e = entry.getValue();
            SessionStore.Session s = known.get(e.sessionId());
            String reason = null;
            String detail = null;
            if (!media.containsKey(e.mediaId())) {
                reason = "unknown-media";
                detail = "no media item " + e.mediaId();
            } else if (s == null) {
                reason = "unknown-session";
                detail = "no playback session " + e.sessionId() + "; POST /api/v1/playback grants one";
            } else if (s.accountId() != null && !s.accountId().equals(caller.accountId())) {
                // guests' sessions belong to whoever holds the random id; accounts' only to the account
                reason = "not-your-session";
                detail = "playback session " + e.sessionId() + " is not the caller's";
            } else if (!s.mediaId().equals(e.mediaId())) {
                reason = "session-media-mismatch";
                detail = "playback session " + e.sessionId() + " plays another media item";
            } else if (e.at().isBefore(s.startedAt().minus(SESSION_SLACK))
                    || e.at().isAfter(s.expiresAt().plus(SESSION_SLACK))) {
                reason = "outside-session";
                detail = "at is outside the playback session's validity (" + s.startedAt() + " to " + s.expiresAt() + ")";
            }
            if (reason != null) {
                refused.add(new Refused(i, reason, detail));
            } else {
                accepted.add(e);
            }
        }
        refused.sort(java.util.Comparator.comparingInt(Refused::index));
        return new Checked(accepted, refused);
    }

    /** @throws IllegalArgumentException naming what is wrong with the event's shape */
    static PlaybackEvent shape(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("an event is a JSON object");
        }
        UUID id = uuid(n, "id");
        String typeName = text(n, "type");
        EventType type = EventType.of(typeName).orElseThrow(() -> new IllegalArgumentException(
                "type must be one of " + EventType.spellings()));
        UUID media = uuid(n, "mediaId");
        UUID session = uuid(n, "sessionId");
        JsonNode at = n.get("at");
        if (at == null || !at.isIntegralNumber() || !at.canConvertToLong() || at.asLong() <= 0) {
            throw new IllegalArgumentException("at must be a time in milliseconds since the Unix epoch");
        }
        JsonNode pos = n.get("position");
        if (pos == null || !pos.isNumber() || !Double.isFinite(pos.asDouble()) || pos.asDouble() < 0
                || pos.asDouble() > MAX_POSITION) {
            throw new IllegalArgumentException("position must be seconds from the start, 0 to " + (long) MAX_POSITION);
        }
        String rendition = null;
        JsonNode r = n.get("rendition");
        if (r != null && !r.isNull()) {
            if (!r.isTextual() || !RENDITION.matcher(r.asText()).matches()) {
                throw new IllegalArgumentException("rendition must be 1 to 32 of A-Za-z0-9._- (e.g. 720p)");
            }
            rendition = r.asText();
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (FIELDS.contains(f.getKey()) || f.getValue().isNull()) {
                continue;
            }
            if (detail.size() >= MAX_EXTRA) {
                throw new IllegalArgumentException("at most " + MAX_EXTRA + " other fields per event");
            }
            if (!EXTRA_NAME.matcher(f.getKey()).matches()) {
                throw new IllegalArgumentException("field names are 1 to 32 of A-Za-z0-9_, starting with a letter");
            }
            JsonNode v = f.getValue();
            if (v.isTextual() && v.asText().length() <= MAX_EXTRA_TEXT) {
                detail.put(f.getKey(), v.asText());
            } else if (v.isNumber() && Double.isFinite(v.asDouble())) {
                detail.put(f.getKey(), v.numberValue());
            } else if (v.isBoolean()) {
                detail.put(f.getKey(), v.asBoolean());
            } else {
                throw new IllegalArgumentException(f.getKey() + " must be a number, a boolean or a string of at most "
                        + MAX_EXTRA_TEXT + " characters");
            }
        }
        return new PlaybackEvent(id, type, media, session, Instant.ofEpochMilli(at.asLong()), pos.asDouble(), rendition,
                detail);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " is required (a string)");
        }
        return v.asText();
    }

    private static UUID uuid(JsonNode n, String field) {
        String s = text(n, field);
        try {
            UUID u = UUID.fromString(s);
            if (!u.toString().equalsIgnoreCase(s)) {
                throw new IllegalArgumentException(field + " must be a UUID");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be a UUID");
        }
    }

    /**
     * @param ip the client's address
     * @return the address with its host part cleared, as a network: IPv4 to /24, IPv6 to /48 (no person is told
     *         apart by it, a region or ISP still is); null for an unparseable one
     */
    static String truncate(String ip) {
        try {
            // literal addresses only: InetAddress would resolve a host name
            if (ip == null || !(ip.matches("[0-9.]{7,15}") || ip.matches("[0-9A-Fa-f:.]{2,45}") && ip.contains(":"))) {
                return null;
            }
            byte[] a = InetAddress.getByName(ip).getAddress();
            int keep = a.length == 4 ? 3 : 6;
            for (int i = keep; i < a.length; i++) {
                a[i] = 0;
            }
            return InetAddress.getByAddress(a).getHostAddress() + (a.length == 4 ? "/24" : "/48");
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
