package dev.kino.media.http;

import dev.kino.http.Cors;
import dev.kino.http.HttpLimits;
import dev.kino.media.access.StreamLeases;
import dev.kino.media.access.TakenDownTitles;
import dev.kino.media.access.TokenGate;
import dev.kino.media.file.CachePolicy;
import dev.kino.media.file.MediaFiles;
import dev.kino.media.key.TitleKeys;
import dev.kino.media.key.WidevineProxy;
import dev.kino.media.metrics.MediaMetrics;
import dev.kino.media.qoe.CmcdAggregator;

import java.util.concurrent.Executor;

/**
 * What every connection's handlers share: immutable collaborators plus the one mutable flag,
 * {@link #draining()}, set on shutdown. Built once by {@code MediaServer}.
 *
 * @param files published files
 * @param keys content keys by title
 * @param gate token checks
 * @param takedowns taken-down titles
 * @param metrics counters
 * @param cors CORS policy
 * @param cache Cache-Control policy
 * @param blocking bounded executor for file system work
 * @param widevine Widevine licence proxy, or null when not configured
 * @param leases concurrent-stream limits, or null when not enforced
 * @param limits request limits
 * @param drain the shutdown flag
 * @param publicUrl base URL players reach the media server at ({@code media.publicUrl}, no trailing slash):
 *     absolute licence URLs in served MPDs start with it
 * @param trustedProxies proxies whose forwarding headers name the client
 * @param cmcd where the CMCD of answered requests goes, or null to ignore CMCD
 */
public record ServerContext(MediaFiles files, TitleKeys keys, TokenGate gate, TakenDownTitles takedowns,
                            MediaMetrics metrics, Cors cors, CachePolicy cache, Executor blocking,
                            WidevineProxy widevine, StreamLeases leases, HttpLimits limits, Drain drain,
                            String publicUrl, java.util.List<dev.kino.protocol.token.IpRange> trustedProxies,
                            CmcdAggregator cmcd) {

    /** A context that ignores CMCD. */
    public ServerContext(MediaFiles files, TitleKeys keys, TokenGate gate, TakenDownTitles takedowns,
                         MediaMetrics metrics, Cors cors, CachePolicy cache, Executor blocking,
                         WidevineProxy widevine, StreamLeases leases, HttpLimits limits, Drain drain,
                         String publicUrl, java.util.List<dev.kino.protocol.token.IpRange> trustedProxies) {
        this(files, keys, gate, takedowns, metrics, cors, cache, blocking, widevine, leases, limits, drain, publicUrl,
                trustedProxies, null);
    }

    /** Normalises {@code publicUrl}: no trailing slash. */
    public ServerContext {
        while (publicUrl != null && publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
    }

    /** The shutdown flag: once set, connections close after their in-flight response. */
    public static final class Drain {
        private volatile boolean draining;

        /** Starts draining. */
        public void start() {
            draining = true;
        }

        /** @return true once shutdown started */
        public boolean draining() {
            return draining;
        }
    }

    /** @return true once shutdown started */
    public boolean draining() {
        return drain.draining();
    }
}
