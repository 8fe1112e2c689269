package dev.kino.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of the OpenAPI document, called as an admin and anonymously with hostile text in each place a
 * client controls: each path parameter, each query parameter, and each string of the JSON body (one at a time, the
 * rest of the body plausible, and all at once): NUL, a lone surrogate, control characters, strings longer than any
 * index can hold, instants PostgreSQL cannot store, forged and moved cursors, numbers out of range. Whatever the
 * route, the answer is a 4xx (or a success), never a 5xx, and a problem never names a Java class.
 */
class HostileInputTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String MARK = "\"__HOSTILE__\"";
    /** JSON texts put in place of one string value. */
    private static final List<String> HOSTILE_JSON_STRINGS = List.of(
            "\"a\\u0000b\"", "\"\\ud800x\"", "\"x\\udc00\"", "\"a\\u0007b\"", "\"" + randomText(3_000) + "\"",
            "\"" + "y".repeat(70_000) + "\"");
    private static final List<String> HOSTILE_JSON_INSTANTS = List.of(
            "\"+300000-01-01T00:00:00Z\"", "\"-300000-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"",
            "\"+1000000000-12-31T23:59:59Z\"", "1e300", "-9223372036854775809");
    private static final List<String> HOSTILE_JSON_NUMBERS = List.of("1e300", "-1", "9223372036854775808",
            "-9223372036854775809", "0.5", "\"1\"");
    private static final List<String> HOSTILE_QUERY = List.of("a%00b", "%00", "%ED%A0%80", "%C0%80", "a%07b",
            randomText(3_000), "y".repeat(5_000), "+300000-01-01T00:00:00Z", "-1", "99999999999999999999");

    private static final Map<String, String> known = new LinkedHashMap<>();
    private static JsonNode doc;
    private static TestApi.User admin;
    private static final List<String> failures = new ArrayList<>();
    private static int requests;

    @BeforeAll
    static void setUp() {
        admin = TestApi.withRole(TestApi.newUser(), "admin");
        TestApi.User victim = TestApi.newUser();
        Http.Resp title = TestApi.http().post("/api/v1/titles", admin.accessToken(), Map.of("kind", "movie",
                "originalTitle", "Hostile input", "titles", Map.of("en", "Hostile input " + UUID.randomUUID())));
        assertEquals(201, title.status(), title.text());
        known.put("title", title.json().get("id").asText());
        Http.Resp media = TestApi.http().post("/api/v1/titles/" + known.get("title") + "/media", admin.accessToken(),
                Map.of("name", "Feature"));
        if (media.status() == 201) {
            known.put("media", media.json().get("id").asText());
        }
        known.put("user", victim.id().toString());
        known.put("random", UUID.randomUUID().toString());
        Http.Resp r = TestApi.http().get(OpenApi.PATH, null);
        assertEquals(200, r.status());
        doc = r.json();
    }

    @Test
    void noRouteAnswers5xxToHostileInput() {
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
            while (ops.hasNext()) {
                Map.Entry<String, JsonNode> op = ops.next();
                attack(op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), op.getValue());
            }
        }
        assertTrue(requests > 1_000, "only " + requests + " requests sent");
        assertEquals(List.of(), failures, failures.size() + " of " + requests + " hostile requests failed");
    }

    @Test
    void forgedMovedAndOldCursorsAre400() {
        String token = freshAdmin();
        freshAdmin(); // at least two sessions
        Http.Resp first = TestApi.http().get("/api/v1/me/sessions?limit=1", token);
        assertEquals(200, first.status(), first.text());
        String next = first.json().get("next").asText();
        assertEquals(200, TestApi.http().get("/api/v1/me/sessions?limit=1&cursor=" + next, token).status());
        // the version 1 cursors were base64 text anyone could write
        String v1 = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "v1\nnewest\n+300000-01-01T00:00:00Z\n00000000-0000-0000-0000-000000000000".getBytes(StandardCharsets.UTF_8));
        // one byte of the payload changed, MAC kept
        char c = next.charAt(3);
        String tampered = next.substring(0, 3) + (c == 'A' ? 'B' : 'A') + next.substring(4);
        for (String forged : List.of(v1, tampered, next + "x", "a.b", ".", next.replace(".", ""))) {
            Http.Resp r = TestApi.http().get("/api/v1/me/sessions?limit=1&cursor=" + forged, token);
            assertEquals(400, r.status(), forged + " → " + r.text());
            assertTrue(r.text().contains("cursor"), r.text());
        }
        // a cursor of one list does not page another
        Http.Resp jobs = TestApi.http().get("/api/v1/jobs?cursor=" + next, token);
        assertEquals(400, jobs.status(), jobs.text());
    }

    @Test
    void bodiesMustBeOneUtf8JsonValue() {
        String token = freshAdmin();
        Http.Resp trailing = TestApi.http().send(TestApi.http().builder("/api/v1/me", token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"displayName\":\"A\"} {\"x\":1}")));
        assertEquals(400, trailing.status(), trailing.text());
        assertTrue(trailing.text().contains("after the end"), trailing.text());
        Http.Resp utf16 = TestApi.http().send(TestApi.http().builder("/api/v1/auth/login", null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray("{\"login\":\"a\",\"password\":\"b\"}"
                        .getBytes(StandardCharsets.UTF_16LE))));
        assertEquals(400, utf16.status(), utf16.text());
        assertTrue(utf16.text().contains("UTF-8"), utf16.text());
        Http.Resp latin1 = TestApi.http().send(TestApi.http().builder("/api/v1/me", token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray("{\"displayName\":\"caf\u00e9\"}"
                        .getBytes(StandardCharsets.ISO_8859_1))));
        assertEquals(400, latin1.status(), latin1.text());
        Http.Resp nul = TestApi.http().send(TestApi.http().builder("/api/v1/me", token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"displayName\":\"a\\u0000b\"}")));
        assertEquals(422, nul.status(), nul.text());
        assertTrue(nul.text().contains("displayName") && nul.text().contains("NUL"), nul.text());
    }

    @Test
    void problemsNameFieldsNotJavaTypes() {
        Http.Resp wrongType = TestApi.http().post("/api/v1/auth/login", null, "[1,2]");
        Http.Resp wrongField = TestApi.http().post("/api/v1/auth/login", null, "{\"login\":{\"a\":1},\"password\":\"x\"}");
        Http.Resp deep = TestApi.http().post("/api/v1/auth/login", null, "[".repeat(5_000) + "]".repeat(5_000));
        Http.Resp ban = TestApi.http().post("/api/v1/admin/users/" + known.get("user") + "/ban", freshAdmin(),
                "{\"reason\":\"spam\",\"expiresAt\":\"+300000-01-01T00:00:00Z\"}");
        for (Http.Resp r : List.of(wrongType, wrongField, deep, ban)) {
            assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.text());
            assertJavaFree(r.text(), r.text());
        }
        assertTrue(wrongField.text().contains("'login' must be a string"), wrongField.text());
        assertEquals(422, ban.status(), ban.text());
        assertTrue(ban.text().contains("expiresAt"), ban.text());
    }

    // --- the attack -------------------------------------------------------------------------------------------

    private static void attack(String method, String template, JsonNode op) {
        if (template.endsWith("/notifications/stream")) {
            return; // an event stream never ends; NotificationsTest covers its bad input
        }
        List<String> pathParams = new ArrayList<>();
        List<String> queryParams = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
            (p.get("in").asText().equals("path") ? pathParams : queryParams).add(p.get("name").asText());
        }
        JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
        List<String> concretePaths = new ArrayList<>();
        for (String id : known.values()) {
            if (!method.equals("DELETE") || id.equals(known.get("random"))) { // keep the objects the others need
                concretePaths.add(template.replaceAll("\\{[^}]+}", id));
            }
        }
        if (pathParams.isEmpty()) {
            concretePaths = List.of(template);
        }
        String token = freshAdmin();
        // hostile path parameters
        for (String bad : List.of("a%00b", "%ED%A0%80", randomText(3_000), "..%2F..%2Fetc")) {
            for (String p : pathParams) {
                String concrete = template.replace("{" + p + "}", bad).replaceAll("\\{[^}]+}", known.get("random"));
                send(method, concrete, schema.isMissingNode() ? null : plausible(schema, "").toString(), token,
                        "path parameter " + p);
            }
        }
        for (String concrete : concretePaths) {
            // hostile query parameters, one at a time, and forged cursors
            for (String q : queryParams) {
                List<String> values = new ArrayList<>(HOSTILE_QUERY);
                if (q.equals("cursor")) {
                    values.addAll(forgedCursors());
                }
                for (String v : values) {
                    send(method, concrete + "?" + q + "=" + v, schema.isMissingNode() ? null : plausible(schema, "").toString(),
                            token, "query " + q + "=" + abbreviate(v));
                }
            }
            if (schema.isMissingNode()) {
                send(method, concrete, null, token, "no body");
                continue;
            }
            // every string of the body hostile at once, then each in turn with the rest plausible
            for (String hostile : HOSTILE_JSON_STRINGS) {
                String all = plausible(schema, "*").toString().replace(MARK, hostile);
                send(method, concrete, all, token, "every string " + abbreviate(hostile));
            }
            List<String> leaves = new ArrayList<>();
            collectLeaves(schema, "", leaves);
            for (String leaf : leaves) {
                JsonNode s = leafSchema(schema, leaf);
                List<String> values = isInstant(s) ? HOSTILE_JSON_INSTANTS
                        : s.path("type").asText().equals("integer") || s.path("type").asText().equals("number")
                        ? HOSTILE_JSON_NUMBERS : HOSTILE_JSON_STRINGS;
                for (String hostile : values) {
                    String body = plausible(schema, leaf).toString().replace(MARK, hostile);
                    send(method, concrete, body, token, "field " + leaf + "=" + abbreviate(hostile));
                }
            }
            // anonymous: the same route with the worst body, to reach whatever runs before authentication
            send(method, concrete, plausible(schema, "*").toString().replace(MARK, HOSTILE_JSON_STRINGS.get(0)), null,
                    "anonymous");
        }
    }

    private static void send(String method, String path, String body, String token, String what) {
        requests++;
        TestApi.api(); // node started
        for (String key : List.of("register:ip:127.0.0.1", "login:ip:127.0.0.1", "reset:ip:127.0.0.1")) {
            TestApi.inProcess().resetRateLimit(key);
        }
        HttpRequest.Builder b;
        try {
            b = TestApi.http().builder(path, token);
        } catch (IllegalArgumentException e) {
            return; // a URI the client itself refuses to send
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        Http.Resp r = TestApi.http().send(b);
        String where = method + " " + abbreviate(path) + " [" + what + (token == null ? ", anonymous" : "") + "]";
        if (r.status() >= 500) {
            failures.add(where + " → " + r.status() + " " + abbreviate(r.text()));
        } else if (r.status() >= 400 && !String.valueOf(r.header("Content-Type")).startsWith("application/problem+json")
                && !path.startsWith("/api/v1/titles/") /* posters answer images */) {
            failures.add(where + " → " + r.status() + " without a problem+json body");
        } else if (r.status() >= 400 && javaInside(r.text())) {
            failures.add(where + " → " + r.status() + " names Java: " + abbreviate(r.text()));
        }
    }

    private static String freshAdmin() {
        // a hostile call may log the admin out or revoke the session: sign in again for every operation
        Http.Resp r = TestApi.login(admin.username(), admin.password());
        assertEquals(200, r.status(), r.text());
        return r.json().get("accessToken").asText();
    }

    private static List<String> forgedCursors() {
        Function<String, String> b64 = s -> Base64.getUrlEncoder().withoutPadding()
                .encodeToString(s.getBytes(StandardCharsets.UTF_8));
        return List.of(b64.apply("v1\nnewest\n+300000-01-01T00:00:00Z\n" + UUID.randomUUID()),
                b64.apply("v1\n-300000-01-01T00:00:00Z\n" + UUID.randomUUID()),
                b64.apply("v1\nname\na\u0000b\n" + UUID.randomUUID()),
                b64.apply("v2\n+300000-01-01T00:00:00Z") + "." + b64.apply("0123456789abcdef"),
                "!!!", "a.b.c", "%00");
    }

    // --- bodies from schemas ----------------------------------------------------------------------------------

    /**
     * @param schema the operation's body schema
     * @param hostileAt the leaf to mark ("*" every string), others plausible
     */
    private static JsonNode plausible(JsonNode schema, String hostileAt) {
        return value(resolve(schema), "", hostileAt);
    }

    private static JsonNode value(JsonNode schema, String at, String hostileAt) {
        schema = resolve(schema);
        boolean hit = at.equals(hostileAt) || (hostileAt.equals("*") && schema.path("type").asText().equals("string"));
        if (hit) {
            return F.textNode("__HOSTILE__");
        }
        String type = schema.path("type").asText("object");
        switch (type) {
            case "object" -> {
                ObjectNode o = F.objectNode();
                JsonNode props = schema.path("properties");
                props.fieldNames().forEachRemaining(n -> o.set(n, value(props.get(n), join(at, n), hostileAt)));
                if (props.isEmpty() && schema.has("additionalProperties")) {
                    o.set("en", value(schema.get("additionalProperties"), join(at, "en"), hostileAt));
                }
                return o;
            }
            case "array" -> {
                ArrayNode a = F.arrayNode();
                a.add(value(schema.path("items"), at + "[0]", hostileAt));
                return a;
            }
            case "integer", "number" -> {
                return F.numberNode(1);
            }
            case "boolean" -> {
                return F.booleanNode(false);
            }
            default -> {
                if (schema.has("enum")) {
                    return schema.get("enum").get(0);
                }
                if (isInstant(schema)) {
                    return F.textNode("2030-01-01T00:00:00Z");
                }
                String name = at.toLowerCase(java.util.Locale.ROOT);
                String u = UUID.randomUUID().toString().substring(0, 8);
                if (name.contains("email")) {
                    return F.textNode("h" + u + "@example.org");
                }
                if (name.contains("password")) {
                    return F.textNode("correct horse battery " + u);
                }
                if (name.contains("username") || name.contains("login")) {
                    return F.textNode("h" + u);
                }
                if (name.endsWith("id") || "uuid".equals(schema.path("format").asText())) {
                    return F.textNode(known.getOrDefault("title", u));
                }
                if (name.contains("language")) {
                    return F.textNode("en");
                }
                return F.textNode("Plausible " + u);
            }
        }
    }

    private static void collectLeaves(JsonNode schema, String at, List<String> out) {
        schema = resolve(schema);
        String type = schema.path("type").asText("object");
        if (type.equals("object")) {
            JsonNode props = schema.path("properties");
            props.fieldNames().forEachRemaining(n -> collectLeaves(props.get(n), join(at, n), out));
            if (props.isEmpty() && schema.has("additionalProperties")) {
                collectLeaves(schema.get("additionalProperties"), join(at, "en"), out);
            }
        } else if (type.equals("array")) {
            collectLeaves(schema.path("items"), at + "[0]", out);
        } else if (!type.equals("boolean") && !schema.has("enum")) {
            out.add(at);
        }
    }

    private static JsonNode leafSchema(JsonNode schema, String leaf) {
        JsonNode s = resolve(schema);
        for (String part : leaf.replace("[0]", ".[0]").split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            s = part.equals("[0]") ? resolve(s.path("items"))
                    : s.path("properties").has(part) ? resolve(s.path("properties").get(part))
                    : resolve(s.path("additionalProperties"));
        }
        return s;
    }

    private static JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            schema = doc.at(ref.substring(1));
        }
        return schema;
    }

    private static boolean isInstant(JsonNode schema) {
        return "date-time".equals(schema.path("format").asText());
    }

    private static String join(String at, String name) {
        return at.isEmpty() ? name : at + "." + name;
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static boolean javaInside(String text) {
        return text.contains("dev.kino") || text.contains("java.") || text.contains("com.fasterxml")
                || text.contains("StreamReadConstraints") || text.contains("`");
    }

    private static void assertJavaFree(String text, String message) {
        assertTrue(!javaInside(text), message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 100) + "…(" + s.length() + " chars)";
    }

    private static String randomText(int n) {
        Random r = new Random(n);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }
}
