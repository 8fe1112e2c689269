package dev.kino.loadtest;

import io.gatling.javaapi.core.Session;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitBlockOnFail;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * {@code ./kino loadtest cdn}: cold CDN edges ({@link EdgePull}). Each virtual user is one edge with an empty cache
 * pulling a whole title as fast as the origin serves it: a playback grant for the signed URLs, every playlist and the
 * MPD, then every init section and segment in byte-range slices ({@code 206 Partial Content}, {@code Content-Range}
 * checked against what was asked). When it has everything it stops, and a new cold edge takes its place.
 */
public class CdnPullSimulation extends KinoSimulation {
    static final String EDGE = "edge";
    static final String FAILED = "failed";

    public CdnPullSimulation() {
        super(false, Accounts.WHEN_NO_FREE_ITEM, false);
        var pull = exec(api(http("api playback authorise").post("/api/v1/playback")
                        .body(StringBody(s -> KinoApi.json(java.util.Map.of("mediaId", edge(s).item.mediaId()))))
                        .asJson().check(status().is(200), handled((body, s) -> {
                            edge(s).onGrant(body);
                            if (edge(s).sessionId != null && account(s) != null) {
                                openSessions.put(edge(s).sessionId, account(s));
                            }
                        }))))
                .asLongAs(s -> !edge(s).manifests.isEmpty()).on(
                        exec(http(s -> edge(s).manifestKind()).get(s -> edge(s).manifests.peek()[1])
                                .check(status().is(200), handled((body, s) -> edge(s).onManifest(body)))))
                .exec(asLongAs(s -> edge(s).pulling()).on(
                        exec(http("cdn object range").get(s -> edge(s).url()).header("Range", s -> edge(s).range())
                                .check(status().is(206), header("Content-Range").transformWithSession((cr, s) -> {
                                    edge(s).onSlice(cr);
                                    return "ok";
                                }).is("ok")))));
        var stop = doIf(s -> account(s) != null && edge(s).sessionId != null).then(
                exec(api(http("api playback stop").delete(s -> "/api/v1/playback/sessions/" + edge(s).sessionId)
                        .check(status().is(204))))
                        .exec(s -> {
                            openSessions.remove(edge(s).sessionId);
                            return s;
                        }));
        run(scenario("cold CDN edges")
                .exec(s -> {
                    Account a = pool.take();
                    Session out = s.set(EDGE, new EdgePull(a, pick(a == null), settings));
                    return a == null ? out : out.set(ACCOUNT, a);
                })
                .exec(exitBlockOnFail().on(exec(refreshIfDue()).exec(pull)))
                .exec(s -> s.set(FAILED, s.isFailed()).markAsSucceeded())
                .exec(exitBlockOnFail().on(stop))
                .doIf(s -> s.getBoolean(FAILED)).then(pause(Duration.ofSeconds(1)))
                .exec(s -> {
                    pool.release(account(s));
                    return s.remove(ACCOUNT);
                }),
                "api playback authorise", "cdn playlist", "cdn object range");
    }

    static EdgePull edge(Session s) {
        return s.get(EDGE);
    }
}
