package dev.kino.control.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kino.control.FieldError;

import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}) as the control API's handlers build it, with
 * typed field errors. On the wire it is the shared {@link dev.kino.http.Problem} ({@link #shared()}), which both
 * servers serialise one way.
 *
 * @param type stable URI of the kind of problem ({@link ProblemType#uri()})
 * @param title summary of the kind of problem
 * @param status HTTP status code
 * @param detail what went wrong this time
 * @param instance request path it happened on
 * @param errors invalid fields, for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
    /** @return the same members as the shared problem record, ready to serialise ({@link dev.kino.http.Problem#json()}) */
    public dev.kino.http.Problem shared() {
        return new dev.kino.http.Problem(type, title, status, detail, instance, errors);
    }
}
