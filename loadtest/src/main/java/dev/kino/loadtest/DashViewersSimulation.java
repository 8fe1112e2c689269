package dev.kino.loadtest;

import io.gatling.javaapi.core.ChainBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * {@code ./kino loadtest dash}: DASH viewers ({@link ViewerSimulation}, {@link DashPlayback}): the MPD, the
 * ClearKey licence for its default KIDs (a JSON Web Key Set back, {@code keys[].k}), init segments, then media
 * segments at real-time pace, sometimes switching representation or seeking.
 */
public class DashViewersSimulation extends ViewerSimulation {
    public DashViewersSimulation() {
        super(true);
        run(viewers("DASH viewers"), "api playback authorise", "dash mpd", "dash init segment", "dash segment");
    }

    @Override
    Playback newPlayback(Account account, KinoApi.Playable item) {
        return new DashPlayback(account, item, settings);
    }

    @Override
    String manifestKind() {
        return "dash mpd";
    }

    @Override
    ChainBuilder beforeSegments() {
        return doIf(s -> ((DashPlayback) pb(s)).licenceDue()).then(
                exec(http("dash licence").post(s -> ((DashPlayback) pb(s)).licenceUrl())
                        .body(StringBody(s -> ((DashPlayback) pb(s)).licenceBody())).asJson()
                        .check(status().is(200), jsonPath("$.keys[0].k").exists()))
                        .exec(s -> {
                            ((DashPlayback) pb(s)).onLicence();
                            return s;
                        }));
    }
}
