package dev.kino.control.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kino.control.AccountBannedException;
import dev.kino.control.InvalidTokenException;
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
                        Set<String> permissions) {
    }

    public TokenAuthenticator(AccessTokens tokens, Jdbi jdbi, Clock clock) {
        this.tokens = tokens;
        this.sessions = new SessionStore(jdbi);
        this.clock = clock;
    }

    @Override
    public AuthenticatedUser authenticate(String bearerToken) {
        AccessTokens.Claims claims = tokens.verify(bearerToken);
        SessionState s = cache.get(claims.sessionId(), this::load).orElse(null);
        Instant now = clock.instant();
        if (s == null || !s.accountId().equals(claims.accountId()) || s.revoked() || !now.isBefore(s.sessionExpires())) {
            throw InvalidTokenException.accessToken("access token rejected: session ended");
        }
        if (claims.issuedAt().isBefore(s.tokensValidAfter().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
            throw InvalidTokenException.accessToken("access token rejected: revoked");
        }
        if (s.bannedForever() || (s.bannedUntil() != null && now.isBefore(s.bannedUntil()))) {
            throw new AccountBannedException("this account is banned");
        }
        return new AuthenticatedUser(s.accountId(), claims.sessionId(), s.username(), s.roles(), s.permissions());
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
