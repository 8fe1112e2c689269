package dev.kino.loadtest;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.forAll;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What every Kino simulation shares: the {@link Settings}, the published items and the account pool found before
 * the first user starts, the HTTP protocol, the closed injection profile (ramp from 0 to {@code users} concurrent
 * users over {@code ramp}, hold {@code duration}; a user who finishes is replaced by a new one) and the assertions:
 * at most {@code maxErrorPercent} failed requests overall and of every request kind, a 99th percentile response
 * time of at most {@code p99} for every request kind, and at least one successful request of each kind the
 * simulation cannot work without.
 */
public abstract class KinoSimulation extends Simulation {
    protected final Settings settings = Settings.fromSystemProperties();
    protected final KinoApi api = new KinoApi(settings.target());
    /** Published items that a guest or an account without a plan may play, in catalogue order. */
    protected final List<KinoApi.Playable> items;
    protected final AccountPool pool;

    /** Session attribute: the user's {@link Account}, absent for guests. */
    static final String ACCOUNT = "account";

    /** Playback sessions granted to accounts and not stopped yet: session id → account. */
    protected final Map<String, Account> openSessions = new ConcurrentHashMap<>();

    /** How a simulation uses the account pool. */
    protected enum Accounts {
        /** every user takes an account while the pool has one */
        ALWAYS,
        /** only when no published item is free (a CDN edge needs a signed URL, not a viewer's stream slot) */
        WHEN_NO_FREE_ITEM
    }

