package dev.kino.control;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.Secrets;
import dev.kino.common.state.SharedState;
import dev.kino.control.account.AccountRoutes;
import dev.kino.control.account.AvatarRoutes;
import dev.kino.control.account.Avatars;
import dev.kino.control.account.ProfileStore;
import dev.kino.control.account.hygiene.AccountDeletion;
import dev.kino.control.account.hygiene.AccountExport;
import dev.kino.control.account.hygiene.HygieneRoutes;
import dev.kino.control.account.hygiene.VerifiedEmail;
import dev.kino.control.analytics.Analytics;
import dev.kino.control.analytics.AnalyticsRoutes;
import dev.kino.control.auth.CredentialChanges;
import dev.kino.control.auth.CredentialRoutes;
import dev.kino.control.admin.AdminConsoleRoutes;
import dev.kino.control.admin.AdminRoutes;
import dev.kino.control.admin.AdminUsers;
import dev.kino.control.admin.AuditHooks;
import dev.kino.control.admin.AuditLog;
import dev.kino.control.admin.ScheduledPublishing;
import dev.kino.control.admin.TitlePosters;
import dev.kino.control.auth.AccessTokenKeys;
import dev.kino.control.auth.AccessTokens;
import dev.kino.control.auth.AccountAdmin;
import dev.kino.control.auth.AuthRoutes;
import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.AccountStore;
import dev.kino.control.auth.LoginThrottle;
import dev.kino.control.auth.OperatorAccounts;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.auth.PasswordPolicy;
import dev.kino.control.auth.RoleStore;
import dev.kino.control.auth.SessionStore;
import dev.kino.control.auth.TokenAuthenticator;
import dev.kino.control.billing.Billing;
import dev.kino.control.billing.BillingRoutes;
import dev.kino.control.billing.PromotionCodes;
import dev.kino.control.billing.StripeProvider;
import dev.kino.control.auth.mfa.MfaRoutes;
import dev.kino.control.auth.mfa.PasskeyRoutes;
import dev.kino.control.auth.mfa.Passkeys;
import dev.kino.control.auth.mfa.SecondFactors;
import dev.kino.control.auth.mfa.SecretBox;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.CatalogRoutes;
import dev.kino.control.catalog.PosterRoutes;
import dev.kino.control.catalog.Posters;
import dev.kino.control.comments.CommentRoutes;
import dev.kino.control.comments.CommentStore;
import dev.kino.control.comments.Comments;
import dev.kino.control.db.Database;
import dev.kino.control.forum.Forum;
import dev.kino.control.forum.ForumRoutes;
import dev.kino.control.forum.ForumStore;
import dev.kino.control.moderation.Moderation;
import dev.kino.control.moderation.ModerationRoutes;
import dev.kino.control.moderation.ModerationStore;
import dev.kino.control.http.ControlApiServer;
import dev.kino.control.http.CursorKey;
import dev.kino.control.http.OpenApi;
import dev.kino.control.http.Router;
import dev.kino.control.importer.ImportRoutes;
import dev.kino.control.importer.Importer;
import dev.kino.control.jobs.JobQueue;
import dev.kino.control.jobs.JobRoutes;
import dev.kino.control.jobs.JobWorkers;
import dev.kino.control.mail.LogMailSender;
import dev.kino.control.mail.MailSender;
import dev.kino.control.mail.Outbox;
import dev.kino.control.mail.SmtpMailSender;
import dev.kino.control.metrics.AdminPort;
import dev.kino.control.metrics.ApiMetrics;
import dev.kino.control.media.IncomingFiles;
import dev.kino.control.media.MediaRoutes;
import dev.kino.control.media.Takedowns;
import dev.kino.control.media.Uploads;
import dev.kino.control.playback.Plans;
import dev.kino.control.playback.PlaybackRoutes;
import dev.kino.control.playback.PlaybackService;
import dev.kino.control.ratings.RatingRoutes;
import dev.kino.control.reputation.Reputation;
import dev.kino.control.notifications.DigestMail;
import dev.kino.control.notifications.NotificationHub;
import dev.kino.control.notifications.NotificationRoutes;
import dev.kino.control.notifications.NotificationStore;
import dev.kino.control.notifications.Notifications;
import dev.kino.control.notifications.StreamTickets;
import dev.kino.control.notifications.UnsubscribeLinks;
import dev.kino.control.reputation.ProfileActivity;
import dev.kino.control.reputation.ReputationRoutes;
import dev.kino.control.ratings.Ratings;
import dev.kino.control.reactions.ReactionRoutes;
import dev.kino.control.reactions.Reactions;
import dev.kino.control.recommend.Blend;
import dev.kino.control.recommend.RecommendJob;
import dev.kino.control.recommend.RecommendRoutes;
import dev.kino.control.recommend.RecommendStore;
import dev.kino.control.recommend.Recommendations;
import dev.kino.control.social.SocialRoutes;
import dev.kino.control.social.SocialStore;
import dev.kino.packager.job.PackagingRunner;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TokenSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The assembled control API: every feature's routes on one {@link ControlApiServer}. The caller owns the
 * {@link Database} and the {@link SharedState} and closes them after this, and resolves the {@link Secrets}
 * (once, with {@code SecretStore.resolve}): the API signs access tokens and playback tokens with them and reads no
 * secret file itself.
 *
 * <pre>{@code
 * Secrets secrets = SecretStore.resolve(config);
 * Database db = Database.connect(config.database());   // or the launcher's embedded server (app)
 * SharedState state = SharedStates.create(config.redis());
 * ControlApi api = ControlApi.builder(config, secrets, db, state).devMode(flags.dev()).start();
 * ...
 * api.close(); state.close(); db.close();
 * }</pre>
 */
