package dev.kino.protocol.internal;

/**
 * Range checks for numbers written into a manifest: counts, sizes, rates and ticks that the formats define as
 * positive or non-negative integers (for example ISO/IEC 23009-1 {@code xs:unsignedInt} attributes, RFC 8216 §4.2
 * decimal-integers). Each returns its argument so that a constructor can check and assign in one expression.
 *
 * <p>Messages start with {@code what}, the field as the format names it ({@code Representation.bandwidth},
 * {@code BANDWIDTH}), then say the rule and the value: {@code "BANDWIDTH must be positive: 0"}.
 *
 * <p>Not API: for the {@code dev.kino.protocol} packages only.
 */
public final class Require {

    private Require() {
    }

    /**
     * @param what the field, as the format names it
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value <= 0}
     */
    public static long positive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }

    /**
     * For optional attributes, where null means "not written".
     *
     * @param what the field, as the format names it
     * @param value the value, or null
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is present and {@code <= 0}
     */
    public static Integer positiveIfPresent(String what, Integer value) {
        if (value != null) {
            positive(what, value);
        }
        return value;
    }

    /**
     * @param what the field, as the format names it
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public static long nonNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }
}
