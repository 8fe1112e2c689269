package dev.kino.control.notifications;

import dev.kino.common.state.BlockingSharedState;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Single-use tickets that open a notification stream: a browser's {@code EventSource} cannot send an
 * {@code Authorization} header, and an access token in a URL ends up in logs. A ticket is 256 random bits, lives
 * {@link #TTL}, opens one stream once, on any node (kept in the shared state under its SHA-256, so the shared
 * state never holds a usable ticket).
 */
public final class StreamTickets {
    /** How long a ticket can wait to be used. */
    public static final Duration TTL = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlockingSharedState state;

    public StreamTickets(BlockingSharedState state) {
        this.state = state;
    }

    /** @return a new ticket for the account (base64url, 43 characters) */
    public String issue(UUID account) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        state.put(key(ticket), account.toString(), TTL);
        return ticket;
    }

    /** @return the account a ticket was issued to, once: empty for an unknown, expired or used ticket */
    public Optional<UUID> redeem(String ticket) {
        if (ticket == null || ticket.length() != 43) {
            return Optional.empty();
        }
        String key = key(ticket);
        Optional<String> account = state.get(key);
        if (account.isEmpty() || !state.delete(key)) { // only the one that deletes it may use it
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(account.get()));
    }

    private static String key(String ticket) {
        try {
            return "kino:stream-ticket:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(ticket.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
