package dev.kino.media.key;

import dev.kino.media.MediaException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Forwards a Widevine licence challenge (opaque bytes from the CDM) to the configured licence server with
 * a bearer credential, using the JDK's asynchronous {@link HttpClient} (no event loop thread waits).
 * Upstream failures (connection refused, timeout, non-2xx) become 502 problems; the upstream's body is
 * not relayed on failure.
 */
public final class WidevineProxy {
    /** Largest challenge accepted, bytes. */
    public static final int MAX_CHALLENGE_BYTES = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI upstream;
    private final String bearer;
    private final HttpClient client;

    /**
     * @param upstream licence server URL
     * @param bearer credential sent as {@code Authorization: Bearer …} (empty for none)
     * @param executor executor for the client's callbacks
     */
    public WidevineProxy(URI upstream, String bearer, Executor executor) {
        this.upstream = upstream;
        this.bearer = bearer;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).executor(executor).build();
    }

    /**
     * @param challenge the CDM's licence request
     * @param titleId the title (sent upstream as {@code X-Kino-Title})
     * @return the licence bytes; fails with a 502 {@link MediaException}
     */
    public CompletableFuture<byte[]> forward(byte[] challenge, String titleId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(upstream).timeout(TIMEOUT)
                .header("Content-Type", "application/octet-stream").header("X-Kino-Title", titleId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(challenge));
        if (!bearer.isEmpty()) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((r, e) -> {
                    if (e != null) {
                        throw upstreamFailure("the licence server could not be reached");
                    }
                    if (r.statusCode() / 100 != 2) {
                        throw upstreamFailure("the licence server answered " + r.statusCode());
                    }
                    return r.body();
                });
    }

    private static MediaException upstreamFailure(String detail) {
        return new MediaException(502, "licence-upstream", "Licence server failure", detail);
    }

    @Override
    public String toString() {
        return "WidevineProxy[" + upstream + "]";
    }
}
