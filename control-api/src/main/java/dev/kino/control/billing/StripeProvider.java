package dev.kino.control.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import com.stripe.param.CouponCreateParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.config.Secret;
import dev.kino.control.billing.BillingTypes.CheckoutLink;
import dev.kino.control.billing.BillingTypes.PromotionCode;
import dev.kino.control.http.Json;
import dev.kino.control.playback.PlaybackTypes.Plan;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@link PaymentProvider} on Stripe, through {@code com.stripe:stripe-java}'s {@link StripeClient}: Checkout Sessions
 * in subscription mode, the Billing customer portal, Prices and Coupons, and webhook signatures checked with
 * {@link Webhook#constructEvent} (HMAC-SHA256 of {@code timestamp.payload}, constant-time comparison, timestamp within
 * {@code billing.stripe.webhookTolerance}; Stripe's "Check the webhook signatures" guide).
 *
 * <p>Metadata carried through Stripe, so events can be tied back without a lookup: the Checkout Session has
 * {@code client_reference_id} = account id and metadata {@code account_id}, {@code plan_id}, {@code promotion_code_id};
 * the subscription (and so its invoices' {@code parent.subscription_details.metadata}) has {@code account_id} and
 * {@code plan_id}.
 */
public final class StripeProvider implements PaymentProvider {
    private final StripeClient client;
    private final List<Secret> webhookSecrets;
    private final long toleranceSeconds;

    /** @param config {@code billing.stripe}; must be {@link KinoConfig.Stripe#configured()} */
    public StripeProvider(KinoConfig.Stripe config) {
        if (!config.configured()) {
            throw new IllegalArgumentException("billing.stripe.secretKey is empty");
        }
        // apiBase: api.stripe.com in production, a local stand-in in the tests; no retries of our own here, the
        // library's idempotent retries are enough for creates done on a subscriber's click
        this.client = StripeClient.builder().setApiKey(config.secretKey().reveal()).setApiBase(config.apiBase())
                .setConnectTimeout(10_000).setReadTimeout(30_000).setMaxNetworkRetries(1).build();
        this.webhookSecrets = List.copyOf(config.webhookSecrets());
        this.toleranceSeconds = config.webhookTolerance().toSeconds();
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public String createPrice(Plan plan) {
        PriceCreateParams params = PriceCreateParams.builder()
                .setCurrency(plan.currency().toLowerCase(Locale.ROOT))
                .setUnitAmount(plan.priceMinor())
                .setRecurring(PriceCreateParams.Recurring.builder()
                        .setInterval("year".equals(plan.interval()) ? PriceCreateParams.Recurring.Interval.YEAR
                                : PriceCreateParams.Recurring.Interval.MONTH).build())
                .setProductData(PriceCreateParams.ProductData.builder().setName(plan.name())
                        .putMetadata("plan_id", plan.id().toString()).build())
                .putMetadata("plan_id", plan.id().toString())
                .build();
        try {
            return client.v1().prices().create(params).getId();
        } catch (StripeException e) {
            throw new ProviderException("Stripe refused a price for plan " + plan.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String createCoupon(PromotionCode code) {
        CouponCreateParams.Builder b = CouponCreateParams.builder().setName(code.code())
                .setDuration(switch (code.duration()) {
                    case "once" -> CouponCreateParams.Duration.ONCE;
                    case "repeating" -> CouponCreateParams.Duration.REPEATING;
                    default -> CouponCreateParams.Duration.FOREVER;
                })
                .putMetadata("promotion_code_id", code.id().toString());
        if (code.percentOff() != null) {
            b.setPercentOff(BigDecimal.valueOf(code.percentOff()));
        } else {
            b.setAmountOff(code.amountOffMinor()).setCurrency(code.currency().toLowerCase(Locale.ROOT));
        }
        if (code.durationMonths() != null) {
            b.setDurationInMonths(code.durationMonths().longValue());
        }
        if (code.maxRedemptions() != null) {
            b.setMaxRedemptions(code.maxRedemptions().longValue());
        }
        if (code.expiresAt() != null) {
            b.setRedeemBy(code.expiresAt().getEpochSecond());
        }
        try {
            return client.v1().coupons().create(b.build()).getId();
        } catch (StripeException e) {
            throw new ProviderException("Stripe refused a coupon for " + code.code() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CheckoutLink createCheckout(Checkout c) {
        SessionCreateParams.SubscriptionData.Builder sub = SessionCreateParams.SubscriptionData.builder()
                .putMetadata("account_id", c.accountId().toString())
                .putMetadata("plan_id", c.plan().id().toString());
        if (c.trialDays() > 0) {
            sub.setTrialPeriodDays((long) c.trialDays()); // Stripe refuses 0: absent means no trial
        }
        SessionCreateParams.Builder b = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setSuccessUrl(c.successUrl())
                .setCancelUrl(c.cancelUrl())
                .setClientReferenceId(c.accountId().toString())
                .putMetadata("account_id", c.accountId().toString())
                .putMetadata("plan_id", c.plan().id().toString())
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(c.priceRef()).setQuantity(1L).build())
                .setSubscriptionData(sub.build());
        if (c.customerRef() != null) {
            b.setCustomer(c.customerRef());
        } else if (c.email() != null) {
            b.setCustomerEmail(c.email());
        }
        if (c.couponRef() != null) {
            b.addDiscount(SessionCreateParams.Discount.builder().setCoupon(c.couponRef()).build())
                    .putMetadata("promotion_code_id", c.promotionCodeId().toString());
        }
        try {
            Session s = client.v1().checkout().sessions().create(b.build());
            return new CheckoutLink(s.getId(), s.getUrl());
        } catch (StripeException e) {
            throw new ProviderException("Stripe refused a checkout session: " + e.getMessage(), e);
        }
    }

    @Override
    public String createPortal(String customerRef, String returnUrl) {
        try {
            return client.v1().billingPortal().sessions().create(
                    com.stripe.param.billingportal.SessionCreateParams.builder()
                            .setCustomer(customerRef).setReturnUrl(returnUrl).build()).getUrl();
        } catch (StripeException e) {
            throw new ProviderException("Stripe refused a portal session: " + e.getMessage(), e);
        }
    }

    @Override
    public void cancelSubscription(String subscriptionRef) {
        try {
            client.v1().subscriptions().cancel(subscriptionRef); // DELETE /v1/subscriptions/{id}
        } catch (com.stripe.exception.InvalidRequestException e) {
            if (e.getStatusCode() == null || e.getStatusCode() != 404) {
                throw new ProviderException("Stripe refused to cancel " + subscriptionRef + ": " + e.getMessage(), e);
            }
            // resource_missing: nothing left to cancel
        } catch (StripeException e) {
            throw new ProviderException("Stripe refused to cancel " + subscriptionRef + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ProviderEvent verify(String payload, String signatureHeader, Instant now) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new InvalidSignatureException("no Stripe-Signature header");
        }
        // The library refuses timestamps older than the tolerance only; one as far in the future is refused here too,
        // or a delivery signed with a skewed (or hostile) clock could be replayed for that long.
        for (String part : signatureHeader.split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                try {
                    if (Long.parseLong(p.substring(2)) > now.getEpochSecond() + toleranceSeconds) {
                        throw new InvalidSignatureException("the signature's timestamp is in the future");
                    }
                } catch (NumberFormatException e) {
                    throw new InvalidSignatureException("the signature's timestamp is not a number");
                }
            }
        }
        Clock at = Clock.fixed(now, ZoneOffset.UTC);
        Event event = null;
        // Every configured secret is tried: while a secret is rolled Stripe signs with both (several v1= in the
        // header) and the operator lists both here; any one matching is enough.
        for (Secret secret : webhookSecrets) {
            try {
                event = Webhook.constructEvent(payload, signatureHeader, secret.reveal(), toleranceSeconds, at);
                break;
            } catch (SignatureVerificationException e) {
                // try the next secret
            } catch (RuntimeException e) {
                // signed but not an event (the library's JSON parser): as untrustworthy as a bad signature
                throw new InvalidSignatureException("the signed payload is not a Stripe event");
            }
        }
        if (event == null) {
            throw new InvalidSignatureException("no webhook secret signed this payload within the tolerance of "
                    + toleranceSeconds + " s");
        }
        // The fields are read from the JSON rather than the library's typed objects: those come back empty when the
        // endpoint's API version is not the library's, and newer versions moved fields (current_period_end to the
        // subscription items, the invoice's subscription under parent.subscription_details).
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new InvalidSignatureException("the signed payload is not JSON");
        }
        String id = event.getId();
        String type = event.getType();
        Instant created = Instant.ofEpochSecond(event.getCreated());
        JsonNode o = root.path("data").path("object");
        return switch (type) {
            case "checkout.session.completed" -> new ProviderEvent.CheckoutCompleted(id, type, created,
                    uuid(text(o, "client_reference_id")) != null ? uuid(text(o, "client_reference_id"))
                            : uuid(text(o.path("metadata"), "account_id")),
                    uuid(text(o.path("metadata"), "plan_id")), uuid(text(o.path("metadata"), "promotion_code_id")),
                    ref(o.path("customer")), ref(o.path("subscription")));
            case "customer.subscription.updated", "customer.subscription.deleted", "customer.subscription.created" ->
                    subscription(id, type, created, o);
            case "invoice.paid", "invoice.payment_failed" -> invoice(id, type, created, o);
            default -> new ProviderEvent.Other(id, type, created);
        };
    }

    private static ProviderEvent.SubscriptionChanged subscription(String id, String type, Instant created, JsonNode o) {
        JsonNode items = o.path("items").path("data");
        Long periodEnd = o.hasNonNull("current_period_end") ? Long.valueOf(o.get("current_period_end").asLong()) : null;
        String price = null;
        for (JsonNode item : items) {
            if (price == null) {
                price = text(item.path("price"), "id");
            }
            if (item.hasNonNull("current_period_end")) {
                long e = item.get("current_period_end").asLong();
                periodEnd = periodEnd == null ? e : Math.max(periodEnd, e);
            }
        }
        SubscriptionStatus status = "customer.subscription.deleted".equals(type) ? SubscriptionStatus.EXPIRED
                : status(text(o, "status"));
        return new ProviderEvent.SubscriptionChanged(id, type, created, text(o, "id"), ref(o.path("customer")), status,
                price, uuid(text(o.path("metadata"), "account_id")), uuid(text(o.path("metadata"), "plan_id")),
                seconds(periodEnd), o.hasNonNull("trial_end") ? Instant.ofEpochSecond(o.get("trial_end").asLong()) : null,
                o.path("cancel_at_period_end").asBoolean(false));
    }

    /**
     * Stripe's subscription statuses in ours: {@code unpaid} (retries exhausted, kept open) counts as past due, whose
     * grace has long run out by then; {@code incomplete} (first payment not made), {@code incomplete_expired},
     * {@code paused} and {@code canceled} carry no entitlements.
     */
    static SubscriptionStatus status(String stripe) {
        return switch (stripe == null ? "" : stripe) {
            case "trialing" -> SubscriptionStatus.TRIALING;
            case "active" -> SubscriptionStatus.ACTIVE;
            case "past_due", "unpaid" -> SubscriptionStatus.PAST_DUE;
            default -> SubscriptionStatus.EXPIRED;
        };
    }

    private static ProviderEvent.InvoiceChanged invoice(String id, String type, Instant created, JsonNode o) {
        // the subscription and its metadata: parent.subscription_details (API 2025-03-31 on), else the older fields
        JsonNode details = o.path("parent").path("subscription_details");
        String subscription = ref(details.path("subscription"));
        JsonNode metadata = details.path("metadata");
        if (subscription == null) {
            subscription = ref(o.path("subscription"));
        }
        if (metadata.isMissingNode() || metadata.isNull()) {
            metadata = o.path("subscription_details").path("metadata");
        }
        Long start = null;
        Long end = null;
        String description = null;
        for (JsonNode line : o.path("lines").path("data")) {
            JsonNode period = line.path("period");
            if (period.hasNonNull("start")) {
                start = start == null ? period.get("start").asLong() : Math.min(start, period.get("start").asLong());
            }
            if (period.hasNonNull("end")) {
                end = end == null ? period.get("end").asLong() : Math.max(end, period.get("end").asLong());
            }
            if (description == null) {
                description = text(line, "description");
            }
        }
        Long paidAt = o.path("status_transitions").hasNonNull("paid_at")
                ? Long.valueOf(o.path("status_transitions").get("paid_at").asLong()) : null;
        String status = text(o, "status");
        boolean paid = "invoice.paid".equals(type);
        return new ProviderEvent.InvoiceChanged(id, type, created, paid, text(o, "id"), ref(o.path("customer")),
                subscription, uuid(text(metadata, "account_id")), uuid(text(metadata, "plan_id")), text(o, "number"),
                status == null || !List.of("open", "paid", "uncollectible", "void").contains(status)
                        ? (paid ? "paid" : "open") : status,
                text(o, "currency") == null ? "XXX" : text(o, "currency").toUpperCase(Locale.ROOT),
                o.path("amount_due").asLong(0), o.path("amount_paid").asLong(0),
                description != null ? description : text(o, "description"), seconds(start), seconds(end),
                o.hasNonNull("created") ? Instant.ofEpochSecond(o.get("created").asLong()) : created,
                paid ? seconds(paidAt != null ? paidAt : created.getEpochSecond()) : null);
    }

    private static Instant seconds(Long epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds);
    }

    /** @return a field's text, null when absent or JSON null */
    private static String text(JsonNode o, String field) {
        JsonNode n = o.path(field);
        return n.isTextual() ? n.asText() : null;
    }

    /** @return an id, whether the field holds it or (expanded) an object with it */
    private static String ref(JsonNode n) {
        if (n.isTextual()) {
            return n.asText();
        }
        return n.isObject() ? text(n, "id") : null;
    }

    private static UUID uuid(String s) {
        if (s == null) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
