package dev.kino.media;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.secret.Secrets;
import dev.kino.common.state.SharedState;
import dev.kino.http.Cors;
import dev.kino.http.HttpLimits;
import dev.kino.http.HttpServerPipeline;
import dev.kino.media.access.SharedTakedowns;
import dev.kino.media.access.StreamLeases;
import dev.kino.media.access.TakenDownTitles;
import dev.kino.media.access.TokenGate;
import dev.kino.media.file.CachePolicy;
import dev.kino.media.file.MediaFiles;
import dev.kino.media.http.FastAnswers;
import dev.kino.media.http.MediaHandler;
import dev.kino.media.http.PreparedHeads;
import dev.kino.media.http.SelfSignedCertificates;
import dev.kino.media.http.ServerContext;
import dev.kino.media.key.TitleKeys;
import dev.kino.media.key.WidevineProxy;
import dev.kino.http.AdminServer;
import dev.kino.media.metrics.MediaMetrics;
import dev.kino.media.qoe.CmcdAggregator;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TokenVerifier;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running media server: the Netty origin serving published titles under {@code /v/{token}/{title}/…}
 * to players and CDN pulls, plus the admin port ({@code /metrics}, {@code /health}, {@code /ready}).
 * See {@code media-server/README.md} for the URL layout, status codes and cache headers.
 *
 * <pre>{@code
 * TakenDownTitles takedowns = new TakenDownTitles();
 * try (MediaServer server = MediaServer.start(config, secrets, sharedState)) {
 *     ... server.port() ...
 *     takedowns.takeDown("title-123");   // 404 from now on
 * }                                     // close(): stop accepting, finish in-flight responses, stop
 * }</pre>
 *
 * <p>Threads: one acceptor loop, {@code 2 × cores} I/O loops (epoll when available, NIO otherwise), and a
 * bounded executor for every file system call (opens, stats, key files; saturated → 503).
 */
