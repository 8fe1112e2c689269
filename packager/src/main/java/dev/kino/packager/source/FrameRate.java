package dev.kino.packager.source;

/**
 * A frame rate as an exact fraction, frames per second ({@code 30000/1001} for 29.97).
 *
 * @param num numerator, positive
 * @param den denominator, positive
 */
public record FrameRate(int num, int den) {
    /** @throws IllegalArgumentException for a non-positive part */
    public FrameRate {
        if (num <= 0 || den <= 0) {
            throw new IllegalArgumentException("frame rate must be positive, got " + num + "/" + den);
        }
        int g = gcd(num, den);
        num /= g;
        den /= g;
    }

    /** @return frames per second as a double */
    public double fps() {
        return (double) num / den;
    }

    /** @return this rate divided by two (e.g. 50 → 25, 60000/1001 → 30000/1001) */
    public FrameRate half() {
        return num % 2 == 0 ? new FrameRate(num / 2, den) : new FrameRate(num, den * 2);
    }

    /** @return the duration of one frame in seconds */
    public double frameSeconds() {
        return (double) den / num;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public String toString() {
        return den == 1 ? Integer.toString(num) : num + "/" + den;
    }
}
