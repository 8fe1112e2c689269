package dev.kino.common.config;

import dev.kino.common.packaging.Protection;
import dev.kino.common.packaging.VerificationDepth;
import dev.kino.common.packaging.WorkerIsolation;
import dev.kino.common.packaging.X264Preset;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kino.common.config.ValueType.bool;
import static dev.kino.common.config.ValueType.duration;
import static dev.kino.common.config.ValueType.host;
import static dev.kino.common.config.ValueType.integer;
import static dev.kino.common.config.ValueType.jdbcUrl;
import static dev.kino.common.config.ValueType.list;
import static dev.kino.common.config.ValueType.oneOf;
import static dev.kino.common.config.ValueType.path;
import static dev.kino.common.config.ValueType.port;
import static dev.kino.common.config.ValueType.secret;
import static dev.kino.common.config.ValueType.size;
import static dev.kino.common.config.ValueType.text;
import static dev.kino.common.config.ValueType.url;

/**
 * Every key Kino understands, with its type and range. The shipped {@code config/kino.yaml} gives each
 * one its default (a test checks the two agree); anything not listed here is an unknown key and stops
 * start-up.
 */
public final class ConfigKeys {
    private static final Map<String, ConfigKey<?>> KEYS = new LinkedHashMap<>();

    public static final ConfigKey<String> DATA_DIR = key("data.dir", path());

    public static final ConfigKey<String> CONTROL_HOST = key("control.host", host());
    public static final ConfigKey<Long> CONTROL_PORT = key("control.port", port(true));
    public static final ConfigKey<String> CONTROL_PUBLIC_URL = key("control.publicUrl", url(true, "http", "https"));
    public static final ConfigKey<Long> CONTROL_MAX_REQUEST_BYTES = key("control.maxRequestBytes", integer(1024, 64L << 20));
    public static final ConfigKey<Long> CONTROL_MAX_UPLOAD_BYTES = key("control.maxUploadBytes", integer(1L << 20, 1L << 40));
    public static final ConfigKey<Long> CONTROL_BLOCKING_THREADS = key("control.blockingThreads", integer(1, 512));
    public static final ConfigKey<Duration> CONTROL_IDLE_TIMEOUT =
            key("control.idleTimeout", duration(Duration.ofSeconds(1), Duration.ofHours(1)));
    public static final ConfigKey<Duration> CONTROL_READ_TIMEOUT =
            key("control.readTimeout", duration(Duration.ofSeconds(1), Duration.ofMinutes(10)));
    public static final ConfigKey<Long> CONTROL_MAX_CONNECTIONS = key("control.maxConnections", integer(1, 1_000_000));
    public static final ConfigKey<Long> CONTROL_MAX_HEADER_BYTES = key("control.maxHeaderBytes", integer(1024, 1 << 20));
    public static final ConfigKey<Long> CONTROL_MAX_URI_BYTES = key("control.maxUriBytes", integer(256, 1 << 16));
    public static final ConfigKey<Boolean> CONTROL_REQUIRE_STAFF_SECOND_FACTOR =
            key("control.requireStaffSecondFactor", bool());
    public static final ConfigKey<List<String>> CONTROL_REQUIRE_VERIFIED_EMAIL =
            key("control.requireVerifiedEmail", list(false));
    public static final ConfigKey<Duration> CONTROL_ACCOUNT_DELETION_GRACE =
            key("control.accountDeletionGrace", duration(Duration.ZERO, Duration.ofDays(365)));
    public static final ConfigKey<Long> CONTROL_ADMIN_PORT = key("control.adminPort", port(true));
    public static final ConfigKey<Long> CONTROL_LOGIN_ATTEMPTS_PER_ADDRESS =
            key("control.loginAttemptsPerAddress", integer(1, 100_000));
    public static final ConfigKey<Duration> CONTROL_ANALYTICS_RETENTION =
            key("control.analyticsRetention", duration(Duration.ofDays(1), Duration.ofDays(3650)));
    public static final ConfigKey<Long> CONTROL_SEARCH_THREADS = key("control.search.threads", integer(0, 512));
    public static final ConfigKey<Long> CONTROL_SEARCH_QUEUE = key("control.search.queue", integer(1, 100_000));
    public static final ConfigKey<Long> CONTROL_SEARCH_SUGGEST_THREADS =
            key("control.search.suggestThreads", integer(0, 512));
    public static final ConfigKey<Long> CONTROL_SEARCH_SUGGEST_QUEUE =
            key("control.search.suggestQueue", integer(1, 100_000));

