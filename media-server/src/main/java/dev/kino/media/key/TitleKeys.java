package dev.kino.media.key;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.keystore.KeyStoreException;
import dev.kino.common.keystore.WrappedKey;
import dev.kino.common.keystore.WrappedKeyFile;
import dev.kino.media.file.MediaFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The unwrapped content keys of each title, from its {@value WrappedKeyFile#FILE_NAME}: read and unwrapped
 * with the key-encryption key on the blocking executor, then cached (Caffeine, {@value #TTL_SECONDS} s) so
 * key and licence requests are answered from memory. A title without the file has no keys; a file that
 * does not unwrap (another KEK, tampered) is logged and treated as no keys.
 */
public final class TitleKeys {
    static final long TTL_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(TitleKeys.class);

    /**
     * One usable content key.
     *
     * @param kid 32 lowercase hex digits
     * @param scheme {@code aes-128} or {@code cenc}
     * @param key the 16 key bytes (do not modify)
     */
    public record TitleKey(String kid, String scheme, byte[] key) {
        @Override
        public String toString() {
            return "TitleKey[kid=" + kid + ", scheme=" + scheme + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TitleKey c && kid.equals(c.kid) && scheme.equals(c.scheme) && Arrays.equals(key, c.key);
        }

        @Override
        public int hashCode() {
            return kid.hashCode();
        }
    }

    private final AsyncLoadingCache<String, Map<String, TitleKey>> cache;

    /**
     * @param files file access under the media root
     * @param wrapper unwraps with the key-encryption key
     * @param blocking bounded executor for the file reads
     */
    public TitleKeys(MediaFiles files, ContentKeyWrapper wrapper, Executor blocking) {
        this.cache = Caffeine.newBuilder().executor(blocking).expireAfterWrite(Duration.ofSeconds(TTL_SECONDS))
                .maximumSize(10_000).buildAsync(title -> load(files, wrapper, title));
    }

    /**
     * @param titleId a validated title id
     * @return kid → key, completed off the event loop on a miss
     */
    public CompletableFuture<Map<String, TitleKey>> keysOf(String titleId) {
        return cache.get(titleId);
    }

    /** @param titleId a title whose keys must be forgotten (take-down, re-key) */
    public void invalidate(String titleId) {
        cache.synchronous().invalidate(titleId);
    }

    private static Map<String, TitleKey> load(MediaFiles files, ContentKeyWrapper wrapper, String title) {
        byte[] json;
        try {
            json = files.readInternal(title, WrappedKeyFile.FILE_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json == null) {
            return Map.of();
        }
        try {
            Map<String, TitleKey> out = new LinkedHashMap<>();
            for (WrappedKey w : WrappedKeyFile.read(json, wrapper.fingerprint(), title + "/" + WrappedKeyFile.FILE_NAME)) {
                out.put(w.kid(), new TitleKey(w.kid(), w.scheme(), wrapper.unwrap(w.wrapped())));
            }
            return Collections.unmodifiableMap(out);
        } catch (KeyStoreException e) {
            LOG.error("keys of title {} are unusable: {}", title, e.getMessage());
            return Map.of();
        }
    }
}
