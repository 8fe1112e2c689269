package dev.kino.control.http.internal;

import dev.kino.control.AccountBannedException;
import dev.kino.control.BadRequestException;
import dev.kino.control.ConflictException;
import dev.kino.control.ControlApiException;
import dev.kino.control.FieldError;
import dev.kino.control.ForbiddenException;
import dev.kino.control.InvalidCredentialsException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.NotFoundException;
import dev.kino.control.PayloadTooLargeException;
import dev.kino.control.RateLimitedException;
import dev.kino.control.UnauthenticatedException;
import dev.kino.control.UnavailableException;
import dev.kino.control.db.DatabaseException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one mapping from domain exceptions to problem responses: status, type, detail and headers of each. */
class ProblemsTest {

    private static Problems.Answer answer(Throwable e) {
        return Problems.of(e, "/api/v1/things");
    }

    private static void assertProblem(Throwable e, int status, String slug, Map<String, String> headers) {
        Problems.Answer a = answer(e);
        assertEquals(status, a.status(), e.toString());
        assertEquals(status, a.body().status());
        assertEquals("https://kino.dev/problems/" + slug, a.body().type());
        assertEquals(e.getMessage(), a.body().detail());
        assertEquals("/api/v1/things", a.body().instance());
        assertEquals(headers, a.headers(), e.toString());
    }

    @Test
    void everyDomainExceptionHasItsStatusTypeAndHeaders() {
        assertProblem(new BadRequestException("cursor"), 400, "bad-request", Map.of());
        assertProblem(new UnauthenticatedException("sign in"), 401, "unauthorized",
                Map.of("WWW-Authenticate", "Bearer realm=\"kino\""));
        assertProblem(new InvalidCredentialsException("wrong"), 401, "invalid-credentials", Map.of());
        assertProblem(InvalidTokenException.accessToken("expired"), 401, "invalid-token",
                Map.of("WWW-Authenticate", "Bearer realm=\"kino\", error=\"invalid_token\""));
        assertProblem(new InvalidTokenException("refresh token reused", false), 401, "invalid-token", Map.of());
        assertProblem(new ForbiddenException("no"), 403, "forbidden", Map.of());
        assertProblem(new AccountBannedException("banned: spam"), 403, "banned", Map.of());
        assertProblem(new NotFoundException("no title x"), 404, "not-found", Map.of());
        assertProblem(new ConflictException("taken"), 409, "conflict", Map.of());
        assertProblem(new PayloadTooLargeException("chunk"), 413, "payload-too-large", Map.of());
        assertProblem(new RateLimitedException("slow down", 7), 429, "rate-limited", Map.of("Retry-After", "7"));
        assertProblem(new UnavailableException("retry", 5, new IllegalStateException()), 503, "unavailable",
                Map.of("Retry-After", "5"));
    }

    @Test
    void invalidInputListsItsFields() {
        Problems.Answer a = answer(new InvalidInputException(List.of(new FieldError("name", "is required"),
                new FieldError("year", "must be from 1870 to 2200"))));
        assertEquals(422, a.status());
        assertEquals("https://kino.dev/problems/validation", a.body().type());
        assertEquals("2 fields are invalid", a.body().detail());
        assertEquals(List.of(new FieldError("name", "is required"), new FieldError("year", "must be from 1870 to 2200")),
                a.body().errors());
        Problems.Answer whole = answer(new InvalidInputException("checksum mismatch"));
        assertEquals(422, whole.status());
        assertNull(whole.body().errors(), "no field list when the input is invalid as a whole");
    }

    @Test
    void whatIsNotTheClientsToSeeIsA500WithAReference() {
        for (Throwable e : List.of(new ControlApiException("bug"), new DatabaseException("pool closed", null),
                new IllegalStateException("bug"))) {
            Problems.Answer a = answer(e);
            assertEquals(500, a.status());
            assertEquals("https://kino.dev/problems/internal", a.body().type());
            assertTrue(a.body().detail().startsWith("unexpected error; reference "), a.body().detail());
        }
    }
}
