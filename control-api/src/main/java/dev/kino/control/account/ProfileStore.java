package dev.kino.control.account;

import dev.kino.control.ForbiddenException;
import dev.kino.control.NotFoundException;
import dev.kino.control.account.AccountTypes.Maturity;
import dev.kino.control.account.AccountTypes.Me;
import dev.kino.control.auth.RoleStore;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns the profile columns of {@code accounts} ({@code display_name}, {@code avatar_url}, {@code bio},
 * {@code audio_languages}, {@code subtitle_languages}, {@code maturity}); the identity and credential columns of the
 * same rows are auth's. Roles and permissions come from auth's {@link RoleStore}.
 */
public final class ProfileStore {
    private final Jdbi jdbi;
    private final Clock clock;
    private final RoleStore roles;

    public ProfileStore(Jdbi jdbi, Clock clock, RoleStore roles) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.roles = roles;
    }

    /** @return the account as its holder sees it @throws NotFoundException for an unknown account */
    public Me me(UUID id) {
        Me profile = jdbi.withHandle(h -> h.createQuery("select * from accounts where id = :id").bind("id", id)
                        .map((rs, ctx) -> new Me(id, rs.getString("email"), rs.getObject("email_verified_at") != null,
                                rs.getString("username"), rs.getString("display_name"), rs.getString("avatar_url"),
                                rs.getString("bio"), strings(rs, "audio_languages"), strings(rs, "subtitle_languages"),
                                Maturity.of(rs.getString("maturity")), List.of(), List.of(),
                                instant(rs, "created_at"), rs.getBoolean("show_activity"),
                                rs.getObject("deletion_due_at") == null ? null : new AccountTypes.Deletion(
                                        instant(rs, "deletion_requested_at"), instant(rs, "deletion_due_at"),
                                        AccountTypes.Deletion.CANCEL)))
                        .findOne())
                .orElseThrow(() -> new NotFoundException("no account " + id));
        return new Me(profile.id(), profile.email(), profile.emailVerified(), profile.username(), profile.displayName(),
                profile.avatarUrl(), profile.bio(), profile.preferredAudioLanguages(),
                profile.preferredSubtitleLanguages(), profile.maturity(), roles.rolesOf(id), roles.permissionsOf(id),
                profile.createdAt(), profile.showActivity(), profile.deletion());
    }

    /**
     * What other people see of an account next to what it wrote.
     *
     * @param id account id
     * @param username its username
     * @param displayName its display name, or absent
     * @param avatarUrl its avatar, or absent
     */
    public record PublicName(UUID id, String username, String displayName, String avatarUrl) {
    }

    /** @return the public names of those of {@code ids} that exist, by id (a map that answers null for a null key) */
    public Map<UUID, PublicName> publicNames(java.util.Collection<UUID> ids) {
        Map<UUID, PublicName> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        // an erased account (its owner deleted it) is shown as "deleted user" next to what it wrote
        jdbi.useHandle(h -> h.createQuery("select id, case when deleted_at is null then username else 'deleted user' end,"
                        + " display_name, avatar_url from accounts where id = any(:ids)")
                .bindArray("ids", UUID.class, ids.toArray())
                .map((rs, ctx) -> new PublicName(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4)))
                .forEach(n -> out.put(n.id(), n)));
        return out;
    }

    /**
     * What a public profile shows of an account.
     *
     * @param username username
     * @param displayName display name, or null
     * @param avatarUrl avatar, or null
     * @param bio bio, or null
     * @param joinedAt when the account was made
     * @param showActivity whether it shows what it watched and rated
     */
    public record PublicProfileRow(String username, String displayName, String avatarUrl, String bio, Instant joinedAt,
                                   boolean showActivity) {
    }

    /** Sets the avatar URL to the one Kino serves (the uploaded avatar's), or clears it. */
    public void setAvatarUrl(UUID id, String url) {
        jdbi.useHandle(h -> h.createUpdate("update accounts set avatar_url = :u where id = :id").bind("u", url)
                .bind("id", id).execute());
    }

    /** @return the public part of an account, if it exists */
    public Optional<PublicProfileRow> publicProfile(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select username, display_name, avatar_url, bio, created_at, show_activity"
                        + " from accounts where id = :id and deleted_at is null").bind("id", id)
                .map((rs, ctx) -> new PublicProfileRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getBoolean(6))).findOne());
    }

    /** @return the ids of those usernames (matched case-insensitively) that exist, by the username as given */
    public Map<String, UUID> idsOfUsernames(java.util.Collection<String> usernames) {
        if (usernames.isEmpty()) {
            return Map.of();
        }
        Map<String, UUID> byLower = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select lower(username), id from accounts where lower(username) = any(:names) and deleted_at is null")
                .bindArray("names", String.class, usernames.stream().map(u -> u.toLowerCase(java.util.Locale.ROOT)).toArray())
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getObject(2, UUID.class)))
                .forEach(e -> byLower.put(e.getKey(), e.getValue())));
        Map<String, UUID> out = new LinkedHashMap<>();
        for (String u : usernames) {
            UUID id = byLower.get(u.toLowerCase(java.util.Locale.ROOT));
            if (id != null) {
                out.put(u, id);
            }
        }
        return out;
    }

    /** @return the account's maturity setting (the column's text), or empty for an unknown account */
    public Optional<String> maturity(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select maturity from accounts where id = :id").bind("id", id)
                .mapTo(String.class).findOne());
    }

    /** Applies a checked patch; absent fields keep their value. */
    public void update(UUID id, ProfilePatch patch) {
        if (patch.empty()) {
            return;
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        if (patch.displayName() != null) {
            columns.put("display_name", patch.displayName().value());
        }
        if (patch.bio() != null) {
            columns.put("bio", patch.bio().value());
        }
        if (patch.avatarUrl() != null) {
            columns.put("avatar_url", patch.avatarUrl().value());
        }
        if (patch.audioLanguages() != null) {
            columns.put("audio_languages", patch.audioLanguages().toArray(String[]::new));
        }
        if (patch.subtitleLanguages() != null) {
            columns.put("subtitle_languages", patch.subtitleLanguages().toArray(String[]::new));
        }
        if (patch.maturity() != null) {
            columns.put("maturity", patch.maturity().name());
        }
        if (patch.showActivity() != null) {
            columns.put("show_activity", patch.showActivity());
        }
        jdbi.useTransaction(h -> {
            if (patch.maturity() != null) {
                String current = h.createQuery("select maturity from accounts where id = :id for update")
                        .bind("id", id).mapTo(String.class).findOne()
                        .orElseThrow(() -> new NotFoundException("no account " + id));
                if (patch.maturity().maxAge() > Maturity.maxAgeOf(current)) {
                    // A restricted viewer must not lift its own restriction: only someone with users.manage may
                    // (and, once an account has several viewer profiles, its owner's unrestricted profile).
                    throw new ForbiddenException("maturity can only be lowered here (from " + current + " to something"
                            + " stricter); raising it to " + patch.maturity() + " needs an administrator");
                }
            }
            StringBuilder sql = new StringBuilder("update accounts set updated_at = :now");
            columns.keySet().forEach(c -> sql.append(", ").append(c).append(" = :").append(c)); // NOTE: column names are constants above
            var update = h.createUpdate(sql.append(" where id = :id").toString())
                    .bind("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).bind("id", id);
            columns.forEach((c, value) -> {
                if (value instanceof String[] arr) {
                    update.bindArray(c, String.class, (Object[]) arr);
                } else if (value instanceof Boolean b) {
                    update.bind(c, b);
                } else {
                    update.bind(c, (String) value);
                }
            });
            update.execute();
        });
    }

    /**
     * Sets an account's maturity limit in either direction: the act of someone with {@code users.manage}.
     *
     * @throws NotFoundException when there is no such account
     */
    public void setMaturity(UUID id, Maturity maturity) {
        int n = jdbi.withHandle(h -> h.createUpdate("update accounts set maturity = :m, updated_at = :now where id = :id")
                .bind("m", maturity.name()).bind("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .bind("id", id).execute());
        if (n == 0) {
            throw new NotFoundException("no account " + id);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        java.sql.Array a = rs.getArray(column);
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }
}
