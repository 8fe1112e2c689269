package dev.kino.common.config;

import dev.kino.common.packaging.Protection;
import dev.kino.common.packaging.VerificationDepth;
import dev.kino.common.packaging.WorkerIsolation;
import dev.kino.common.packaging.X264Preset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kino's whole configuration as immutable, validated records: one section per part of the system.
 * Built by {@link #from(ResolvedConfig)}; derived defaults (the media root under the data directory, the
 * public URLs from the ports) are filled in there, so every reader sees final values.
 *
 * @param dataDir where everything Kino writes lives (absolute)
 * @param control the control API
 * @param media the media server
 * @param metrics the admin port (Prometheus metrics, health)
 * @param database PostgreSQL
 * @param redis shared state between nodes
 * @param tokens signed playback tokens
 * @param keys content-key protection
 * @param packager packaging workers
 * @param mail outgoing mail
 * @param billing self-service subscriptions and the payment provider
 * @param oidc sign-in with OpenID Connect identity providers
 * @param logLevel root log level name
 */
public record KinoConfig(
        Path dataDir,
        ControlApi control,
        MediaServer media,
        Metrics metrics,
        Database database,
        Redis redis,
        Tokens tokens,
        Keys keys,
        Packager packager,
        Mail mail,
        Billing billing,
        Oidc oidc,
        String logLevel) {

    /**
     * @param host bind address
     * @param port TCP port; 0 picks a free one (tests)
     * @param publicUrl base URL users reach it at, no trailing slash
     * @param maxRequestBytes largest non-upload request body, bytes
     * @param maxUploadBytes largest upload, bytes
     * @param blockingThreads size of the executor for JDBC and password hashing
     * @param idleTimeout a connection with no traffic either way for this long is closed
     * @param readTimeout time allowed to send a whole request head (and the base allowance of a body)
     * @param maxConnections open connections accepted at once (503 beyond)
     * @param maxHeaderBytes largest request head, bytes (431 beyond)
     * @param maxUriBytes largest request line URI, bytes (414 beyond)
     * @param requireStaffSecondFactor staff accounts (admins, moderators, any role with more than a member's
     *                                 permissions) must have a second factor: until they enrol one they may only
     *                                 enrol
     * @param requireVerifiedEmail the acts an account may do only once its e-mail address is confirmed, of
     *                             {@link #VERIFIED_EMAIL_ACTS} (empty: none)
     * @param loginAttemptsPerAddress sign-in attempts accepted from one client address per 5 minutes, whatever the
     *                                account (a shared address such as a campus NAT, or an end-to-end run, may need
     *                                more)
     * @param analyticsRetention how long raw playback events are kept (whole day partitions are dropped after it;
     *                           the hourly and daily aggregates are kept)
     * @param accountDeletionGrace how long a deletion the owner asked for waits before the personal data is erased
     *                             (signing in meanwhile cancels it)
     * @param adminPort the control API's admin port ({@code /metrics}, {@code /health}, {@code /ready}) on
     *                  {@code metrics.host}, like the media server's {@code metrics.port}; 0 disables it
     * @param search the title search's own thread pools ({@code control.search.*})
     */
    public record ControlApi(String host, int port, String publicUrl, long maxRequestBytes, long maxUploadBytes,
                             int blockingThreads, Duration idleTimeout, Duration readTimeout, int maxConnections,
                             int maxHeaderBytes, int maxUriBytes, boolean requireStaffSecondFactor,
                             Set<String> requireVerifiedEmail, Duration accountDeletionGrace, int adminPort,
                             Duration analyticsRetention, int loginAttemptsPerAddress, SearchPools search) {
        /** What {@code control.requireVerifiedEmail} may list: writing comments, forum threads and posts, checkout. */
        public static final Set<String> VERIFIED_EMAIL_ACTS = Set.of("comment", "forum", "checkout");

        public ControlApi {
            requireVerifiedEmail = Set.copyOf(requireVerifiedEmail);
        }
    }

    /**
     * The title search's thread pools ({@code control.search.*}), apart from {@code control.blockingThreads}: searches
     * are CPU work, so they run on a few threads per core (Elasticsearch's {@code search} pool size, processors × 3 / 2
     * + 1) and wait their turn in a bounded queue (first come, first served) instead of sharing the cores among every
     * handler thread; suggestions (as-you-type, cheap) have their own pool so they never wait behind searches. A full
     * queue answers 503 with {@code Retry-After}.
     *
     * @param threads threads running searches, at least 1 (a configured 0 becomes processors × 3 / 2 + 1)
     * @param queue searches waiting for one of them, at least 1; beyond it 503
     * @param suggestThreads threads running suggestions, at least 1 (0 configured: processors × 3 / 2 + 1)
     * @param suggestQueue suggestions waiting, at least 1; beyond it 503
     */
    public record SearchPools(int threads, int queue, int suggestThreads, int suggestQueue) {
        public SearchPools {
            if (threads < 1 || queue < 1 || suggestThreads < 1 || suggestQueue < 1) {
                throw new IllegalArgumentException("search pools need at least one thread and one queue place each: "
                        + threads + "/" + queue + "/" + suggestThreads + "/" + suggestQueue);
            }
        }

        /** @return Elasticsearch's {@code search} thread pool size: processors × 3 / 2 + 1 (4 on two cores) */
        public static int defaultThreads() {
            return Runtime.getRuntime().availableProcessors() * 3 / 2 + 1;
        }

        /** @return {@code configured}, or {@link #defaultThreads()} for 0 */
        static int threadsOrDefault(long configured) {
            return configured == 0 ? defaultThreads() : (int) configured;
        }
    }

    /**
     * @param host bind address
     * @param port plain HTTP port; 0 picks a free one (tests)
     * @param publicUrl base URL players reach it at, no trailing slash
     * @param root folder of published titles (absolute)
     * @param corsOrigins allowed browser origins, {@code *} for any
     * @param playlistMaxAge Cache-Control max-age of playlists and MPDs
     * @param segmentMaxAge Cache-Control max-age of segments and initialization sections
     * @param idleTimeout idle connection timeout
     * @param readTimeout time allowed to send a whole request head
     * @param maxConnections open connections accepted at once
     * @param maxHeaderBytes largest request head, bytes (431 beyond)
     * @param maxUriBytes largest request line URI, bytes (414 beyond)
     * @param shutdownGrace time in-flight responses get on shutdown
     * @param tls HTTPS settings
     * @param widevine licence proxy upstream
     * @param trustedProxies CIDR ranges of proxies (CDN edges, load balancers) whose {@code X-Forwarded-For} or
     *                       {@code Forwarded} names the client; empty: the TCP peer is always the client
     * @param sendBuffer each connection's socket send buffer ({@code SO_SNDBUF}), bytes as asked of the kernel
     *                   (Linux doubles it for its own bookkeeping, {@code socket(7)}); 0 leaves the kernel's
     *                   automatic sizing ({@code net.ipv4.tcp_wmem}, up to 4 MiB by default)
     */
    public record MediaServer(String host, int port, String publicUrl, Path root, List<String> corsOrigins,
                              Duration playlistMaxAge, Duration segmentMaxAge, Duration idleTimeout,
                              Duration readTimeout, int maxConnections, int maxHeaderBytes, int maxUriBytes,
                              Duration shutdownGrace, Tls tls, Widevine widevine, List<String> trustedProxies,
                              int sendBuffer) {
    }

    /**
     * @param enabled serve HTTPS (and HTTP/2 through ALPN) on {@code port}
     * @param port HTTPS port
     * @param certificate PEM certificate chain, or null for a generated self-signed one
     * @param privateKey PEM PKCS#8 private key, or null with {@code certificate}
     */
    public record Tls(boolean enabled, int port, Path certificate, Path privateKey) {
    }

    /**
     * @param upstreamUrl licence server the proxy forwards to, empty when disabled
     * @param upstreamToken bearer credential for the upstream
     */
    public record Widevine(String upstreamUrl, Secret upstreamToken) {
    }

    /**
     * @param host bind address of the admin port
     * @param port admin port; 0 disables it
     */
    public record Metrics(String host, int port) {
    }

    /**
     * @param url JDBC URL, or empty for the embedded PostgreSQL
     * @param user database user
     * @param password database password (may be empty)
     * @param poolSize HikariCP maximum pool size
     * @param embeddedPort port of the embedded PostgreSQL, 0 for any free port
     */
    public record Database(String url, String user, Secret password, int poolSize, int embeddedPort) {
        /** @return true when no external database is configured */
        public boolean embedded() {
            return url.isEmpty();
        }
    }

    /** @param url {@code redis://…} URL, or empty for the in-process implementation */
    public record Redis(String url) {
        /** @return true when a Redis server is configured */
        public boolean configured() {
            return !url.isEmpty();
        }
    }

    /**
     * @param ttl lifetime of signed playback URLs
     * @param clockSkew tolerance on not-before and expiry
     * @param keys configured signing keys as {@code kid:base64}, first signs; empty means generated
     */
    public record Tokens(Duration ttl, Duration clockSkew, List<Secret> keys) {
    }

    /** @param keyEncryptionKey base64 key wrapping content keys; empty means generated */
    public record Keys(Secret keyEncryptionKey) {
    }

    /**
     * @param workers in-process packaging workers
     * @param segmentSeconds target media segment duration, seconds
     * @param protection protection of a job that does not choose one
     * @param threads encoder threads per job, 0 for one per core
     * @param preset x264 speed preset ({@code medium} by default)
     * @param verify how many pictures of each encoded video segment are decoded before publishing
     * @param limits what a source may claim and still be packaged
     * @param isolation where {@code serve} and {@code demo} run packaging jobs, and their memory bounds
     */
    public record Packager(int workers, int segmentSeconds, Protection protection, int threads, X264Preset preset,
                           VerificationDepth verify, Limits limits, Isolation isolation) {
    }

    /**
     * The {@code packager.isolation} section.
     *
     * @param mode a supervised worker process (the default) or threads of the API's JVM
     * @param heapBytes the worker process's Java heap ({@code -Xmx}), bytes
     * @param memoryLimitBytes the worker process's native memory ceiling, bytes (the address space under
     *                         {@code RLIMIT_AS}, or the cgroup's {@code memory.max}); 0 for none
     */
    public record Isolation(WorkerIsolation mode, long heapBytes, long memoryLimitBytes) {
    }

    /**
     * The {@code packager.limits} section: sources beyond these are refused before anything is decoded.
     *
     * @param maxWidth the longer side of the picture at most, pixels
     * @param maxHeight the shorter side of the picture at most, pixels (not above {@code maxWidth})
     * @param maxPixels width times height at most; also the bound on every decoder's frame size while probing
     * @param maxFrameRate frames per second at most
     * @param maxDuration the longest source
     */
    public record Limits(int maxWidth, int maxHeight, long maxPixels, int maxFrameRate, Duration maxDuration) {
    }

    /**
     * @param from sender mailbox, {@code address} or {@code Name <address>}
     * @param smtp the provider's SMTP server; {@link Smtp#configured()} false means mails are only logged
     * @param digestInterval notifications by e-mail: at most one digest per account this often ({@code mail.digestInterval})
     */
    public record Mail(String from, Smtp smtp, Duration digestInterval) {
    }

    /**
     * @param host SMTP server, empty when mail is only logged
     * @param port SMTP port
     * @param security {@code starttls} (required), {@code tls} (implicit) or {@code none}
     * @param user SMTP AUTH login, empty for none
     * @param password SMTP AUTH password
     * @param timeout connect, read and write timeout
     */
    public record Smtp(String host, int port, String security, String user, Secret password, Duration timeout) {
        /** @return true when an SMTP server is configured */
        public boolean configured() {
            return !host.isEmpty();
        }

        /** @return true when the SMTP conversation is encrypted */
        public boolean encrypted() {
            return !"none".equals(security);
        }

        /** @return true when mails are sent with SMTP AUTH */
        public boolean authenticated() {
            return !user.isEmpty();
        }
    }

    /**
     * The {@code billing} section.
     *
     * @param gracePeriod how long a past-due subscription keeps its entitlements after a failed payment
     * @param successUrl where the provider's checkout page sends the subscriber after paying (absolute)
     * @param cancelUrl where it sends a subscriber who turned back (absolute)
     * @param stripe Stripe, the payment provider; {@link Stripe#configured()} false: plans are only assigned by admins
     * @param defaultMaxProfiles viewer profiles an account may have while no plan's {@code maxProfiles} applies, 1 to 20
     */
    public record Billing(Duration gracePeriod, String successUrl, String cancelUrl, Stripe stripe,
                          int defaultMaxProfiles) {
        /** Billing with the shipped default of viewer profiles for accounts without a plan. */
        public Billing(Duration gracePeriod, String successUrl, String cancelUrl, Stripe stripe) {
            this(gracePeriod, successUrl, cancelUrl, stripe, DEFAULT_MAX_PROFILES);
        }

        /** The shipped {@code billing.defaultMaxProfiles}. */
        public static final int DEFAULT_MAX_PROFILES = 5;
    }

    /**
     * The {@code billing.stripe} section.
     *
     * @param apiBase base URL of the Stripe API, no trailing slash (tests point it at a local stand-in)
     * @param secretKey the secret API key ({@code sk_...}); empty: Stripe is off
     * @param webhookSecrets the webhook endpoint's signing secrets ({@code whsec_...}); an event signed with any of them
     *                       is accepted, so a rotated secret and its successor both work during the rotation
     * @param webhookTolerance how far a signature's timestamp may be from now (replayed deliveries beyond it fail)
     */
    public record Stripe(String apiBase, Secret secretKey, List<Secret> webhookSecrets, Duration webhookTolerance) {
        /** @return true when a secret key is set */
        public boolean configured() {
            return !secretKey.isEmpty();
        }
    }

    /**
     * The {@code oidc} section: the OpenID Connect providers accounts may sign in with.
     *
     * @param providers the configured providers, Google first when its client id is set; empty: no such sign-in
     */
    public record Oidc(List<OidcProvider> providers) {
        /** Issuer of Google's preset (its discovery document states exactly this). */
        public static final String GOOGLE_ISSUER = "https://accounts.google.com";
        /** Scopes asked for when a provider names none: the ID token then carries the e-mail address and a name. */
        public static final List<String> DEFAULT_SCOPES = List.of("openid", "email", "profile");

        public Oidc {
            providers = List.copyOf(providers);
        }
    }

    /**
     * One OpenID provider Kino is registered at as a relying party.
     *
     * @param id short name in URLs and in the identities table ({@code google}, {@code keycloak}): a-z, 0-9, -
     * @param name what the sign-in button says ("Google"; for others the id)
     * @param issuer the issuer identifier (OpenID Connect Discovery 1.0 §4.3: the discovery document's
     *               {@code issuer} must equal it, and so must every ID token's {@code iss})
     * @param clientId the client id the provider gave Kino (every ID token's {@code aud} must contain it)
     * @param clientSecret the client secret ({@code client_secret_basic}), or empty for a public client (PKCE alone)
     * @param scopes scopes asked for, {@code openid} among them
     */
    public record OidcProvider(String id, String name, String issuer, String clientId, Secret clientSecret,
                               List<String> scopes) {
        public OidcProvider {
            scopes = List.copyOf(scopes);
        }
    }

    private static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private static Oidc oidc(ResolvedConfig resolved) {
        java.util.Map<String, Secret> secrets = new java.util.LinkedHashMap<>();
        for (String item : resolved.get(ConfigKeys.OIDC_CLIENT_SECRETS)) {
            int colon = item.indexOf(':');
            if (colon <= 0 || colon == item.length() - 1) {
                // never the item itself in the message: it holds a secret
                throw new ConfigException("oidc.clientSecrets (from " + resolved.source(ConfigKeys.OIDC_CLIENT_SECRETS)
                        + "): every item must be <provider id>:<secret>");
            }
            secrets.put(item.substring(0, colon), Secret.of(item.substring(colon + 1)));
        }
        List<OidcProvider> providers = new java.util.ArrayList<>();
        String google = resolved.get(ConfigKeys.OIDC_GOOGLE_CLIENT_ID);
        if (!google.isEmpty()) {
            providers.add(new OidcProvider("google", "Google", Oidc.GOOGLE_ISSUER, google,
                    resolved.get(ConfigKeys.OIDC_GOOGLE_CLIENT_SECRET), Oidc.DEFAULT_SCOPES));
        }
        for (String item : resolved.get(ConfigKeys.OIDC_PROVIDERS)) {
            String[] parts = item.trim().split("\\s+");
            String where = "oidc.providers item '" + item + "' (from " + resolved.source(ConfigKeys.OIDC_PROVIDERS) + ")";
            if (parts.length < 3) {
                throw new ConfigException(where + ": expected \"<id> <issuer> <clientId> [scope ...]\"");
            }
            String id = parts[0];
            if (!PROVIDER_ID.matcher(id).matches()) {
                throw new ConfigException(where + ": the id must be 1 to 32 of a-z, 0-9 and -, starting with a"
                        + " letter or digit");
            }
            if (providers.stream().anyMatch(p -> p.id().equals(id))) {
                throw new ConfigException(where + ": a provider named '" + id + "' is already configured"
                        + (id.equals("google") ? " (oidc.google.clientId sets the Google preset)" : ""));
            }
            String issuer = parts[1];
            if (!validIssuer(issuer)) {
                // OpenID Connect Core §2: an https URL with no query or fragment; plain http only on this machine
                throw new ConfigException(where + ": the issuer must be an https URL without query or fragment"
                        + " (http only for localhost)");
            }
            List<String> scopes = parts.length > 3 ? List.of(parts).subList(3, parts.length) : Oidc.DEFAULT_SCOPES;
            if (!scopes.contains("openid")) {
                throw new ConfigException(where + ": the scopes must include openid");
            }
            providers.add(new OidcProvider(id, id, issuer, parts[2], secrets.getOrDefault(id, Secret.of("")), scopes));
        }
        for (String id : secrets.keySet()) {
            if (providers.stream().noneMatch(p -> p.id().equals(id) && !p.id().equals("google"))) {
                throw new ConfigException("oidc.clientSecrets (from " + resolved.source(ConfigKeys.OIDC_CLIENT_SECRETS)
                        + ") has a secret for '" + id + "', which no item of oidc.providers names"
                        + (id.equals("google") ? " (Google's is oidc.google.clientSecret)" : ""));
            }
        }
        return new Oidc(providers);
    }

    private static boolean validIssuer(String issuer) {
        try {
            java.net.URI u = new java.net.URI(issuer);
            if (u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null) {
                return false;
            }
            return "https".equals(u.getScheme()) || "http".equals(u.getScheme())
                    && ("localhost".equals(u.getHost()) || "127.0.0.1".equals(u.getHost()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static Billing billing(ResolvedConfig resolved, String controlUrl) {
        Secret key = resolved.get(ConfigKeys.BILLING_STRIPE_SECRET_KEY);
        List<Secret> webhookSecrets = resolved.get(ConfigKeys.BILLING_STRIPE_WEBHOOK_SECRETS).stream().map(Secret::of).toList();
        if (!key.isEmpty() && webhookSecrets.isEmpty()) {
            // without the webhook nothing a subscriber pays for would ever reach their account
            throw new ConfigException("billing.stripe.secretKey is set (from "
                    + resolved.source(ConfigKeys.BILLING_STRIPE_SECRET_KEY) + ") but billing.stripe.webhookSecrets is"
                    + " empty: add the webhook endpoint's signing secret (whsec_...)");
        }
        String api = resolved.get(ConfigKeys.BILLING_STRIPE_API_BASE);
        return new Billing(resolved.get(ConfigKeys.BILLING_GRACE_PERIOD),
                orDefault(resolved.get(ConfigKeys.BILLING_SUCCESS_URL), controlUrl + "/plans?checkout=success"),
                orDefault(resolved.get(ConfigKeys.BILLING_CANCEL_URL), controlUrl + "/plans?checkout=cancelled"),
                new Stripe(api.endsWith("/") ? api.substring(0, api.length() - 1) : api, key, webhookSecrets,
                        resolved.get(ConfigKeys.BILLING_STRIPE_WEBHOOK_TOLERANCE)),
                resolved.get(ConfigKeys.BILLING_DEFAULT_MAX_PROFILES).intValue());
    }

    /** @return {@code control.requireVerifiedEmail}, checked; {@code none} alone stands for the empty list */
    private static Set<String> verifiedEmailActs(ResolvedConfig resolved) {
        List<String> acts = resolved.get(ConfigKeys.CONTROL_REQUIRE_VERIFIED_EMAIL);
        if (acts.equals(List.of("none"))) {
            return Set.of(); // an environment variable cannot be an empty list: KINO_CONTROL_REQUIRE_VERIFIED_EMAIL=none
        }
        for (String a : acts) {
            if (!ControlApi.VERIFIED_EMAIL_ACTS.contains(a)) {
                throw new ConfigException("control.requireVerifiedEmail (from "
                        + resolved.source(ConfigKeys.CONTROL_REQUIRE_VERIFIED_EMAIL) + ") lists '" + a
                        + "'; it may list " + new java.util.TreeSet<>(ControlApi.VERIFIED_EMAIL_ACTS) + ", or be none");
            }
        }
        return Set.copyOf(acts);
    }

    /** An address {@code local@domain} (the display name, if any, is checked apart). */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9.\\-]*[A-Za-z0-9])?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:%\\-\\[\\]]*");

    /**
     * @param resolved validated settings
     * @return the typed configuration, with derived defaults filled in
     */
    public static KinoConfig from(ResolvedConfig resolved) {
        Path dataDir = Path.of(resolved.get(ConfigKeys.DATA_DIR)).toAbsolutePath().normalize();

        int controlPort = resolved.get(ConfigKeys.CONTROL_PORT).intValue();
        String controlUrl = orDefault(resolved.get(ConfigKeys.CONTROL_PUBLIC_URL), "http://localhost:" + controlPort);
        ControlApi control = new ControlApi(resolved.get(ConfigKeys.CONTROL_HOST), controlPort, controlUrl,
                resolved.get(ConfigKeys.CONTROL_MAX_REQUEST_BYTES), resolved.get(ConfigKeys.CONTROL_MAX_UPLOAD_BYTES),
                resolved.get(ConfigKeys.CONTROL_BLOCKING_THREADS).intValue(),
                resolved.get(ConfigKeys.CONTROL_IDLE_TIMEOUT), resolved.get(ConfigKeys.CONTROL_READ_TIMEOUT),
                resolved.get(ConfigKeys.CONTROL_MAX_CONNECTIONS).intValue(),
                resolved.get(ConfigKeys.CONTROL_MAX_HEADER_BYTES).intValue(),
                resolved.get(ConfigKeys.CONTROL_MAX_URI_BYTES).intValue(),
                resolved.get(ConfigKeys.CONTROL_REQUIRE_STAFF_SECOND_FACTOR),
                verifiedEmailActs(resolved), resolved.get(ConfigKeys.CONTROL_ACCOUNT_DELETION_GRACE),
                resolved.get(ConfigKeys.CONTROL_ADMIN_PORT).intValue(),
                resolved.get(ConfigKeys.CONTROL_ANALYTICS_RETENTION),
                resolved.get(ConfigKeys.CONTROL_LOGIN_ATTEMPTS_PER_ADDRESS).intValue(),
                new SearchPools(SearchPools.threadsOrDefault(resolved.get(ConfigKeys.CONTROL_SEARCH_THREADS)),
                        resolved.get(ConfigKeys.CONTROL_SEARCH_QUEUE).intValue(),
                        SearchPools.threadsOrDefault(resolved.get(ConfigKeys.CONTROL_SEARCH_SUGGEST_THREADS)),
                        resolved.get(ConfigKeys.CONTROL_SEARCH_SUGGEST_QUEUE).intValue()));

        boolean tlsOn = resolved.get(ConfigKeys.MEDIA_TLS_ENABLED);
        int mediaPort = resolved.get(ConfigKeys.MEDIA_PORT).intValue();
        int tlsPort = resolved.get(ConfigKeys.MEDIA_TLS_PORT).intValue();
        String cert = resolved.get(ConfigKeys.MEDIA_TLS_CERTIFICATE);
        String key = resolved.get(ConfigKeys.MEDIA_TLS_PRIVATE_KEY);
        if (cert.isEmpty() != key.isEmpty()) {
            throw new ConfigException("media.tls.certificate and media.tls.privateKey must be set together (from "
                    + resolved.source(cert.isEmpty() ? ConfigKeys.MEDIA_TLS_PRIVATE_KEY : ConfigKeys.MEDIA_TLS_CERTIFICATE)
                    + "); leave both empty for a generated self-signed certificate");
        }
        Tls tls = new Tls(tlsOn, tlsPort, cert.isEmpty() ? null : Path.of(cert).toAbsolutePath(),
                key.isEmpty() ? null : Path.of(key).toAbsolutePath());
        String mediaUrl = orDefault(resolved.get(ConfigKeys.MEDIA_PUBLIC_URL),
                tlsOn ? "https://localhost:" + tlsPort : "http://localhost:" + mediaPort);
        String root = resolved.get(ConfigKeys.MEDIA_ROOT);
        MediaServer media = new MediaServer(resolved.get(ConfigKeys.MEDIA_HOST), mediaPort, mediaUrl,
                root.isEmpty() ? dataDir.resolve("media") : Path.of(root).toAbsolutePath().normalize(),
                resolved.get(ConfigKeys.MEDIA_CORS_ORIGINS),
                resolved.get(ConfigKeys.MEDIA_PLAYLIST_MAX_AGE), resolved.get(ConfigKeys.MEDIA_SEGMENT_MAX_AGE),
                resolved.get(ConfigKeys.MEDIA_IDLE_TIMEOUT), resolved.get(ConfigKeys.MEDIA_READ_TIMEOUT),
                resolved.get(ConfigKeys.MEDIA_MAX_CONNECTIONS).intValue(),
                resolved.get(ConfigKeys.MEDIA_MAX_HEADER_BYTES).intValue(),
                resolved.get(ConfigKeys.MEDIA_MAX_URI_BYTES).intValue(),
                resolved.get(ConfigKeys.MEDIA_SHUTDOWN_GRACE), tls,
                new Widevine(resolved.get(ConfigKeys.MEDIA_WIDEVINE_UPSTREAM_URL),
                        resolved.get(ConfigKeys.MEDIA_WIDEVINE_UPSTREAM_TOKEN)),
                resolved.get(ConfigKeys.MEDIA_TRUSTED_PROXIES),
                resolved.get(ConfigKeys.MEDIA_SEND_BUFFER).intValue());

        Metrics metrics = new Metrics(resolved.get(ConfigKeys.METRICS_HOST), resolved.get(ConfigKeys.METRICS_PORT).intValue());
        Database database = new Database(resolved.get(ConfigKeys.DATABASE_URL), resolved.get(ConfigKeys.DATABASE_USER),
                resolved.get(ConfigKeys.DATABASE_PASSWORD), resolved.get(ConfigKeys.DATABASE_POOL_SIZE).intValue(),
                resolved.get(ConfigKeys.DATABASE_EMBEDDED_PORT).intValue());
        Tokens tokens = new Tokens(resolved.get(ConfigKeys.TOKENS_TTL), resolved.get(ConfigKeys.TOKENS_CLOCK_SKEW),
                resolved.get(ConfigKeys.TOKENS_KEYS).stream().map(Secret::of).toList());
        Packager packager = new Packager(resolved.get(ConfigKeys.PACKAGER_WORKERS).intValue(),
                resolved.get(ConfigKeys.PACKAGER_SEGMENT_SECONDS).intValue(), resolved.get(ConfigKeys.PACKAGER_PROTECTION),
                resolved.get(ConfigKeys.PACKAGER_THREADS).intValue(), resolved.get(ConfigKeys.PACKAGER_PRESET),
                resolved.get(ConfigKeys.PACKAGER_VERIFY), limits(resolved), isolation(resolved));
        return new KinoConfig(dataDir, control, media, metrics, database, new Redis(resolved.get(ConfigKeys.REDIS_URL)),
                tokens, new Keys(resolved.get(ConfigKeys.KEYS_KEY_ENCRYPTION_KEY)), packager, mail(resolved),
                billing(resolved, controlUrl), oidc(resolved), resolved.get(ConfigKeys.LOG_LEVEL));
    }

    private static Limits limits(ResolvedConfig resolved) {
        int width = resolved.get(ConfigKeys.PACKAGER_LIMITS_MAX_WIDTH).intValue();
        int height = resolved.get(ConfigKeys.PACKAGER_LIMITS_MAX_HEIGHT).intValue();
        if (height > width) {
            // the two are compared in landscape orientation: the longer side against maxWidth
            throw new ConfigException("packager.limits.maxHeight " + height + " (from "
                    + resolved.source(ConfigKeys.PACKAGER_LIMITS_MAX_HEIGHT) + ") is above packager.limits.maxWidth "
                    + width + " (from " + resolved.source(ConfigKeys.PACKAGER_LIMITS_MAX_WIDTH) + "): maxWidth limits"
                    + " the longer side of a picture, maxHeight the shorter, in either orientation");
        }
        return new Limits(width, height, resolved.get(ConfigKeys.PACKAGER_LIMITS_MAX_PIXELS),
                resolved.get(ConfigKeys.PACKAGER_LIMITS_MAX_FRAME_RATE).intValue(),
                resolved.get(ConfigKeys.PACKAGER_LIMITS_MAX_DURATION));
    }

    private static Isolation isolation(ResolvedConfig resolved) {
        long heap = resolved.get(ConfigKeys.PACKAGER_ISOLATION_HEAP);
        long limit = resolved.get(ConfigKeys.PACKAGER_ISOLATION_MEMORY_LIMIT);
        if (limit != 0 && limit < heap + (256L << 20)) {
            // the ceiling covers the whole process: heap, JIT, thread stacks, FFmpeg's and x264's native buffers
            throw new ConfigException("packager.isolation.memoryLimit " + ValueType.formatSize(limit) + " (from "
                    + resolved.source(ConfigKeys.PACKAGER_ISOLATION_MEMORY_LIMIT) + ") leaves less than 256m beside"
                    + " packager.isolation.heap " + ValueType.formatSize(heap) + " (from "
                    + resolved.source(ConfigKeys.PACKAGER_ISOLATION_HEAP) + "): the limit bounds the whole worker"
                    + " process, heap included; raise it, or set 0 for no ceiling");
        }
        return new Isolation(resolved.get(ConfigKeys.PACKAGER_ISOLATION_MODE), heap, limit);
    }

    private static Mail mail(ResolvedConfig resolved) {
        String from = resolved.get(ConfigKeys.MAIL_FROM);
        int lt = from.indexOf('<');
        String address = lt < 0 ? from : from.endsWith(">") ? from.substring(lt + 1, from.length() - 1) : "";
        String name = lt < 0 ? "" : from.substring(0, lt);
        if (!ADDRESS.matcher(address).matches() || name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('>') >= 0) {
            throw new ConfigException("mail.from = " + from + " (from " + resolved.source(ConfigKeys.MAIL_FROM)
                    + "): expected an address such as no-reply@example.com or \"Kino <no-reply@example.com>\"");
        }
        String host = resolved.get(ConfigKeys.MAIL_SMTP_HOST);
        if (!HOST.matcher(host).matches()) {
            throw new ConfigException("mail.smtp.host = " + host + " (from " + resolved.source(ConfigKeys.MAIL_SMTP_HOST)
                    + "): expected empty (mails are only logged) or a host name or IP address");
        }
        Secret password = resolved.get(ConfigKeys.MAIL_SMTP_PASSWORD);
        String user = resolved.get(ConfigKeys.MAIL_SMTP_USER);
        if (user.isEmpty() && !password.isEmpty()) {
            throw new ConfigException("mail.smtp.password is set (from " + resolved.source(ConfigKeys.MAIL_SMTP_PASSWORD)
                    + ") but mail.smtp.user is empty: set both for SMTP AUTH, or neither");
        }
        return new Mail(from, new Smtp(host, resolved.get(ConfigKeys.MAIL_SMTP_PORT).intValue(),
                resolved.get(ConfigKeys.MAIL_SMTP_SECURITY), user, password, resolved.get(ConfigKeys.MAIL_SMTP_TIMEOUT)),
                resolved.get(ConfigKeys.MAIL_DIGEST_INTERVAL));
    }

    private static String orDefault(String value, String fallback) {
        String v = value.isEmpty() ? fallback : value;
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }
}
