package dev.kino.control.billing;

import dev.kino.control.playback.PlaybackTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** JSON shapes of the billing feature. Money is always in minor units of an ISO 4217 currency (cents for EUR). */
public final class BillingTypes {
    private BillingTypes() {
    }

    /**
     * A promotion code: a discount a subscriber enters at checkout.
     *
     * @param id its id (absent on input)
     * @param code what the subscriber types, 3 to 40 of {@code A-Z 0-9 _ -} (stored upper-case; matched ignoring case)
     * @param percentOff percentage off, 1 to 100; exactly one of this and {@code amountOffMinor}
     * @param amountOffMinor fixed amount off each discounted invoice, in minor units of {@code currency}
     * @param currency ISO 4217 code of {@code amountOffMinor}; only with it (checkout refuses a plan in another currency)
     * @param duration how many invoices it discounts: {@code once} (the first), {@code repeating} (those of the first
     *                 {@code durationMonths} months) or {@code forever}
     * @param durationMonths months for {@code repeating}, 1 to 120; only with it
     * @param maxRedemptions how many checkouts may complete with it, absent for no limit
     * @param expiresAt after this it is refused, absent for never
     * @param timesRedeemed completed checkouts that used it (output only)
     * @param active false once an admin withdrew it (output only)
     */
    public record PromotionCode(UUID id, String code, Integer percentOff, Long amountOffMinor, String currency,
                                String duration, Integer durationMonths, Integer maxRedemptions, Instant expiresAt,
                                Integer timesRedeemed, Boolean active) {
    }

    /** @param promotionCodes every promotion code, newest first */
    public record PromotionCodeList(List<PromotionCode> promotionCodes) {
    }

    /**
     * @param planId the plan to subscribe to
     * @param promotionCode a promotion code's {@code code}, or absent
     */
    public record CheckoutRequest(UUID planId, String promotionCode) {
    }

    /**
     * @param sessionId the provider's checkout session ({@code cs_...})
     * @param url the provider's hosted checkout page: send the subscriber's browser there
     */
    public record CheckoutLink(String sessionId, String url) {
    }

    /** @param url the provider's customer portal (cards, invoices, cancellation) for this account, short-lived */
    public record PortalLink(String url) {
    }

    /**
     * The caller's subscription.
     *
     * @param plan its plan
     * @param status {@code trialing}, {@code active}, {@code past_due}, {@code cancelled} or {@code expired}
     * @param currentPeriodEnd end of the paid or trial period, absent for open-ended
     * @param cancelAtPeriodEnd cancelled by the subscriber: ends at {@code currentPeriodEnd}
     * @param graceEndsAt for {@code past_due}: when the entitlements stop unless a payment succeeds
     * @param entitled whether the plan's entitlements (streams, resolution, profiles) apply now
     */
    public record MySubscription(PlaybackTypes.Plan plan, String status, Instant currentPeriodEnd,
                                 boolean cancelAtPeriodEnd, Instant graceEndsAt, boolean entitled) {
    }

    /**
     * One invoice of the billing history.
     *
     * @param id its id here (the PDF is {@code /api/v1/me/invoices/{id}/pdf})
     * @param number the provider's invoice number, absent while a draft
     * @param status {@code open} (not paid yet, or its payment failed), {@code paid}, {@code uncollectible} or
     *               {@code void}
     * @param currency ISO 4217 code
     * @param amountDueMinor total due, minor units
     * @param amountPaidMinor total paid, minor units
     * @param description what it is for (the plan and period)
     * @param periodStart start of the service period it bills
     * @param periodEnd end of that period
     * @param issuedAt when the provider made it
     * @param paidAt when it was paid, absent if not
     */
    public record Invoice(UUID id, String number, String status, String currency, long amountDueMinor,
                          long amountPaidMinor, String description, Instant periodStart, Instant periodEnd,
                          Instant issuedAt, Instant paidAt) {
    }

    /** @param invoices the caller's invoices, newest first */
    public record InvoiceList(List<Invoice> invoices) {
    }

    /** @param received true (also for an event already handled, which changes nothing the second time) */
    public record WebhookReceipt(boolean received) {
    }
}
