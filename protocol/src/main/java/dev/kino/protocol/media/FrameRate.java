package dev.kino.protocol.media;

import dev.kino.protocol.internal.Require;

/**
 * A frame rate as an exact fraction of frames per second, as DASH writes it (ISO/IEC 23009-1 §5.3.7.2,
 * {@code FrameRateType}: an integer such as {@code 25} or a ratio such as {@code 30000/1001}), as the packager
 * measures and encodes it, and as HLS's {@code FRAME-RATE} rounds it. Stored reduced to lowest terms, so
 * {@code 50/2} equals {@code 25}.
 *
 * @param numerator frames, &gt; 0
 * @param denominator per this many seconds, &gt; 0
 */
public record FrameRate(long numerator, long denominator) {

    /**
     * Creates the FrameRate, validating the components as described on the type.
     *
     * @param numerator see {@link #numerator()}
     * @param denominator see {@link #denominator()}
     * @throws IllegalArgumentException if either part is not positive
     */
    public FrameRate {
        Require.positive("FrameRate.numerator", numerator);
        Require.positive("FrameRate.denominator", denominator);
        long g = gcd(numerator, denominator);
        numerator /= g;
        denominator /= g;
    }

    /**
     * @param fps whole frames per second
     * @return the frame rate {@code fps/1}
     */
    public static FrameRate of(long fps) {
        return new FrameRate(fps, 1);
    }

    /**
     * @param numerator frames
     * @param denominator seconds
     * @return the frame rate {@code numerator/denominator}, reduced
     */
    public static FrameRate of(long numerator, long denominator) {
        return new FrameRate(numerator, denominator);
    }

    /**
     * @param text {@code N} or {@code N/D}, decimal digits only
     * @return the frame rate
     * @throws IllegalArgumentException if the text is not of that form or a part is not positive
     */
    public static FrameRate parse(String text) {
        if (text == null || !text.matches("[0-9]{1,18}(/[0-9]{1,18})?")) {
            throw new IllegalArgumentException("frame rate must be N or N/D, got \"" + text + "\"");
        }
        int slash = text.indexOf('/');
        return slash < 0 ? of(Long.parseLong(text))
                : of(Long.parseLong(text.substring(0, slash)), Long.parseLong(text.substring(slash + 1)));
    }

    /**
     * @return frames per second as a double, e.g. 29.97002997
     */
    public double fps() {
        return (double) numerator / denominator;
    }

    /** @return the duration of one frame, seconds */
    public double frameSeconds() {
        return (double) denominator / numerator;
    }

    /** @return this rate divided by two (50 → 25, 60000/1001 → 30000/1001) */
    public FrameRate half() {
        return numerator % 2 == 0 ? new FrameRate(numerator / 2, denominator) : new FrameRate(numerator, denominator * 2);
    }

    /**
     * @return the attribute value: {@code 25} when the denominator is 1, else {@code 30000/1001}
     */
    @Override
    public String toString() {
        return denominator == 1 ? Long.toString(numerator) : numerator + "/" + denominator;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
