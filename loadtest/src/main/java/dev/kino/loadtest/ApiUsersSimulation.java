package dev.kino.loadtest;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;

import java.net.URLEncoder;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitBlockOnFail;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * {@code ./kino loadtest api}: visitors of the web app on the control API, each visit with think times of about
 * {@code think} between pages. Signed-in visitors (as many as the account pool holds) restore their session
 * (POST /api/v1/auth/refresh, GET /api/v1/me); everyone browses (GET /api/v1/titles with a sort), searches
 * (GET /api/v1/titles?q=) and opens a title (GET /api/v1/titles/{id}); signed-in visitors then check and change
 * their watchlist (GET/PUT/DELETE /api/v1/me/watchlist/{titleId}, GET /api/v1/me/watchlist), send three progress
 * heartbeats (PUT /api/v1/playback/progress) and read continue-watching (GET /api/v1/me/continue-watching).
 * Sign-in itself (POST /api/v1/auth/login) happens once per pool account before the run: the control API allows
 * 30 sign-ins every 5 minutes from one address.
 */
public class ApiUsersSimulation extends KinoSimulation {
    private static final List<String> SORTS = List.of("newest", "title", "popularity");
    static final String ITEM = "item";

    public ApiUsersSimulation() {
        super(false, Accounts.ALWAYS, false);
        ChainBuilder think = pause(s -> around(settings.think()));
        ChainBuilder signedIn = exec(api(http("api watchlist status").get(s -> "/api/v1/me/watchlist/" + item(s).titleId())
                        .check(status().is(200))))
                .exec(api(http("api watchlist add").put(s -> "/api/v1/me/watchlist/" + item(s).titleId())
                        .check(status().is(200), jsonPath("$.inWatchlist").is("true"))))
                .exec(think)
                .exec(api(http("api watchlist").get("/api/v1/me/watchlist").check(status().is(200))))
                .exec(repeat(3).on(exec(api(http("api playback progress").put("/api/v1/playback/progress")
                        .body(StringBody(s -> KinoApi.json(Map.of("mediaId", item(s).mediaId(),
                                "positionSeconds", ThreadLocalRandom.current().nextInt(
                                        1 + (int) Math.max(0, item(s).durationSeconds()))))))
                        .asJson().check(status().is(204)))).exec(think)))
                .exec(api(http("api continue watching").get("/api/v1/me/continue-watching").check(status().is(200))))
                .doIf(s -> ThreadLocalRandom.current().nextBoolean()).then(
                        exec(api(http("api watchlist remove").delete(s -> "/api/v1/me/watchlist/" + item(s).titleId())
                                .check(status().is(204)))));
        ChainBuilder visit = doIf(s -> account(s) != null).then(
                        exec(refresh()).exec(api(http("api me").get("/api/v1/me").check(status().is(200)))))
                .exec(api(http("api titles browse").get(s -> "/api/v1/titles?limit=24&sort="
                        + SORTS.get(ThreadLocalRandom.current().nextInt(SORTS.size()))).check(status().is(200))))
                .exec(think)
                .exec(api(http("api titles search").get(s -> "/api/v1/titles?limit=24&q=" + searchWord(item(s)))
                        .check(status().is(200))))
                .exec(think)
                .exec(api(http("api title").get(s -> "/api/v1/titles/" + item(s).titleId()).check(status().is(200))))
                .exec(think)
                .doIf(s -> account(s) != null).then(signedIn);
        run(scenario("API users")
                .exec(s -> {
                    Account a = pool.take();
                    Session out = s.set(ITEM, pick(a == null));
                    return a == null ? out : out.set(ACCOUNT, a);
                })
                .exec(exitBlockOnFail().on(visit))
                .doIf(Session::isFailed).then(pause(Duration.ofSeconds(1)))
                .exec(s -> {
                    pool.release(account(s));
                    return s.remove(ACCOUNT);
                }),
                "api titles browse", "api titles search", "api title");
    }

    static KinoApi.Playable item(Session s) {
        return s.get(ITEM);
    }

    /** @return one word of the title's name, as someone would type it into the search box */
    static String searchWord(KinoApi.Playable p) {
        String[] words = p.name().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        List<String> usable = java.util.Arrays.stream(words).filter(w -> w.length() >= 3).toList();
        String w = usable.isEmpty() ? p.name() : usable.get(ThreadLocalRandom.current().nextInt(usable.size()));
        return URLEncoder.encode(w, StandardCharsets.UTF_8);
    }
}