    /**
     * @param needsDash only items with a DASH MPD
     * @param accounts whether the users use the pool
     * @param takesStreams whether users take concurrent-stream leases (viewers): pool accounts whose slot an earlier,
     *                     interrupted run still holds are then left out
     */
    protected KinoSimulation(boolean needsDash, Accounts accounts, boolean takesStreams) {
        List<KinoApi.Playable> found = new ArrayList<>();
        for (KinoApi.Playable p : api.published()) {
            if ((!needsDash || p.hasDash()) && p.playableBy(false)) {
                found.add(p);
            }
        }
        if (found.isEmpty()) {
            throw new LoadTestException("no published " + (needsDash ? "DASH " : "") + "item that an account without a"
                    + " plan may play at " + settings.target() + " (./kino demo publishes one)");
        }
        items = List.copyOf(found);
        boolean anyFree = items.stream().anyMatch(p -> p.playableBy(true));
        List<Account> signedIn = new ArrayList<>();
        if (accounts == Accounts.ALWAYS || !anyFree) {
            try {
                for (Account a : api.signIn(settings)) {
                    if (!takesStreams || api.canStream(a, items.get(0).mediaId())) {
                        signedIn.add(a);
                    } else {
                        System.out.printf("kino loadtest: %s is left out: its stream slot is still taken (by an interrupted"
                                + " run? it frees when that playback token expires, tokens.ttl)%n", a.login());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        pool = new AccountPool(signedIn);
        if (pool.size() < settings.users() && !anyFree) {
            throw new LoadTestException("only " + pool.size() + " accounts for " + settings.users() + " users, and no"
                    + " free item a guest could play: raise --accounts");
        }
        System.out.printf("kino loadtest: %s at %s: %d playable items, %d signed-in accounts (other users are guests)%n",
                getClass().getSimpleName(), settings.target(), items.size(), pool.size());
    }

    /** Frees the stream slots of viewers that the end of the run stopped mid-playback. */
    @Override
    public void after() {
        openSessions.forEach((session, account) -> api.stopPlayback(account, session));
        openSessions.clear();
    }

    /** @return the HTTP protocol: the control API as base URL (media URLs are absolute), no cache, no warm-up */
    protected HttpProtocolBuilder protocol() {
        return http.baseUrl(settings.target().toString())
                .userAgentHeader("Kino-loadtest (Gatling)")
                .acceptEncodingHeader("gzip, deflate")
                // Every fetch must reach the server: Gatling's per-user HTTP cache would skip repeated segments.
                .disableCaching()
                .disableWarmUp();
    }

    /**
     * Sets the run up: the closed injection profile, the protocol, the maximum duration and the assertions.
     *
     * @param scenario the virtual users' behaviour
     * @param requiredKinds request names that must have succeeded at least once
     */
    protected void run(ScenarioBuilder scenario, String... requiredKinds) {
        List<ClosedInjectionStep> steps = new ArrayList<>();
        if (!settings.ramp().isZero()) {
            steps.add(rampConcurrentUsers(0).to(settings.users()).during(settings.ramp()));
        }
        if (!settings.duration().isZero()) {
            steps.add(constantConcurrentUsers(settings.users()).during(settings.duration()));
        }
        List<Assertion> assertions = new ArrayList<>();
        assertions.add(global().failedRequests().percent().lte(settings.maxErrorPercent()));
        assertions.add(forAll().failedRequests().percent().lte(settings.maxErrorPercent()));
        assertions.add(forAll().responseTime().percentile(99.0).lte((int) settings.p99().toMillis()));
        for (String kind : requiredKinds) {
            assertions.add(details(kind).successfulRequests().count().gt(0L));
        }
        setUp(scenario.injectClosed(steps.toArray(ClosedInjectionStep[]::new))).protocols(protocol())
                // Users still watching when the time is up are stopped: the run lasts ramp + duration.
                .maxDuration(settings.ramp().plus(settings.duration()))
                .assertions(assertions);
    }

    /** @return a published item this user may play (any for an account, free ones for a guest), at random */
    protected KinoApi.Playable pick(boolean guest) {
        List<KinoApi.Playable> ok = guest ? items.stream().filter(p -> p.playableBy(true)).toList() : items;
        return ok.get(ThreadLocalRandom.current().nextInt(ok.size()));
    }

    /** @return the user's account, or null for a guest */
    static Account account(Session s) {
        return s.contains(ACCOUNT) ? s.get(ACCOUNT) : null;
    }

    /**
     * The web app's token handling: refresh the access token when it is about to expire (POST /api/v1/auth/refresh
     * rotates the refresh token too).
     */
    static ChainBuilder refreshIfDue() {
        return doIf(s -> account(s) != null && account(s).needsRefresh()).then(refresh());
    }

    /** POST /api/v1/auth/refresh {refreshToken} → {accessToken, refreshToken, expiresIn}. */
    static ChainBuilder refresh() {
        return exec(http("api auth refresh").post("/api/v1/auth/refresh")
                .body(StringBody(s -> account(s).refreshBody())).asJson()
                .check(status().is(200), handled((body, s) -> account(s).tokens(body))));
    }

    /**
     * A control API request as the web app sends it: with the bearer token of a signed-in user (refreshed first
     * when due), without for a guest.
     */
    static ChainBuilder api(HttpRequestActionBuilder request) {
        return doIfOrElse(s -> account(s) != null)
                .then(exec(refreshIfDue()).exec(request.header("Authorization", s -> account(s).bearer())))
                .orElse(exec(request));
    }

    /**
     * A check that hands the response body to {@code handler}; the request fails (with the handler's message) when
     * the handler throws, so a playlist or grant that does not parse counts as an error of its request kind.
     */
    static io.gatling.javaapi.core.CheckBuilder handled(BiConsumer<String, Session> handler) {
        return bodyString().transformWithSession((body, s) -> {
            handler.accept(body, s);
            return "handled";
        }).is("handled");
    }

    /** @return {@code mean} × 0.5 to 1.5, as think time */
    static Duration around(Duration mean) {
        return Duration.ofMillis(Math.round(mean.toMillis() * ThreadLocalRandom.current().nextDouble(0.5, 1.5)));
    }

    /** @return a function reading a session attribute */
    static <T> Function<Session, T> attr(String name) {
        return s -> s.get(name);
    }
}
