package dev.kino.common.config;

import java.util.Map;

/**
 * The validated value of every key and where it came from. Immutable. Read values with
 * {@link #get(ConfigKey)}; {@link KinoConfig#from(ResolvedConfig)} turns it into typed records.
 */
public final class ResolvedConfig {

    /**
     * @param value the parsed value (type given by its key)
     * @param source where the winning value came from
     */
    public record Setting(Object value, Source source) {
    }

    private final Map<String, Setting> settings;
    private final Source file;

    ResolvedConfig(Map<String, Setting> settings, Source file) {
        this.settings = Map.copyOf(settings);
        this.file = file;
    }

    /** @return the value of {@code key} (every key has one: the defaults cover them all) */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) settings.get(key.name()).value();
    }

    /** @return where the value of {@code key} came from */
    public Source source(ConfigKey<?> key) {
        return settings.get(key.name()).source();
    }

    /** @return the operator's configuration file that was read, or null */
    public Source file() {
        return file;
    }

    /**
     * Renders the effective configuration as YAML-like lines, each with its source, secrets masked;
     * what {@code ./kino config show} prints.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String describe() {
        StringBuilder sb = new StringBuilder();
        String[] previous = new String[0];
        for (ConfigKey<?> key : ConfigKeys.ordered()) {
            String[] parts = key.name().split("\\.");
            int common = 0;
            while (common < previous.length - 1 && common < parts.length - 1 && previous[common].equals(parts[common])) {
                common++;
            }
            for (int i = common; i < parts.length - 1; i++) {
                sb.append("  ".repeat(i)).append(parts[i]).append(":\n");
            }
            Setting s = settings.get(key.name());
            String shown = ((ValueType) key.type()).format(s.value());
            if (key.secret()) {
                shown = maskedSecret(key, s.value(), shown);
            } else if (shown.isEmpty()) {
                shown = "\"\"";
            }
            sb.append("  ".repeat(parts.length - 1)).append(parts[parts.length - 1]).append(": ").append(shown);
            if (s.source() != Source.DEFAULTS) {
                sb.append("    # from ").append(s.source());
            }
            sb.append('\n');
            previous = parts;
        }
        return sb.toString();
    }

    private static String maskedSecret(ConfigKey<?> key, Object value, String formatted) {
        if (value instanceof Secret s) {
            if (!s.isEmpty()) {
                return "\"********\"";
            }
            return key == ConfigKeys.KEYS_KEY_ENCRYPTION_KEY ? "\"\"    # generated under data.dir/secrets when needed" : "\"\"";
        }
        if (key == ConfigKeys.TOKENS_KEYS && value instanceof java.util.List<?> l && l.isEmpty()) {
            return "[]    # generated under data.dir/secrets when needed";
        }
        return formatted;
    }
}
