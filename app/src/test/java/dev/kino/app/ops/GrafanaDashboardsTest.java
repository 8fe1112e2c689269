package dev.kino.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kino.app.runtime.Lifecycle;
import dev.kino.app.runtime.Services;
import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.secret.Secrets;
import dev.kino.common.state.SharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.db.Database;
import dev.kino.media.MediaServer;
import dev.kino.protocol.token.PlaybackClaims;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TitleId;
import dev.kino.protocol.token.TokenSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every metric the Grafana dashboards of {@code config/grafana/dashboards} query exists: a real media server and a
 * real control API (ports 0, embedded PostgreSQL) serve a few requests (a playlist, segments with CMCD in the query and
 * the headers, a refused token; API routes, an unknown path), then every metric name of every PromQL expression and
 * variable query must be a sample name of their {@code /metrics}. A dashboard that queries a metric no server exposes
 * fails the build.
 */
class GrafanaDashboardsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    private static Lifecycle lifecycle;
    private static MediaServer media;
    private static ControlApi api;
    private static Set<String> exposed;

    @BeforeAll
    static void start() throws Exception {
        KinoConfig config = KinoConfig.from(ConfigLoader.withShippedDefaults()
                .flag("data.dir=" + dataDir).flag("control.port=0").flag("media.port=0").flag("metrics.port=0")
                .flag("control.adminPort=0").flag("control.host=127.0.0.1").flag("media.host=127.0.0.1").load());
        Secrets secrets = SecretStore.resolve(config);
        lifecycle = new Lifecycle();
        SharedState state = Services.sharedState(config, lifecycle);
        Database db = Services.database(config, lifecycle);
        media = lifecycle.add("media server", MediaServer.builder(config.media(), secrets).metrics("127.0.0.1", 0)
                .sharedState(state).start());
        api = lifecycle.add("control API", ControlApi.builder(config, secrets, db, state).adminPort("127.0.0.1", 0)
                .outboxInterval(Duration.ZERO).notificationRounds(Duration.ZERO).recommendInterval(Duration.ZERO)
                .start());

        // a published title's files (the origin serves what is in media.root; the bytes need not be real video here)
        Path title = config.media().root().resolve("t1");
        Files.createDirectories(title.resolve("video-720p"));
        Files.writeString(title.resolve("master.m3u8"), "#EXTM3U\n#EXT-X-VERSION:7\n"
                + "#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720,CODECS=\"avc1.64001f\"\nvideo-720p/index.m3u8\n");
        Files.write(title.resolve("video-720p/seg-00001.m4s"), new byte[4096]);
        String token = new TokenSigner(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId())).sign(
                PlaybackClaims.builder().validFor(Instant.now().minusSeconds(5), Duration.ofMinutes(10))
                        .title(TitleId.of("t1")).build());
        String base = "http://127.0.0.1:" + media.port() + "/v/" + token + "/t1/";
        assertEquals(200, get(base + "master.m3u8").statusCode());
        assertEquals(200, get(base + "video-720p/seg-00001.m4s?CMCD=bl%3D8000%2Cbr%3D3000%2Cmtp%3D12000%2Cot%3Dv"
                + "%2Csf%3Dh%2Cst%3Dv%2Csu").statusCode());
        assertEquals(200, get(base + "video-720p/seg-00001.m4s", "CMCD-Object", "br=3000,ot=v",
                "CMCD-Request", "bl=300,mtp=900", "CMCD-Status", "bs").statusCode());
        assertEquals(403, get("http://127.0.0.1:" + media.port() + "/v/bad/t1/master.m3u8").statusCode());
        String apiBase = "http://127.0.0.1:" + api.port();
        assertEquals(200, get(apiBase + "/api/v1/titles").statusCode());
        assertEquals(404, get(apiBase + "/api/v1/no-such-thing").statusCode());
        long until = System.nanoTime() + 5_000_000_000L;
        while (media.cmcd().folded() < 2 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        exposed = new TreeSet<>();
        exposed.addAll(sampleNames(get("http://127.0.0.1:" + media.metricsPort() + "/metrics").body()));
        exposed.addAll(sampleNames(get("http://127.0.0.1:" + api.adminPort() + "/metrics").body()));
    }

    @AfterAll
    static void stop() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the names of the sample lines of an exposition (a family with no samples yet has none) */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    /** @return "dashboard: where: metric (in: query)" for every metric of the dashboard not in {@code exposed} */
    static List<String> missing(String dashboardName, JsonNode dashboard, Set<String> exposed) {
        List<String> out = new ArrayList<>();
        for (PromQlNames.Query q : PromQlNames.queries(dashboard)) {
            for (String metric : q.metrics()) {
                if (!exposed.contains(metric)) {
                    out.add(dashboardName + ": " + q.where() + ": " + metric + " (in: " + q.text() + ")");
                }
            }
        }
        return out;
    }

    private static Path dashboards() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("config/grafana/dashboards");
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        throw new IllegalStateException("config/grafana/dashboards not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyMetricEveryDashboardQueriesExists() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dashboards())) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(List.of("kino-api.json", "kino-jobs.json", "kino-origin.json", "kino-qoe.json"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        List<String> missing = new ArrayList<>();
        Set<String> uids = new TreeSet<>();
        for (Path f : files) {
            JsonNode d = JSON.readTree(f.toFile());
            assertTrue(uids.add(d.path("uid").asText()), "duplicate or missing uid in " + f);
            assertFalse(d.path("title").asText().isBlank(), f.toString());
            List<PromQlNames.Query> queries = PromQlNames.queries(d);
            assertFalse(queries.isEmpty(), f + " queries nothing");
            for (PromQlNames.Query q : queries) {
                assertFalse(q.metrics().isEmpty(), f + ": " + q.where() + " selects no metric: " + q.text());
            }
            missing.addAll(missing(f.getFileName().toString(), d, exposed));
        }
        assertTrue(missing.isEmpty(), "dashboards query metrics that no server exposes:\n" + String.join("\n", missing)
                + "\nexposed: " + exposed);
    }

    @Test
    void aDashboardQueryingAMetricNobodyExposesIsCaught() throws Exception {
        JsonNode d = JSON.readTree("""
                {"uid": "x", "title": "x", "templating": {"list": [
                   {"name": "dev", "type": "query", "query": {"query": "label_values(kino_no_such_series_total, device)"}}]},
                 "panels": [{"title": "row", "type": "row", "panels": [
                   {"title": "p", "targets": [{"refId": "A",
                     "expr": "sum by (route) (rate(kino_control_http_requests_totl{route=~\\"kino_media_x\\"}[5m]))"}]}]}]}""");
        List<String> missing = missing("x.json", d, exposed);
        assertEquals(2, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("kino_control_http_requests_totl"), missing.toString());
        assertTrue(missing.get(1).contains("kino_no_such_series_total"), missing.toString());
    }

    @Test
    void metricNamesAreTakenFromPromQlAndNothingElse() {
        assertEquals(Set.of("kino_a_bucket"), PromQlNames.of(
                "histogram_quantile(0.95, sum by (le, route) (rate(kino_a_bucket{ot=~\"v|av\",device=~\"$device\"}[$__rate_interval])))"));
        assertEquals(Set.of("kino_a", "kino_b"), PromQlNames.of(
                "sum by (band) (increase(kino_a[1h] offset 1d)) / ignoring(band) group_left sum(kino_b) * 1e3 > bool 0.5"));
        assertEquals(Set.of("kino_a"), PromQlNames.of("topk(10, max without (instance) (kino_a))"));
        assertEquals(Set.of("kino_c"), PromQlNames.ofVariable("label_values(kino_c{x=\"y\"}, device)"));
        assertEquals(Set.of(), PromQlNames.ofVariable("label_values(device)"));
        assertEquals(Set.of("up"), PromQlNames.ofVariable("query_result(sum by (job) (up))"));
    }
}
