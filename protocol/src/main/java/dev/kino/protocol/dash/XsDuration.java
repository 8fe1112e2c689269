package dev.kino.protocol.dash;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code xs:duration} (XML Schema Part 2 §3.2.6) as the MPD uses it for {@code mediaPresentationDuration},
 * {@code minBufferTime} and {@code Period@start}/{@code @duration}.
 *
 * <p>{@link #format} writes hours, minutes and seconds only (no days, months or years, whose length varies), omits
 * zero parts and writes seconds with up to nanosecond precision and no trailing zeros: {@code PT0S},
 * {@code PT2S}, {@code PT1M30.5S}, {@code PT2H0.04S}.
 */
public final class XsDuration {

    private static final Pattern FORM = Pattern.compile(
            "P(?:([0-9]+)D)?(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\\.[0-9]+)?)S)?)?");

    private XsDuration() {
    }

    /**
     * @param d a non-negative duration
     * @return its xs:duration text
     * @throws IllegalArgumentException if {@code d} is negative
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
        long total = d.getSeconds();
        long h = total / 3600;
        long m = (total % 3600) / 60;
        long s = total % 60;
        int nanos = d.getNano();
        StringBuilder b = new StringBuilder("PT");
        if (h > 0) {
            b.append(h).append('H');
        }
        if (m > 0) {
            b.append(m).append('M');
        }
        if (s > 0 || nanos > 0 || (h == 0 && m == 0)) {
            b.append(s);
            if (nanos > 0) {
                String frac = String.format("%09d", nanos).replaceFirst("0+$", "");
                b.append('.').append(frac);
            }
            b.append('S');
        }
        return b.toString();
    }

    /**
     * Parses the day-time subset of xs:duration: {@code PnDTnHnMn.nS}, each part optional, no sign, no years or
     * months. Fractions beyond nanoseconds are truncated.
     *
     * @param text the duration text
     * @return the duration
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static Duration parse(String text) {
        Matcher mt = text == null ? null : FORM.matcher(text);
        if (mt == null || !mt.matches() || text.equals("P") || text.endsWith("T")) {
            throw new IllegalArgumentException("not a day-time xs:duration: " + text);
        }
        Duration d = Duration.ZERO;
        if (mt.group(1) != null) {
            d = d.plusDays(Long.parseLong(mt.group(1)));
        }
        if (mt.group(2) != null) {
            d = d.plusHours(Long.parseLong(mt.group(2)));
        }
        if (mt.group(3) != null) {
            d = d.plusMinutes(Long.parseLong(mt.group(3)));
        }
        if (mt.group(4) != null) {
            BigDecimal secs = new BigDecimal(mt.group(4));
            long whole = secs.longValue();
            long nanos = secs.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            d = d.plusSeconds(whole).plusNanos(nanos);
        }
        return d;
    }
}
