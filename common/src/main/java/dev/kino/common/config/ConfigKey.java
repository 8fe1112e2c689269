package dev.kino.common.config;

import java.util.Locale;

/**
 * One configuration key: its dotted name as written in {@code kino.yaml}, its type, and whether its
 * value is a secret (masked by {@code ./kino config show}, never logged).
 *
 * @param name dotted name, e.g. {@code media.tls.port}
 * @param type how the value is parsed and what is allowed
 * @param secret true when the value must never be printed
 * @param <T> the parsed type
 */
public record ConfigKey<T>(String name, ValueType<T> type, boolean secret) {

    /**
     * The environment variable that sets this key: {@code KINO_} plus the name in upper snake case,
     * dots and camel-case humps becoming underscores ({@code tokens.clockSkew} → {@code KINO_TOKENS_CLOCK_SKEW}).
     */
    public String environmentVariable() {
        StringBuilder sb = new StringBuilder("KINO_");
        for (char c : name.toCharArray()) {
            if (c == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(c)) {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }
}
