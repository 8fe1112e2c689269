package dev.kino.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a simulation learns from the control API before its first virtual user starts, with a plain JDK HTTP
 * client (these requests are set-up, not load, so they are not in Gatling's figures): the published media items
 * (GET /api/v1/titles, GET /api/v1/titles/{id}) and the pool's accounts (POST /api/v1/auth/login, and
 * POST /api/v1/auth/register for those that do not exist yet).
 *
 * <p>Only HTTP shapes are relied on (the OpenAPI document at GET /api/v1/openapi.json), never Kino's classes.
 */
public final class KinoApi {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Titles looked at, at most: enough variety for a run, bounded set-up time. */
    private static final int MAX_TITLES = 200;

    private final URI target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param target the control API's base URL */
    public KinoApi(URI target) {
        this.target = target;
    }

    /**
     * A published media item (a movie's feature or an episode).
     *
     * @param titleId its title
     * @param mediaId the item, as POST /api/v1/playback takes it
     * @param name a name to search for (the title's original title)
     * @param durationSeconds its length, 0 when unknown
     * @param hasDash a DASH MPD is served besides HLS
     * @param protection {@code none}, {@code aes-128}, {@code cenc} or {@code aes-128+cenc}
     * @param access {@code free}, {@code registered} or {@code subscription}
     */
    public record Playable(String titleId, String mediaId, String name, double durationSeconds, boolean hasDash,
                           String protection, String access) {
        /** @return whether an account without a plan (or a guest, when {@code guest}) may play it */
        boolean playableBy(boolean guest) {
            return access.equals("free") || !guest && access.equals("registered");
        }
    }

    /**
     * The published items of up to {@value #MAX_TITLES} titles, in catalogue order.
     *
     * @throws LoadTestException the target does not answer like a Kino control API
     */
    public List<Playable> published() {
        List<Playable> out = new ArrayList<>();
        String cursor = null;
        int titles = 0;
        do {
            JsonNode page = getJson("/api/v1/titles?limit=100" + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            JsonNode items = page.path("items");
            if (!items.isArray()) {
                throw new LoadTestException(target + "/api/v1/titles did not answer a catalogue page ({items, next})");
            }
            for (JsonNode t : items) {
                if (titles++ >= MAX_TITLES) {
                    return out;
                }
                JsonNode detail = getJson("/api/v1/titles/" + enc(t.path("id").asText()));
                List<JsonNode> media = new ArrayList<>();
                detail.path("media").forEach(media::add);
                detail.path("seasons").forEach(s -> s.path("episodes").forEach(media::add));
                for (JsonNode m : media) {
                    if (!m.path("state").asText("published").equals("published")) {
                        continue;
                    }
                    out.add(new Playable(detail.path("id").asText(), m.path("id").asText(),
                            detail.path("originalTitle").asText(""), m.path("durationSeconds").asDouble(0),
                            m.path("hasDash").asBoolean(false), m.path("protection").asText("none"),
                            m.path("access").asText("free")));
                }
            }
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null);
        return out;
    }

    /**
     * Signs in each account of the pool, registering it first when it does not exist.
     *
     * @param settings the run: pool size, names and password, or a file of accounts
     * @return one signed-in account per pool place
     * @throws LoadTestException when the API refuses (wrong password, rate limits)
     */
    public List<Account> signIn(Settings settings) throws IOException {
        List<String[]> credentials = new ArrayList<>();
        if (settings.accountsFile() != null) {
            for (String line : java.nio.file.Files.readAllLines(settings.accountsFile())) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int comma = l.indexOf(',');
                if (comma < 1) {
                    throw new LoadTestException(settings.accountsFile() + ": expected login,password lines, not '" + l + "'");
                }
                credentials.add(new String[]{l.substring(0, comma).strip(), l.substring(comma + 1)});
                if (credentials.size() == settings.poolSize()) {
                    break;
                }
            }
        } else {
            for (int i = 1; i <= settings.poolSize(); i++) {
                credentials.add(new String[]{String.format("%s-%04d", settings.accountPrefix(), i), settings.accountPassword()});
            }
        }
        List<Account> pool = new ArrayList<>();
        for (String[] c : credentials) {
            HttpResponse<String> login = login(c[0], c[1]);
            if (login.statusCode() == 401 && settings.accountsFile() == null) {
                register(c[0], c[1]);
                login = login(c[0], c[1]);
            }
            if (login.statusCode() != 200) {
                throw new LoadTestException("signing in " + c[0] + ": HTTP " + login.statusCode() + " " + detail(login.body())
                        + (login.statusCode() == 429 ? RATE_LIMIT_HINT : ""));
            }
            Account a = new Account(c[0]);
            a.tokens(login.body());
            pool.add(a);
        }
        return pool;
    }

