package dev.kino.loadtest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each simulation, in its short form, through the same entry point as {@code ./kino loadtest}, against a real Kino
 * in this JVM: the assertions must hold, every request kind the simulation is about must appear in Gatling's
 * summary, and a run pointed at the wrong place must fail (non-zero exit) both before it starts and through its
 * assertions.
 */
class SimulationsTest {
    @TempDir
    static Path dir;
    private static KinoUnderTest kino;

    @BeforeAll
    static void start() throws Exception {
        kino = new KinoUnderTest(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        if (kino != null) {
            kino.close();
        }
    }

    private record Run(LoadTest.Result result, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--results", dir.resolve("results").toString()));
        LoadTest.Result r = LoadTest.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        System.out.println(out);
        System.err.println(err);
        return new Run(r, out.toString(), err.toString());
    }

    /** The short CI form: 2 users (one with an account, one guest), 1 s ramp, 5 s hold, frequent switches and seeks. */
    private static Run shortRun(String simulation, String... extra) {
        List<String> args = new ArrayList<>(List.of(simulation, "--target", kino.controlUrl(), "--media-url", kino.mediaUrl(),
                "--users", "2", "--accounts", "1", "--ramp", "1s", "--duration", "5s", "--switch-chance", "0.5",
                "--seek-chance", "0.3", "--think", "200ms", "--slice", "64k"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static void assertPassed(Run run, String... kinds) {
        assertEquals(0, run.result().exitCode(), run.err());
        if (!run.out().contains("CdnPullSimulation")) {
            // Every run shares the account loadtest-0001 and holds its one stream slot while playing: it is still in
            // the pool only because each run stops its sessions, those cut short by the end of the run included.
            assertTrue(run.out().contains(": 1 playable items, 1 signed-in accounts"), run.out());
        }
        assertTrue(run.out().contains("the assertions held"), run.out());
        assertNotNull(run.result().report());
        assertTrue(Files.isRegularFile(run.result().report().resolve("index.html")), "Gatling's HTML report");
        for (String kind : kinds) {
            assertTrue(run.out().contains("> " + kind + " "), "no '" + kind + "' request in the summary");
        }
    }

    @Test
    void hlsViewers() {
        assertPassed(shortRun("players"), "api auth refresh", "api playback authorise", "hls multivariant playlist",
                "hls media playlist", "hls init section", "hls key", "hls segment");
    }

    @Test
    void dashViewers() {
        assertPassed(shortRun("dash"), "api playback authorise", "dash mpd", "dash licence", "dash init segment",
                "dash segment");
    }

    @Test
    void cdnPulls() {
        assertPassed(shortRun("cdn"), "api playback authorise", "cdn playlist", "cdn mpd", "cdn object range");
    }

    @Test
    void apiUsers() {
        assertPassed(shortRun("api"), "api auth refresh", "api me", "api titles browse", "api titles search",
                "api title", "api watchlist add", "api playback progress", "api continue watching");
    }

    @Test
    void aTargetWhereNothingAnswersFailsBeforeTheRun() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run run = run("api", "--target", "http://127.0.0.1:" + port, "--users", "1", "--ramp", "0s", "--duration", "1s");
        assertEquals(1, run.result().exitCode());
        assertTrue(run.err().contains("nothing answers at http://127.0.0.1:" + port), run.err());
        assertNull(run.result().report());
    }

    @Test
    void failedRequestsFailTheAssertions() {
        // Signed URLs pointed at the control API, which answers 404 for /v/…: every media request fails.
        Run run = run("players", "--target", kino.controlUrl(), "--media-url", kino.controlUrl(), "--users", "1",
                "--accounts", "0", "--ramp", "0s", "--duration", "3s");
        assertEquals(1, run.result().exitCode());
        assertTrue(run.err().contains("the assertions failed"), run.err());
        assertTrue(run.out().contains("hls multivariant playlist: percentage of failed events is less than or equal to 1.0 : false"),
                run.out());
        assertNotNull(run.result().report(), "the report is written for a failed run too");
    }

    @Test
    void slowResponsesFailTheAssertions() {
        Run run = run("api", "--target", kino.controlUrl(), "--users", "1", "--accounts", "0", "--ramp", "0s",
                "--duration", "2s", "--think", "100ms", "--p99", "0ms");
        assertEquals(1, run.result().exitCode());
        assertTrue(run.out().contains("99th percentile of response time is less than or equal to 0.0 : false"), run.out());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("nosuch").result().exitCode());
        assertEquals(2, run("api", "--ramp", "soon").result().exitCode());
    }
}
