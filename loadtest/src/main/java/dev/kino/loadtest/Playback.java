package dev.kino.loadtest;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One virtual viewer's player state, kept in its Gatling session: the playback grant, the objects still to fetch
 * before the next pause, where it is in the item and how long it will watch. Only its own virtual user touches it
 * (Gatling runs one user's actions one after another), so it needs no locking.
 *
 * <p>Like a player, it fetches what the next segment needs (init section, key or licence, then the segment) and then
 * waits the segment's duration (EXTINF in HLS, {@code d/timescale} in DASH): real-time pace, one segment in flight.
 */
abstract class Playback {
    /** A request to make: its kind (the Gatling request name), absolute URL and optional Range header. */
    record Fetch(String kind, String url, String range) {
    }

    /** The web player reports its position every 10 s of playback (web/js/views/watch.js). */
    static final double PROGRESS_EVERY_SECONDS = 10;
    /** A grant this close to its expiry is renewed before the next request, as the player does on a 403. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    final Account account;
    final KinoApi.Playable item;
    final URI mediaOrigin;
    final double switchChance;
    final double seekChance;
    /** Total playback time this viewer watches before it stops. */
    final double watchLimitSeconds;

    String sessionId;
    URI manifestUrl;
    URI licenceUrl;
    Integer maxHeight;
    Instant expiresAt;
    boolean manifestDue = true;

    final Deque<Fetch> fetches = new ArrayDeque<>();
    double watchedSeconds;
    double pauseSeconds;
    double positionSeconds;
    private double sinceProgress;
    boolean finished;

    Playback(Account account, KinoApi.Playable item, Settings settings) {
        this.account = account;
        this.item = item;
        this.mediaOrigin = settings.mediaUrl();
        this.switchChance = settings.switchChance();
        this.seekChance = settings.seekChance();
        double length = item.durationSeconds() > 0 ? item.durationSeconds() : 60;
        double cap = Math.min(length, settings.maxWatch().toMillis() / 1000.0);
        this.watchLimitSeconds = cap * ThreadLocalRandom.current().nextDouble(0.2, 1.0);
    }

    /** @return whether this viewer has an account (else a guest: no lease, no progress, no stop) */
    boolean signedIn() {
        return account != null;
    }

    /** @return the POST /api/v1/playback body */
    String authoriseBody() {
        return KinoApi.json(java.util.Map.of("mediaId", item.mediaId()));
    }

    /**
     * Takes a playback grant {@code {sessionId, hlsUrl, dashUrl, licenceUrl, resumePositionSeconds, maxResolution,
     * expiresAt}} and schedules a manifest load from its URLs.
     */
    void onGrant(String body) {
        try {
            JsonNode g = KinoApi.JSON.readTree(body);
            sessionId = g.path("sessionId").isTextual() ? g.path("sessionId").asText() : null;
            manifestUrl = media(g.path(manifestField()).asText(null));
            licenceUrl = media(g.path("licenceUrl").asText(null));
            maxHeight = g.path("maxResolution").canConvertToInt() ? g.path("maxResolution").asInt() : null;
            expiresAt = g.hasNonNull("expiresAt") ? Instant.parse(g.path("expiresAt").asText()) : Instant.MAX;
            if (manifestUrl == null) {
                throw new IllegalStateException("the playback grant has no " + manifestField() + ": " + body);
            }
            manifestDue = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code hlsUrl} or {@code dashUrl} */
    abstract String manifestField();

    /** Parses the multivariant playlist or MPD; queues what playback needs first. */
    abstract void onManifest(String body);

    /** Queues the fetches of the next segment and sets the pause that follows it; may switch or seek first. */
    abstract void advance();

    /** Forgets what belonged to the previous grant's URLs (a renewed grant comes with a new token in every URL). */
    void onRenewed() {
    }

    /** @return whether the grant should be renewed before the next request */
    boolean renewDue() {
        return expiresAt != null && Instant.now().plus(RENEW_BEFORE).isAfter(expiresAt);
    }

    /** @return whether to report progress now (every {@value #PROGRESS_EVERY_SECONDS} s of playback) */
    boolean progressDue() {
        if (signedIn() && sinceProgress >= PROGRESS_EVERY_SECONDS) {
            sinceProgress = 0;
            return true;
        }
        return false;
    }

    /** @return the PUT /api/v1/playback/progress body at the current position */
    String progressBody() {
        return KinoApi.json(java.util.Map.of("mediaId", item.mediaId(), "positionSeconds", (int) Math.floor(positionSeconds)));
    }

    /** Counts a segment's duration as watched. */
    void played(double seconds) {
        watchedSeconds += seconds;
        positionSeconds += seconds;
        sinceProgress += seconds;
        pauseSeconds = seconds;
        if (watchedSeconds >= watchLimitSeconds) {
            finished = true;
        }
    }

    /** @return the pause before the next segment (the last one's duration) */
    Duration pause() {
        double p = pauseSeconds;
        pauseSeconds = 0;
        return Duration.ofMillis(Math.round(p * 1000));
    }

    /** @return whether the viewer still watches */
    boolean watching() {
        return !finished;
    }

    boolean chance(double p) {
        return p > 0 && ThreadLocalRandom.current().nextDouble() < p;
    }

    /** @return {@code relative} resolved against {@code base} */
    static String resolve(URI base, String relative) {
        return base.resolve(relative).toString();
    }

    /** @return the URL on {@code --media-url}'s origin when one is given, else as granted; null stays null */
    URI media(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI u = URI.create(url);
        if (mediaOrigin == null) {
            return u;
        }
        String path = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        String origin = mediaOrigin.toString();
        return URI.create((origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin) + path);
    }
}
