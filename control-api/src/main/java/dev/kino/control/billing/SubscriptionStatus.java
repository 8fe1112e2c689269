package dev.kino.control.billing;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The states of a subscription ({@code subscriptions.status}) and the one rule of which of them carry the plan's
 * entitlements. Playback authorisation ({@code dev.kino.control.playback.Plans#active}) asks {@link #entitled}.
 *
 * <pre>
 *                 checkout completed (trial)      trial ends, invoice paid
 *   (none) ──────────────────────────► TRIALING ─────────────────────────► ACTIVE ◄──┐
 *      │   checkout completed (no trial)                                     │  │     │ invoice paid
 *      └───────────────────────────────────────────────────────────────────►─┘  │     │
 *                                                       invoice payment failed  ▼     │
 *                                                                           PAST_DUE ─┘
 *   any ── subscription deleted at the provider ──► EXPIRED        any ── admin cancels ──► CANCELLED
 * </pre>
 *
 * Cancelling at the period end is a flag ({@code cancel_at_period_end}) on a trialing or active subscription, as the
 * provider models it: entitlements last until {@code current_period_end}, then the provider deletes the subscription
 * (EXPIRED). Entitled, at instant {@code now}:
 * <ul>
 *   <li>TRIALING, ACTIVE: while the period has not ended ({@code current_period_end} absent or after now);</li>
 *   <li>PAST_DUE: for the grace period after the failed payment ({@code past_due_since + billing.gracePeriod}),
 *       the provider retrying the card meanwhile;</li>
 *   <li>CANCELLED, EXPIRED: never.</li>
 * </ul>
 */
public enum SubscriptionStatus {
    TRIALING, ACTIVE, PAST_DUE, CANCELLED, EXPIRED;

    /** @return the database and JSON name, e.g. {@code past_due} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a name that is none of the states */
    public static SubscriptionStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /**
     * @param status the stored state ({@code subscriptions.status})
     * @param currentPeriodEnd end of the paid or trial period, null for open-ended (admin-assigned)
     * @param pastDueSince when the subscription fell past due; null (never written by the billing service) counts as
     *                     a grace period already over: unknown dates fail closed
     * @param grace {@code billing.gracePeriod}
     * @param now the instant asked about
     * @return whether the plan's entitlements apply at {@code now}
     */
    public static boolean entitled(SubscriptionStatus status, Instant currentPeriodEnd, Instant pastDueSince,
                                   Duration grace, Instant now) {
        return switch (status) {
            case TRIALING, ACTIVE -> currentPeriodEnd == null || currentPeriodEnd.isAfter(now);
            case PAST_DUE -> pastDueSince != null && pastDueSince.plus(grace).isAfter(now);
            case CANCELLED, EXPIRED -> false;
        };
    }
}
