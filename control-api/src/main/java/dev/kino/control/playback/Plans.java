package dev.kino.control.playback;

import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.auth.AccountStore;
import dev.kino.control.billing.SubscriptionStatus;
import dev.kino.control.playback.PlaybackTypes.Plan;
import dev.kino.control.playback.PlaybackTypes.PlanAssignment;
import dev.kino.control.playback.PlaybackTypes.Subscription;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns the playback feature's tables: {@code plans}, {@code subscriptions} and {@code playback_progress}. Blocking.
 * Whether an account exists is asked of auth's {@link AccountStore}. Billing ({@code dev.kino.control.billing})
 * moves subscriptions through their states from the payment provider's events; which states carry the plan's
 * entitlements is {@link SubscriptionStatus#entitled}'s rule.
 */
public final class Plans {
    /** {@code billing.gracePeriod}'s shipped default. */
    public static final Duration DEFAULT_GRACE = Duration.ofDays(7);

    private final Jdbi jdbi;
    private final Clock clock;
    private final AccountStore accounts;
    private final Duration grace;

    public Plans(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, DEFAULT_GRACE);
    }

    /** @param grace how long a past-due subscription keeps its entitlements ({@code billing.gracePeriod}) */
    public Plans(Jdbi jdbi, Clock clock, Duration grace) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.accounts = new AccountStore(jdbi);
        this.grace = grace;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** @return the plan of a {@code plans} row */
    public static Plan plan(ResultSet rs) throws SQLException {
        return new Plan(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("concurrent_streams"),
                rs.getInt("max_resolution"), rs.getLong("price_minor"), rs.getString("currency"), rs.getBoolean("offline"),
                rs.getString("billing_interval"), rs.getInt("trial_days"), rs.getInt("max_profiles"),
                rs.getString("provider_price_ref"));
    }

    /** @return the plan with that id */
    public Optional<Plan> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select * from plans where id = :id").bind("id", id)
                .map((rs, ctx) -> plan(rs)).findOne());
    }

    /** Records the payment provider's price made for a plan (the first checkout makes it). */
    public void setProviderPrice(UUID planId, String priceRef) {
        jdbi.useHandle(h -> h.createUpdate("update plans set provider_price_ref = :ref, updated_at = :now where id = :id")
                .bind("ref", priceRef).bind("now", now()).bind("id", planId).execute());
    }

    public List<Plan> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from plans order by price_minor, name")
                .map((rs, ctx) -> plan(rs)).list());
    }

    /**
     * @throws InvalidInputException for invalid fields
     * @throws ConflictException for a duplicate name
     */
    public Plan create(Plan in) {
        validate(in);
        UUID id = UUID.randomUUID();
        Instant now = now();
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            insert into plans (id, name, concurrent_streams, max_resolution, price_minor, currency, offline,
                                               billing_interval, trial_days, max_profiles, provider_price_ref,
                                               created_at, updated_at)
                            values (:id, :name, :streams, :res, :price, :cur, :offline, :interval, :trial, :profiles,
                                    :priceRef, :now, :now)""")
                    .bind("offline", Boolean.TRUE.equals(in.offline()))
                    .bind("interval", interval(in)).bind("trial", trialDays(in)).bind("profiles", maxProfiles(in))
                    .bind("priceRef", blankToNull(in.providerPriceRef()))
                    .bind("id", id).bind("name", in.name().trim()).bind("streams", in.concurrentStreams())
                    .bind("res", in.maxResolution()).bind("price", in.priceMinor()).bind("cur", in.currency())
                    .bind("now", now).execute());
        } catch (UnableToExecuteStatementException e) {
            throw new ConflictException("a plan named '" + in.name() + "' exists");
        }
        return new Plan(id, in.name().trim(), in.concurrentStreams(), in.maxResolution(), in.priceMinor(), in.currency(),
                Boolean.TRUE.equals(in.offline()), interval(in), trialDays(in), maxProfiles(in),
                blankToNull(in.providerPriceRef()));
    }

    /**
     * A change of a plan's terms; absent fields keep their value.
     *
     * @param name the name shown to viewers
     * @param priceMinor price per interval in the currency's minor units (cents)
     * @param currency ISO 4217 code
     * @param interval {@code month} or {@code year}
     * @param trialDays free days before the first payment, 0 to 730
     * @param concurrentStreams entitlement: streams at once, 1 to 100
     * @param maxResolution entitlement: tallest rendition, 144 to 4320 pixels
     * @param maxProfiles entitlement: viewer profiles, 1 to 20
     * @param offline entitlement: downloads
     */
    public record PlanPatch(String name, Long priceMinor, String currency, String interval, Integer trialDays,
                            Integer concurrentStreams, Integer maxResolution, Integer maxProfiles, Boolean offline) {
    }

    /**
     * Changes a plan's terms. A change of price, currency or interval forgets the provider's recurring price (a
     * provider price is immutable; the next checkout makes one with the new terms); existing subscribers keep paying
     * what the provider has until their subscription is changed there.
     *
     * @return the plan before and after
     * @throws NotFoundException for an unknown plan
     * @throws InvalidInputException for invalid fields
     * @throws ConflictException for a name another plan has
     */
    public Plan[] update(UUID id, PlanPatch in) {
        Plan old = find(id).orElseThrow(() -> new NotFoundException("no plan " + id));
        Plan merged = new Plan(id, in.name() != null ? in.name() : old.name(),
                in.concurrentStreams() != null ? in.concurrentStreams() : old.concurrentStreams(),
                in.maxResolution() != null ? in.maxResolution() : old.maxResolution(),
                in.priceMinor() != null ? in.priceMinor() : old.priceMinor(),
                in.currency() != null ? in.currency() : old.currency(),
                in.offline() != null ? in.offline() : old.offline(),
                in.interval() != null ? in.interval() : old.interval(),
                in.trialDays() != null ? in.trialDays() : old.trialDays(),
                in.maxProfiles() != null ? in.maxProfiles() : old.maxProfiles(), old.providerPriceRef());
        validate(merged);
        boolean repriced = !merged.priceMinor().equals(old.priceMinor()) || !merged.currency().equals(old.currency())
                || !merged.interval().equals(old.interval());
        String priceRef = repriced ? null : old.providerPriceRef();
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            update plans set name = :name, concurrent_streams = :streams, max_resolution = :res,
                                price_minor = :price, currency = :cur, offline = :offline, billing_interval = :interval,
                                trial_days = :trial, max_profiles = :profiles, provider_price_ref = :priceRef,
                                updated_at = :now
                             where id = :id""")
                    .bind("name", merged.name().trim()).bind("streams", merged.concurrentStreams())
                    .bind("res", merged.maxResolution()).bind("price", merged.priceMinor()).bind("cur", merged.currency())
                    .bind("offline", merged.offline()).bind("interval", merged.interval())
                    .bind("trial", merged.trialDays()).bind("profiles", merged.maxProfiles()).bind("priceRef", priceRef)
                    .bind("now", now()).bind("id", id).execute());
        } catch (UnableToExecuteStatementException e) {
            throw new ConflictException("a plan named '" + merged.name() + "' exists");
        }
        return new Plan[] {old, find(id).orElseThrow()};
    }

    private static String interval(Plan in) {
        return in.interval() == null ? "month" : in.interval();
    }

    private static int trialDays(Plan in) {
        return in.trialDays() == null ? 0 : in.trialDays();
    }

    private static int maxProfiles(Plan in) {
        return in.maxProfiles() == null ? 1 : in.maxProfiles();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static void validate(Plan in) {
        Validation v = new Validation();
        if (v.required("name", in.name())) {
            v.check("name", in.name().length() <= 100, "must be at most 100 characters");
        }
        v.check("concurrentStreams", in.concurrentStreams() != null && in.concurrentStreams() >= 1
                && in.concurrentStreams() <= 100, "must be 1 to 100");
        v.check("maxResolution", in.maxResolution() != null && in.maxResolution() >= 144 && in.maxResolution() <= 4320,
                "must be 144 to 4320 pixels");
        v.check("priceMinor", in.priceMinor() != null && in.priceMinor() >= 0, "must be 0 or more minor units");
        v.check("currency", in.currency() != null && in.currency().matches("[A-Z]{3}"), "must be an ISO 4217 code such as EUR");
        v.check("interval", in.interval() == null || in.interval().equals("month") || in.interval().equals("year"),
                "must be month or year");
        v.check("trialDays", in.trialDays() == null || (in.trialDays() >= 0 && in.trialDays() <= 730), "must be 0 to 730");
        v.check("maxProfiles", in.maxProfiles() == null || (in.maxProfiles() >= 1 && in.maxProfiles() <= 20),
                "must be 1 to 20");
        v.check("providerPriceRef", in.providerPriceRef() == null || in.providerPriceRef().matches("[A-Za-z0-9_]{0,100}"),
                "must be the provider's price id, such as price_1Abc");
        v.throwIfInvalid();
    }

    /**
     * Assigns a plan to an account (active, until {@code currentPeriodEnd} if given).
     *
     * @throws NotFoundException for an unknown account or plan
     * @throws InvalidInputException for a missing plan id
     */
    public Subscription assign(UUID accountId, PlanAssignment in) {
        if (in.planId() == null) {
            throw InvalidInputException.of("planId", "is required");
        }
        return jdbi.inTransaction(h -> {
            if (!accounts.exists(h, accountId)) {
                throw new NotFoundException("no account " + accountId);
            }
            if (h.createQuery("select count(*) from plans where id = :id").bind("id", in.planId()).mapTo(int.class).one() == 0) {
                throw new NotFoundException("no plan " + in.planId());
            }
            Instant now = now();
            h.createUpdate("""
                    insert into subscriptions (account_id, plan_id, status, current_period_end, created_at, updated_at)
                    values (:a, :p, 'active', :end, :now, :now)
                    on conflict (account_id) do update set plan_id = excluded.plan_id, status = 'active',
                        current_period_end = excluded.current_period_end, updated_at = excluded.updated_at,
                        cancel_at_period_end = false, past_due_since = null""")
                    .bind("a", accountId).bind("p", in.planId())
                    .bind("end", in.currentPeriodEnd() == null ? null : Timestamp.from(in.currentPeriodEnd()))
                    .bind("now", now).execute();
            return subscription(accountId).orElseThrow();
        });
    }

    /** Cancels an account's subscription. @throws NotFoundException when it has none */
    public void cancel(UUID accountId) {
        int n = jdbi.withHandle(h -> h.createUpdate(
                        "update subscriptions set status = 'cancelled', updated_at = :now where account_id = :a and status <> 'cancelled'")
                .bind("now", now()).bind("a", accountId).execute());
        if (n == 0) {
            throw new NotFoundException("account " + accountId + " has no subscription");
        }
    }

    public Optional<Subscription> subscription(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select s.status, s.current_period_end, s.cancel_at_period_end, s.past_due_since, p.*
                          from subscriptions s join plans p on p.id = s.plan_id
                         where s.account_id = :a""").bind("a", accountId)
                .map((rs, ctx) -> {
                    Instant end = instant(rs.getTimestamp("current_period_end"));
                    Instant pastDue = instant(rs.getTimestamp("past_due_since"));
                    String status = rs.getString("status");
                    return new Subscription(accountId, plan(rs), status, end, rs.getBoolean("cancel_at_period_end"),
                            pastDue, SubscriptionStatus.entitled(SubscriptionStatus.of(status), end, pastDue, grace, now()));
                }).findOne());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A plan whose entitlements apply. */
    record Active(Plan plan) {
    }

    /**
     * @return the account's plan when its subscription carries the plan's entitlements at {@code now}
     *         ({@link SubscriptionStatus#entitled}: trialing or active within the period, cancelled at the period end
     *         until then, past due within the grace period)
     */
    Optional<Active> active(UUID accountId, Instant now) {
        return subscription(accountId)
                .filter(s -> SubscriptionStatus.entitled(SubscriptionStatus.of(s.status()), s.currentPeriodEnd(),
                        s.pastDueSince(), grace, now))
                .map(s -> new Active(s.plan()));
    }

    /**
     * Stores where a viewer profile stopped in a media item (resume positions and history are per profile).
     *
     * @param profileId the viewer profile (its account is the profile's)
     * @param positionSeconds seconds from the start
     * @return when the profile first saved a position in this item (now, the first time)
     */
    public Instant saveProgress(UUID profileId, UUID mediaId, int positionSeconds) {
        return jdbi.withHandle(h -> h.createQuery("""
                        insert into playback_progress (profile_id, media_id, position_seconds, updated_at, started_at)
                        values (:a, :m, :p, :now, :now)
                        on conflict (profile_id, media_id) do update set position_seconds = excluded.position_seconds,
                            updated_at = excluded.updated_at
                        returning started_at""")
                .bind("a", profileId).bind("m", mediaId).bind("p", positionSeconds).bind("now", now())
                .mapTo(Timestamp.class).one().toInstant());
    }

    /**
     * A saved position.
     *
     * @param mediaId the media item
     * @param positionSeconds where the account stopped
     * @param updatedAt when it was saved
     */
    public record Progress(UUID mediaId, int positionSeconds, Instant updatedAt) {
    }

    /**
     * @param beforeAt with {@code beforeMedia}, the position of the last row already read, or null to start
     * @param limit most rows returned
     * @param profileId the viewer profile
     * @return the profile's saved positions after {@code (beforeAt, beforeMedia)}, most recent first
     */
    public List<Progress> progress(UUID profileId, Instant beforeAt, UUID beforeMedia, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select media_id, position_seconds, updated_at from playback_progress
                         where profile_id = :a
                           and (cast(:at as timestamptz) is null
                                or (updated_at, media_id) < (cast(:at as timestamptz), cast(:media as uuid)))
                         order by updated_at desc, media_id desc limit :n""")
                .bind("a", profileId).bind("at", beforeAt == null ? null : Timestamp.from(beforeAt))
                .bind("media", beforeMedia).bind("n", limit)
                .map((rs, ctx) -> new Progress(rs.getObject(1, UUID.class), rs.getInt(2), rs.getTimestamp(3).toInstant()))
                .list());
    }

    /**
     * One saved position, as the recommendations job reads them.
     *
     * @param accountId the viewer profile (recommendations are per profile)
     * @param mediaId the media item
     * @param positionSeconds where the profile stopped
     * @param updatedAt when it was saved
     */
    public record ProgressSignal(UUID accountId, UUID mediaId, int positionSeconds, Instant updatedAt) {
    }

    /**
     * Every profile's saved positions, a page at a time in (profile, media item) order.
     *
     * @param afterAccount with {@code afterMedia}, the last row of the previous page, or null to start
     * @param afterMedia the last row's media item, or null to start
     * @param limit most rows returned
     */
    public List<ProgressSignal> progressSignals(UUID afterAccount, UUID afterMedia, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select profile_id, media_id, position_seconds, updated_at from playback_progress
                         where cast(:a as uuid) is null or (profile_id, media_id) > (cast(:a as uuid), cast(:m as uuid))
                         order by profile_id, media_id limit :n""")
                .bind("a", afterAccount).bind("m", afterMedia).bind("n", limit)
                .map((rs, ctx) -> new ProgressSignal(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getInt(3), rs.getTimestamp(4).toInstant()))
                .list());
    }

    /**
     * @return the viewer profiles the account's plan allows ({@code maxProfiles}) while the plan's entitlements
     *         apply, or empty without such a plan (the caller's configured default applies then)
     */
    public Optional<Integer> maxProfiles(UUID accountId) {
        return active(accountId, clock.instant()).map(a -> a.plan().maxProfiles());
    }

    /**
     * @return the saved positions of the account's primary profile (the account holder: what its public profile
     *         shows), most recent first
     */
    public List<Progress> progressOfPrimary(UUID accountId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select g.media_id, g.position_seconds, g.updated_at from playback_progress g
                          join profiles p on p.id = g.profile_id and p.is_primary
                         where p.account_id = :a order by g.updated_at desc, g.media_id desc limit :n""")
                .bind("a", accountId).bind("n", limit)
                .map((rs, ctx) -> new Progress(rs.getObject(1, UUID.class), rs.getInt(2), rs.getTimestamp(3).toInstant()))
                .list());
    }

    /** @return whether the account has an active plan whose period has not ended (subscription media play) */
    public boolean hasActivePlan(UUID accountId) {
        return active(accountId, clock.instant()).isPresent();
    }

    /** @return where the viewer profile stopped, 0 if never */
    public int resumePosition(UUID profileId, UUID mediaId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select position_seconds from playback_progress where profile_id = :a and media_id = :m")
                .bind("a", profileId).bind("m", mediaId).mapTo(int.class).findOne().orElse(0));
    }
}