public final class MediaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ThreadPoolExecutor blocking;
    private final Channel plain;
    private final Channel tls;
    private final AdminServer admin;
    private final ChannelGroup channels;
    private final ServerContext context;
    private final Duration shutdownGrace;
    private final SharedTakedowns feed;
    private boolean closed;

    private MediaServer(EventLoopGroup boss, EventLoopGroup workers, ThreadPoolExecutor blocking, Channel plain,
                        Channel tls, AdminServer admin, ChannelGroup channels, ServerContext context,
                        Duration shutdownGrace, SharedTakedowns feed) {
        this.feed = feed;
        this.boss = boss;
        this.workers = workers;
        this.blocking = blocking;
        this.plain = plain;
        this.tls = tls;
        this.admin = admin;
        this.channels = channels;
        this.context = context;
        this.shutdownGrace = shutdownGrace;
    }

    /**
     * Starts with the whole Kino configuration, following take-downs and concurrent-stream leases
     * ({@link dev.kino.common.state.StreamLimits}) through shared state.
     *
     * @param config the configuration
     * @param secrets token keys and the key-encryption key
     * @param state shared state (take-downs); not closed by the server
     * @return the running server
     */
    public static MediaServer start(KinoConfig config, Secrets secrets, SharedState state) {
        // Leases last as long as the playback token; the control API records each user's plan limit, and
        // DEFAULT_STREAM_LIMIT applies only to a user it recorded none for.
        return builder(config.media(), secrets).metrics(config.metrics()).clockSkew(config.tokens().clockSkew())
                .sharedState(state).streamLimit(DEFAULT_STREAM_LIMIT, config.tokens().ttl()).start();
    }

    /** Concurrent streams per user when the control API recorded no plan limit for the user. */
    public static final int DEFAULT_STREAM_LIMIT = 2;

    /**
     * @param media the media server settings
     * @param secrets token keys and the key-encryption key
     * @return a builder; without further calls: no admin port, 30 s token clock skew, system clock
     */
    public static Builder builder(KinoConfig.MediaServer media, Secrets secrets) {
        return new Builder(media, secrets);
    }

    /** Options beyond the media section of the configuration. Not thread-safe. */
    public static final class Builder {
        private final KinoConfig.MediaServer media;
        private final Secrets secrets;
        private String metricsHost = "127.0.0.1";
        private int metricsPort = -1;
        private Duration clockSkew = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private TakenDownTitles takedowns = new TakenDownTitles();
        private int blockingThreads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        private SharedState sharedState;
        private int streamLimit;
        private Duration streamLeaseTtl;
        private boolean fastAnswers = !"false".equals(System.getProperty("kino.media.fastAnswers"));
        private int eventLoops = Integer.getInteger("kino.media.eventLoops", Runtime.getRuntime().availableProcessors() * 2);

        private Builder(KinoConfig.MediaServer media, Secrets secrets) {
            this.media = Objects.requireNonNull(media, "media");
            this.secrets = Objects.requireNonNull(secrets, "secrets");
        }

        /**
         * @param metrics admin port settings; port 0 disables the admin port (as in the configuration)
         * @return this builder
         */
        public Builder metrics(KinoConfig.Metrics metrics) {
            return metrics(metrics.host(), metrics.port() == 0 ? -1 : metrics.port());
        }

        /**
         * @param host admin bind address
         * @param port admin port: 0 for any free port (tests), -1 for none
         * @return this builder
         */
        public Builder metrics(String host, int port) {
            this.metricsHost = host;
            this.metricsPort = port;
            return this;
        }

        /**
         * @param skew token not-before/expiry tolerance
         * @return this builder
         */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = skew;
            return this;
        }

        /**
         * @param clock time source for token checks
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * @param takedowns the take-down set
         * @return this builder
         */
        public Builder takedowns(TakenDownTitles takedowns) {
            this.takedowns = takedowns;
            return this;
        }

        /**
         * Follows take-downs through shared state ({@link SharedTakedowns}: durable set plus pub/sub) into
         * this builder's {@link TakenDownTitles}. The state is not closed by the server.
         *
         * @param state the shared state
         * @return this builder
         */
        public Builder sharedState(SharedState state) {
            this.sharedState = state;
            return this;
        }

        /**
         * Enforces concurrent streams per user ({@link StreamLeases}); needs {@link #sharedState}.
         *
         * @param limit sessions per user, at least 1
         * @param leaseTtl lease lifetime, a little more than the player's playlist/key refresh interval
         * @return this builder
         */
        public Builder streamLimit(int limit, Duration leaseTtl) {
            this.streamLimit = limit;
            this.streamLeaseTtl = leaseTtl;
            return this;
        }

        /**
         * @param on true (the default, unless the system property {@code kino.media.fastAnswers} is {@code false}):
         *     plain HTTP/1.1 requests for files in memory are answered by {@link FastAnswers}, right after the
         *     HTTP decoder; false: every request takes the whole shared pipeline
         * @return this builder
         */
        public Builder fastAnswers(boolean on) {
            this.fastAnswers = on;
            return this;
        }

        /**
         * @param loops number of event loops (threads) serving connections; the default is two per processor
         *     (Netty's), or the system property {@code kino.media.eventLoops}. One per processor, as nginx's
         *     {@code worker_processes auto}, cost ~15 % less CPU per playlist answer at 64 connections (fewer
         *     thread switches: each loop sleeps in {@code epoll_wait} less often), but on a machine shared with
         *     other work it gave a p99 of 50–125 ms against 3–4 ms with two per processor, and fewer requests/s at
         *     1,000 connections: a descheduled loop holds up half the connections instead of a quarter
         *     ({@code media-server/BENCHMARK.md}, night session)
         * @return this builder
         */
        public Builder eventLoops(int loops) {
            if (loops < 1) {
                throw new IllegalArgumentException("at least one event loop, not " + loops);
            }
            this.eventLoops = loops;
            return this;
        }

        /**
         * @param threads size of the blocking (file system) executor
         * @return this builder
         */
        public Builder blockingThreads(int threads) {
            this.blockingThreads = threads;
            return this;
        }

        /**
         * Binds the ports and starts serving.
         *
         * @return the running server
         * @throws MediaServerStartException when a port cannot be bound or TLS material cannot be read
         */
        public MediaServer start() {
            return MediaServer.start(this);
        }
    }

    /** Thrown when the server cannot start; the message names the setting at fault. */
    public static final class MediaServerStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MediaServerStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static MediaServer start(Builder b) {
        KinoConfig.MediaServer cfg = b.media;
        Path realRoot;
        try {
            Files.createDirectories(cfg.root());
            realRoot = cfg.root().toRealPath();
        } catch (IOException e) {
            throw new MediaServerStartException("media.root " + cfg.root() + " is not a usable folder", e);
        }
        MediaMetrics metrics = new MediaMetrics();
        // CMCD from players: captured on the event loops, folded on its own thread, exposed with the other metrics
        CmcdAggregator cmcd = new CmcdAggregator(CmcdAggregator.DEFAULT_CAPACITY);
        metrics.include(cmcd::write);
        AtomicInteger threadNo = new AtomicInteger();
        ThreadPoolExecutor blocking = new ThreadPoolExecutor(b.blockingThreads, b.blockingThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4096), r -> {
                    Thread t = new Thread(r, "kino-media-blocking-" + threadNo.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        blocking.allowCoreThreadTimeOut(true);
        MediaFiles files = new MediaFiles(realRoot);
        TitleKeys keys = new TitleKeys(files, new ContentKeyWrapper(b.secrets.keyEncryptionKey()), blocking);
        b.takedowns.onTakeDown(keys::invalidate);
        TokenVerifier verifier = new TokenVerifier(
                SigningKeys.of(b.secrets.tokenKeys(), b.secrets.currentTokenKeyId()), b.clockSkew);
        WidevineProxy widevine = null;
        if (cfg.widevine() != null && !cfg.widevine().upstreamUrl().isEmpty()) {
            String token = cfg.widevine().upstreamToken() == null || cfg.widevine().upstreamToken().isEmpty()
                    ? "" : cfg.widevine().upstreamToken().reveal();
            widevine = new WidevineProxy(URI.create(cfg.widevine().upstreamUrl()), token, blocking);
        }
        HttpLimits limits = new HttpLimits(cfg.maxConnections(), cfg.maxHeaderBytes(),
                cfg.maxUriBytes(), WidevineProxy.MAX_CHALLENGE_BYTES, cfg.readTimeout(), cfg.idleTimeout());
        StreamLeases leases = null;
        if (b.streamLimit > 0) {
            if (b.sharedState == null) {
                throw new IllegalStateException("streamLimit needs sharedState");
            }
            leases = new StreamLeases(b.sharedState, b.streamLimit, b.streamLeaseTtl);
        }
        SharedTakedowns feed = null;
        if (b.sharedState != null) {
            try {
                feed = SharedTakedowns.follow(b.sharedState, b.takedowns).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                blocking.shutdownNow();
                cmcd.close();
                throw new MediaServerStartException("cannot follow take-downs through "
                        + b.sharedState.description() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                blocking.shutdownNow();
                cmcd.close();
                throw new MediaServerStartException("interrupted while subscribing to take-downs", e);
            }
        }
        ServerContext sc = new ServerContext(files, keys, new TokenGate(verifier, b.clock, metrics), b.takedowns,
                metrics, new Cors(cfg.corsOrigins()), new CachePolicy(cfg.playlistMaxAge(), cfg.segmentMaxAge()),
                blocking, widevine, leases, limits, new ServerContext.Drain(), cfg.publicUrl(),
                cfg.trustedProxies().stream().map(dev.kino.protocol.token.IpRange::parse).toList(), cmcd);

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(b.eventLoops, io);
        ChannelGroup channels = new DefaultChannelGroup("kino-media", GlobalEventExecutor.INSTANCE);
        AtomicInteger open = new AtomicInteger();
        Channel plain = null;
        Channel tls = null;
        AdminServer admin = null;
        try {
            plain = bind(boss, workers, channelType, cfg.host(), cfg.port(), cfg.sendBuffer(),
                    pipeline(sc, null, channels, open, b.fastAnswers), "media.port");
            if (cfg.tls() != null && cfg.tls().enabled()) {
                tls = bind(boss, workers, channelType, cfg.host(), cfg.tls().port(), cfg.sendBuffer(),
                        pipeline(sc, sslContext(cfg.tls()), channels, open, b.fastAnswers), "media.tls.port");
            }
            if (b.metricsPort >= 0) {
                admin = AdminServer.start(workers, channelType, b.metricsHost, b.metricsPort, metrics::render, null,
                        () -> !sc.draining(), AdminServer.limits(limits));
            }
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (plain != null) {
                plain.close();
            }
            if (tls != null) {
                tls.close();
            }
            if (feed != null) {
                feed.close();
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            blocking.shutdownNow();
            cmcd.close();
            throw e instanceof MediaServerStartException s ? s
                    : new MediaServerStartException("the media server could not start: " + e.getMessage(), e);
        }
        MediaServer server = new MediaServer(boss, workers, blocking, plain, tls, admin, channels, sc,
                cfg.shutdownGrace(), feed);
        LOG.info("media server on {}:{} ({}{}), root {}, admin port {}", cfg.host(), server.port(),
                epoll ? "epoll" : "nio", tls != null ? ", TLS on " + server.tlsPort() : "", realRoot, server.metricsPort());
        return server;
    }

    /**
     * The shared HTTP pipeline ({@link HttpServerPipeline}) with the media server's limits, metrics and drain flag,
     * ending in a {@link MediaHandler} per connection (or HTTP/2 stream).
     */
    private static HttpServerPipeline pipeline(ServerContext sc, SslContext ssl, ChannelGroup channels,
                                               AtomicInteger open, boolean fast) {
        MediaMetrics m = sc.metrics();
        PreparedHeads heads = new PreparedHeads(sc);
        return HttpServerPipeline.builder(sc.limits()).tls(ssl).channels(channels).openConnections(open)
                .draining(sc::draining)
                .listener(new HttpServerPipeline.ConnectionListener() {
                    @Override
                    public void opened() {
                        m.connectionOpened();
                    }

                    @Override
                    public void closed() {
                        m.connectionClosed();
                    }

                    @Override
                    public void rejected() {
                        m.connectionRejected();
                    }
                })
                .application((p, secure) -> {
                    MediaHandler media = new MediaHandler(sc, secure);
                    p.addLast("media", media);
                    if (!secure && fast) {
                        FastAnswers.install(p, sc, media, heads);
                    }
                })
                .build();
    }

    private static Channel bind(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> type,
                                String host, int port, int sendBuffer, HttpServerPipeline init, String setting)
            throws InterruptedException {
        try {
            ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(type)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(init);
            if (sendBuffer > 0) {
                // A fixed send buffer instead of the kernel's automatic sizing (media.sendBuffer): sendfile queues at
                // most this much of a segment, the rest follows as the client reads (media-server/BENCHMARK.md).
                b.childOption(ChannelOption.SO_SNDBUF, sendBuffer);
            }
            return b.bind(host, port).sync().channel();
        } catch (RuntimeException e) {
            throw new MediaServerStartException(setting + ": cannot listen on " + host + ":" + port + " (" + e + ")", e);
        }
    }

    private static SslContext sslContext(KinoConfig.Tls tls) {
        try {
            SslContextBuilder b;
            if (tls.certificate() != null) {
                b = SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile());
            } else {
                SelfSignedCertificates ssc = SelfSignedCertificates.generate();
                LOG.warn("media.tls: no certificate configured, serving a generated self-signed one for localhost");
                b = SslContextBuilder.forServer(ssc.key(), ssc.certificate());
            }
            return b.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MediaServerStartException("media.tls.certificate/privateKey: cannot build the TLS context", e);
        }
    }

    /** @return the plain HTTP port */
    public int port() {
        return ((InetSocketAddress) plain.localAddress()).getPort();
    }

    /** @return the HTTPS port, or -1 when TLS is off */
    public int tlsPort() {
        return tls == null ? -1 : ((InetSocketAddress) tls.localAddress()).getPort();
    }

    /** @return the admin (metrics) port, or -1 when disabled */
    public int metricsPort() {
        return admin == null ? -1 : admin.port();
    }

    /** @return the take-down set this server consults */
    public TakenDownTitles takedowns() {
        return context.takedowns();
    }

    /** @return the CMCD aggregation (its series are part of {@link #metrics()}) */
    public CmcdAggregator cmcd() {
        return context.cmcd();
    }

    /** @return the counters */
    public MediaMetrics metrics() {
        return context.metrics();
    }

    /**
     * Graceful shutdown: stops accepting, marks {@code /ready} as draining, closes idle connections, lets
     * in-flight responses finish for up to {@code shutdownGrace} (then closes what remains), and stops the
     * threads. Idempotent; blocks until done.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.drain().start();
        plain.close().awaitUninterruptibly();
        if (tls != null) {
            tls.close().awaitUninterruptibly();
        }
        HttpServerPipeline.drain(channels, shutdownGrace);
        if (admin != null) {
            admin.close();
        }
        if (feed != null) {
            feed.close();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        blocking.shutdown();
        dev.kino.media.http.AccessLog.flush(); // the batched lines of the last answers
        if (context.cmcd() != null) {
            context.cmcd().close();
        }
    }
}
