package dev.kino.control.http;

import dev.kino.control.ControlApiException;
import dev.kino.control.FieldError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP problem raised by the HTTP runtime itself (no route, wrong method, a body that is not JSON, a missing
 * bearer token): mapped to an RFC 9457 problem response by {@code Problems}, the one place that also maps the
 * domain exceptions ({@link dev.kino.control.ControlApiException} subclasses) that stores, services and routes
 * throw. Feature code throws those, not this. Anything else thrown by a handler becomes a 500 with no detail (and is
 * logged).
 *
 * <pre>{@code
 * throw ApiException.of(ProblemType.NOT_FOUND, "no session " + id);
 * throw ApiException.of(ProblemType.RATE_LIMITED, "too many attempts").withHeader("Retry-After", "30");
 * }</pre>
 */
public class ApiException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final transient List<FieldError> errors;
    private final transient Map<String, String> headers;

    protected ApiException(ProblemType type, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail);
        this.type = type;
        this.errors = errors == null ? null : List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    /** @return a problem of the given type with a detail for this occurrence */
    public static ApiException of(ProblemType type, String detail) {
        return new ApiException(type, detail, null, Map.of());
    }

    /** @return a 422 listing every invalid field */
    public static ApiException validation(List<FieldError> errors) {
        return new ApiException(ProblemType.VALIDATION, errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid", errors, Map.of());
    }

    /** @return a 422 for one field */
    public static ApiException invalid(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    /** @return a copy that also sends the header */
    public ApiException withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiException(type, getMessage(), errors, h);
    }

    public ProblemType type() {
        return type;
    }

    /** @return invalid fields, or null when not a validation problem */
    public List<FieldError> errors() {
        return errors;
    }

    /** @return extra response headers ({@code Retry-After}, {@code Allow}, {@code WWW-Authenticate}) */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the problem body for a request path */
    public Problem toProblem(String instance) {
        return new Problem(type.uri(), type.title(), type.status(), getMessage(), instance, errors);
    }
}
