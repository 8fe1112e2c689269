package dev.kino.control.http;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The route table alone: matching without throwing, and a route's executor kept through a decorator. */
class RouterTest {
    private final Executor pool = Runnable::run;

    private Router router() {
        Router router = new Router();
        router.route(HttpMethod.GET, "/api/v1/things/{id}").summary("Thing").response(200, null)
                .executor(pool).handler(req -> Response.ok(Map.of()));
        router.route(HttpMethod.GET, "/api/v1/things/special").summary("Special").response(200, null)
                .handler(req -> Response.ok(Map.of()));
        return router;
    }

    @Test
    void matchFindsWhatResolveFindsAndNullWhereResolveThrows() {
        Router router = router();
        Router.Match special = router.match(HttpMethod.GET, "/api/v1/things/special");
        assertEquals("/api/v1/things/special", special.route().template());
        assertNull(special.route().executor());
        Router.Match thing = router.match(HttpMethod.GET, "/api/v1/things/42");
        assertEquals(Map.of("id", "42"), thing.params());
        assertSame(pool, thing.route().executor());
        assertEquals(thing, router.resolve(HttpMethod.GET, "/api/v1/things/42"));

        assertNull(router.match(HttpMethod.DELETE, "/api/v1/things/42"));
        ApiException wrongMethod = assertThrows(ApiException.class,
                () -> router.resolve(HttpMethod.DELETE, "/api/v1/things/42"));
        assertEquals(405, wrongMethod.type().status());
        assertEquals("GET", wrongMethod.headers().get("Allow"));
        assertNull(router.match(HttpMethod.GET, "/api/v1/nothing"));
        assertEquals(404, assertThrows(ApiException.class, () -> router.resolve(HttpMethod.GET, "/api/v1/nothing"))
                .type().status());
    }

    @Test
    void aDecoratedRouteKeepsItsExecutor() {
        Router router = router();
        router.decorate("getApiV1ThingsByid", handler -> req -> handler.handle(req), 403);
        Route decorated = router.match(HttpMethod.GET, "/api/v1/things/7").route();
        assertSame(pool, decorated.executor());
        assertEquals(java.util.List.of(403), decorated.doc().errors());
    }
}
