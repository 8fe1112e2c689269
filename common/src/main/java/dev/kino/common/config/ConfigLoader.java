package dev.kino.common.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the effective configuration from its four layers, lowest precedence first: the shipped
 * defaults, an optional file ({@code --config FILE} or {@code KINO_CONFIG}), {@code KINO_*} environment
 * variables, and {@code --set key=value} flags.
 *
 * <p>Every value is checked against {@link ConfigKeys}; the first problem stops loading with a
 * {@link ConfigException} naming the key, where the value came from and what is allowed.
 */
public final class ConfigLoader {
    /** Classpath location of the shipped defaults (copied from {@code config/kino.yaml} at build time). */
    public static final String DEFAULTS_RESOURCE = "/kino-defaults/kino.yaml";

    /** Environment variables starting with {@code KINO_} that are not configuration keys. */
    public static final Set<String> RESERVED_ENVIRONMENT = Set.of(
            "KINO_CONFIG", "KINO_HOME", "KINO_JAVA_OPTS", "KINO_SKIP_BUILD", "KINO_LOG_DIR");

    private static final YAMLMapper YAML = new YAMLMapper();

    private final String defaultsYaml;
    private Path file;
    private Map<String, String> environment = Map.of();
    private final List<String> flags = new ArrayList<>();

    private ConfigLoader(String defaultsYaml) {
        this.defaultsYaml = defaultsYaml;
    }

    /** @return a loader over the defaults packaged at {@link #DEFAULTS_RESOURCE} */
    public static ConfigLoader withShippedDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new ConfigException("the shipped defaults " + DEFAULTS_RESOURCE + " are missing from the classpath");
            }
            return new ConfigLoader(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("cannot read the shipped defaults: " + e.getMessage(), e);
        }
    }

    /** @param defaultsYaml the text of the defaults file (tests) */
    public static ConfigLoader withDefaults(String defaultsYaml) {
        return new ConfigLoader(defaultsYaml);
    }

    /** @param file an operator's configuration file, or null for none; overrides {@code KINO_CONFIG} */
    public ConfigLoader file(Path file) {
        this.file = file;
        return this;
    }

    /** @param environment the process environment ({@code System.getenv()}) */
    public ConfigLoader environment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /** @param flag one {@code key=value} from a {@code --set} flag */
    public ConfigLoader flag(String flag) {
        flags.add(Objects.requireNonNull(flag));
        return this;
    }

    /**
     * @return the validated configuration
     * @throws ConfigException naming the first key that is unknown, of the wrong type or out of range
     */
    public ResolvedConfig load() {
        Map<String, Raw> raw = new LinkedHashMap<>();
        readYaml(defaultsYaml, Source.DEFAULTS, raw);
        for (ConfigKey<?> key : ConfigKeys.ordered()) {
            if (!raw.containsKey(key.name())) {
                throw new ConfigException("the shipped defaults have no value for " + key.name());
            }
        }

        Path configFile = file;
        Source fileSource = null;
        if (configFile == null && environment.get("KINO_CONFIG") != null && !environment.get("KINO_CONFIG").isBlank()) {
            configFile = Path.of(environment.get("KINO_CONFIG"));
        }
        if (configFile != null) {
            fileSource = new Source("config file " + configFile);
            String text;
            try {
                text = Files.readString(configFile, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ConfigException("config file " + configFile + " does not exist");
            } catch (IOException e) {
                throw new ConfigException("config file " + configFile + " cannot be read: " + e.getMessage(), e);
            }
            readYaml(text, fileSource, raw);
        }

        Map<String, ConfigKey<?>> byEnv = new HashMap<>();
        for (ConfigKey<?> key : ConfigKeys.ordered()) {
            byEnv.put(key.environmentVariable(), key);
        }
        environment.entrySet().stream()
                .filter(e -> e.getKey().startsWith("KINO_") && !RESERVED_ENVIRONMENT.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    ConfigKey<?> key = byEnv.get(e.getKey());
                    if (key == null) {
                        throw new ConfigException("unknown environment variable " + e.getKey()
                                + ": it names no configuration key (see ./kino config show for the keys)");
                    }
                    raw.put(key.name(), new Raw(e.getValue(), new Source("environment variable " + e.getKey())));
                });

        for (String flag : flags) {
            int eq = flag.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + flag + ": expected key=value, for example --set media.port=9000");
            }
            String name = flag.substring(0, eq).trim();
            if (ConfigKeys.byName(name) == null) {
                throw new ConfigException("--set " + flag + ": unknown configuration key '" + name + "'" + suggestion(name));
            }
            raw.put(name, new Raw(flag.substring(eq + 1), new Source("command-line flag --set " + name)));
        }

        Map<String, ResolvedConfig.Setting> settings = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKeys.ordered()) {
            Raw r = raw.get(key.name());
            Object value;
            try {
                value = key.type().parse(r.value());
            } catch (IllegalArgumentException e) {
                String shown = key.secret() ? "" : " = " + r.value();
                throw new ConfigException(key.name() + shown + " (from " + r.source() + "): " + e.getMessage());
            }
            settings.put(key.name(), new ResolvedConfig.Setting(value, r.source()));
        }
        return new ResolvedConfig(settings, fileSource);
    }

    private record Raw(Object value, Source source) {
    }

    private static void readYaml(String text, Source source, Map<String, Raw> into) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(source + " is not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file sets nothing
        }
        if (!root.isObject()) {
            throw new ConfigException(source + " must be a mapping of keys, such as 'media: {port: 8081}'");
        }
        flatten("", root, source, into);
    }

    private static void flatten(String prefix, JsonNode node, Source source, Map<String, Raw> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            ConfigKey<?> key = ConfigKeys.byName(name);
            if (key == null && value.isObject() && hasKeysUnder(name)) {
                flatten(name, value, source, into);
                continue;
            }
            if (key == null) {
                throw new ConfigException("unknown configuration key '" + name + "' in " + source + suggestion(name));
            }
            if (value.isObject()) {
                throw new ConfigException(name + " (from " + source + "): expected " + key.type().allowed() + ", got a mapping");
            }
            if (value.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : value) {
                    if (item.isContainerNode()) {
                        throw new ConfigException(name + " (from " + source + "): list items must be plain values");
                    }
                    items.add(item.asText());
                }
                into.put(name, new Raw(items, source));
            } else {
                into.put(name, new Raw(value.isNull() ? "" : value.asText(), source));
            }
        }
    }

    private static boolean hasKeysUnder(String prefix) {
        return ConfigKeys.ordered().stream().anyMatch(k -> k.name().startsWith(prefix + "."));
    }

    private static String suggestion(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey<?> key : ConfigKeys.ordered()) {
            int d = distance(name.toLowerCase(), key.name().toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = key.name();
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
