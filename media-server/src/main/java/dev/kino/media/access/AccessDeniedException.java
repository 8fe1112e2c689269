package dev.kino.media.access;

import dev.kino.media.MediaException;
import dev.kino.protocol.token.FailureReason;

import java.util.Locale;

/**
 * A request whose playback token does not grant it: 410 Gone when the token expired (the player should
 * ask the control API for a fresh URL), 403 Forbidden for every other {@link FailureReason}. Always
 * answered with {@code Cache-Control: private, no-store}.
 */
public final class AccessDeniedException extends MediaException {
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;

    /** @param reason why the token was rejected */
    public AccessDeniedException(FailureReason reason) {
        super(reason.suggestedHttpStatus(), reason == FailureReason.EXPIRED ? "token-expired" : "token-rejected",
                reason == FailureReason.EXPIRED ? "Playback token expired" : "Playback token rejected",
                "token check failed: " + reason.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        this.reason = reason;
    }

    /** @return why */
    public FailureReason reason() {
        return reason;
    }
}
