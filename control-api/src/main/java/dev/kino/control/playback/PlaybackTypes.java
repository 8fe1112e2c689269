package dev.kino.control.playback;

import java.time.Instant;
import java.util.UUID;

/** JSON shapes of the playback feature. */
public final class PlaybackTypes {
    private PlaybackTypes() {
    }

    /** @param mediaId the media item to play */
    public record PlaybackRequest(UUID mediaId) {
    }

    /**
     * An authorised playback.
     *
     * @param sessionId playback session id (holds one of the plan's concurrent streams until {@code expiresAt}
     *                  or {@code DELETE /api/v1/playback/sessions/{id}})
     * @param hlsUrl signed HLS multivariant playlist URL
     * @param dashUrl signed DASH MPD URL, when the item has DASH
     * @param licenceUrl signed ClearKey licence URL under the same token, when the item is CENC-protected
     * @param resumePositionSeconds where the viewer stopped last time, 0 if never
     * @param maxResolution tallest rendition the viewer's plan allows, in pixels, or absent; the token carries it and
     *                      the origin lists and serves nothing above it
     * @param expiresAt when the URLs stop working
     */
    public record PlaybackGrant(UUID sessionId, String hlsUrl, String dashUrl, String licenceUrl, int resumePositionSeconds,
                                Integer maxResolution, Instant expiresAt) {
    }

    /**
     * @param mediaId the media item
     * @param positionSeconds position reached, 0 to the item's duration
     */
    public record ProgressInput(UUID mediaId, Integer positionSeconds) {
    }

    /**
     * A subscription plan.
     *
     * @param id plan id (absent on input)
     * @param name unique name, 1 to 100 characters
     * @param concurrentStreams streams at once, 1 to 100
     * @param maxResolution tallest rendition in pixels, 144 to 4320
     * @param priceMinor price per period in minor units (cents)
     * @param currency ISO 4217 code, e.g. EUR
     * @param offline whether players may keep licences for offline viewing (absent: no)
     * @param interval billing period, {@code month} or {@code year} (absent on input: {@code month})
     * @param trialDays free days before the first payment, 0 to 730 (absent on input: 0)
     * @param maxProfiles viewer profiles the account may have, 1 to 20 (absent on input: 1)
     * @param providerPriceRef the payment provider's recurring price for this plan (Stripe {@code price_...}); absent:
     *                         made at the first checkout
     */
    public record Plan(UUID id, String name, Integer concurrentStreams, Integer maxResolution, Long priceMinor,
                       String currency, Boolean offline, String interval, Integer trialDays, Integer maxProfiles,
                       String providerPriceRef) {
    }

    /**
     * @param planId the plan
     * @param currentPeriodEnd end of the paid period, or absent for open-ended
     */
    public record PlanAssignment(UUID planId, Instant currentPeriodEnd) {
    }

    /**
     * An account's subscription.
     *
     * @param accountId the account
     * @param plan its plan
     * @param status {@code trialing}, {@code active}, {@code past_due}, {@code cancelled} (by an admin, at once) or
     *               {@code expired} (ended at the provider)
     * @param currentPeriodEnd end of the paid (or trial) period, or absent for open-ended
     * @param cancelAtPeriodEnd the subscriber cancelled: it ends at {@code currentPeriodEnd} and is not renewed
     * @param pastDueSince when a payment failed, for {@code past_due}: entitlements last {@code billing.gracePeriod}
     *                     after it
     * @param entitled whether the plan's entitlements apply now (the playback authorisation's answer)
     */
    public record Subscription(UUID accountId, Plan plan, String status, Instant currentPeriodEnd,
                               boolean cancelAtPeriodEnd, Instant pastDueSince, boolean entitled) {
    }
}
