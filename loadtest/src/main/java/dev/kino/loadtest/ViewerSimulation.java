package dev.kino.loadtest;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitBlockOnFail;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * A viewer's session, as the web player runs it (web/js/views/watch.js): a signed-in viewer restores its session
 * (POST /api/v1/auth/refresh, GET /api/v1/me), every viewer opens the title (GET /api/v1/titles/{id}) and asks for
 * playback (POST /api/v1/playback → signed URLs; for an account this takes one of its concurrent-stream leases,
 * which the media server renews on every playlist, MPD, key and licence request); then the player loop: manifest,
 * what the next segment needs, the segment, a pause of the segment's duration; progress every 10 s of playback
 * (PUT /api/v1/playback/progress); a new grant shortly before the old one expires (DELETE the session, POST
 * /playback again, reload the manifest, as the player's onExpired does); at the end a last progress report and
 * DELETE /api/v1/playback/sessions/{id}, which frees the stream slot. A failed request ends the viewing (a player
 * gives up too) but not the clean-up.
 */
abstract class ViewerSimulation extends KinoSimulation {
    static final String PLAYBACK = "playback";
    static final String FAILED = "failed";

    ViewerSimulation(boolean needsDash) {
        super(needsDash, Accounts.ALWAYS, true);
    }

    /** @return a new player state for this user */
    abstract Playback newPlayback(Account account, KinoApi.Playable item);

    /** @return request name of the manifest: {@code hls multivariant playlist} or {@code dash mpd} */
    abstract String manifestKind();

    /** @return what loads after the manifest and before the next segment (media playlists, licence) */
    abstract ChainBuilder beforeSegments();

    static Playback pb(Session s) {
        return s.get(PLAYBACK);
    }

    ScenarioBuilder viewers(String name) {
        ChainBuilder start = exec(s -> {
            Account a = pool.take();
            Playback p = newPlayback(a, pick(a == null));
            Session out = s.set(PLAYBACK, p);
            return a == null ? out : out.set(ACCOUNT, a);
        });
        ChainBuilder pageLoad = doIf(s -> account(s) != null).then(
                exec(refresh()).exec(api(http("api me").get("/api/v1/me").check(status().is(200)))));
        ChainBuilder authorise = api(http("api playback authorise").post("/api/v1/playback")
                .body(StringBody(s -> pb(s).authoriseBody())).asJson()
                .check(status().is(200), handled((body, s) -> {
                    pb(s).onGrant(body);
                    if (pb(s).sessionId != null && account(s) != null) {
                        openSessions.put(pb(s).sessionId, account(s));
                    }
                })));
        ChainBuilder stopSession = doIf(s -> account(s) != null && pb(s).sessionId != null).then(
                exec(api(http("api playback stop").delete(s -> "/api/v1/playback/sessions/" + pb(s).sessionId)
                        .check(status().is(204))))
                        .exec(s -> {
                            openSessions.remove(pb(s).sessionId);
                            return s;
                        }));
        ChainBuilder progress = api(http("api playback progress").put("/api/v1/playback/progress")
                .body(StringBody(s -> pb(s).progressBody())).asJson().check(status().is(204)));
        ChainBuilder renew = doIf(s -> pb(s).renewDue()).then(
                exec(stopSession).exec(authorise).exec(s -> {
                    pb(s).onRenewed();
                    return s;
                }));
        ChainBuilder manifest = doIf(s -> pb(s).manifestDue).then(
                exec(http(manifestKind()).get(s -> pb(s).manifestUrl.toString())
                        .check(status().is(200), handled((body, s) -> pb(s).onManifest(body)))));
        ChainBuilder fetch = asLongAs(s -> !pb(s).fetches.isEmpty()).on(
                doIfOrElse(s -> pb(s).fetches.peek().kind().equals("hls key"))
                        .then(exec(http("hls key").get(s -> pb(s).fetches.peek().url())
                                .check(status().is(200), io.gatling.javaapi.core.CoreDsl.bodyLength().is(16))))
                        .orElse(doIfOrElse(s -> pb(s).fetches.peek().range() != null)
                                .then(exec(http(s -> pb(s).fetches.peek().kind()).get(s -> pb(s).fetches.peek().url())
                                        .header("Range", s -> pb(s).fetches.peek().range()).check(status().is(206))))
                                .orElse(exec(http(s -> pb(s).fetches.peek().kind()).get(s -> pb(s).fetches.peek().url())
                                        .check(status().is(200)))))
                        .exec(s -> {
                            pb(s).fetches.poll();
                            return s;
                        }));
        ChainBuilder watch = exec(pageLoad)
                .exec(api(http("api title").get(s -> "/api/v1/titles/" + pb(s).item.titleId()).check(status().is(200))))
                .exec(authorise)
                .asLongAs(s -> pb(s).watching()).on(
                        exec(renew).exec(manifest).exec(beforeSegments())
                                .exec(s -> {
                                    pb(s).advance();
                                    return s;
                                })
                                .exec(fetch)
                                .doIf(s -> pb(s).progressDue()).then(exec(progress))
                                .pause(s -> pb(s).pause()));
        ChainBuilder end = doIf(s -> account(s) != null && pb(s).positionSeconds > 0).then(exec(progress))
                .exec(stopSession);
        return scenario(name)
                .exec(start)
                .exec(exitBlockOnFail().on(watch))
                // The clean-up runs after a failure too (so the stream slot is freed); its own failures are counted.
                .exec(s -> s.set(FAILED, s.isFailed()).markAsSucceeded())
                .exec(exitBlockOnFail().on(end))
                // A viewer whose player gave up comes back a little later, not in a tight loop.
                .doIf(s -> s.getBoolean(FAILED)).then(pause(Duration.ofSeconds(1)))
                .exec(s -> {
                    pool.release(account(s));
                    return s.remove(ACCOUNT);
                });
    }
}
