package dev.kino.control.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id password hashing (BouncyCastle) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, so every stored hash carries its
 * own parameters: they can be raised later and old hashes still verify, and {@link #needsRehash}
 * tells the login path to upgrade them.
 *
 * <p>Slow on purpose (about 50 ms with {@link Params#DEFAULT} on a 2-core build machine): call it on the
 * blocking executor, never on an event loop.
 */
public final class PasswordHasher {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /**
     * Argon2id cost parameters.
     *
     * @param memoryKiB memory per hash, KiB
     * @param iterations passes over the memory
     * @param parallelism lanes
     */
    public record Params(int memoryKiB, int iterations, int parallelism) {
        /**
         * OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. NOTE: measured with {@link #measure} on the
         * shared 2-core build machine at 170-270 ms while its load average was 13-15 (other builds running);
         * about 50 ms is expected when idle. Raise it here when hardware allows: stored hashes carry their
         * parameters and are upgraded on the next login.
         */
        public static final Params DEFAULT = new Params(19 * 1024, 2, 1);
        /** Cheap parameters for tests that hash many passwords; never for production. */
        public static final Params FAST_INSECURE = new Params(64, 1, 1);

        /** @return true when every parameter is at least that of {@code other} */
        public boolean atLeast(Params other) {
            return memoryKiB >= other.memoryKiB && iterations >= other.iterations && parallelism >= other.parallelism;
        }
    }

    private final Params current;

    /** @param current parameters for new hashes */
    public PasswordHasher(Params current) {
        this.current = current;
    }

    public Params current() {
        return current;
    }

    /** @return the PHC string of a new hash with a fresh 16-byte salt */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, current, HASH_BYTES);
        return "$argon2id$v=19$m=" + current.memoryKiB + ",t=" + current.iterations + ",p=" + current.parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** @return true when the password matches; false for a malformed hash too (constant-time compare) */
    public boolean verify(String password, String encoded) {
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            return false;
        }
        Params p = new Params(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        return MessageDigest.isEqual(expected, derive(password, salt, p, expected.length));
    }

    /** @return true when the hash was made with weaker parameters than the current ones (or is unreadable) */
    public boolean needsRehash(String encoded) {
        Params p = paramsOf(encoded);
        return p == null || !p.atLeast(current);
    }

    /** @return the parameters stored in a PHC string, or null when it is not one of ours */
    public static Params paramsOf(String encoded) {
        Matcher m = PHC.matcher(encoded);
        return m.matches() ? new Params(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))) : null;
    }

    /** @return how long one hash with {@code params} takes here (median of a few runs after a warm-up) */
    public static Duration measure(Params params) {
        PasswordHasher h = new PasswordHasher(params);
        h.hash("warm-up password");
        long[] runs = new long[5];
        for (int i = 0; i < runs.length; i++) {
            long t = System.nanoTime();
            h.hash("measure password " + i);
            runs[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(runs);
        return Duration.ofNanos(runs[runs.length / 2]);
    }

    private static byte[] derive(String password, byte[] salt, Params p, int length) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKiB).withIterations(p.iterations).withParallelism(p.parallelism)
                .withSalt(salt).build());
        byte[] out = new byte[length];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
