package dev.kino.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one load-test run is asked to do. The simulations read it from system properties
 * ({@value #PREFIX}{@code <name>}, e.g. {@code kino.loadtest.users=100}) because Gatling instantiates a simulation
 * by its class name: {@link LoadTest} (the {@code ./kino loadtest} command) writes them, and a plain
 * {@code gatling:test} run can pass them with {@code -D}.
 *
 * @param target the control API's base URL, e.g. {@code http://localhost:8080}
 * @param users concurrent virtual users once ramped up (viewers, edges or API users)
 * @param ramp time to go from 0 to {@code users} concurrent users
 * @param duration time at {@code users} after the ramp
 * @param mediaUrl origin (scheme, host, port) to use instead of the one in playback grants, or null
 * @param accounts size of the account pool (registered or signed in before the run); 0 = guests only
 * @param accountsFile file of {@code login,password} lines to sign in instead of registering, or null
 * @param accountPrefix user name prefix of the accounts the run registers ({@code <prefix>-0001}, …)
 * @param accountPassword password of the accounts the run registers
 * @param maxErrorPercent most failed requests allowed, in percent, of every request kind and overall
 * @param p99 longest 99th-percentile response time allowed for every request kind
 * @param maxWatch longest watch time of one viewer (each watches a random 20–100 % of the item, capped here)
 * @param switchChance chance, per segment, that a viewer switches rendition (0–1)
 * @param seekChance chance, per segment, that a viewer seeks to a random position (0–1)
 * @param sliceBytes byte-range size of CDN pulls (nginx's {@code slice} directive does the same)
 * @param think mean pause of API users between two pages (each pause is 0.5–1.5 times it)
 */
public record Settings(URI target, int users, Duration ramp, Duration duration, URI mediaUrl, int accounts,
                       Path accountsFile, String accountPrefix, String accountPassword, double maxErrorPercent,
                       Duration p99, Duration maxWatch, double switchChance, double seekChance, long sliceBytes,
                       Duration think) {
    /** System property prefix of every setting. */
    public static final String PREFIX = "kino.loadtest.";

    /** Password of the accounts a run registers when none is given (the policy's 10-character minimum, no user name). */
    public static final String DEFAULT_PASSWORD = "Gatling-viewer-Kino-9";

    public Settings {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, not " + users);
        }
        if (accounts < 0) {
            throw new IllegalArgumentException("accounts must be 0 or more, not " + accounts);
        }
        if (ramp.isNegative() || duration.isNegative() || duration.isZero() && ramp.isZero()) {
            throw new IllegalArgumentException("ramp and duration must not be negative, and not both zero");
        }
        if (switchChance < 0 || switchChance > 1 || seekChance < 0 || seekChance > 1) {
            throw new IllegalArgumentException("chances are from 0 to 1");
        }
        if (sliceBytes < 1) {
            throw new IllegalArgumentException("slice must be at least 1 byte");
        }
        String t = target.toString();
        target = URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
    }

    /** @return the settings from {@link System#getProperties()}, defaults where absent */
    public static Settings fromSystemProperties() {
        return from(System.getProperties());
    }

    /**
     * @param p properties named {@value #PREFIX}{@code <component name>}
     * @return the settings, defaults where absent
     * @throws IllegalArgumentException a value that does not parse
     */
    public static Settings from(Properties p) {
        String media = p.getProperty(PREFIX + "mediaUrl", "");
        String file = p.getProperty(PREFIX + "accountsFile", "");
        return new Settings(
                URI.create(p.getProperty(PREFIX + "target", "http://localhost:8080")),
                Integer.parseInt(p.getProperty(PREFIX + "users", "10")),
                duration(p.getProperty(PREFIX + "ramp", "10s")),
                duration(p.getProperty(PREFIX + "duration", "1m")),
                media.isBlank() ? null : URI.create(media),
                Integer.parseInt(p.getProperty(PREFIX + "accounts", "10")),
                file.isBlank() ? null : Path.of(file),
                p.getProperty(PREFIX + "accountPrefix", "loadtest"),
                p.getProperty(PREFIX + "accountPassword", DEFAULT_PASSWORD),
                Double.parseDouble(p.getProperty(PREFIX + "maxErrorPercent", "1")),
                duration(p.getProperty(PREFIX + "p99", "2s")),
                duration(p.getProperty(PREFIX + "maxWatch", "10m")),
                Double.parseDouble(p.getProperty(PREFIX + "switchChance", "0.1")),
                Double.parseDouble(p.getProperty(PREFIX + "seekChance", "0.05")),
                bytes(p.getProperty(PREFIX + "slice", "1m")),
                duration(p.getProperty(PREFIX + "think", "2s")));
    }

    /** @return these settings as the system properties {@link #from} reads */
    public Map<String, String> toProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "target", target.toString());
        m.put(PREFIX + "users", Integer.toString(users));
        m.put(PREFIX + "ramp", ramp.toMillis() + "ms");
        m.put(PREFIX + "duration", duration.toMillis() + "ms");
        m.put(PREFIX + "mediaUrl", mediaUrl == null ? "" : mediaUrl.toString());
        m.put(PREFIX + "accounts", Integer.toString(accounts));
        m.put(PREFIX + "accountsFile", accountsFile == null ? "" : accountsFile.toString());
        m.put(PREFIX + "accountPrefix", accountPrefix);
        m.put(PREFIX + "accountPassword", accountPassword);
        m.put(PREFIX + "maxErrorPercent", Double.toString(maxErrorPercent));
        m.put(PREFIX + "p99", p99.toMillis() + "ms");
        m.put(PREFIX + "maxWatch", maxWatch.toMillis() + "ms");
        m.put(PREFIX + "switchChance", Double.toString(switchChance));
        m.put(PREFIX + "seekChance", Double.toString(seekChance));
        m.put(PREFIX + "slice", Long.toString(sliceBytes));
        m.put(PREFIX + "think", think.toMillis() + "ms");
        return m;
    }

    /** @return how many accounts the pool holds: never more than there are concurrent users */
    public int poolSize() {
        return Math.min(accounts, users);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    private static final Pattern BYTES = Pattern.compile("(\\d+)([kmg]?)");

    /**
     * @param text {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h} or a bare number of seconds
     * @return the duration
     * @throws IllegalArgumentException anything else
     */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 60s, 5m or 1h");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /**
     * @param text a number of bytes, optionally with {@code k}, {@code m} or {@code g} (binary multiples)
     * @return the bytes
     * @throws IllegalArgumentException anything else
     */
    public static long bytes(String text) {
        Matcher m = BYTES.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size such as 262144, 256k or 1m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }
}
