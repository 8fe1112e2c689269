package dev.kino.control.billing;

import java.time.Instant;
import java.util.UUID;

/**
 * A payment provider's webhook event, read into what billing needs, whatever the provider. Every event has the
 * provider's id (the key of exactly-once handling) and its {@code created} time (the order in which events are
 * applied: an older one arriving late never moves a subscription backwards).
 */
public sealed interface ProviderEvent {
    /** @return the provider's event id ({@code evt_...}) */
    String id();

    /** @return the provider's event type, e.g. {@code invoice.paid} */
    String type();

    /** @return when the provider made the event (seconds precision at Stripe) */
    Instant created();

    /**
     * A checkout finished: the subscriber paid, or started a trial.
     *
     * @param accountId the subscriber, from the session's client reference
     * @param planId the plan, from the session's metadata
     * @param promotionCodeId the promotion code used, or null
     * @param customerRef the customer at the provider
     * @param subscriptionRef the subscription at the provider
     */
    record CheckoutCompleted(String id, String type, Instant created, UUID accountId, UUID planId,
                             UUID promotionCodeId, String customerRef, String subscriptionRef) implements ProviderEvent {
    }

    /**
     * A subscription's state at the provider (updated or deleted).
     *
     * @param subscriptionRef the subscription at the provider
     * @param customerRef its customer
     * @param status the provider's status read into ours
     * @param priceRef the recurring price it bills (the plan: the portal may have switched it)
     * @param accountId the subscriber, from the subscription's metadata, or null
     * @param planId the plan from the metadata (used when the price is no plan's), or null
     * @param currentPeriodEnd end of the current period, or null
     * @param trialEnd end of the trial, or null
     * @param cancelAtPeriodEnd the subscriber cancelled: it ends with the period
     */
    record SubscriptionChanged(String id, String type, Instant created, String subscriptionRef, String customerRef,
                               SubscriptionStatus status, String priceRef, UUID accountId, UUID planId,
                               Instant currentPeriodEnd, Instant trialEnd, boolean cancelAtPeriodEnd)
            implements ProviderEvent {
    }

    /**
     * An invoice was paid, or its payment failed.
     *
     * @param paid true for a payment, false for a failed one
     * @param invoiceRef the invoice at the provider
     * @param customerRef its customer
     * @param subscriptionRef the subscription it bills, or null
     * @param accountId the subscriber, from the subscription's metadata copied onto the invoice, or null
     * @param planId the plan, likewise, or null
     * @param number the provider's invoice number, or null
     * @param status {@code open}, {@code paid}, {@code uncollectible} or {@code void}
     * @param currency ISO 4217 code, upper case
     * @param amountDueMinor total due, minor units
     * @param amountPaidMinor total paid, minor units
     * @param description what it bills, or null
     * @param periodStart start of the service period billed (its lines'), or null
     * @param periodEnd end of that period, or null
     * @param issuedAt when the provider made the invoice
     * @param paidAt when it was paid, or null
     */
    record InvoiceChanged(String id, String type, Instant created, boolean paid, String invoiceRef, String customerRef,
                          String subscriptionRef, UUID accountId, UUID planId, String number, String status,
                          String currency, long amountDueMinor, long amountPaidMinor, String description,
                          Instant periodStart, Instant periodEnd, Instant issuedAt, Instant paidAt)
            implements ProviderEvent {
    }

    /** Any other type: recorded as handled, changes nothing. */
    record Other(String id, String type, Instant created) implements ProviderEvent {
    }
}
