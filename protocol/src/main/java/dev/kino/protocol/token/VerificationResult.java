package dev.kino.protocol.token;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Outcome of {@link TokenVerifier#verify}: either {@link Valid} with the verified claims, or
 * {@link Rejected} with a {@link FailureReason}. No exception is involved, so a rejection costs no
 * stack trace; rejections are shared immutable instances (one per reason), so they do not allocate.
 *
 * <pre>{@code
 * VerificationResult r = verifier.verify(token, path, clientAddress, clock.instant());
 * if (r instanceof VerificationResult.Rejected rejected) {
 *     metrics.count(rejected.reason());
 *     return status(rejected.reason().suggestedHttpStatus());
 * }
 * PlaybackClaims claims = ((VerificationResult.Valid) r).claims();
 * }</pre>
 */
public sealed interface VerificationResult permits VerificationResult.Valid, VerificationResult.Rejected {

    /**
     * Whether the token is valid for the request.
     *
     * @return {@code true} for {@link Valid}, {@code false} for {@link Rejected}
     */
    boolean isValid();

    /**
     * The token was authentic and grants the request.
     *
     * @param kid the key id that verified the MAC (useful to watch key rotation progress)
     * @param claims the verified claims
     */
    record Valid(String kid, PlaybackClaims claims) implements VerificationResult {
        /**
         * @param kid the key id, non-null
         * @param claims the claims, non-null
         * @throws NullPointerException if either is null
         */
        public Valid {
            Objects.requireNonNull(kid, "kid");
            Objects.requireNonNull(claims, "claims");
        }

        @Override
        public boolean isValid() {
            return true;
        }
    }

    /**
     * The request must be refused.
     *
     * @param reason why, non-null
     */
    record Rejected(FailureReason reason) implements VerificationResult {
        private static final Map<FailureReason, Rejected> CACHE = new EnumMap<>(FailureReason.class);

        static {
            for (FailureReason r : FailureReason.values()) {
                CACHE.put(r, new Rejected(r));
            }
        }

        /**
         * @param reason the reason, non-null
         * @throws NullPointerException if {@code reason} is null
         */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * The shared instance for a reason.
         *
         * @param reason the reason, non-null
         * @return a cached, immutable rejection
         */
        public static Rejected of(FailureReason reason) {
            return CACHE.get(Objects.requireNonNull(reason, "reason"));
        }

        @Override
        public boolean isValid() {
            return false;
        }
    }
}
