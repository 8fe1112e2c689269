package dev.kino.control.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every kind of error the API answers with. The {@link #uri()} is stable: clients may switch on it,
 * so a value here is never renamed, only added.
 */
public enum ProblemType {
    BAD_REQUEST("bad-request", 400, "Bad request"),
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON body"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    INVALID_TOKEN("invalid-token", 401, "Invalid or expired token"),
    INVALID_CREDENTIALS("invalid-credentials", 401, "Invalid credentials"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    BANNED("banned", 403, "Account banned"),
    /** The account must enrol a second factor before anything else (staff, when the configuration requires it). */
    SECOND_FACTOR_REQUIRED("second-factor-required", 403, "Second factor required"),
    /** The act needs a confirmed e-mail address ({@code control.requireVerifiedEmail}) and the account's is not. */
    EMAIL_UNVERIFIED("email-unverified", 403, "E-mail address not confirmed"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    CONFLICT("conflict", 409, "Conflict"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    VALIDATION("validation", 422, "Validation failed"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    INTERNAL("internal", 500, "Internal server error"),
    UNAVAILABLE("unavailable", 503, "Service unavailable");

    /** Prefix of every problem type URI. */
    public static final String BASE_URI = "https://kino.dev/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /** @return the stable type URI, e.g. {@code https://kino.dev/problems/validation} */
    public String uri() {
        return BASE_URI + slug;
    }

    public int status() {
        return status;
    }

    public HttpResponseStatus httpStatus() {
        return HttpResponseStatus.valueOf(status);
    }

    /** @return the short, human-readable summary that is the same for every occurrence */
    public String title() {
        return title;
    }
}
