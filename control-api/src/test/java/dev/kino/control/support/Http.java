package dev.kino.control.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.kino.control.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client over {@link HttpClient} for tests against a real server. */
public final class Http {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response: status, headers and the body as JSON (missing when empty or not JSON). */
    public record Resp(int status, HttpHeaders headers, String text) {
        public JsonNode json() {
            if (text.isEmpty()) {
                return MissingNode.getInstance();
            }
            try {
                return Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** @return the problem type slug, e.g. {@code validation} */
        public String problem() {
            return json().path("type").asText().replace("https://kino.dev/problems/", "");
        }
    }

    public Resp get(String path, String token) {
        return send(builder(path, token).GET());
    }

    public Resp delete(String path, String token) {
        return send(builder(path, token).DELETE());
    }

    public Resp post(String path, String token, Object body) {
        return send(builder(path, token).header("Content-Type", "application/json").POST(json(body)));
    }

    public Resp put(String path, String token, Object body) {
        return send(builder(path, token).header("Content-Type", "application/json").PUT(json(body)));
    }

    public Resp patch(String path, String token, Object body) {
        return send(builder(path, token).header("Content-Type", "application/json").method("PATCH", json(body)));
    }

    /** Sends raw bytes with any content type. */
    public Resp raw(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = builder(path, null);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Resp send(HttpRequest.Builder request) {
        try {
            // an event stream never ends: its answer is the status and headers, its body is left unread
            HttpResponse<String> r = client.send(request.build(), info -> info.headers().firstValue("Content-Type")
                    .orElse("").startsWith("text/event-stream")
                    ? HttpResponse.BodySubscribers.replacing("(event stream)")
                    : HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8));
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a request and keeps the body as bytes (images). */
    public HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(body instanceof String s ? s.getBytes()
                    : Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
