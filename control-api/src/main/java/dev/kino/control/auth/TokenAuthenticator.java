package dev.kino.control.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kino.control.AccountBannedException;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.SecondFactorRequiredException;
import dev.kino.control.http.Authenticator;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Resolves access tokens to {@link AuthenticatedUser}s: the JWT must verify, its session must not be
 * revoked, it must be issued after the account's "tokens valid after" instant (logout everywhere,
 * password reset, ban), and the account must not be banned.
 *
 * <p>The per-session state is cached for {@link #CACHE_TTL}. This node invalidates its entries at once
 * when it revokes or bans; NOTE: other nodes see the change within {@link #CACHE_TTL} at most.
 */
public final class TokenAuthenticator implements Authenticator {
    public static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private final AccessTokens tokens;
    private final SessionStore sessions;
    private final Clock clock;
    private final Cache<UUID, Optional<SessionState>> cache = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_TTL).maximumSize(100_000).build();

    record SessionState(UUID accountId, String username, boolean revoked, Instant sessionExpires,
                        Instant tokensValidAfter, boolean bannedForever, Instant bannedUntil, Set<String> roles,
                        Set<String> permissions, boolean secondFactor, UUID profileId) {
    }

    /**
     * Permissions only staff hold: an account with any of them is staff for
     * {@code control.requireStaffSecondFactor} (the built-in admin and moderator roles, and custom roles that grant
     * more than a member's {@code catalog.read} and {@code comments.write}).
     */
    public static final Set<String> STAFF_PERMISSIONS = Set.of(Permissions.CATALOG_WRITE, Permissions.COMMENTS_MODERATE,
            Permissions.USERS_READ, Permissions.USERS_BAN, Permissions.USERS_MANAGE, Permissions.JOBS_MANAGE,
            Permissions.FORUM_MANAGE, Permissions.ROLES_MANAGE);

    /**
     * What a staff session without a second factor may still reach when one is required: reading its own account
     * and sessions, signing other sessions out, and enrolling (everything under {@code /api/v1/me/mfa} and
     * {@code /api/v1/me/passkeys}).
     */
    private static final Set<String> ENROLMENT_ROUTES = Set.of("/api/v1/me", "/api/v1/me/sessions",
            "/api/v1/me/sessions/{id}");
    private static final java.util.List<String> ENROLMENT_PREFIXES = java.util.List.of("/api/v1/me/mfa",
            "/api/v1/me/passkeys");

    private final boolean requireStaffSecondFactor;

    public TokenAuthenticator(AccessTokens tokens, Jdbi jdbi, Clock clock) {
        this(tokens, jdbi, clock, false);
    }

    /**
     * @param requireStaffSecondFactor when true, a staff account ({@link #STAFF_PERMISSIONS}) without a second
     *                                 factor may only enrol one: every other route answers 403
     *                                 {@code second-factor-required}
     */
    public TokenAuthenticator(AccessTokens tokens, Jdbi jdbi, Clock clock, boolean requireStaffSecondFactor) {
        this.tokens = tokens;
        this.sessions = new SessionStore(jdbi);
        this.clock = clock;
        this.requireStaffSecondFactor = requireStaffSecondFactor;
    }

    /** Resolves a token for a route: a session that must enrol a second factor reaches only the enrolment routes. */
    @Override
    public AuthenticatedUser authenticate(String bearerToken, dev.kino.control.http.Route route) {
        Verified v = verified(bearerToken);
        String path = route.template();
        if (mustEnrol(v.state()) && !ENROLMENT_ROUTES.contains(path)
                && ENROLMENT_PREFIXES.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
            throw enrolFirst();
        }
        return v.user();
    }

    /** Resolves a token outside a route's own authentication (optional tokens on public routes): never enrol-only. */
    @Override
    public AuthenticatedUser authenticate(String bearerToken) {
        Verified v = verified(bearerToken);
        if (mustEnrol(v.state())) {
            throw enrolFirst();
        }
        return v.user();
    }

    private boolean mustEnrol(SessionState s) {
        return requireStaffSecondFactor && !s.secondFactor()
                && s.permissions().stream().anyMatch(STAFF_PERMISSIONS::contains);
    }

    private static SecondFactorRequiredException enrolFirst() {
        return new SecondFactorRequiredException("this account has staff permissions and must set up a second factor"
                + " (an authenticator app or a passkey) before anything else: POST /api/v1/me/mfa/totp or"
                + " /api/v1/me/passkeys/registration");
    }

    private record Verified(SessionState state, UUID sessionId) {
        AuthenticatedUser user() {
            return new AuthenticatedUser(state.accountId(), sessionId, state.username(), state.roles(),
                    state.permissions(), state.profileId());
        }
    }

    private Verified verified(String bearerToken) {
        AccessTokens.Claims claims = tokens.verify(bearerToken);
        SessionState s = cache.get(claims.sessionId(), this::load).orElse(null);
        if (s != null && claims.profileId() != null && !claims.profileId().equals(s.profileId())) {
            // the session may have switched profile on another node since this one cached it: read it again
            // before refusing a token of the profile it switched to
            s = load(claims.sessionId()).orElse(null);
            cache.put(claims.sessionId(), Optional.ofNullable(s));
        }
        Instant now = clock.instant();
        if (s == null || !s.accountId().equals(claims.accountId()) || s.revoked() || !now.isBefore(s.sessionExpires())) {
            throw InvalidTokenException.accessToken("access token rejected: session ended");
        }
        // A token names the profile it was issued for; once the session switched profile (or the profile was
        // deleted), tokens of the old one stop working, so nothing acts as a profile its PIN no longer opens.
        if (claims.profileId() != null && !claims.profileId().equals(s.profileId())) {
            throw InvalidTokenException.accessToken("access token rejected: the session switched profile");
        }
        if (claims.issuedAt().isBefore(s.tokensValidAfter().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
            throw InvalidTokenException.accessToken("access token rejected: revoked");
        }
        if (s.bannedForever() || (s.bannedUntil() != null && now.isBefore(s.bannedUntil()))) {
            throw new AccountBannedException("this account is banned");
        }
        return new Verified(s, claims.sessionId());
    }

    /** Forgets what is cached about one session (after revoking it here). */
    public void invalidateSession(UUID sessionId) {
        cache.invalidate(sessionId);
    }

    /** Forgets what is cached about every session of an account (ban, roles, password reset). */
    public void invalidateAccount(UUID accountId) {
        cache.asMap().entrySet().removeIf(e -> e.getValue().map(s -> s.accountId().equals(accountId)).orElse(false));
    }

    private Optional<SessionState> load(UUID sessionId) {
        return sessions.state(sessionId);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static Set<String> strings(Array array) throws SQLException {
        return array == null ? Set.of() : Set.of((String[]) array.getArray());
    }
}
