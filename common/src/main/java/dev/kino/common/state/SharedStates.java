package dev.kino.common.state;

import dev.kino.common.config.KinoConfig;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the {@link SharedState} implementation from the configuration. */
public final class SharedStates {
    private static final Logger LOG = LoggerFactory.getLogger(SharedStates.class);

    private SharedStates() {
    }

    /**
     * Opens the shared state of this node: {@link RedisSharedState} when {@code redis.url} is configured (connects
     * at once and blocks until connected: call at start-up), else a fresh {@link InProcessSharedState} on the
     * system clock. The caller owns the result and closes it at shutdown.
     *
     * @param redis the {@code redis} section of the configuration
     * @return an open state
     * @throws SharedStateException when Redis is configured but cannot be reached (message without credentials)
     * @throws IllegalArgumentException when the URL cannot be parsed (message without credentials)
     */
    public static SharedState create(KinoConfig.Redis redis) {
        Objects.requireNonNull(redis, "redis");
        SharedState state = redis.configured() ? RedisSharedState.connect(redis.url()) : new InProcessSharedState();
        LOG.info("Shared state: {}", state.description());
        return state;
    }

    /**
     * Hides the credentials of a URL for logs and messages: everything between {@code ://} and the last
     * {@code @} becomes {@code ***}, e.g. {@code redis://:pw@cache:6379/0} gives {@code redis://***@cache:6379/0}.
     * A URL without {@code @} is returned unchanged.
     *
     * @param url any URL, or null
     * @return the masked URL, or null for null
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        if (at < start) {
            return url;
        }
        return url.substring(0, start) + "***" + url.substring(at);
    }
}
