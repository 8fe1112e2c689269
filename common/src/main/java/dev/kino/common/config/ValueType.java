package dev.kino.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of one configuration key: how its raw text (or list of texts) is parsed and what values are
 * allowed. Raw values are a {@link String} for scalars, or a {@code List<String>} for lists (from a file)
 * and a comma-separated string (from the environment or a flag).
 *
 * @param <T> the Java type the value is parsed into
 */
public abstract class ValueType<T> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String allowed;

    private ValueType(String allowed) {
        this.allowed = allowed;
    }

    /** @return a phrase describing what is allowed, e.g. {@code an integer from 1 to 65535} */
    public String allowed() {
        return allowed;
    }

    /**
     * @param raw a {@link String} or a {@code List<String>}
     * @return the parsed value
     * @throws IllegalArgumentException when the value is not allowed
     */
    abstract T parse(Object raw);

    /** Writes a value back in the form the configuration file uses (for {@code config show}). */
    String format(T value) {
        return String.valueOf(value);
    }

    static String scalar(Object raw, String allowed) {
        if (raw instanceof String s) {
            return s.trim();
        }
        throw new IllegalArgumentException("expected " + allowed + ", got a list");
    }

    /** An integer in {@code [min, max]}. */
    public static ValueType<Long> integer(long min, long max) {
        String allowed = "an integer from " + min + " to " + max;
        return new ValueType<>(allowed) {
            @Override
            Long parse(Object raw) {
                String s = scalar(raw, allowed);
                long v;
                try {
                    v = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + s + "' is not " + allowed);
                }
                if (v < min || v > max) {
                    throw new IllegalArgumentException(v + " is out of range: " + allowed);
                }
                return v;
            }
        };
    }

    /** A TCP port, 1–65535, or 0 where {@code zeroAllowed} (pick a free port / disabled). */
    public static ValueType<Long> port(boolean zeroAllowed) {
        return integer(zeroAllowed ? 0 : 1, 65535);
    }

    /** Free text (possibly empty). */
    public static ValueType<String> text() {
        return new ValueType<>("a string") {
            @Override
            String parse(Object raw) {
                return scalar(raw, allowed());
            }
        };
    }

    /** A host name or literal IP address to bind or connect to. */
    public static ValueType<String> host() {
        String allowed = "a host name or IP address such as 0.0.0.0, 127.0.0.1 or ::";
        return new ValueType<>(allowed) {
            @Override
            String parse(Object raw) {
                String s = scalar(raw, allowed);
                if (s.isEmpty() || !s.matches("[A-Za-z0-9.:%\\-\\[\\]]+")) {
                    throw new IllegalArgumentException("'" + s + "' is not " + allowed);
                }
                return s;
            }
        };
    }

    /** An absolute URL with one of {@code schemes}, or empty when {@code emptyAllowed}. */
    public static ValueType<String> url(boolean emptyAllowed, String... schemes) {
        String allowed = (emptyAllowed ? "empty or " : "") + "an absolute URL (" + String.join(", ", schemes) + ")";
        return new ValueType<>(allowed) {
            @Override
            String parse(Object raw) {
                String s = scalar(raw, allowed);
                if (s.isEmpty() && emptyAllowed) {
                    return s;
                }
                try {
                    URI u = new URI(s);
                    if (u.getScheme() != null && Arrays.asList(schemes).contains(u.getScheme().toLowerCase(Locale.ROOT))
                            && (u.getHost() != null || u.getScheme().startsWith("jdbc"))) {
                        return s;
                    }
                } catch (URISyntaxException e) {
                    // falls through to the error below
                }
                throw new IllegalArgumentException("'" + s + "' is not " + allowed);
            }
        };
    }

    /** A JDBC PostgreSQL URL, or empty for the embedded database. */
    public static ValueType<String> jdbcUrl() {
        String allowed = "empty (embedded PostgreSQL) or jdbc:postgresql://host:port/database";
        return new ValueType<>(allowed) {
            @Override
            String parse(Object raw) {
                String s = scalar(raw, allowed);
                if (!s.isEmpty() && !s.startsWith("jdbc:postgresql://")) {
                    throw new IllegalArgumentException("'" + s + "' is not " + allowed);
                }
                return s;
            }
        };
    }

    /** A duration written as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 6h} or {@code 7d}, within bounds. */
    public static ValueType<Duration> duration(Duration min, Duration max) {
        String allowed = "a duration such as 500ms, 30s, 10m, 6h or 7d, from " + formatDuration(min) + " to " + formatDuration(max);
        return new ValueType<>(allowed) {
            @Override
            Duration parse(Object raw) {
                String s = scalar(raw, allowed);
                Matcher m = DURATION.matcher(s);
                if (!m.matches()) {
                    throw new IllegalArgumentException("'" + s + "' is not " + allowed);
                }
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    throw new IllegalArgumentException("'" + s + "' is out of range: " + allowed);
                }
                return d;
            }

            @Override
            String format(Duration d) {
                return formatDuration(d);
            }
        };
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        } else if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        } else if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        } else if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)", Pattern.CASE_INSENSITIVE);

    /**
     * A number of bytes, written as the JVM's {@code -Xmx} takes it: plain bytes or with a binary suffix
     * {@code k}, {@code m}, {@code g} or {@code t} ({@code 512m} is 512 MiB), within {@code [min, max]}.
     */
    public static ValueType<Long> size(long min, long max) {
        String allowed = "a size in bytes such as 512m, 4g or 1073741824, from " + formatSize(min) + " to " + formatSize(max);
        return new ValueType<>(allowed) {
            @Override
            Long parse(Object raw) {
                String s = scalar(raw, allowed);
                Matcher m = SIZE.matcher(s);
                if (!m.matches() || m.group(1).length() > 15) {
                    throw new IllegalArgumentException("'" + s + "' is not " + allowed);
                }
                int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    case "t" -> 40;
                    default -> 0;
                };
                long n = Long.parseLong(m.group(1));
                if (n > (Long.MAX_VALUE >> shift) || (n << shift) < min || (n << shift) > max) {
                    throw new IllegalArgumentException("'" + s + "' is out of range: " + allowed);
                }
                return n << shift;
            }

            @Override
            String format(Long bytes) {
                return formatSize(bytes);
            }
        };
    }

    /** @return {@code bytes} with the largest binary suffix that divides it exactly ({@code 512m}, {@code 4g}) */
    public static String formatSize(long bytes) {
        String[] suffixes = {"t", "g", "m", "k"};
        for (int i = 0; i < suffixes.length; i++) {
            long unit = 1L << (40 - 10 * i);
            if (bytes > 0 && bytes % unit == 0) {
                return bytes / unit + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }

    /** {@code true} or {@code false}. */
    public static ValueType<Boolean> bool() {
        return new ValueType<>("true or false") {
            @Override
            Boolean parse(Object raw) {
                String s = scalar(raw, allowed()).toLowerCase(Locale.ROOT);
                return switch (s) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("'" + s + "' is not " + allowed());
                };
            }
        };
    }

    /** One of a fixed set of words (case-insensitive on input, canonical on output). */
    public static ValueType<String> oneOf(String... values) {
        String allowed = "one of " + String.join(", ", values);
        return new ValueType<>(allowed) {
            @Override
            String parse(Object raw) {
                String s = scalar(raw, allowed);
                for (String v : values) {
                    if (v.equalsIgnoreCase(s)) {
                        return v;
                    }
                }
                throw new IllegalArgumentException("'" + s + "' is not " + allowed);
            }
        };
    }

    /**
     * One constant of an enum, written as {@code name} spells it (case-insensitive on input, {@code name}'s spelling
     * on output), so the typed configuration holds the enum itself and nothing parses the text later.
     *
     * @param type the enum
     * @param name the configuration spelling of each constant, e.g. {@code Protection::wire}
     */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type, Function<E, String> name) {
        E[] constants = type.getEnumConstants();
        List<String> names = new ArrayList<>();
        for (E e : constants) {
            names.add(name.apply(e));
        }
        String allowed = "one of " + String.join(", ", names);
        return new ValueType<>(allowed) {
            @Override
            E parse(Object raw) {
                String s = scalar(raw, allowed);
                for (E e : constants) {
                    if (name.apply(e).equalsIgnoreCase(s)) {
                        return e;
                    }
                }
                throw new IllegalArgumentException("'" + s + "' is not " + allowed);
            }

            @Override
            String format(E value) {
                return name.apply(value);
            }
        };
    }

    /** A file-system path (possibly empty, meaning "use the default"). */
    public static ValueType<String> path() {
        return new ValueType<>("a file-system path") {
            @Override
            String parse(Object raw) {
                String s = scalar(raw, allowed());
                try {
                    Path.of(s);
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException("'" + s + "' is not a valid path: " + e.getReason());
                }
                if (s.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("a path cannot contain NUL");
                }
                return s;
            }
        };
    }

    /** A secret string, masked wherever it is printed. */
    public static ValueType<Secret> secret() {
        return new ValueType<>("a secret string") {
            @Override
            Secret parse(Object raw) {
                return Secret.of(scalar(raw, allowed()));
            }

            @Override
            String format(Secret value) {
                return value.toString();
            }
        };
    }

    /**
     * A list of CIDR ranges (RFC 4632 §3.1, RFC 4291 §2.3), IPv4 or IPv6, literals only (no host names, so nothing is
     * looked up): {@code ["10.0.0.0/8", "2001:db8::/32"]}. A bare address is a single host.
     */
    public static ValueType<List<String>> cidrList() {
        ValueType<List<String>> strings = list(false);
        return new ValueType<>("a list of CIDR ranges such as 10.0.0.0/8 or 2001:db8::/32") {
            @Override
            List<String> parse(Object raw) {
                List<String> out = strings.parse(raw);
                for (String cidr : out) {
                    if (!isCidr(cidr)) {
                        throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range");
                    }
                }
                return out;
            }

            @Override
            String format(List<String> value) {
                return strings.format(value);
            }
        };
    }

    static boolean isCidr(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        boolean v6 = address.contains(":");
        if (address.isEmpty() || !address.matches(v6 ? "[0-9A-Fa-f:.]+" : "[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return false;
        }
        try {
            java.net.InetAddress.getByName(address); // a literal of those characters: parsed, never resolved
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String bits = cidr.substring(slash + 1);
        return bits.matches("[0-9]{1,3}") && Integer.parseInt(bits) <= (v6 ? 128 : 32);
    }

    /** A list of strings: a YAML list, or comma-separated text from the environment or a flag. */
    public static ValueType<List<String>> list(boolean secret) {
        return new ValueType<>(secret ? "a list of secret strings" : "a list of strings") {
            @Override
            @SuppressWarnings("unchecked")
            List<String> parse(Object raw) {
                List<String> out = new ArrayList<>();
                if (raw instanceof String s) {
                    for (String part : s.split(",")) {
                        if (!part.isBlank()) {
                            out.add(part.trim());
                        }
                    }
                } else {
                    for (String s : (List<String>) raw) {
                        out.add(s.trim());
                    }
                }
                return List.copyOf(out);
            }

            @Override
            String format(List<String> value) {
                if (secret) {
                    return value.isEmpty() ? "[]" : "[" + value.size() + " secret value(s) masked]";
                }
                return value.toString();
            }
        };
    }
}
