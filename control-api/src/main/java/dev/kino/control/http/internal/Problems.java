package dev.kino.control.http.internal;

import dev.kino.control.http.ApiException;
import dev.kino.control.http.Problem;
import dev.kino.control.http.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/** The one place that turns a throwable into a problem response. */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    /**
     * @param status HTTP status
     * @param headers extra headers
     * @param body the problem
     */
    public record Answer(int status, Map<String, String> headers, Problem body) {
    }

    /** Maps {@link ApiException} to its problem; anything else to a 500 whose detail names a log reference. */
    public static Answer of(Throwable error, String path) {
        if (error instanceof ApiException api) {
            return new Answer(api.type().status(), api.headers(), api.toProblem(path));
        }
        String ref = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("unhandled error on {} (reference {})", path, ref, error);
        ApiException internal = ApiException.of(ProblemType.INTERNAL, "unexpected error; reference " + ref);
        return new Answer(500, Map.of(), internal.toProblem(path));
    }
}
