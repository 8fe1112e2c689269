package dev.kino.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** CORS for players on other origins (WHATWG Fetch §3.2). */
class CorsTest {
    @Test
    void listedOriginsOnlyAndVaryOrigin() {
        Cors cors = new Cors(List.of("https://player.example"));
        HttpHeaders ok = new DefaultHttpHeaders().set(HttpHeaderNames.VARY, "Accept-Encoding");
        cors.apply("https://player.example", ok);
        assertEquals("https://player.example", ok.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertEquals("Accept-Encoding, Origin", ok.get(HttpHeaderNames.VARY));
        assertEquals(Cors.EXPOSE, ok.get(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS));

        HttpHeaders other = new DefaultHttpHeaders();
        cors.preflight("https://evil.example", other);
        assertNull(other.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertNull(other.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS));
        assertEquals("Origin", other.get(HttpHeaderNames.VARY));
    }

    @Test
    void anyOriginIsAStarWithoutVary() {
        HttpHeaders h = new DefaultHttpHeaders();
        new Cors(List.of("*")).preflight("https://x.example", h);
        assertEquals("*", h.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertEquals(Cors.ALLOW_METHODS, h.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS));
        assertEquals(Cors.MAX_AGE, h.get(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE));
        assertNull(h.get(HttpHeaderNames.VARY));
    }
}
