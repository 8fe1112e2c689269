package dev.kino.control.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.http.ApiException;
import dev.kino.control.http.Page;
import dev.kino.control.http.ProblemType;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.http.Validation;
import org.jdbi.v3.core.Jdbi;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PATCH;

/** {@code GET/PATCH /api/v1/me} and {@code GET /api/v1/me/sessions}: always the caller's own rows. */
public final class AccountRoutes {
    public static final int BIO_MAX = 2000;
    public static final int DISPLAY_NAME_MAX = 64;
    public static final int LANGUAGES_MAX = 10;

    /** What content an account may see. */
    public enum Maturity { kids, family, teen, adult }

    /**
     * @param id account id
     * @param email e-mail
     * @param emailVerified whether the address was confirmed
     * @param username username
     * @param displayName shown name
     * @param avatarUrl https image URL
     * @param bio free text
     * @param preferredAudioLanguages BCP 47 tags, most preferred first
     * @param preferredSubtitleLanguages BCP 47 tags, most preferred first
     * @param maturity content rating limit
     * @param roles role names
     * @param permissions granted permissions
     * @param createdAt registration time
     */
    public record Me(UUID id, String email, boolean emailVerified, String username, String displayName,
                     String avatarUrl, String bio, List<String> preferredAudioLanguages,
                     List<String> preferredSubtitleLanguages, Maturity maturity, List<String> roles,
                     List<String> permissions, Instant createdAt) {
    }

    /** Fields of PATCH /me; absent fields are unchanged, null clears a text field. */
    public record MePatch(String displayName, String avatarUrl, String bio, List<String> preferredAudioLanguages,
                          List<String> preferredSubtitleLanguages, Maturity maturity) {
    }

    /**
     * @param id session id
     * @param createdAt login time
     * @param lastUsedAt last refresh
     * @param expiresAt end unless refreshed
     * @param userAgent client at login
     * @param ip address at login
     * @param current whether the caller's access token belongs to it
     */
    public record SessionView(UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String userAgent,
                              String ip, boolean current) {
    }

    private AccountRoutes() {
    }

    public static void register(Router router, Jdbi jdbi, Clock clock) {
        router.route(GET, "/api/v1/me").summary("Your account").tag("me").authenticated().response(200, Me.class)
                .handler(req -> Response.ok(load(jdbi, req.principal(AuthenticatedUser.class).accountId())));
        router.route(PATCH, "/api/v1/me").summary("Change your profile and preferences").tag("me").authenticated()
                .request(MePatch.class).response(200, Me.class)
                .handler(req -> {
                    UUID id = req.principal(AuthenticatedUser.class).accountId();
                    update(jdbi, clock, id, req.bodyTree());
                    return Response.ok(load(jdbi, id));
                });
        router.route(GET, "/api/v1/me/sessions").summary("Your active sessions, newest first").tag("me")
                .authenticated().page(SessionView.class)
                .handler(req -> {
                    AuthenticatedUser user = req.principal(AuthenticatedUser.class);
                    Page.Cursor c = Page.request(req);
                    Instant afterAt = c.after() == null ? null : c.instant(0);
                    UUID afterId = c.after() == null ? null : c.uuid(1);
                    List<SessionView> rows = jdbi.withHandle(h -> h.createQuery("""
                                    select id, created_at, last_used_at, expires_at, user_agent, ip from sessions
                                    where account_id = :account and revoked_at is null and expires_at > :now
                                      and (cast(:afterAt as timestamptz) is null
                                           or (created_at, id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)))
                                    order by created_at desc, id desc limit :n""")
                            .bind("account", user.accountId()).bind("now", utc(clock.instant()))
                            .bind("afterAt", afterAt == null ? null : utc(afterAt)).bind("afterId", afterId)
                            .bind("n", c.fetch())
                            .map((rs, ctx) -> new SessionView(rs.getObject("id", UUID.class), instant(rs, "created_at"),
                                    instant(rs, "last_used_at"), instant(rs, "expires_at"), rs.getString("user_agent"),
                                    rs.getString("ip"), rs.getObject("id", UUID.class).equals(user.sessionId())))
                            .list());
                    return Response.ok(Page.of(c, rows, s -> List.of(s.createdAt().toString(), s.id().toString())));
                });
    }

