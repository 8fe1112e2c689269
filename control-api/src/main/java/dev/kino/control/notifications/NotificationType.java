package dev.kino.control.notifications;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a notification is about, with the channels it uses unless the account chose otherwise. The wire name is
 * stored and shown.
 */
public enum NotificationType {
    /** Someone replied to your comment, or quoted your forum post. */
    REPLY("reply", true, true, false),
    /** Someone mentioned you ({@code @username}). */
    MENTION("mention", true, true, false),
    /** People liked your comment or post (one line per object: "12 people liked your comment"). */
    REACTIONS("reactions", true, false, false),
    /** A new episode or season of a title you follow or have on your watchlist. */
    NEW_EPISODE("new-episode", true, true, false),
    /** A title you follow or waited for on your watchlist is out. */
    TITLE_PUBLISHED("title-published", true, true, false),
    /** A new post in a forum thread you follow. */
    THREAD_POST("thread-post", true, false, false),
    /** A new public comment by someone you follow. */
    USER_COMMENT("user-comment", true, false, false),
    /** A moderator decided on your report. */
    REPORT_OUTCOME("report-outcome", true, false, false),
    /** A moderator acted on your content or account (hidden, removed, a warning, a ban). */
    MODERATION("moderation", true, true, false),
    /** A sign-in from a new device, a password reset, a change of e-mail or second factor: always on, mailed at once. */
    SECURITY("security", true, true, true),
    /** A packaging job you started finished or failed. */
    JOB("job", true, false, false);

    private final String wire;
    private final boolean inApp;
    private final boolean email;
    private final boolean urgent;

    NotificationType(String wire, boolean inApp, boolean email, boolean urgent) {
        this.wire = wire;
        this.inApp = inApp;
        this.email = email;
        this.urgent = urgent;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** @return shown in the app unless the account turned it off */
    public boolean defaultInApp() {
        return inApp;
    }

    /** @return mailed (in a digest) unless the account turned it off */
    public boolean defaultEmail() {
        return email;
    }

    /** @return mailed at once rather than in a digest, and cannot be turned off */
    public boolean urgent() {
        return urgent;
    }

    /** @return the type of a wire name */
    public static Optional<NotificationType> of(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }

    @JsonCreator
    static NotificationType fromJson(String wire) {
        return of(wire).orElseThrow(() -> dev.kino.control.InvalidInputException.of("type", "must be one of "
                + Arrays.stream(values()).map(NotificationType::wire).collect(java.util.stream.Collectors.joining(", "))));
    }
}
