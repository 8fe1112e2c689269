package dev.kino.control.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.ConflictException;
import dev.kino.control.ForbiddenException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.RateLimitedException;
import dev.kino.control.Validation;
import dev.kino.control.account.AccountTypes.Maturity;
import dev.kino.control.auth.PasswordHasher;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Owns {@code profiles}: the viewer profiles of an account ("who's watching?"). Every account has one primary
 * profile (made with the account, see migration V150) and up to its limit in all: the plan's {@code maxProfiles} while
 * the plan's entitlements apply, else {@code billing.defaultMaxProfiles}. Each profile has a name, a maturity (the
 * catalogue's scale, {@link Maturity}; the account's own limit still caps it), an optional avatar (the
 * {@link Avatars} pipeline: only a re-encoded PNG is kept) and an optional PIN of 4 to 6 digits, stored as its
 * {@link PasswordHasher} hash. Watch history, resume positions, watchlist, ratings, recommendations and notification
 * settings belong to a profile (their owners key them by {@code profile_id}); plans, playback authorisation and the
 * concurrent-stream limit stay the account's.
 *
 * <p>Who may do what: the primary profile (the account holder) manages every profile (create, rename, maturity, PIN,
 * delete); another profile may only rename itself, change its own avatar and lower its own maturity, so that a child's
 * profile cannot raise its limit, clear a PIN or reach the primary. A PIN is checked on every switch to its profile
 * (the primary's too); {@value #MAX_PIN_FAILURES} wrong PINs in a row lock the profile for {@link #PIN_LOCKOUT}.
 */
public final class Profiles {
    /** Wrong PINs in a row before a profile refuses PINs for {@link #PIN_LOCKOUT}. */
    public static final int MAX_PIN_FAILURES = 5;
    /** How long a profile refuses PINs after {@link #MAX_PIN_FAILURES} wrong ones. */
    public static final Duration PIN_LOCKOUT = Duration.ofMinutes(15);
    /** Longest profile name, characters. */
    public static final int NAME_MAX = 40;
    private static final Pattern PIN = Pattern.compile("\\d{4,6}");
    private static final Set<String> PATCHABLE = Set.of("name", "maturity", "pin");
    /** Advisory lock class serialising profile creation per account (the limit holds under concurrent requests). */
    private static final int CREATE_LOCK = 0x50524f46; // "PROF"

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Function<UUID, Optional<Integer>> planMaxProfiles;
    private final int defaultMaxProfiles;
    private final ProfileDataRemoval removal;
    private final Clock clock;
    private volatile java.util.function.Consumer<UUID> sessionsChanged = a -> { };

    /** Lets owners of per-profile rows that keep derived figures (ratings' per-title statistics) update them. */
    @FunctionalInterface
    public interface ProfileDataRemoval {
        /** Called in the transaction that deletes the profiles, before they are deleted (their rows cascade). */
        void removing(Handle h, List<UUID> profileIds);
    }

    /**
     * @param planMaxProfiles an account's plan limit while its entitlements apply, or empty
     * @param defaultMaxProfiles the limit of accounts without one ({@code billing.defaultMaxProfiles})
     * @param removal hears of profiles about to be deleted
     */
    public Profiles(Jdbi jdbi, PasswordHasher hasher, Function<UUID, Optional<Integer>> planMaxProfiles,
                    int defaultMaxProfiles, ProfileDataRemoval removal, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.planMaxProfiles = planMaxProfiles;
        this.defaultMaxProfiles = defaultMaxProfiles;
        this.removal = removal;
        this.clock = clock;
    }

    /**
     * One viewer profile, as {@code /api/v1/me/profiles} shows it.
     *
     * @param id profile id
     * @param name shown name, 1 to {@value #NAME_MAX} characters
     * @param maturity what it may watch (the account's limit still applies)
     * @param primary whether it is the account's primary profile (cannot be deleted)
     * @param pinSet whether switching to it asks for a PIN
     * @param avatarUrl its avatar ({@code GET}, with the caller's token), or null
     * @param current whether the caller's session acts as it
     * @param createdAt when it was made
     */
    public record ProfileView(UUID id, String name, Maturity maturity, boolean primary, boolean pinSet,
                              String avatarUrl, boolean current, Instant createdAt) {
    }

    /**
     * @param profiles the account's profiles, the primary first, then oldest first
     * @param maxProfiles how many the account may have now
     */
    public record ProfileList(List<ProfileView> profiles, int maxProfiles) {
    }

    /**
     * A new profile.
     *
     * @param name 1 to {@value #NAME_MAX} characters, unique in the account (case-insensitive)
     * @param maturity {@code kids}, {@code family}, {@code teen} or {@code adult}; absent: {@code adult}
     * @param pin 4 to 6 digits, or absent for none
     */
    public record ProfileInput(String name, Maturity maturity, String pin) {
    }

    /**
     * A change (JSON merge patch): absent fields stay.
     *
     * @param name new name
     * @param maturity new maturity
     * @param pin new PIN (4 to 6 digits), or null to remove it
     */
    public record ProfilePatchInput(String name, Maturity maturity, String pin) {
    }

    /** @param pin the profile's PIN, required when it has one */
    public record SelectRequest(String pin) {
    }

    private record Row(UUID id, UUID accountId, String name, String maturity, String pinHash, int pinFailures,
                       Instant pinLockedUntil, boolean primary, String avatarEtag, Instant createdAt) {
        ProfileView view(UUID current) {
            return new ProfileView(id, name, Maturity.of(maturity), primary, pinHash != null,
                    avatarEtag == null ? null : "/api/v1/me/profiles/" + id + "/avatar", id.equals(current), createdAt);
        }
    }

    private static final String COLUMNS = "id, account_id, name, maturity, pin_hash, pin_failures, pin_locked_until,"
            + " is_primary, avatar_etag, created_at";

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp locked = rs.getTimestamp("pin_locked_until");
        return new Row(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class), rs.getString("name"),
                rs.getString("maturity"), rs.getString("pin_hash"), rs.getInt("pin_failures"),
                locked == null ? null : locked.toInstant(), rs.getBoolean("is_primary"), rs.getString("avatar_etag"),
                rs.getTimestamp("created_at").toInstant());
    }

    /** @return how many profiles the account may have now: its plan's limit, else the configured default */
    public int maxProfiles(UUID accountId) {
        return planMaxProfiles.apply(accountId).orElse(defaultMaxProfiles);
    }

    /**
     * @param current the profile the caller acts as
     * @return the account's profiles
     */
    public ProfileList list(UUID accountId, UUID current) {
        List<ProfileView> views = jdbi.withHandle(h -> h.createQuery("select " + COLUMNS
                        + " from profiles where account_id = :a order by is_primary desc, created_at, id")
                .bind("a", accountId).map((rs, ctx) -> row(rs)).list())
                .stream().map(r -> r.view(current)).toList();
        return new ProfileList(views, maxProfiles(accountId));
    }

    /** @return the account's primary profile id */
    public UUID primaryOf(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("select id from profiles where account_id = :a and is_primary")
                .bind("a", accountId).mapTo(UUID.class).one());
    }

    /** @return every profile id of the account, the primary first (the data export walks them) */
    public List<ProfileView> all(UUID accountId) {
        return list(accountId, null).profiles();
    }

    /** @throws NotFoundException unless the profile is the account's (another account's profile is "not found") */
    private Row own(Handle h, UUID accountId, UUID profileId, boolean lock) {
        return h.createQuery("select " + COLUMNS + " from profiles where id = :p and account_id = :a"
                        + (lock ? " for update" : ""))
                .bind("p", profileId).bind("a", accountId).map((rs, ctx) -> row(rs)).findOne()
                .orElseThrow(() -> new NotFoundException("no profile " + profileId));
    }

    private Row own(UUID accountId, UUID profileId) {
        return jdbi.withHandle(h -> own(h, accountId, profileId, false));
    }

    /** @return one of the account's profiles @throws NotFoundException when it is not the account's */
    public ProfileView get(UUID accountId, UUID profileId, UUID current) {
        return own(accountId, profileId).view(current);
    }

    private void requirePrimary(UUID accountId, UUID actingProfile, String what) {
        if (!own(accountId, actingProfile).primary()) {
            throw new ForbiddenException(what + " is done from the account's primary profile; switch to it first");
        }
    }

    /**
     * Adds a profile (from the primary profile).
     *
     * @param acting the profile the caller acts as
     * @throws ForbiddenException when the caller is not acting as the primary profile
     * @throws ConflictException at the account's limit (named in the detail), or for a name already used
     * @throws InvalidInputException for a bad name, maturity or PIN
     */
    public ProfileView create(UUID accountId, UUID acting, ProfileInput in) {
        Validation v = new Validation();
        String name = name(in.name(), v);
        String pin = in.pin();
        if (pin != null) {
            v.check("pin", PIN.matcher(pin).matches(), "must be 4 to 6 digits");
        }
        v.throwIfInvalid();
        requirePrimary(accountId, acting, "adding a profile");
        String pinHash = pin == null ? null : hasher.hash(pin); // before the transaction: hashing is slow on purpose
        int max = maxProfiles(accountId);
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbi.useTransaction(h -> {
                h.execute("select pg_advisory_xact_lock(?, hashtext(?))", CREATE_LOCK, accountId.toString());
                int count = h.createQuery("select count(*) from profiles where account_id = :a").bind("a", accountId)
                        .mapTo(int.class).one();
                if (count >= max) {
                    throw new ConflictException("this account already has " + count + " viewer profiles, its limit ("
                            + "maxProfiles = " + max + ", from its plan or billing.defaultMaxProfiles); delete one"
                            + " or choose a plan with more");
                }
                h.createUpdate("""
                                insert into profiles (id, account_id, name, maturity, pin_hash, is_primary, created_at,
                                                      updated_at)
                                values (:id, :a, :n, :m, :pin, false, :now, :now)""")
                        .bind("id", id).bind("a", accountId).bind("n", name)
                        .bind("m", (in.maturity() == null ? Maturity.adult : in.maturity()).name())
                        .bind("pin", pinHash).bind("now", now).execute();
            });
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            throw duplicateName(e, name);
        }
        return get(accountId, id, acting);
    }

    private static RuntimeException duplicateName(org.jdbi.v3.core.statement.UnableToExecuteStatementException e,
                                                  String name) {
        if (e.getCause() instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) {
            return new ConflictException("this account already has a profile named \"" + name + "\"");
        }
        return e;
    }

    private static String name(String raw, Validation v) {
        if (!v.required("name", raw)) {
            return null;
        }
        String name = raw.strip();
        v.check("name", !name.isEmpty() && name.codePointCount(0, name.length()) <= NAME_MAX
                        && name.codePoints().noneMatch(Character::isISOControl),
                "must be 1 to " + NAME_MAX + " characters, no control characters");
        return name;
    }

    /**
     * Reads a merge-patch body, where an absent field and a null one differ ({@code "pin": null} removes the PIN).
     *
     * @throws InvalidInputException listing every invalid or unknown field
     */
    public static Patch parsePatch(JsonNode body) {
        Validation v = new Validation();
        if (body == null || !body.isObject()) {
            throw InvalidInputException.of("body", "must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PATCHABLE.contains(f)) {
                v.add(f, "is not a field of a profile (allowed: " + String.join(", ", new TreeSet<>(PATCHABLE)) + ")");
            }
        }
        String name = null;
        if (body.has("name")) {
            JsonNode n = body.get("name");
            name = name(n.isTextual() ? n.asText() : null, v);
        }
        Maturity maturity = null;
        if (body.has("maturity")) {
            JsonNode m = body.get("maturity");
            try {
                maturity = m.isTextual() ? Maturity.valueOf(m.asText()) : null;
            } catch (IllegalArgumentException e) {
                maturity = null;
            }
            v.check("maturity", maturity != null, "must be one of " + List.of(Maturity.values()));
        }
        boolean pinChanges = body.has("pin");
        String pin = null;
        if (pinChanges && !body.get("pin").isNull()) {
            JsonNode p = body.get("pin");
            pin = p.isTextual() ? p.asText() : "";
            v.check("pin", PIN.matcher(pin).matches(), "must be 4 to 6 digits, or null to remove it");
        }
        v.throwIfInvalid();
        return new Patch(name, maturity, pinChanges, pin);
    }

    /**
     * A parsed change.
     *
     * @param name new name, or null to keep
     * @param maturity new maturity, or null to keep
     * @param pinChanges whether the PIN is set or removed
     * @param pin the new PIN, or null to remove it (when {@code pinChanges})
     */
    public record Patch(String name, Maturity maturity, boolean pinChanges, String pin) {
        boolean empty() {
            return name == null && maturity == null && !pinChanges;
        }
    }

    /**
     * Changes a profile.
     *
     * @param acting the profile the caller acts as
     * @throws NotFoundException when the profile is not the account's
     * @throws ForbiddenException when a profile other than the primary changes another profile, raises its own
     *                            maturity or changes its own PIN
     */
    public ProfileView update(UUID accountId, UUID acting, UUID profileId, Patch patch) {
        Row target = own(accountId, profileId);
        boolean fromPrimary = own(accountId, acting).primary();
        if (!fromPrimary) {
            if (!profileId.equals(acting)) {
                throw new ForbiddenException("another profile is changed from the account's primary profile");
            }
            if (patch.pinChanges()) {
                throw new ForbiddenException("a profile's PIN is set from the account's primary profile");
            }
            if (patch.maturity() != null && patch.maturity().maxAge() > Maturity.maxAgeOf(target.maturity())) {
                throw new ForbiddenException("a profile can only lower its own maturity; raising it to "
                        + patch.maturity() + " is done from the account's primary profile");
            }
        }
        if (patch.empty()) {
            return target.view(acting);
        }
        String pinHash = patch.pinChanges() && patch.pin() != null ? hasher.hash(patch.pin()) : null;
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            update profiles set name = coalesce(:n, name), maturity = coalesce(:m, maturity),
                                   pin_hash = case when :pinChanges then :pin else pin_hash end,
                                   pin_failures = case when :pinChanges then 0 else pin_failures end,
                                   pin_locked_until = case when :pinChanges then null else pin_locked_until end,
                                   updated_at = :now
                             where id = :p and account_id = :a""")
                    .bind("n", patch.name()).bind("m", patch.maturity() == null ? null : patch.maturity().name())
                    .bind("pinChanges", patch.pinChanges()).bind("pin", pinHash)
                    .bind("now", Timestamp.from(clock.instant())).bind("p", profileId).bind("a", accountId).execute());
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            throw duplicateName(e, patch.name());
        }
        return get(accountId, profileId, acting);
    }

    /**
     * Deletes a profile with its history, resume positions, watchlist, ratings, recommendations and notification
     * settings. Sessions acting as it end (their devices sign in again).
     *
     * @throws NotFoundException when the profile is not the account's
     * @throws ForbiddenException when the caller is not acting as the primary profile
     * @throws ConflictException for the primary profile
     */
    public void delete(UUID accountId, UUID acting, UUID profileId) {
        Row target = own(accountId, profileId);
        requirePrimary(accountId, acting, "deleting a profile");
        if (target.primary()) {
            throw new ConflictException("the primary profile cannot be deleted (it is the account's own)");
        }
        jdbi.useTransaction(h -> {
            own(h, accountId, profileId, true);
            // Devices watching as it are signed out, not moved to the primary profile: that one may have a PIN,
            // and nothing but its PIN opens it.
            h.createUpdate("update sessions set revoked_at = :now, revoke_reason = 'profile-deleted'"
                            + " where profile_id = :p and revoked_at is null")
                    .bind("now", Timestamp.from(clock.instant())).bind("p", profileId).execute();
            removal.removing(h, List.of(profileId));
            h.createUpdate("delete from profiles where id = :p and account_id = :a and not is_primary")
                    .bind("p", profileId).bind("a", accountId).execute();
        });
        // sessions that acted as it ended: what the authenticator cached about them is stale now
        sessionsChanged.accept(accountId);
    }

    /**
     * Sets the one listener told when an account's sessions changed profile without being switched (a deleted
     * profile's sessions fall back to the primary): the token authenticator forgets what it cached about them.
     */
    public void onSessionsChanged(java.util.function.Consumer<UUID> listener) {
        this.sessionsChanged = listener;
    }

    /**
     * Checks that the caller may switch to a profile: it is the account's, and when it has a PIN, the PIN given is
     * right. Wrong PINs count; after {@value #MAX_PIN_FAILURES} in a row the profile refuses every PIN for
     * {@link #PIN_LOCKOUT}. Nothing but the PIN opens a profile that has one.
     *
     * @param pin the PIN given, may be null
     * @throws NotFoundException when the profile is not the account's
     * @throws ForbiddenException when the PIN is missing or wrong
     * @throws RateLimitedException while the profile is locked after too many wrong PINs
     */
    public void checkSwitch(UUID accountId, UUID profileId, String pin) {
        Row p = own(accountId, profileId);
        if (p.pinHash() == null) {
            return;
        }
        Instant now = clock.instant();
        if (p.pinLockedUntil() != null && now.isBefore(p.pinLockedUntil())) {
            throw locked(Duration.between(now, p.pinLockedUntil()));
        }
        if (pin == null || pin.isEmpty()) {
            throw new ForbiddenException("this profile is locked with a PIN: send {\"pin\": \"...\"}");
        }
        boolean right = PIN.matcher(pin).matches() && hasher.verify(pin, p.pinHash());
        if (right) {
            jdbi.useHandle(h -> h.createUpdate("update profiles set pin_failures = 0, pin_locked_until = null"
                    + " where id = :p").bind("p", profileId).execute());
            return;
        }
        // counted in one statement, so concurrent guesses cannot all see a low count
        Instant lockedUntil = jdbi.withHandle(h -> h.createQuery("""
                        update profiles set
                               pin_failures = case when pin_failures + 1 >= :max then 0 else pin_failures + 1 end,
                               pin_locked_until = case when pin_failures + 1 >= :max then :until else pin_locked_until end
                         where id = :p returning pin_locked_until""")
                .bind("max", MAX_PIN_FAILURES).bind("until", Timestamp.from(now.plus(PIN_LOCKOUT)))
                .bind("p", profileId).mapTo(Timestamp.class).findOne().map(Timestamp::toInstant).orElse(null));
        if (lockedUntil != null && now.isBefore(lockedUntil)) {
            throw locked(Duration.between(now, lockedUntil));
        }
        throw new ForbiddenException("wrong PIN for this profile");
    }

    private static RateLimitedException locked(Duration left) {
        return new RateLimitedException("too many wrong PINs: this profile refuses PINs for "
                + Math.max(1, left.toMinutes()) + " more minute(s)", Math.max(1, left.toSeconds()));
    }

    // ---- avatars ----------------------------------------------------------------------------------------------

    /**
     * Sets a profile's avatar from an upload, through the {@link Avatars} pipeline (checked, cropped, scaled to
     * {@value Avatars#SIZE} pixels, re-encoded as PNG; the uploaded bytes are never kept).
     *
     * @throws NotFoundException when the profile is not the account's
     * @throws ForbiddenException when a profile other than the primary changes another's
     * @throws InvalidInputException when the upload is not an image within the limits
     */
    public void putAvatar(UUID accountId, UUID acting, UUID profileId, byte[] upload) {
        own(accountId, profileId);
        if (!profileId.equals(acting)) {
            requirePrimary(accountId, acting, "changing another profile's avatar");
        }
        byte[] png = Avatars.normalise(upload);
        String etag;
        try {
            etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png), 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        jdbi.useHandle(h -> h.createUpdate("update profiles set avatar_png = :png, avatar_etag = :e, updated_at = :now"
                        + " where id = :p and account_id = :a")
                .bind("png", png).bind("e", etag).bind("now", Timestamp.from(clock.instant()))
                .bind("p", profileId).bind("a", accountId).execute());
    }

    /** Removes a profile's avatar. @throws NotFoundException when the profile is not the account's */
    public void removeAvatar(UUID accountId, UUID acting, UUID profileId) {
        own(accountId, profileId);
        if (!profileId.equals(acting)) {
            requirePrimary(accountId, acting, "changing another profile's avatar");
        }
        jdbi.useHandle(h -> h.createUpdate("update profiles set avatar_png = null, avatar_etag = null where id = :p"
                + " and account_id = :a").bind("p", profileId).bind("a", accountId).execute());
    }

    /** @return a profile's avatar @throws NotFoundException when it is not the account's or has none */
    public Avatars.Avatar avatar(UUID accountId, UUID profileId) {
        return jdbi.withHandle(h -> h.createQuery("select avatar_png, avatar_etag from profiles where id = :p"
                        + " and account_id = :a and avatar_png is not null")
                .bind("p", profileId).bind("a", accountId)
                .map((rs, ctx) -> new Avatars.Avatar(rs.getBytes(1), rs.getString(2))).findOne())
                .orElseThrow(() -> new NotFoundException("no avatar for profile " + profileId));
    }
}
