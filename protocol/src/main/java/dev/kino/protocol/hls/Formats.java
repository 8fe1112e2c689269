package dev.kino.protocol.hls;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/** Package-private value formatting shared by the writer, the model's messages and the parser. */
final class Formats {

    private static final HexFormat HEX = HexFormat.of();
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private Formats() {
    }

    /**
     * Formats a duration as an RFC 8216 §4.2 decimal-floating-point number of seconds: plain positional
     * notation, no exponent, exact to the nanosecond, no trailing zeros ({@code 6}, {@code 5.005},
     * {@code 3.003003}).
     */
    static String seconds(Duration d) {
        long s = d.getSeconds();
        int nanos = d.getNano();
        if (nanos == 0) {
            return Long.toString(s);
        }
        String frac = String.format(Locale.ROOT, "%09d", nanos);
        int end = frac.length();
        while (frac.charAt(end - 1) == '0') {
            end--;
        }
        return s + "." + frac.substring(0, end);
    }

    /** Parses a decimal-floating-point number of seconds, rounded half-even to the nanosecond. */
    static Duration parseSeconds(String text) {
        BigDecimal nanos = new BigDecimal(text).multiply(NANOS_PER_SECOND).setScale(0, RoundingMode.HALF_EVEN);
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** Rounds a duration to the nearest integer number of seconds, halves up (RFC 8216 §4.3.3.1). */
    static long roundedSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() >= 500_000_000 ? 1 : 0);
    }

    /** Formats a frame rate with exactly three decimals (RFC 8216 §4.3.4.2). */
    static String frameRate(double fps) {
        return String.format(Locale.ROOT, "%.3f", fps);
    }

    /** Formats bytes as an RFC 8216 §4.2 hexadecimal-sequence: {@code 0x} and lower-case digits. */
    static String hex(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }
}
