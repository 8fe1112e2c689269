package dev.kino.control.playback;

import dev.kino.common.state.BlockingSharedState;
import dev.kino.common.state.LeaseResult;
import dev.kino.common.state.StreamLimits;
import dev.kino.control.ForbiddenException;
import dev.kino.control.NotFoundException;
import dev.kino.control.RateLimitedException;
import dev.kino.control.UnauthenticatedException;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaState;
import dev.kino.control.catalog.MediaStore;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.playback.PlaybackTypes.Plan;
import dev.kino.control.playback.PlaybackTypes.PlaybackGrant;
import dev.kino.protocol.token.MediaPaths;
import dev.kino.protocol.token.PlaybackClaims;
import dev.kino.protocol.token.SignedUrls;
import dev.kino.protocol.token.TitleId;
import dev.kino.protocol.token.TokenSigner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides whether a viewer may play a media item and, if so, signs its URLs.
 *
 * <ol>
 *   <li>the item is published (else not found; {@code catalog.write} may also preview {@code ready} items);</li>
 *   <li>the viewer's maturity allows the title's age rating (else 403);</li>
 *   <li>access: {@code free} items play for anyone, guests included; {@code registered} ones need an
 *       account (401); {@code subscription} ones an active, unexpired subscription (403);</li>
 *   <li>accounts take a concurrent-stream lease in shared state (group {@code playback:<account>}, holder =
 *       the new session id, limit = the plan's streams or {@value #DEFAULT_STREAMS} without a plan, lasting the
 *       token's lifetime unless released): 429 when all are in use.</li>
 * </ol>
 *
 * The token grants the title's folder only ({@code /<packaged title id>/}), carries the user and session
 * ids and lives {@code tokens.ttl}.
 */
public final class PlaybackService {
    /** Streams of an account without a plan (free and registered items). */
    public static final int DEFAULT_STREAMS = 1;

    private final Catalog catalog;
    private final Plans plans;
    private final BlockingSharedState state;
    private final TokenSigner signer;
    private final String mediaBaseUrl;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param mediaBaseUrl {@code media.publicUrl}
     * @param ttl {@code tokens.ttl}
     */
    public PlaybackService(Catalog catalog, Plans plans, BlockingSharedState state, TokenSigner signer,
                           String mediaBaseUrl, Duration ttl, Clock clock) {
        this.catalog = catalog;
        this.plans = plans;
        this.state = state;
        this.signer = signer;
        this.mediaBaseUrl = mediaBaseUrl;
        this.ttl = ttl;
        this.clock = clock;
    }

    static String leaseGroup(UUID accountId) {
        return StreamLimits.group(accountId.toString());
    }

    /**
     * @throws NotFoundException for an item that is not playable (step 1)
     * @throws ForbiddenException for a title rated above the viewer (2) or a subscription item without a plan (3)
     * @throws UnauthenticatedException for a guest asking for a registered or subscription item (3)
     * @throws RateLimitedException when all the account's streams are in use (4)
     */
    public PlaybackGrant authorise(Viewer viewer, UUID mediaId) {
        boolean admin = viewer.can(Viewer.CATALOG_WRITE);
        MediaStore.MediaRow m = catalog.media(mediaId)
                .filter(x -> x.state() == MediaState.PUBLISHED || (admin && x.state() == MediaState.READY))
                .orElseThrow(() -> new NotFoundException("no playable media " + mediaId));
        int minAge = catalog.minAge(m.titleId());
        if (minAge > viewer.maxAge()) {
            throw new ForbiddenException("this title is rated " + minAge + "+, above "
                    + (viewer.isGuest() ? "what guests may watch; sign in"
                    : "this profile's maturity setting (or the account's limit)"));
        }
        Instant now = clock.instant();
        Optional<Plans.Active> plan = viewer.isGuest() ? Optional.empty() : plans.active(viewer.accountId(), now);
        switch (m.access()) {
            case "free" -> {
            }
            case "registered" -> {
                if (viewer.isGuest()) {
                    throw new UnauthenticatedException("sign in to play this");
                }
            }
            default -> {
                if (viewer.isGuest()) {
                    throw new UnauthenticatedException("sign in with a subscription to play this");
                }
                if (plan.isEmpty() && !admin) {
                    throw new ForbiddenException("this needs an active subscription plan");
                }
            }
        }
        UUID session = UUID.randomUUID();
        if (!viewer.isGuest()) {
            int limit = plan.map(p -> p.plan().concurrentStreams()).orElse(DEFAULT_STREAMS);
            LeaseResult lease = state.acquireLease(leaseGroup(viewer.accountId()), session.toString(), limit, ttl);
            if (!lease.granted()) {
                long retry = Math.max(1, (lease.retryAfter().toMillis() + 999) / 1000);
                throw new RateLimitedException("all " + limit + " concurrent streams of this account are in use;"
                        + " stop one (DELETE /api/v1/playback/sessions/{id}) or wait", retry);
            }
            // The media servers renew this lease at key and licence time with the same limit.
            state.put(StreamLimits.limitKey(viewer.accountId().toString()), Integer.toString(limit), ttl);
        }
        TitleId title = TitleId.of(m.packagedTitleId());
        PlaybackClaims.Builder claimsBuilder = PlaybackClaims.builder().validFor(now, ttl).title(title);
        if (!viewer.isGuest()) {
            // Guests carry no user or session: they share no lease group, so they are not stream-limited.
            claimsBuilder.userId(viewer.accountId().toString()).sessionId(session.toString());
        }
        // the origin (and a CDN edge) enforce the plan: no rendition above its resolution, offline licences only if
        // it allows them (protocol/TOKENS.md §4)
        plan.ifPresent(p -> claimsBuilder.maxHeight(p.plan().maxResolution())
                .offline(Boolean.TRUE.equals(p.plan().offline())));
        PlaybackClaims claims = claimsBuilder.build();
        String token = signer.sign(claims);
        String base = mediaBaseUrl.endsWith("/") ? mediaBaseUrl.substring(0, mediaBaseUrl.length() - 1) : mediaBaseUrl;
        boolean cenc = m.protection().contains("cenc");
        int resume = viewer.isGuest() ? 0 : plans.resumePosition(viewer.profileId(), mediaId);
        catalog.countPlay(m.titleId());
        granted.granted(session, viewer.isGuest() ? null : viewer.accountId(), m, claims.expiresAtInstant());
        return new PlaybackGrant(session, SignedUrls.hls(base, token, title), m.hasDash() ? SignedUrls.dash(base, token, title) : null,
                cenc ? base + MediaPaths.clearKeyLicence(token, title) : null, resume,
                plan.map(p -> p.plan().maxResolution()).orElse(null), claims.expiresAtInstant());
    }

    /** Frees a session's stream slot. @throws NotFoundException when the caller holds no such session */
    public void release(Viewer viewer, UUID session) {
        if (viewer.isGuest() || !state.releaseLease(leaseGroup(viewer.accountId()), session.toString())) {
            throw new NotFoundException("no playback session " + session);
        }
    }

    /**
     * Remembers where the viewer stopped in a media item it may see, clamped to the item's duration; the first
     * time a position reaches {@link #WATCHED_THROUGH} of the duration after playing for about as long
     * ({@link #MIN_PLAY_SPEED}), the {@link WatchedThrough} listener hears of it (each time such a position is saved:
     * the listener keeps once-only rules of its own).
     *
     * @param positionSeconds seconds from the start
     * @throws NotFoundException for an item the viewer cannot see
     */
    public void saveProgress(Viewer viewer, UUID mediaId, int positionSeconds) {
        MediaStore.MediaRow m = catalog.visibleMedia(mediaId, viewer.can(Viewer.CATALOG_WRITE));
        Integer duration = m.durationSeconds();
        int pos = duration != null ? Math.min(positionSeconds, duration) : positionSeconds;
        Instant started = plans.saveProgress(viewer.profileId(), m.id(), pos);
        if (duration != null && duration > 0 && pos >= WATCHED_THROUGH * duration) {
            long playedSeconds = Duration.between(started, clock.instant()).toSeconds();
            if (playedSeconds * MIN_PLAY_SPEED >= pos) {
                watchedThrough.watchedThrough(viewer.accountId(), m);
            }
        }
    }

    /** Share of a media item's duration a position must reach to count as watched through. */
    public static final double WATCHED_THROUGH = 0.9;
    /**
     * Fastest playback believed: a position of {@code p} seconds counts only when at least {@code p / 2} seconds
     * passed since the first position saved in the item (players offer up to 2× speed).
     */
    public static final double MIN_PLAY_SPEED = 2.0;

    /** Who hears of a media item watched through (reputation). */
    @FunctionalInterface
    public interface WatchedThrough {
        void watchedThrough(UUID accountId, MediaStore.MediaRow media);
    }

    private volatile WatchedThrough watchedThrough = (a, m) -> { };

    /** Sets the one listener for items watched through (while wiring). */
    public void onWatchedThrough(WatchedThrough listener) {
        this.watchedThrough = listener;
    }

    /** Who hears of each playback session granted (viewing analytics binds the player's events to it). */
    @FunctionalInterface
    public interface Granted {
        /**
         * Called on the request's thread before the grant is answered; must not throw (a failure here must not stop
         * playback).
         *
         * @param session the new session id
         * @param accountId the viewer's account, null for a guest
         * @param media the item granted
         * @param expiresAt when the grant's signed URLs stop working
         */
        void granted(UUID session, UUID accountId, MediaStore.MediaRow media, Instant expiresAt);
    }

    private volatile Granted granted = (s, a, m, e) -> { };

    /** Sets the one listener for sessions granted (while wiring). */
    public void onGranted(Granted listener) {
        this.granted = listener;
    }

    /** @return the plan for tests and callers that want it */
    Optional<Plan> plan(UUID accountId) {
        return plans.active(accountId, clock.instant()).map(Plans.Active::plan);
    }
}
