package dev.kino.control.billing;

import dev.kino.control.billing.BillingTypes.PromotionCode;
import dev.kino.control.playback.PlaybackTypes.Plan;

import java.time.Instant;
import java.util.UUID;

/**
 * A payment provider: hosted checkout and customer portal pages, recurring prices and coupons, and the events it
 * sends to the webhook, read into {@link ProviderEvent}s. {@link StripeProvider} is the one there is. Calls block
 * (HTTPS to the provider); a failure there is an {@link ProviderException}.
 */
public interface PaymentProvider {
    /** @return the provider's name as stored in {@code subscriptions.provider} and {@code billing_events}, e.g. {@code stripe} */
    String name();

    /**
     * Makes a recurring price for a plan that has none ({@code plans.provider_price_ref}).
     *
     * @return the provider's price id
     */
    String createPrice(Plan plan);

    /**
     * Makes a coupon with a promotion code's terms (amount or percentage, duration, redemption limit, expiry).
     *
     * @return the provider's coupon id
     */
    String createCoupon(PromotionCode code);

    /**
     * What a checkout is for.
     *
     * @param accountId the subscriber (carried through the provider in metadata and the client reference)
     * @param email the subscriber's address, prefilled when there is no customer yet
     * @param customerRef the account's customer at the provider, or null for a new one
     * @param plan the plan
     * @param priceRef the plan's recurring price at the provider
     * @param trialDays free days before the first payment, 0 for none
     * @param promotionCodeId the promotion code's id here, or null
     * @param couponRef its coupon at the provider, or null
     * @param successUrl where the provider sends the subscriber after paying
     * @param cancelUrl where it sends a subscriber who turned back
     */
    record Checkout(UUID accountId, String email, String customerRef, Plan plan, String priceRef, int trialDays,
                    UUID promotionCodeId, String couponRef, String successUrl, String cancelUrl) {
    }

    /**
     * Opens a hosted checkout page for a subscription.
     *
     * @return the session's id and its page's URL
     */
    BillingTypes.CheckoutLink createCheckout(Checkout checkout);

    /**
     * @param customerRef the account's customer at the provider
     * @param returnUrl where the portal's "back" link goes
     * @return the customer portal's URL (short-lived)
     */
    String createPortal(String customerRef, String returnUrl);

    /**
     * Cancels a subscription at once: no further invoices, no proration (the account is being erased). A subscription
     * the provider no longer knows counts as cancelled. The provider's later "subscription deleted" event finds the
     * subscription already cancelled here and changes nothing.
     *
     * @param subscriptionRef the provider's subscription id ({@code subscriptions.provider_ref}, Stripe {@code sub_...})
     */
    void cancelSubscription(String subscriptionRef);

    /**
     * Checks a webhook delivery's signature and reads it.
     *
     * @param payload the request body, exactly as received (the signature covers these bytes)
     * @param signatureHeader the provider's signature header, or null
     * @param now the time to compare the signature's timestamp with
     * @return the event; {@link ProviderEvent.Other} for a type that changes nothing here
     * @throws InvalidSignatureException when no configured secret signed it, it is malformed or too old
     */
    ProviderEvent verify(String payload, String signatureHeader, Instant now);

    /** A webhook delivery that is not verifiably the provider's (a 400 to the sender). */
    final class InvalidSignatureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidSignatureException(String message) {
            super(message);
        }
    }

    /** The provider refused a call or could not be reached. */
    final class ProviderException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ProviderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
