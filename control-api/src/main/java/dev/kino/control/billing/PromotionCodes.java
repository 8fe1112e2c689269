package dev.kino.control.billing;

import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.billing.BillingTypes.PromotionCode;
import dev.kino.control.playback.PlaybackTypes.Plan;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code promotion_codes}: discounts managed by admins, checked at checkout and counted when a checkout with one
 * completes. Kino is the source of truth; the payment provider gets a coupon with the same terms (and the same
 * redemption limit and expiry, which it enforces too) on the code's first use. Blocking.
 */
public final class PromotionCodes {
    private final Jdbi jdbi;
    private final Clock clock;

    public PromotionCodes(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    static PromotionCode code(ResultSet rs) throws SQLException {
        Timestamp expires = rs.getTimestamp("expires_at");
        return new PromotionCode(rs.getObject("id", UUID.class), rs.getString("code"),
                (Integer) rs.getObject("percent_off"), (Long) rs.getObject("amount_off_minor"), rs.getString("currency"),
                rs.getString("duration"), (Integer) rs.getObject("duration_months"),
                (Integer) rs.getObject("max_redemptions"), expires == null ? null : expires.toInstant(),
                rs.getInt("times_redeemed"), rs.getBoolean("active"));
    }

    /** @return every code, newest first */
    public List<PromotionCode> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from promotion_codes order by created_at desc, id")
                .map((rs, ctx) -> code(rs)).list());
    }

    /**
     * @throws InvalidInputException for invalid fields (each named)
     * @throws ConflictException for a code that exists
     */
    public PromotionCode create(PromotionCode in) {
        String code = in.code() == null ? null : in.code().trim().toUpperCase(Locale.ROOT);
        Validation v = new Validation();
        if (v.required("code", code)) {
            v.check("code", code.matches("[A-Z0-9_-]{3,40}"), "must be 3 to 40 letters, digits, '_' or '-'");
        }
        v.check("percentOff", (in.percentOff() == null) != (in.amountOffMinor() == null),
                "give exactly one of percentOff and amountOffMinor");
        v.check("percentOff", in.percentOff() == null || (in.percentOff() >= 1 && in.percentOff() <= 100), "must be 1 to 100");
        v.check("amountOffMinor", in.amountOffMinor() == null || in.amountOffMinor() > 0, "must be more than 0 minor units");
        v.check("currency", (in.amountOffMinor() == null) == (in.currency() == null),
                "is required with amountOffMinor, and only with it");
        v.check("currency", in.currency() == null || in.currency().matches("[A-Z]{3}"), "must be an ISO 4217 code such as EUR");
        v.check("duration", in.duration() != null && List.of("once", "repeating", "forever").contains(in.duration()),
                "must be once, repeating or forever");
        v.check("durationMonths", "repeating".equals(in.duration()) == (in.durationMonths() != null),
                "is required with duration repeating, and only with it");
        v.check("durationMonths", in.durationMonths() == null || (in.durationMonths() >= 1 && in.durationMonths() <= 120),
                "must be 1 to 120");
        v.check("maxRedemptions", in.maxRedemptions() == null || in.maxRedemptions() >= 1, "must be 1 or more");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        v.check("expiresAt", in.expiresAt() == null || in.expiresAt().isAfter(now), "must be in the future");
        v.throwIfInvalid();
        UUID id = UUID.randomUUID();
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            insert into promotion_codes (id, code, percent_off, amount_off_minor, currency, duration,
                                                         duration_months, max_redemptions, expires_at, created_at)
                            values (:id, :code, :pct, :amt, :cur, :dur, :months, :max, :exp, :now)""")
                    .bind("id", id).bind("code", code).bind("pct", in.percentOff()).bind("amt", in.amountOffMinor())
                    .bind("cur", in.currency()).bind("dur", in.duration()).bind("months", in.durationMonths())
                    .bind("max", in.maxRedemptions())
                    .bind("exp", in.expiresAt() == null ? null : Timestamp.from(in.expiresAt())).bind("now", now)
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            throw new ConflictException("a promotion code '" + code + "' exists");
        }
        return find(id).orElseThrow();
    }

    /** @return the code with that id */
    public Optional<PromotionCode> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select * from promotion_codes where id = :id").bind("id", id)
                .map((rs, ctx) -> code(rs)).findOne());
    }

    /** Withdraws a code: checkouts refuse it from now on. @throws NotFoundException for an unknown id */
    public void deactivate(UUID id) {
        int n = jdbi.withHandle(h -> h.createUpdate("update promotion_codes set active = false where id = :id")
                .bind("id", id).execute());
        if (n == 0) {
            throw new NotFoundException("no promotion code " + id);
        }
    }

    /**
     * The code a subscriber typed, if it may be used for {@code plan} now.
     *
     * @throws InvalidInputException naming {@code promotionCode}: unknown, withdrawn, expired, used up, or an amount
     *                               in another currency than the plan's
     */
    public PromotionCode redeemable(String typed, Plan plan) {
        String code = typed.trim().toUpperCase(Locale.ROOT);
        PromotionCode c = jdbi.withHandle(h -> h.createQuery("select * from promotion_codes where code = :c")
                        .bind("c", code).map((rs, ctx) -> code(rs)).findOne())
                .filter(PromotionCode::active)
                .orElseThrow(() -> InvalidInputException.of("promotionCode", "is not a valid promotion code"));
        if (c.expiresAt() != null && !c.expiresAt().isAfter(clock.instant())) {
            throw InvalidInputException.of("promotionCode", "has expired");
        }
        if (c.maxRedemptions() != null && c.timesRedeemed() >= c.maxRedemptions()) {
            throw InvalidInputException.of("promotionCode", "has been used as often as it may be");
        }
        if (c.currency() != null && !c.currency().equals(plan.currency())) {
            throw InvalidInputException.of("promotionCode", "is an amount in " + c.currency() + ", the plan is in "
                    + plan.currency());
        }
        return c;
    }

    /** @return the provider's coupon made for a code earlier, if any */
    public Optional<String> providerCoupon(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select provider_coupon_ref from promotion_codes where id = :id")
                .bind("id", id).mapTo(String.class).findOne());
    }

    /** Records the provider's coupon made for a code. */
    public void setProviderCoupon(UUID id, String couponRef) {
        jdbi.useHandle(h -> h.createUpdate("update promotion_codes set provider_coupon_ref = :ref where id = :id")
                .bind("ref", couponRef).bind("id", id).execute());
    }

    /** Counts one completed checkout with the code, in the caller's transaction (the webhook event's). */
    void redeemed(Handle h, UUID id) {
        h.createUpdate("update promotion_codes set times_redeemed = times_redeemed + 1 where id = :id")
                .bind("id", id).execute();
    }
}