    static Me load(Jdbi jdbi, UUID id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select a.*, array(select role_name from account_roles where account_id = a.id order by 1) as roles,
                               array(select distinct p from account_roles ar join roles r on r.name = ar.role_name,
                                     unnest(r.permissions) p where ar.account_id = a.id order by 1) as perms
                        from accounts a where a.id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new Me(id, rs.getString("email"), rs.getObject("email_verified_at") != null,
                        rs.getString("username"), rs.getString("display_name"), rs.getString("avatar_url"),
                        rs.getString("bio"), strings(rs, "audio_languages"), strings(rs, "subtitle_languages"),
                        Maturity.valueOf(rs.getString("maturity")), strings(rs, "roles"), strings(rs, "perms"),
                        instant(rs, "created_at")))
                .findOne()
                .orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "no account " + id)));
    }

    private static final Set<String> PATCHABLE = Set.of("displayName", "avatarUrl", "bio", "preferredAudioLanguages",
            "preferredSubtitleLanguages", "maturity");

    static void update(Jdbi jdbi, Clock clock, UUID id, JsonNode patch) {
        Validation v = new Validation();
        Map<String, Object> columns = new LinkedHashMap<>();
        for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PATCHABLE.contains(f)) {
                v.add(f, "is not a field of your profile (allowed: " + String.join(", ", new TreeSet<>(PATCHABLE)) + ")");
            }
        }
        text(patch, "displayName", DISPLAY_NAME_MAX, v).ifPresent(s -> columns.put("display_name", s.value()));
        text(patch, "bio", BIO_MAX, v).ifPresent(s -> columns.put("bio", s.value()));
        text(patch, "avatarUrl", 2048, v).ifPresent(s -> {
            if (s.value() != null && !isHttpsUrl(s.value())) {
                v.add("avatarUrl", "must be an https:// URL");
            }
            columns.put("avatar_url", s.value());
        });
        languages(patch, "preferredAudioLanguages", v).ifPresent(l -> columns.put("audio_languages", l));
        languages(patch, "preferredSubtitleLanguages", v).ifPresent(l -> columns.put("subtitle_languages", l));
        if (patch.has("maturity")) {
            JsonNode m = patch.get("maturity");
            try {
                columns.put("maturity", Maturity.valueOf(m.asText()).name());
                v.check("maturity", m.isTextual(), "must be a string");
            } catch (IllegalArgumentException e) {
                v.add("maturity", "must be one of " + List.of(Maturity.values()));
            }
        }
        v.throwIfInvalid();
        if (columns.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> {
            StringBuilder sql = new StringBuilder("update accounts set updated_at = :now");
            columns.keySet().forEach(c -> sql.append(", ").append(c).append(" = :").append(c)); // NOTE: column names are constants above
            var update = h.createUpdate(sql.append(" where id = :id").toString())
                    .bind("now", utc(clock.instant())).bind("id", id);
            columns.forEach((c, value) -> {
                if (value instanceof String[] arr) {
                    update.bindArray(c, String.class, (Object[]) arr);
                } else {
                    update.bind(c, (String) value);
                }
            });
            update.execute();
        });
    }

    private record Text(String value) {
    }

    private static java.util.Optional<Text> text(JsonNode patch, String field, int max, Validation v) {
        if (!patch.has(field)) {
            return java.util.Optional.empty();
        }
        JsonNode n = patch.get(field);
        if (n.isNull()) {
            return java.util.Optional.of(new Text(null));
        }
        if (!n.isTextual()) {
            v.add(field, "must be a string or null");
            return java.util.Optional.empty();
        }
        String s = n.asText().strip();
        v.check(field, s.codePointCount(0, s.length()) <= max, "must be at most " + max + " characters");
        return java.util.Optional.of(new Text(s.isEmpty() ? null : s));
    }

    private static java.util.Optional<String[]> languages(JsonNode patch, String field, Validation v) {
        if (!patch.has(field)) {
            return java.util.Optional.empty();
        }
        JsonNode n = patch.get(field);
        if (!n.isArray()) {
            v.add(field, "must be an array of BCP 47 language tags");
            return java.util.Optional.empty();
        }
        if (n.size() > LANGUAGES_MAX) {
            v.add(field, "must list at most " + LANGUAGES_MAX + " languages");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String tag = e.isTextual() ? e.asText() : null;
            String canonical = tag == null ? null : bcp47(tag);
            if (canonical == null) {
                v.add(field + "[" + i + "]", "must be a BCP 47 language tag such as en, pt-BR or zh-Hant");
            } else if (!out.contains(canonical)) {
                out.add(canonical);
            }
        }
        return java.util.Optional.of(out.toArray(String[]::new));
    }

    /** @return the canonical form of a well-formed BCP 47 tag with a language, or null */
    static String bcp47(String tag) {
        try {
            Locale l = new Locale.Builder().setLanguageTag(tag).build();
            return l.getLanguage().isEmpty() ? null : l.toLanguageTag();
        } catch (IllformedLocaleException e) {
            return null;
        }
    }

    static boolean isHttpsUrl(String s) {
        try {
            URI u = new URI(s);
            return "https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && !u.getHost().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static List<String> strings(ResultSet rs, String column) throws SQLException {
        java.sql.Array a = rs.getArray(column);
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