    public static final ConfigKey<String> MEDIA_HOST = key("media.host", host());
    public static final ConfigKey<Long> MEDIA_PORT = key("media.port", port(true));
    public static final ConfigKey<String> MEDIA_PUBLIC_URL = key("media.publicUrl", url(true, "http", "https"));
    public static final ConfigKey<String> MEDIA_ROOT = key("media.root", path());
    public static final ConfigKey<List<String>> MEDIA_CORS_ORIGINS = key("media.corsOrigins", list(false));
    public static final ConfigKey<List<String>> MEDIA_TRUSTED_PROXIES = key("media.trustedProxies", ValueType.cidrList());
    public static final ConfigKey<Duration> MEDIA_PLAYLIST_MAX_AGE =
            key("media.playlistMaxAge", duration(Duration.ZERO, Duration.ofDays(365)));
    public static final ConfigKey<Duration> MEDIA_SEGMENT_MAX_AGE =
            key("media.segmentMaxAge", duration(Duration.ZERO, Duration.ofDays(365)));
    public static final ConfigKey<Duration> MEDIA_IDLE_TIMEOUT =
            key("media.idleTimeout", duration(Duration.ofSeconds(1), Duration.ofHours(1)));
    public static final ConfigKey<Duration> MEDIA_READ_TIMEOUT =
            key("media.readTimeout", duration(Duration.ofSeconds(1), Duration.ofMinutes(10)));
    public static final ConfigKey<Long> MEDIA_MAX_CONNECTIONS = key("media.maxConnections", integer(1, 1_000_000));
    public static final ConfigKey<Long> MEDIA_MAX_HEADER_BYTES = key("media.maxHeaderBytes", integer(1024, 1 << 20));
    public static final ConfigKey<Long> MEDIA_MAX_URI_BYTES = key("media.maxUriBytes", integer(256, 1 << 16));
    public static final ConfigKey<Long> MEDIA_SEND_BUFFER = key("media.sendBuffer", size(0, 64L << 20));
    public static final ConfigKey<Duration> MEDIA_SHUTDOWN_GRACE =
            key("media.shutdownGrace", duration(Duration.ZERO, Duration.ofMinutes(10)));
    public static final ConfigKey<Boolean> MEDIA_TLS_ENABLED = key("media.tls.enabled", bool());
    public static final ConfigKey<Long> MEDIA_TLS_PORT = key("media.tls.port", port(true));
    public static final ConfigKey<String> MEDIA_TLS_CERTIFICATE = key("media.tls.certificate", path());
    public static final ConfigKey<String> MEDIA_TLS_PRIVATE_KEY = key("media.tls.privateKey", path());
    public static final ConfigKey<String> MEDIA_WIDEVINE_UPSTREAM_URL =
            key("media.widevine.upstreamUrl", url(true, "http", "https"));
    public static final ConfigKey<Secret> MEDIA_WIDEVINE_UPSTREAM_TOKEN = secretKey("media.widevine.upstreamToken");

    public static final ConfigKey<String> METRICS_HOST = key("metrics.host", host());
    public static final ConfigKey<Long> METRICS_PORT = key("metrics.port", port(true));

    public static final ConfigKey<String> DATABASE_URL = key("database.url", jdbcUrl());
    public static final ConfigKey<String> DATABASE_USER = key("database.user", text());
    public static final ConfigKey<Secret> DATABASE_PASSWORD = secretKey("database.password");
    public static final ConfigKey<Long> DATABASE_POOL_SIZE = key("database.poolSize", integer(1, 200));
    public static final ConfigKey<Long> DATABASE_EMBEDDED_PORT = key("database.embeddedPort", port(true));

    public static final ConfigKey<String> REDIS_URL = key("redis.url", url(true, "redis", "rediss"));

    public static final ConfigKey<Duration> TOKENS_TTL = key("tokens.ttl", duration(Duration.ofMinutes(1), Duration.ofDays(30)));
    public static final ConfigKey<Duration> TOKENS_CLOCK_SKEW =
            key("tokens.clockSkew", duration(Duration.ZERO, Duration.ofMinutes(10)));
    public static final ConfigKey<List<String>> TOKENS_KEYS = register(new ConfigKey<>("tokens.keys", list(true), true));

    public static final ConfigKey<Secret> KEYS_KEY_ENCRYPTION_KEY = secretKey("keys.keyEncryptionKey");

    public static final ConfigKey<Long> PACKAGER_WORKERS = key("packager.workers", integer(0, 64));
    public static final ConfigKey<Long> PACKAGER_SEGMENT_SECONDS = key("packager.segmentSeconds", integer(1, 30));
    public static final ConfigKey<Protection> PACKAGER_PROTECTION =
            key("packager.protection", oneOf(Protection.class, Protection::wire));
    public static final ConfigKey<Long> PACKAGER_THREADS = key("packager.threads", integer(0, 256));
    public static final ConfigKey<X264Preset> PACKAGER_PRESET =
            key("packager.preset", oneOf(X264Preset.class, X264Preset::x264Name));
    public static final ConfigKey<VerificationDepth> PACKAGER_VERIFY =
            key("packager.verify", oneOf(VerificationDepth.class, VerificationDepth::wire));
    public static final ConfigKey<Long> PACKAGER_LIMITS_MAX_WIDTH = key("packager.limits.maxWidth", integer(16, 16384));
    public static final ConfigKey<Long> PACKAGER_LIMITS_MAX_HEIGHT = key("packager.limits.maxHeight", integer(16, 16384));
    public static final ConfigKey<Long> PACKAGER_LIMITS_MAX_PIXELS =
            key("packager.limits.maxPixels", integer(256, 16384L * 16384));
    public static final ConfigKey<Long> PACKAGER_LIMITS_MAX_FRAME_RATE = key("packager.limits.maxFrameRate", integer(1, 1000));
    public static final ConfigKey<Duration> PACKAGER_LIMITS_MAX_DURATION =
            key("packager.limits.maxDuration", duration(Duration.ofSeconds(1), Duration.ofDays(7)));
    public static final ConfigKey<WorkerIsolation> PACKAGER_ISOLATION_MODE =
            key("packager.isolation.mode", oneOf(WorkerIsolation.class, WorkerIsolation::wire));
    public static final ConfigKey<Long> PACKAGER_ISOLATION_HEAP = key("packager.isolation.heap", size(64L << 20, 1L << 40));
    public static final ConfigKey<Long> PACKAGER_ISOLATION_MEMORY_LIMIT =
            key("packager.isolation.memoryLimit", size(0, 1L << 50));