public final class ControlApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

    private final ControlApiServer server;
    private final Outbox outbox;
    private final ScheduledExecutorService scheduler;
    private final JobWorkers workers;
    private final AuthService auth;
    private final Catalog catalog;
    private final JobQueue jobs;
    private final RoleStore roles;
    private final OperatorAccounts operators;
    private final NotificationHub hub;
    private final Notifications notifications;
    private final dev.kino.control.search.TitleSearch search;
    private final RecommendJob recommendJob;
    private ApiMetrics metrics;
    private AdminPort admin;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    private ControlApi(ControlApiServer server, Outbox outbox, ScheduledExecutorService scheduler, JobWorkers workers,
                       AuthService auth, Catalog catalog, JobQueue jobs, RoleStore roles, OperatorAccounts operators,
                       NotificationHub hub, Notifications notifications, dev.kino.control.search.TitleSearch search,
                       RecommendJob recommendJob) {
        this.hub = hub;
        this.notifications = notifications;
        this.search = search;
        this.recommendJob = recommendJob;
        this.server = server;
        this.outbox = outbox;
        this.scheduler = scheduler;
        this.workers = workers;
        this.auth = auth;
        this.catalog = catalog;
        this.jobs = jobs;
        this.roles = roles;
        this.operators = operators;
    }

    /**
     * @return this node's metrics: analytics ingest counts its events here
     *     ({@link ApiMetrics#playbackEventsIngested(int)})
     */
    public ApiMetrics metrics() {
        return metrics;
    }

    /** @return the admin port ({@code /metrics}, {@code /health}, {@code /ready}), or -1 when there is none */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** @return the notifications feature, for in-process callers (tests run its background rounds) */
    public Notifications notifications() {
        return notifications;
    }

    /** @return this node's notification streams */
    public NotificationHub notificationHub() {
        return hub;
    }

    /** @return this node's title search (its index follows the catalogue), for in-process callers */
    public dev.kino.control.search.TitleSearch search() {
        return search;
    }

    private AccountDeletion deletion;
    private ScheduledPublishing scheduled;
    private AuditLog audit;

    /** @return scheduled publishing (tests publish what is due at once with {@link ScheduledPublishing#publishDue}) */
    public ScheduledPublishing scheduledPublishing() {
        return scheduled;
    }

    /** @return the audit log of admin and moderator actions, for in-process callers */
    public AuditLog auditLog() {
        return audit;
    }

    private Analytics analytics;

    /** @return viewing analytics (tests flush the write-behind queue and run rollup rounds) */
    public Analytics analytics() {
        return analytics;
    }

    /** @return scheduled account deletions (tests erase due accounts at once with {@link AccountDeletion#eraseDue}) */
    public AccountDeletion accountDeletion() {
        return deletion;
    }

    /** @return the operator's way to make administrators (the demo's set-up) */
    public OperatorAccounts operators() {
        return operators;
    }

    /**
     * @param config the configuration
     * @param secrets the access token keys and playback token keys (the launcher's {@code SecretStore.resolve})
     * @param database the database
     * @param state shared state
     * @return a builder of the API
     */
    public static Builder builder(KinoConfig config, Secrets secrets, Database database, SharedState state) {
        return new Builder(config, secrets, database, state);
    }

    /** @return the port the API listens on */
    public int port() {
        return server.port();
    }

    /** @return the mail outbox (tests dispatch it synchronously) */
    public Outbox outbox() {
        return outbox;
    }

    /** @return accounts and sign-in, for in-process callers (the demo's first-run setup) */
    public AuthService auth() {
        return auth;
    }

    /** @return the catalogue (titles, media items and their lifecycle), for in-process callers */
    public Catalog catalog() {
        return catalog;
    }

    /** @return the roles and who holds them, for in-process callers (the demo finds its admin) */
    public RoleStore roles() {
        return roles;
    }

    /** @return the recommendations job (tests and operators run it at once with {@link RecommendJob#run}) */
    public RecommendJob recommendJob() {
        return recommendJob;
    }

    /** @return the packaging job queue, for in-process callers */
    public JobQueue jobs() {
        return jobs;
    }

    /**
     * Stops the packaging workers (a job in progress is cancelled and left to its lease), the outbox dispatcher
     * and the server; leaves the database and shared state open.
     */
    @Override
    public void close() {
        closing.set(true); // /ready answers 503 from now on
        workers.close();
        hub.close(); // ends the event streams, so the drain does not wait for them
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        server.close(); // no more events are accepted ...
        if (analytics != null) {
            analytics.close(); // ... and those acknowledged are written
        }
        search.close();
        if (admin != null) {
            admin.close();
        }
    }

    /** Longest wait for shared state in a request. */
    static final Duration STATE_TIMEOUT = Duration.ofSeconds(5);

    /** @return the sender {@code mail.smtp.*} asks for: SMTP when a host is set, else the log sender */
    static MailSender configuredMailSender(KinoConfig config, boolean devMode) {
        if (config.mail().smtp().configured()) {
            SmtpMailSender smtp = new SmtpMailSender(config.mail());
            LOG.info("mail: {} from {}", smtp.description(), config.mail().from());
            return smtp;
        }
        LOG.info("mail: no mail.smtp.host, mails are logged{}", devMode ? " whole (development mode)" : " without their links");
        return new LogMailSender(devMode);
    }

    /** Options of {@link ControlApi}; only the configuration, secrets, database and shared state are required. */
    public static final class Builder {
        private final KinoConfig config;
        private final Secrets secrets;
        private final Database database;
        private final SharedState state;
        private Clock clock = Clock.systemUTC();
        private MailSender mailSender;
        private boolean devMode;
        private PasswordHasher.Params passwordParams = PasswordHasher.Params.DEFAULT;
        private Duration outboxInterval = Duration.ofSeconds(5);
        private Duration streamHeartbeat = Duration.ofSeconds(15);
        private Duration streamCatchUp = Duration.ofSeconds(2);
        private Duration notificationRounds = Duration.ofSeconds(1);
        private Duration recommendInterval = RecommendJob.INTERVAL;
        private PackagingRunner packager;
        private int workerCount;
        private Duration searchSyncInterval = Duration.ofSeconds(5);
        private Duration deletionSweep = Duration.ofHours(1);
        private Duration publishSweep = Duration.ofSeconds(30);
        private String adminHost = "127.0.0.1";
        private int adminPort = -1;
        private Duration analyticsRounds = Duration.ZERO;

        /**
         * How often this node publishes the media items whose scheduled time has come
         * ({@link ScheduledPublishing#publishDue}); zero: never (tests call it through
         * {@link ControlApi#scheduledPublishing()}). Default 30 s.
         */
        public Builder scheduledPublishingInterval(Duration interval) {
            this.publishSweep = interval;
            return this;
        }

        /**
         * Serves the admin port as configured: {@code control.adminPort} on {@code metrics.host}, none when
         * {@code control.adminPort} is 0 (the launcher's choice; without this call or {@link #adminPort} there is none).
         */
        public Builder adminPortFromConfig() {
            int port = config.control().adminPort();
            return adminPort(config.metrics().host(), port == 0 ? -1 : port);
        }

        /**
         * @param host bind address of the admin port
         * @param port its port: 0 for any free one (tests), -1 for none (the default)
         */
        public Builder adminPort(String host, int port) {
            this.adminHost = Objects.requireNonNull(host);
            this.adminPort = port;
            return this;
        }

        /**
         * How often this node itself runs the viewing analytics rollup ({@link Analytics#rollupRound}). Default
         * zero: the packaging workers run it as a periodic job ({@link Analytics#rollupJob}), in this process when
         * it runs workers, else in {@code ./kino worker}; set it only for a deployment without workers.
         */
        public Builder analyticsRounds(Duration interval) {
            this.analyticsRounds = interval;
            return this;
        }

        /**
         * How often this node erases the accounts whose deletion grace period is over ({@link AccountDeletion#eraseDue});
         * zero: never (tests call it through {@link ControlApi#accountDeletion()}). Default 1 hour.
         */
        public Builder accountDeletionSweep(Duration interval) {
            this.deletionSweep = interval;
            return this;
        }

        /**
         * How often the search index polls the catalogue for changes made by other nodes (this node's own are
         * indexed at once); zero: never. Default 5 s.
         */
        public Builder searchSyncInterval(Duration interval) {
            this.searchSyncInterval = interval;
            return this;
        }

        private Builder(KinoConfig config, Secrets secrets, Database database, SharedState state) {
            this.config = Objects.requireNonNull(config);
            this.secrets = Objects.requireNonNull(secrets);
            if (secrets.accessTokenKeys().isEmpty()) {
                throw new IllegalArgumentException("the control API needs access token keys: resolve the secrets"
                        + " with SecretStore.resolve");
            }
            this.database = Objects.requireNonNull(database);
            this.state = Objects.requireNonNull(state);
        }

        /** Time source of token expiry, sessions and bans (tests move it). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Mail delivery, overriding the configuration's: by default an {@link SmtpMailSender} when
         * {@code mail.smtp.host} is set, else a {@link LogMailSender}.
         */
        public Builder mailSender(MailSender sender) {
            this.mailSender = sender;
            return this;
        }

        /** Development mode: the log mail sender logs whole mails, links included. Never in production. */
        public Builder devMode(boolean devMode) {
            this.devMode = devMode;
            return this;
        }

        /** Argon2id parameters of new hashes; default {@link PasswordHasher.Params#DEFAULT}. */
        public Builder passwordParams(PasswordHasher.Params params) {
            this.passwordParams = params;
            return this;
        }

        /** How often pending mail is sent; zero disables the dispatcher (tests call it themselves). */
        public Builder outboxInterval(Duration interval) {
            this.outboxInterval = interval;
            return this;
        }

        /**
         * How often the packaging workers this API runs in its own process ({@link #packaging}) also run the
         * recommendations job ({@link RecommendJob}, a periodic job of {@link JobWorkers}; the first run at most a
         * minute after start); zero: they do not (tests run it themselves). The API never computes recommendations on
         * its own: with packaging in a worker process, that process runs them. Default
         * {@link RecommendJob#INTERVAL}.
         */
        public Builder recommendInterval(Duration interval) {
            this.recommendInterval = interval;
            return this;
        }

        /**
         * Runs packaging jobs in this process ({@link JobWorkers}).
         *
         * @param packager the packager the job workers call
         * @param workers how many jobs run at once (0: none here; {@code ./kino worker} processes take them)
         */
        public Builder packaging(PackagingRunner packager, int workers) {
            this.packager = packager;
            this.workerCount = workers;
            return this;
        }

        /**
         * @param interval how often this node runs notification fan-outs and e-mail digests (default 1 s); zero
         *                 disables it (tests call {@link Notifications#backgroundRound()} themselves)
         */
        public Builder notificationRounds(Duration interval) {
            this.notificationRounds = interval;
            return this;
        }

        /**
         * @param heartbeat how often a quiet notification stream gets a comment line (default 15 s)
         * @param catchUp how often this node compares its streams with the notifications table, the fallback when
         *                pub/sub misses a message (default 2 s)
         */
        public Builder notificationStreams(Duration heartbeat, Duration catchUp) {
            this.streamHeartbeat = heartbeat;
            this.streamCatchUp = catchUp;
            return this;
        }

        /**
         * Starts the server on {@code control.host:control.port}, then the packaging workers.
         *
         * @return the running API
         */
        public ControlApi start() {
            // first: features count into it as they are wired (the analytics ingest: playbackEventsIngested)
            ApiMetrics metrics = new ApiMetrics();
            String publicUrl = config.control().publicUrl();
            Outbox outbox = new Outbox(database.jdbi(), mailSender != null ? mailSender : configuredMailSender(config, devMode), clock);
            AccessTokens tokens = new AccessTokens(AccessTokenKeys.of(secrets.accessTokenKeys()), publicUrl, clock,
                    config.tokens().clockSkew());
            TokenAuthenticator authenticator = new TokenAuthenticator(tokens, database.jdbi(), clock,
                    config.control().requireStaffSecondFactor());
            LoginThrottle throttle = new LoginThrottle(state.blocking(Duration.ofSeconds(5)), clock,
                    config.control().loginAttemptsPerAddress());
            AuthService auth = new AuthService(database.jdbi(), new PasswordHasher(passwordParams), PasswordPolicy.standard(),
                    tokens, authenticator, throttle, outbox, clock, publicUrl);

            Router router = new Router();
            AuthRoutes.register(router, auth);
            SecondFactors secondFactors = new SecondFactors(database.jdbi(),
                    SecretBox.derive(secrets.keyEncryptionKey()), auth, throttle, authenticator, clock);
            auth.secondStep(secondFactors);
            dev.kino.control.auth.oidc.OidcSignIn oidc = new dev.kino.control.auth.oidc.OidcSignIn(
                    database.jdbi(), config.oidc(), publicUrl, auth, secondFactors, throttle, clock);
            // proof of the owner for credential changes and deletion: a second-factor code, the password, or (an
            // account made by an identity provider has no password) a fresh sign-in at a linked provider
            CredentialChanges.OwnerProof ownerProof = (account, code, password, reauthProof) -> {
                boolean other = (code != null && !code.isBlank()) || (password != null && !password.isEmpty());
                if (reauthProof != null && !reauthProof.isBlank() && !other) {
                    oidc.proveOwner(account, reauthProof);
                } else {
                    secondFactors.proveOwner(account, new SecondFactors.RemoveRequest(code, password));
                }
            };
            CredentialRoutes.register(router, new CredentialChanges(database.jdbi(), new PasswordHasher(passwordParams),
                    PasswordPolicy.standard(), auth, authenticator, throttle, outbox, clock, publicUrl, ownerProof));
            MfaRoutes.register(router, secondFactors, auth);
            PasskeyRoutes.register(router, new Passkeys(database.jdbi(), publicUrl, state.blocking(STATE_TIMEOUT),
                    secondFactors, auth, throttle, clock), auth);
            dev.kino.control.auth.oidc.OidcRoutes.register(router, oidc, publicUrl);
            ProfileStore profiles = new ProfileStore(database.jdbi(), clock, new RoleStore(database.jdbi()));
            AccountRoutes.register(router, profiles,
                    new SessionStore(database.jdbi()), clock);
            AdminRoutes.register(router, new AccountAdmin(database.jdbi(), authenticator, clock), profiles);

            Access access = Access.of(database.jdbi(), authenticator);
            Catalog catalog = new Catalog(database.jdbi(), clock);
            CatalogRoutes.register(router, catalog, access);
            Posters posters = new Posters(catalog, config.media().root());
            PosterRoutes.register(router, posters, access);
            ImportRoutes.register(router, new Importer(catalog), access);
            MediaRoutes.register(router, catalog,
                    new Uploads(database.jdbi(), config.dataDir(), config.control().maxUploadBytes(),
                            config.control().maxRequestBytes(), clock),
                    new IncomingFiles(config.dataDir()), new Takedowns(state, STATE_TIMEOUT), access);
            JobQueue queue = new JobQueue(catalog.lifecycle());
            JobRoutes.register(router, queue, config.packager().protection(), access);
            Plans plans = new Plans(database.jdbi(), clock, config.billing().gracePeriod());
            PlaybackService playback = new PlaybackService(catalog, plans, state.blocking(STATE_TIMEOUT),
                    new TokenSigner(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId())),
                    config.media().publicUrl(), config.tokens().ttl(), clock);
            PlaybackRoutes.register(router, playback, plans, access);
            Analytics analytics = new Analytics(database.jdbi(), catalog, state.blocking(STATE_TIMEOUT),
                    config.control().analyticsRetention(), clock);
            playback.onGranted(analytics::sessionStarted);
            AnalyticsRoutes.register(router, analytics, access, clock);
            PromotionCodes promotionCodes = new PromotionCodes(database.jdbi(), clock);
            Billing billing = new Billing(database.jdbi(), plans, promotionCodes,
                    config.billing().stripe().configured() ? new StripeProvider(config.billing().stripe()) : null,
                    config.billing(), clock);
            BillingRoutes.register(router, billing, promotionCodes, access, publicUrl + "/plans");
            SocialStore social = new SocialStore(database.jdbi(), clock, catalog, plans);
            SocialRoutes.register(router, social, access);
            ActionLimits limits = new ActionLimits(state.blocking(STATE_TIMEOUT));
            Reactions reactions = new Reactions(database.jdbi(), clock, limits);
            Reputation reputation = new Reputation(database.jdbi(), clock);
            ReactionRoutes.register(router, reactions, catalog, access);
            playback.onWatchedThrough((account, media) -> reputation.grantOnce(account, Reputation.WATCHED_THROUGH,
                    media.episodeNumber() != null ? "watched an episode through" : "watched a film through", "media",
                    media.id()));
            Ratings ratings = new Ratings(database.jdbi(), clock, catalog, limits);
            RatingRoutes.register(router, ratings, catalog, access);
            // viewer profiles: limits from the plan, a deleted profile's ratings leave the titles' figures first
            dev.kino.control.account.Profiles viewerProfiles = new dev.kino.control.account.Profiles(database.jdbi(),
                    new PasswordHasher(passwordParams), plans::maxProfiles, config.billing().defaultMaxProfiles(),
                    ratings::removeAllOf, clock);
            viewerProfiles.onSessionsChanged(authenticator::invalidateAccount);
            dev.kino.control.account.ProfileRoutes.register(router, viewerProfiles, auth);
            Comments comments = new Comments(new CommentStore(database.jdbi()), catalog, profiles,
                    new RoleStore(database.jdbi()), reactions, limits, reputation, clock);
            CommentRoutes.register(router, comments, access);
            // search: this node's title index, rebuilt from the catalogue now and kept current (see TitleSearch)
            dev.kino.control.search.TitleSearch titleSearch =
                    new dev.kino.control.search.TitleSearch(catalog, searchSyncInterval,
                            config.control().search()).start();
            dev.kino.control.search.SearchRoutes.register(router, titleSearch,
                    new dev.kino.control.search.ForumSearch(new ForumStore(database.jdbi()),
                            new CommentStore(database.jdbi()), catalog), access);
            ForumStore forumStore = new ForumStore(database.jdbi());
            Forum forum = new Forum(forumStore, catalog, profiles, new RoleStore(database.jdbi()),
                    reactions, limits, comments, reputation, clock);
            ForumRoutes.register(router, forum, access);
            Moderation moderation = new Moderation(new ModerationStore(database.jdbi()), comments, forum,
                    new AccountAdmin(database.jdbi(), authenticator, clock), profiles, new RoleStore(database.jdbi()),
                    catalog, limits, reputation, clock);
            ModerationRoutes.register(router, moderation, access);
            AvatarRoutes.register(router, new Avatars(database.jdbi(), clock), profiles, access);
            ReputationRoutes.register(router, reputation, profiles,
                    new ProfileActivity(comments, ratings, plans, catalog), access);
            NotificationStore notificationStore = new NotificationStore(database.jdbi());
            NotificationHub hub = new NotificationHub(notificationStore, state, streamHeartbeat, streamCatchUp);
            UnsubscribeLinks unsubscribe = new UnsubscribeLinks(secrets.keyEncryptionKey(), publicUrl);
            Notifications notifications = new Notifications(notificationStore, new AccountStore(database.jdbi()), outbox,
                    new DigestMail(unsubscribe, publicUrl), hub, config.mail().digestInterval(), clock);
            NotificationRoutes.register(router, notifications, hub, new StreamTickets(state.blocking(STATE_TIMEOUT)),
                    unsubscribe, catalog, forum, profiles, limits, access);
            NotificationWiring.connect(notifications, catalog, social, forum, comments, moderation, auth, queue);
            AccountDeletion deletion = new AccountDeletion(database.jdbi(), auth, authenticator, ownerProof,
                    config.control().accountDeletionGrace(), clock);
            auth.signIns(deletion::cancel); // signing in within the grace period keeps the account
            deletion.beforeErase(billing::cancelForErasure); // nobody is charged for an erased account
            deletion.onErased(analytics::deleteAccount);
            analytics.onStored(metrics::playbackEventsIngested);
            AccountExport export = new AccountExport(profiles, new SessionStore(database.jdbi()), plans,
                    social, ratings, reactions, new CommentStore(database.jdbi()), forumStore, notifications,
                    notificationStore, billing, throttle, clock, viewerProfiles);
            export.viewing(analytics);
            export.identities(id -> oidc.identities(id).items());
            HygieneRoutes.register(router, deletion, export);
            RecommendStore recommendStore = new RecommendStore(database.jdbi());
            RecommendJob recommendJob = new RecommendJob(database.jdbi(), clock, recommendStore, catalog, plans, ratings,
                    reactions, social, forumStore, Blend.Params.DEFAULT);
            RecommendRoutes.register(router, new Recommendations(recommendStore, catalog, plans, clock), access);
            // admin console (#16): user search and pages, sessions, audit log, plan edits, scheduled publishing;
            // then the audit log wraps the other features' admin and moderator routes
            AuditLog audit = new AuditLog(database.jdbi(), clock);
            AccountAdmin accountAdmin = new AccountAdmin(database.jdbi(), authenticator, clock);
            ScheduledPublishing scheduled = new ScheduledPublishing(database.jdbi(), catalog.lifecycle(), audit, clock);
            TitlePosters titlePosters = new TitlePosters(database.jdbi(), clock);
            posters.uploaded(titlePosters::get);
            AdminConsoleRoutes.register(router, new AdminUsers(database.jdbi(), clock), accountAdmin,
                    new SessionStore(database.jdbi()), plans, audit, scheduled);
            AdminConsoleRoutes.posters(router, titlePosters, audit);
            AuditHooks.install(router, audit, Map.of(
                    "account", accountAdmin::user,
                    "subscription", id -> plans.subscription(id).orElse(null),
                    "title", id -> catalog.title(id, true),
                    "media", id -> catalog.media(id).map(m -> m.view(true)).orElse(null),
                    "job", queue::get));
            // after every feature's routes: the guard wraps some of them
            VerifiedEmail.install(router, config.control().requireVerifiedEmail(), new AccountStore(database.jdbi()));
            OpenApi.register(router, "Kino control API", "1", publicUrl);

            metrics.attach(database.dataSource(), database.jdbi(), hub::connected);
            ControlApiServer server = ControlApiServer.start(config.control(), router, authenticator,
                    CursorKey.derive(secrets.keyEncryptionKey()), metrics);
            ScheduledExecutorService scheduler = null;
            if (!outboxInterval.isZero()) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "kino-outbox");
                    t.setDaemon(true);
                    return t;
                });
                scheduler.scheduleWithFixedDelay(() -> {
                    try {
                        outbox.dispatchPending();
                    } catch (RuntimeException e) {
                        LOG.warn("outbox dispatch failed: {}", e.toString());
                    }
                }, outboxInterval.toMillis(), outboxInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (devMode) {
                LOG.warn("development mode: mails (with their single-use links) are written to the log");
            }
            JobWorkers workers = JobWorkers.start(config, database.jdbi(), packager, packager == null ? 0 : workerCount,
                    clock, packager == null || workerCount <= 0 ? Duration.ZERO : recommendInterval);
            ScheduledExecutorService background = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kino-background");
                t.setDaemon(true);
                return t;
            });
            // fan-outs (batches of recipients) and e-mail digests, on whichever node gets there first
            if (!notificationRounds.isZero()) {
                Runnable round = () -> {
                    try {
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (notifications.backgroundRound() > 0 && System.nanoTime() < until) {
                            // more batches while there is work, a few seconds at a time
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("notifications background round failed: {}", e.toString());
                    }
                };
                background.scheduleWithFixedDelay(round, notificationRounds.toMillis(), notificationRounds.toMillis(),
                        TimeUnit.MILLISECONDS);
                // a fan-out queued here starts at once (one thread: never two rounds at a time on this node)
                notifications.onFanoutQueued(() -> background.execute(round));
            }
            if (!deletionSweep.isZero()) {
                background.scheduleWithFixedDelay(() -> {
                    try {
                        deletion.eraseDue();
                    } catch (RuntimeException e) {
                        LOG.warn("account erasure failed: {}", e.toString());
                    }
                }, deletionSweep.toMillis(), deletionSweep.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!publishSweep.isZero()) {
                background.scheduleWithFixedDelay(() -> {
                    try {
                        scheduled.publishDue();
                    } catch (RuntimeException e) {
                        LOG.warn("scheduled publishing failed: {}", e.toString());
                    }
                }, publishSweep.toMillis(), publishSweep.toMillis(), TimeUnit.MILLISECONDS);
            }
            ControlApi api = new ControlApi(server, outbox, background, workers, auth, catalog, queue,
                    new RoleStore(database.jdbi()), new OperatorAccounts(database.jdbi(), new PasswordHasher(passwordParams),
                    clock), hub, notifications, titleSearch, recommendJob);
            api.deletion = deletion;
            api.scheduled = scheduled;
            api.audit = audit;
            api.metrics = metrics;
            if (adminPort >= 0) {
                try {
                    api.admin = AdminPort.start(adminHost, adminPort, metrics, () -> !api.closing.get(),
                            ControlApiServer.limits(config.control()));
                } catch (RuntimeException e) {
                    api.close();
                    throw e;
                }
                LOG.info("control API admin port on {}:{} (/metrics, /health, /ready)", adminHost, api.admin.port());
            }
            api.analytics = analytics;
            if (!analyticsRounds.isZero()) {
                analytics.startRounds(analyticsRounds);
            }
            return api;
        }
    }
}