    /**
     * Whether an account can take a stream now: authorises playback of {@code mediaId} and stops that session at
     * once. An earlier run that was interrupted may have left the account's stream slot taken until its playback
     * token expires (tokens.ttl); such an account is better left out of the pool than failing every viewer.
     *
     * @return true when it could, false when the API answered 429
     */
    public boolean canStream(Account a, String mediaId) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/playback")).header("Content-Type", "application/json")
                .header("Authorization", a.bearer())
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("mediaId", mediaId)))).build());
        if (r.statusCode() == 429) {
            return false;
        }
        if (r.statusCode() != 200) {
            throw new LoadTestException("POST /api/v1/playback as " + a.login() + ": HTTP " + r.statusCode() + " " + detail(r.body()));
        }
        try {
            stopPlayback(a, JSON.readTree(r.body()).path("sessionId").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    /**
     * Frees a playback session's stream slot: DELETE /api/v1/playback/sessions/{id} (refreshing the account's access
     * token first when due). Used after the run for the sessions of viewers the end of the run interrupted.
     *
     * @return the HTTP status (204, or 404 when it was already gone)
     */
    public int stopPlayback(Account a, String sessionId) {
        if (a.needsRefresh()) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/auth/refresh"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(a.refreshBody())).build());
            if (r.statusCode() == 200) {
                a.tokens(r.body());
            }
        }
        return send(HttpRequest.newBuilder(uri("/api/v1/playback/sessions/" + enc(sessionId)))
                .header("Authorization", a.bearer()).DELETE().build()).statusCode();
    }

    private static final String RATE_LIMIT_HINT = " (the control API allows 20 registrations an hour and 30 sign-ins"
            + " every 5 minutes from one address: use fewer --accounts, reuse registered ones with --accounts-file,"
            + " or --accounts 0 for guests)";

    private void register(String username, String password) {
        String body = JSON.createObjectNode().put("email", username + "@loadtest.invalid").put("username", username)
                .put("password", password).toString();
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/auth/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() == 409) {
            throw new LoadTestException("account " + username + " exists with another password: pass it with"
                    + " --account-password, or choose another --account-prefix");
        }
        if (r.statusCode() != 201) {
            throw new LoadTestException("registering " + username + ": HTTP " + r.statusCode() + " " + detail(r.body())
                    + (r.statusCode() == 429 ? RATE_LIMIT_HINT : ""));
        }
    }

    private HttpResponse<String> login(String login, String password) {
        String body = JSON.createObjectNode().put("login", login).put("password", password).toString();
        return send(HttpRequest.newBuilder(uri("/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode getJson(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").GET().build());
        if (r.statusCode() != 200) {
            throw new LoadTestException("GET " + target + path + ": HTTP " + r.statusCode() + " " + detail(r.body())
                    + " (is --target the control API's URL?)");
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new LoadTestException("GET " + target + path + " did not answer JSON (is --target the control API's URL?)");
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new LoadTestException("nothing answers at " + target + " (is Kino running, and --target its control API's URL?)");
        } catch (IOException e) {
            throw new LoadTestException(request.method() + " " + request.uri() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadTestException("interrupted");
        }
    }

    private URI uri(String path) {
        return URI.create(target + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** @return the RFC 9457 problem's detail (or title), else the start of the body */
    static String detail(String body) {
        try {
            JsonNode p = JSON.readTree(body);
            if (p.hasNonNull("detail") || p.hasNonNull("title")) {
                return "(" + p.path(p.hasNonNull("detail") ? "detail" : "title").asText() + ")";
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show its start below
        }
        String b = body == null ? "" : body.strip();
        return b.isEmpty() ? "" : "(" + (b.length() > 120 ? b.substring(0, 120) + "…" : b) + ")";
    }

    /** @return a JSON object with these string fields */
    static String json(Map<String, Object> fields) {
        return JSON.valueToTree(fields).toString();
    }
}
