package dev.kino.control.http.internal;

import dev.kino.control.AccountBannedException;
import dev.kino.control.BadRequestException;
import dev.kino.control.ConflictException;
import dev.kino.control.ControlApiException;
import dev.kino.control.ForbiddenException;
import dev.kino.control.InvalidCredentialsException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.NotFoundException;
import dev.kino.control.PayloadTooLargeException;
import dev.kino.control.RateLimitedException;
import dev.kino.control.EmailUnverifiedException;
import dev.kino.control.SecondFactorRequiredException;
import dev.kino.control.UnauthenticatedException;
import dev.kino.control.UnavailableException;
import dev.kino.control.http.ApiException;
import dev.kino.control.http.Problem;
import dev.kino.control.http.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/**
 * The one place that turns a throwable into a problem response (RFC 9457). The domain exceptions map as follows;
 * a subclass is matched before its parent:
 *
 * <table>
 *   <caption>domain exception → HTTP</caption>
 *   <tr><th>exception</th><th>status</th><th>problem type</th><th>extra</th></tr>
 *   <tr><td>{@link InvalidInputException}</td><td>422</td><td>{@code validation}</td><td>{@code errors}: the fields</td></tr>
 *   <tr><td>{@link BadRequestException}</td><td>400</td><td>{@code bad-request}</td><td></td></tr>
 *   <tr><td>{@link InvalidCredentialsException}</td><td>401</td><td>{@code invalid-credentials}</td><td></td></tr>
 *   <tr><td>{@link InvalidTokenException}</td><td>401</td><td>{@code invalid-token}</td>
 *       <td>{@code WWW-Authenticate: Bearer realm="kino", error="invalid_token"} for the access token</td></tr>
 *   <tr><td>{@link UnauthenticatedException}</td><td>401</td><td>{@code unauthorized}</td>
 *       <td>{@code WWW-Authenticate: Bearer realm="kino"}</td></tr>
 *   <tr><td>{@link AccountBannedException}</td><td>403</td><td>{@code banned}</td><td></td></tr>
 *   <tr><td>{@link SecondFactorRequiredException}</td><td>403</td><td>{@code second-factor-required}</td><td></td></tr>
 *   <tr><td>{@link EmailUnverifiedException}</td><td>403</td><td>{@code email-unverified}</td><td></td></tr>
 *   <tr><td>{@link ForbiddenException}</td><td>403</td><td>{@code forbidden}</td><td></td></tr>
 *   <tr><td>{@link NotFoundException}</td><td>404</td><td>{@code not-found}</td><td></td></tr>
 *   <tr><td>{@link ConflictException}</td><td>409</td><td>{@code conflict}</td><td></td></tr>
 *   <tr><td>{@link PayloadTooLargeException}</td><td>413</td><td>{@code payload-too-large}</td><td></td></tr>
 *   <tr><td>{@link RateLimitedException}</td><td>429</td><td>{@code rate-limited}</td><td>{@code Retry-After}</td></tr>
 *   <tr><td>{@link UnavailableException}</td><td>503</td><td>{@code unavailable}</td><td>{@code Retry-After}</td></tr>
 *   <tr><td>{@link ApiException} (the runtime's own)</td><td colspan="3">its type and headers</td></tr>
 *   <tr><td>anything else</td><td>500</td><td>{@code internal}</td><td>logged with a reference the detail names</td></tr>
 * </table>
 */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final String BEARER_CHALLENGE = "Bearer realm=\"kino\"";

    private Problems() {
    }

    /**
     * @param status HTTP status
     * @param headers extra headers
     * @param body the problem
     */
    public record Answer(int status, Map<String, String> headers, Problem body) {
    }

    /** Maps {@link ApiException} and the domain exceptions (see the class) to their problem; anything else to a 500. */
    public static Answer of(Throwable error, String path) {
        ApiException api = error instanceof ApiException a ? a
                : error instanceof ControlApiException domain ? toApi(domain) : null;
        if (api != null) {
            return new Answer(api.type().status(), api.headers(), api.toProblem(path));
        }
        String ref = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("unhandled error on {} (reference {})", path, ref, error);
        ApiException internal = ApiException.of(ProblemType.INTERNAL, "unexpected error; reference " + ref);
        return new Answer(500, Map.of(), internal.toProblem(path));
    }

    /**
     * @return the problem a domain exception stands for, or null for one that is not the client's to see (a bare
     *         {@link ControlApiException}, {@code DatabaseException}: a 500)
     */
    static ApiException toApi(ControlApiException e) {
        String detail = e.getMessage();
        if (e instanceof InvalidInputException invalid) {
            return invalid.errors().isEmpty() ? ApiException.of(ProblemType.VALIDATION, detail)
                    : ApiException.validation(invalid.errors());
        }
        if (e instanceof BadRequestException) {
            return ApiException.of(ProblemType.BAD_REQUEST, detail);
        }
        if (e instanceof InvalidCredentialsException) {
            return ApiException.of(ProblemType.INVALID_CREDENTIALS, detail);
        }
        if (e instanceof InvalidTokenException token) {
            ApiException a = ApiException.of(ProblemType.INVALID_TOKEN, detail);
            return token.accessToken() ? a.withHeader("WWW-Authenticate", BEARER_CHALLENGE + ", error=\"invalid_token\"") : a;
        }
        if (e instanceof UnauthenticatedException) {
            return ApiException.of(ProblemType.UNAUTHORIZED, detail).withHeader("WWW-Authenticate", BEARER_CHALLENGE);
        }
        if (e instanceof AccountBannedException) {
            return ApiException.of(ProblemType.BANNED, detail);
        }
        if (e instanceof EmailUnverifiedException) {
            return ApiException.of(ProblemType.EMAIL_UNVERIFIED, detail);
        }
        if (e instanceof SecondFactorRequiredException) {
            return ApiException.of(ProblemType.SECOND_FACTOR_REQUIRED, detail);
        }
        if (e instanceof ForbiddenException) {
            return ApiException.of(ProblemType.FORBIDDEN, detail);
        }
        if (e instanceof NotFoundException) {
            return ApiException.of(ProblemType.NOT_FOUND, detail);
        }
        if (e instanceof ConflictException) {
            return ApiException.of(ProblemType.CONFLICT, detail);
        }
        if (e instanceof PayloadTooLargeException) {
            return ApiException.of(ProblemType.PAYLOAD_TOO_LARGE, detail);
        }
        if (e instanceof RateLimitedException limited) {
            return ApiException.of(ProblemType.RATE_LIMITED, detail)
                    .withHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        if (e instanceof UnavailableException unavailable) {
            return ApiException.of(ProblemType.UNAVAILABLE, detail)
                    .withHeader("Retry-After", Long.toString(unavailable.retryAfterSeconds()));
        }
        return null;
    }
}