    public static final ConfigKey<String> MAIL_FROM = key("mail.from", text());
    public static final ConfigKey<String> MAIL_SMTP_HOST = key("mail.smtp.host", text());
    public static final ConfigKey<Long> MAIL_SMTP_PORT = key("mail.smtp.port", port(false));
    public static final ConfigKey<String> MAIL_SMTP_SECURITY = key("mail.smtp.security", oneOf("starttls", "tls", "none"));
    public static final ConfigKey<String> MAIL_SMTP_USER = key("mail.smtp.user", text());
    public static final ConfigKey<Secret> MAIL_SMTP_PASSWORD = secretKey("mail.smtp.password");
    public static final ConfigKey<Duration> MAIL_SMTP_TIMEOUT =
            key("mail.smtp.timeout", duration(Duration.ofSeconds(1), Duration.ofMinutes(5)));
    public static final ConfigKey<Duration> MAIL_DIGEST_INTERVAL =
            key("mail.digestInterval", duration(Duration.ofMinutes(1), Duration.ofDays(7)));

    public static final ConfigKey<Duration> BILLING_GRACE_PERIOD =
            key("billing.gracePeriod", duration(Duration.ZERO, Duration.ofDays(60)));
    public static final ConfigKey<Long> BILLING_DEFAULT_MAX_PROFILES = key("billing.defaultMaxProfiles", integer(1, 20));
    public static final ConfigKey<String> BILLING_SUCCESS_URL = key("billing.successUrl", url(true, "http", "https"));
    public static final ConfigKey<String> BILLING_CANCEL_URL = key("billing.cancelUrl", url(true, "http", "https"));
    public static final ConfigKey<String> BILLING_STRIPE_API_BASE = key("billing.stripe.apiBase", url(false, "http", "https"));
    public static final ConfigKey<Secret> BILLING_STRIPE_SECRET_KEY = secretKey("billing.stripe.secretKey");
    public static final ConfigKey<List<String>> BILLING_STRIPE_WEBHOOK_SECRETS =
            register(new ConfigKey<>("billing.stripe.webhookSecrets", list(true), true));
    public static final ConfigKey<Duration> BILLING_STRIPE_WEBHOOK_TOLERANCE =
            key("billing.stripe.webhookTolerance", duration(Duration.ofSeconds(1), Duration.ofHours(1)));

    public static final ConfigKey<String> OIDC_GOOGLE_CLIENT_ID = key("oidc.google.clientId", text());
    public static final ConfigKey<Secret> OIDC_GOOGLE_CLIENT_SECRET = secretKey("oidc.google.clientSecret");
    public static final ConfigKey<List<String>> OIDC_PROVIDERS = key("oidc.providers", list(false));
    public static final ConfigKey<List<String>> OIDC_CLIENT_SECRETS =
            register(new ConfigKey<>("oidc.clientSecrets", list(true), true));

    public static final ConfigKey<String> LOG_LEVEL = key("log.level", oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR"));

    private ConfigKeys() {
    }

    private static <T> ConfigKey<T> key(String name, ValueType<T> type) {
        return register(new ConfigKey<>(name, type, false));
    }

    private static ConfigKey<Secret> secretKey(String name) {
        return register(new ConfigKey<>(name, secret(), true));
    }

    private static <T> ConfigKey<T> register(ConfigKey<T> key) {
        if (KEYS.put(key.name(), key) != null) {
            throw new IllegalStateException("duplicate configuration key " + key.name());
        }
        return key;
    }

    /** @return every key, in the order of {@code kino.yaml} */
    public static Map<String, ConfigKey<?>> all() {
        return Map.copyOf(KEYS);
    }

    /** @return every key in declaration order */
    public static List<ConfigKey<?>> ordered() {
        return List.copyOf(KEYS.values());
    }

    /** @return the key named {@code name}, or null */
    public static ConfigKey<?> byName(String name) {
        return KEYS.get(name);
    }
}
