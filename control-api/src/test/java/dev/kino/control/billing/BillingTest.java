package dev.kino.control.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.http.Json;
import dev.kino.control.support.Http;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Self-service billing on the whole control API (real PostgreSQL), configured for Stripe with its API base at a
 * local {@link StripeStandIn} and two webhook secrets (a rotation in progress). Webhook events are signed here with
 * the configured secrets as Stripe's "Check the webhook signatures" guide describes (HMAC-SHA256 of
 * {@code t.payload}, hex, in {@code Stripe-Signature: t=...,v1=...}) and sent to the real endpoint.
 */
class BillingTest {
    static final String OLD_SECRET = "whsec_old_" + UUID.randomUUID().toString().replace("-", "");
    static final String NEW_SECRET = "whsec_new_" + UUID.randomUUID().toString().replace("-", "");
    static final Duration GRACE = Duration.ofDays(3);
    static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    static StripeStandIn stripe;
    static SharedState state;
    static ControlApi api;
    static Http http;
    static Jdbi jdbi;
    static User adminUser;

    @BeforeAll
    static void start() {
        TestApi.inProcess(); // the shared node registers the database's first account (AdminTest checks its roles)
        stripe = new StripeStandIn();
        state = new InProcessSharedState(CLOCK);
        var config = SharedDatabase.config("billing.stripe.apiBase=" + stripe.url(),
                "billing.stripe.secretKey=sk_test_standin", "billing.stripe.webhookSecrets=" + OLD_SECRET + "," + NEW_SECRET,
                "billing.gracePeriod=3d", "billing.stripe.webhookTolerance=5m");
        api = ControlApi.builder(config, SecretStore.resolve(config), SharedDatabase.get(), state).clock(CLOCK)
                .mailSender(m -> { }).passwordParams(PasswordHasher.Params.FAST_INSECURE).outboxInterval(Duration.ZERO)
                .notificationRounds(Duration.ZERO).start();
        http = new Http(api.port());
        jdbi = SharedDatabase.get().jdbi();
        User a = newUser();
        jdbi.useHandle(h -> h.createUpdate("insert into account_roles (account_id, role_name) values (:id, 'admin')")
                .bind("id", a.id()).execute());
        adminUser = a;
    }

    @AfterAll
    static void stop() {
        api.close();
        state.close();
        stripe.close();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    record User(UUID id, String username, String password) {
        /** A fresh access token (the clock moves by days here; tokens last minutes). */
        String token() {
            state.blocking(Duration.ofSeconds(5)).resetRateLimit("login:ip:127.0.0.1");
            Http.Resp r = http.post("/api/v1/auth/login", null, Map.of("login", username, "password", password));
            assertEquals(200, r.status(), r.text());
            return r.json().get("accessToken").asText();
        }
    }

    /** @return a fresh token of the plans manager */
    static String admin() {
        return adminUser.token();
    }

    static User newUser() {
        String name = TestApi.unique("b");
        String password = "correct horse battery " + UUID.randomUUID();
        state.blocking(Duration.ofSeconds(5)).resetRateLimit("register:ip:127.0.0.1");
        Http.Resp r = http.post("/api/v1/auth/register", null,
                Map.of("email", name + "@example.org", "username", name, "password", password));
        assertEquals(201, r.status(), r.text());
        // the verification mail is sent (to nowhere) now: no mail of ours is left in the shared outbox for another
        // test's dispatcher to count
        api.outbox().dispatchPending();
        UUID id = UUID.fromString(r.json().get("id").asText());
        // checkout needs a confirmed address (control.requireVerifiedEmail); HygieneTest covers the unconfirmed case
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("update accounts set email_verified_at = now()"
                + " where id = :id").bind("id", id).execute());
        return new User(id, name, password);
    }

    /** @return a new plan's id */
    static UUID plan(int trialDays, int maxResolution) {
        Map<String, Object> in = Map.of("name", TestApi.unique("Plan "), "concurrentStreams", 2,
                "maxResolution", maxResolution, "priceMinor", 999, "currency", "EUR", "interval", "month",
                "trialDays", trialDays, "maxProfiles", 4);
        Http.Resp r = http.post("/api/v1/admin/plans", admin(), in);
        assertEquals(201, r.status(), r.text());
        return UUID.fromString(r.json().get("id").asText());
    }

    static String sign(String payload, String secret, long t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Http.Resp deliver(String payload, String signature) {
        HttpRequest.Builder b = http.builder("/api/v1/billing/webhooks/stripe", null)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signature != null) {
            b.header("Stripe-Signature", signature);
        }
        return http.send(b);
    }

    /** Delivers an event signed now with the current secret. */
    static Http.Resp deliver(String payload) {
        return deliver(payload, sign(payload, NEW_SECRET, CLOCK.instant().getEpochSecond()));
    }

    static long now() {
        return CLOCK.instant().getEpochSecond();
    }

    static String event(String id, String type, long created, ObjectNode object) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("id", id).put("object", "event").put("type", type)
                .put("created", created).put("api_version", "2025-08-27.basil").put("livemode", false);
        e.putObject("data").set("object", object);
        return e.toString();
    }

    static ObjectNode checkoutSession(UUID account, UUID plan, UUID promo, String customer, String subscription) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("id", "cs_test_" + UUID.randomUUID()).put("object", "checkout.session")
                .put("mode", "subscription").put("client_reference_id", account.toString()).put("customer", customer)
                .put("subscription", subscription).put("status", "complete");
        ObjectNode md = o.putObject("metadata").put("account_id", account.toString()).put("plan_id", plan.toString());
        if (promo != null) {
            md.put("promotion_code_id", promo.toString());
        }
        return o;
    }

    static ObjectNode subscription(String id, String customer, String status, UUID account, UUID plan, long periodEnd,
                                   boolean cancelAtPeriodEnd) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("id", id).put("object", "subscription").put("customer", customer)
                .put("status", status).put("cancel_at_period_end", cancelAtPeriodEnd);
        o.putObject("metadata").put("account_id", account.toString()).put("plan_id", plan.toString());
        // API 2025-03-31 and later: the period is on the items
        o.putObject("items").putArray("data").addObject().put("id", "si_" + id).put("current_period_end", periodEnd)
                .putObject("price").put("id", "price_unknown_" + id);
        return o;
    }

    static ObjectNode invoice(String id, String customer, String subscription, UUID account, UUID plan, String status,
                              long amountDue, long amountPaid, long periodStart, long periodEnd) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("id", id).put("object", "invoice").put("customer", customer)
                .put("status", status).put("currency", "eur").put("amount_due", amountDue).put("amount_paid", amountPaid)
                .put("number", "KINO-" + id.substring(id.length() - 6).toUpperCase()).put("created", periodStart);
        ObjectNode details = o.putObject("parent").put("type", "subscription_details").putObject("subscription_details")
                .put("subscription", subscription);
        details.putObject("metadata").put("account_id", account.toString()).put("plan_id", plan.toString());
        ObjectNode line = o.putObject("lines").putArray("data").addObject().put("id", "il_" + id)
                .put("description", "1 × Kino plan (at €9.99 / month)").put("amount", amountDue);
        line.putObject("period").put("start", periodStart).put("end", periodEnd);
        if ("paid".equals(status)) {
            o.putObject("status_transitions").put("paid_at", periodStart + 5);
        }
        return o;
    }

    static String id(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static JsonNode mySubscription(User u) {
        Http.Resp r = http.get("/api/v1/me/subscription", u.token());
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    /** A published subscription-only media item. @return its id */
    static UUID subscriptionItem() {
        UUID title = api.catalog().createTitle(new TitleInput("movie", "Billed " + UUID.randomUUID(), null, null,
                null, null, "all", null, null, null, null));
        UUID id = api.catalog().createMedia(title, new MediaInput(null, null, null, "p-" + UUID.randomUUID(),
                List.of("720p"), List.of("ja"), List.of("en"), 1500, false, "none", "subscription", true)).id();
        jdbi.useHandle(h -> h.createUpdate("update media_items set state = 'published' where id = :id").bind("id", id).execute());
        return id;
    }

    static Http.Resp play(User u, UUID media) {
        return http.post("/api/v1/playback", u.token(), Map.of("mediaId", media));
    }

    /** A subscriber through a completed checkout. */
    record Subscriber(User user, UUID plan, String customer, String subscription) {
    }

    static Subscriber subscribe(int trialDays) {
        User u = newUser();
        UUID plan = plan(trialDays, 1080);
        String customer = id("cus_");
        String sub = id("sub_");
        assertEquals(200, deliver(event(id("evt_"), "checkout.session.completed", now(),
                checkoutSession(u.id(), plan, null, customer, sub))).status());
        return new Subscriber(u, plan, customer, sub);
    }

    // ---- checkout and portal against the stand-in -----------------------------------------------------------------

    @Test
    void checkoutCreatesAStripeSessionWithThePlansPriceTrialAndPromotionCode() {
        UUID plan = plan(14, 2160);
        String code = TestApi.unique("SAVE").toUpperCase();
        Http.Resp promo = http.post("/api/v1/admin/promotion-codes", admin(), Map.of("code", code, "percentOff", 20,
                "duration", "repeating", "durationMonths", 3, "maxRedemptions", 5));
        assertEquals(201, promo.status(), promo.text());
        User u = newUser();
        String token = u.token();
        int before = stripe.calls.size();

        Http.Resp r = http.post("/api/v1/billing/checkout", token, Map.of("planId", plan, "promotionCode", code.toLowerCase()));
        assertEquals(200, r.status(), r.text());
        assertTrue(r.json().get("url").asText().startsWith("https://checkout.stripe.test/c/pay/cs_test_standin_"), r.text());
        assertTrue(r.json().get("sessionId").asText().startsWith("cs_test_standin_"));

        List<StripeStandIn.Call> calls = stripe.calls.subList(before, stripe.calls.size());
        assertEquals(List.of("/v1/prices", "/v1/coupons", "/v1/checkout/sessions"), calls.stream().map(StripeStandIn.Call::path).toList());
        calls.forEach(c -> assertEquals("Bearer sk_test_standin", c.authorization()));
        Map<String, String> price = calls.get(0).form();
        assertEquals("eur", price.get("currency"));
        assertEquals("999", price.get("unit_amount"));
        assertEquals("month", price.get("recurring[interval]"));
        Map<String, String> coupon = calls.get(1).form();
        assertEquals("20", coupon.get("percent_off"));
        assertEquals("repeating", coupon.get("duration"));
        assertEquals("3", coupon.get("duration_in_months"));
        assertEquals("5", coupon.get("max_redemptions"));
        Map<String, String> session = calls.get(2).form();
        assertEquals("subscription", session.get("mode"));
        assertTrue(session.get("line_items[0][price]").startsWith("price_standin_"), session.toString());
        assertEquals("1", session.get("line_items[0][quantity]"));
        assertEquals("14", session.get("subscription_data[trial_period_days]"));
        assertTrue(session.get("discounts[0][coupon]").startsWith("coupon_standin_"));
        assertEquals(u.id().toString(), session.get("client_reference_id"));
        assertEquals(u.id().toString(), session.get("subscription_data[metadata][account_id]"));
        assertEquals(plan.toString(), session.get("metadata[plan_id]"));
        assertEquals(u.username() + "@example.org", session.get("customer_email"));
        assertTrue(session.get("success_url").endsWith("/plans?checkout=success"));

        // the price and coupon are made once and remembered
        before = stripe.calls.size();
        assertEquals(200, http.post("/api/v1/billing/checkout", token, Map.of("planId", plan, "promotionCode", code)).status());
        assertEquals(List.of("/v1/checkout/sessions"), stripe.calls.subList(before, stripe.calls.size()).stream()
                .map(StripeStandIn.Call::path).toList());

        // bad input, unknown plan, no token
        assertEquals(422, http.post("/api/v1/billing/checkout", token, Map.of("planId", plan, "promotionCode", "NOPE123")).status());
        assertEquals(422, http.post("/api/v1/billing/checkout", token, Map.of("promotionCode", code)).status());
        assertEquals(404, http.post("/api/v1/billing/checkout", token, Map.of("planId", UUID.randomUUID())).status());
        assertEquals(401, http.post("/api/v1/billing/checkout", null, Map.of("planId", plan)).status());
    }

    @Test
    void portalNeedsACustomerAndAnswersTheStandInsLink() {
        User u = newUser();
        assertEquals(401, http.get("/api/v1/billing/portal", null).status());
        assertEquals(404, http.get("/api/v1/billing/portal", u.token()).status());
        UUID plan = plan(0, 720);
        String customer = id("cus_");
        assertEquals(200, deliver(event(id("evt_"), "checkout.session.completed", now(),
                checkoutSession(u.id(), plan, null, customer, id("sub_")))).status());
        Http.Resp r = http.get("/api/v1/billing/portal", u.token());
        assertEquals(200, r.status(), r.text());
        assertTrue(r.json().get("url").asText().startsWith("https://billing.stripe.test/p/session/"));
        StripeStandIn.Call call = stripe.calls(("/v1/billing_portal/sessions")).get(stripe.calls("/v1/billing_portal/sessions").size() - 1);
        assertEquals(customer, call.form().get("customer"));
        assertTrue(call.form().get("return_url").endsWith("/plans"));
        // a returning customer gets no second trial and is not asked for an e-mail again
        User again = u;
        UUID trialPlan = plan(30, 720);
        jdbi.useHandle(h -> h.createUpdate("update subscriptions set status = 'expired' where account_id = :a")
                .bind("a", again.id()).execute());
        assertEquals(200, http.post("/api/v1/billing/checkout", again.token(), Map.of("planId", trialPlan)).status());
        Map<String, String> session = stripe.calls("/v1/checkout/sessions").get(stripe.calls("/v1/checkout/sessions").size() - 1).form();
        assertEquals(customer, session.get("customer"));
        assertFalse(session.containsKey("subscription_data[trial_period_days]"));
        assertFalse(session.containsKey("customer_email"));
    }

    @Test
    void aSubscriberWithEntitlementsCannotCheckOutTwice() {
        Subscriber s = subscribe(0);
        Http.Resp r = http.post("/api/v1/billing/checkout", s.user().token(), Map.of("planId", s.plan()));
        assertEquals(409, r.status(), r.text());
    }

    // ---- webhook signatures ---------------------------------------------------------------------------------------

    @Test
    void webhookSignaturesAreChecked() {
        User u = newUser();
        UUID plan = plan(0, 720);
        String payload = event(id("evt_"), "checkout.session.completed", now(),
                checkoutSession(u.id(), plan, null, id("cus_"), id("sub_")));
        long t = now();
        // missing, malformed, wrong secret, tampered payload
        assertEquals(400, deliver(payload, null).status());
        assertEquals(400, deliver(payload, "garbage").status());
        assertEquals(400, deliver(payload, sign(payload, "whsec_not_ours", t)).status());
        assertEquals(400, deliver(payload.replace("\"livemode\":false", "\"livemode\":true "), sign(payload, NEW_SECRET, t)).status());
        // signed more than the tolerance (5 min) ago, or as far in the future
        Http.Resp old = deliver(payload, sign(payload, NEW_SECRET, t - 301));
        assertEquals(400, old.status());
        assertTrue(old.json().get("detail").asText().contains("signature"), old.text());
        assertEquals(400, deliver(payload, sign(payload, NEW_SECRET, t + 301)).status());
        assertEquals(404, http.get("/api/v1/me/subscription", u.token()).status(), "nothing was applied");
        // the secret being rotated out still works, within the tolerance
        assertEquals(200, deliver(payload, sign(payload, OLD_SECRET, t - 200)).status());
        assertEquals("active", mySubscription(u).get("status").asText());
        // Stripe signs with both secrets during a rotation: one v1 per secret in the header
        String both = event(id("evt_"), "invoice.paid", now(), invoice(id("in_"), id("cus_"), id("sub_"), u.id(), plan,
                "paid", 999, 999, now(), now() + 86400 * 30));
        String header = sign(both, "whsec_unknown", t) + "," + sign(both, NEW_SECRET, t).substring(("t=" + t + ",").length());
        assertEquals(200, deliver(both, header).status());
    }

    @Test
    void eachEventIsAppliedOnceWhateverTheRedeliveries() {
        User u = newUser();
        UUID plan = plan(0, 720);
        String code = TestApi.unique("ONCE").toUpperCase();
        Http.Resp promo = http.post("/api/v1/admin/promotion-codes", admin(), Map.of("code", code, "amountOffMinor", 300,
                "currency", "EUR", "duration", "once", "maxRedemptions", 1));
        assertEquals(201, promo.status(), promo.text());
        UUID promoId = UUID.fromString(promo.json().get("id").asText());
        String evt = id("evt_");
        String payload = event(evt, "checkout.session.completed", now(), checkoutSession(u.id(), plan, promoId, id("cus_"), id("sub_")));
        String signature = sign(payload, NEW_SECRET, now());
        assertEquals(200, deliver(payload, signature).status());
        // a replay of the very same delivery, and a redelivery signed afresh: both acknowledged, neither applied
        assertEquals(200, deliver(payload, signature).status());
        assertEquals(200, deliver(payload).status());
        assertEquals(1, (int) jdbi.withHandle(h -> h.createQuery("select count(*) from billing_events where event_id = :e")
                .bind("e", evt).mapTo(int.class).one()));
        JsonNode codes = http.get("/api/v1/admin/promotion-codes", admin()).json().get("promotionCodes");
        JsonNode ours = null;
        for (JsonNode c : codes) {
            if (c.get("code").asText().equals(code)) {
                ours = c;
            }
        }
        assertEquals(1, ours.get("timesRedeemed").asInt(), ours.toString());
        // the limit is reached: checkout refuses the code
        Http.Resp r = http.post("/api/v1/billing/checkout", newUser().token(), Map.of("planId", plan, "promotionCode", code));
        assertEquals(422, r.status(), r.text());
        assertTrue(r.text().contains("promotionCode"));
    }

    // ---- the state machine and playback entitlements -------------------------------------------------------------

    @Test
    void trialPaidPastDueGraceAndRecoveryDrivePlayback() {
        UUID media = subscriptionItem();
        User stranger = newUser();
        assertEquals(403, play(stranger, media).status(), "no subscription, no playback");

        Subscriber s = subscribe(7);
        JsonNode sub = mySubscription(s.user());
        assertEquals("trialing", sub.get("status").asText());
        assertTrue(sub.get("entitled").asBoolean());
        Http.Resp p = play(s.user(), media);
        assertEquals(200, p.status(), p.text());
        assertEquals(1080, p.json().get("maxResolution").asInt(), "the plan's resolution cap reaches the grant");

        // the trial's 0 invoice leaves it trialing; the first real one makes it active for a month
        long trialEnd = now() + 7 * 86400;
        assertEquals(200, deliver(event(id("evt_"), "invoice.paid", now(), invoice(id("in_"), s.customer(), s.subscription(),
                s.user().id(), s.plan(), "paid", 0, 0, now(), trialEnd))).status());
        assertEquals("trialing", mySubscription(s.user()).get("status").asText());
        CLOCK.advance(Duration.ofDays(7));
        long monthEnd = now() + 30 * 86400;
        assertEquals(200, deliver(event(id("evt_"), "invoice.paid", now(), invoice(id("in_"), s.customer(), s.subscription(),
                s.user().id(), s.plan(), "paid", 999, 999, now(), monthEnd))).status());
        sub = mySubscription(s.user());
        assertEquals("active", sub.get("status").asText());
        assertEquals(Instant.ofEpochSecond(monthEnd), Instant.parse(sub.get("currentPeriodEnd").asText()));

        // the renewal fails: past due, still playing through the grace period (3 days), then not
        CLOCK.advance(Duration.ofDays(30));
        long nextEnd = now() + 30 * 86400;
        assertEquals(200, deliver(event(id("evt_"), "invoice.payment_failed", now(), invoice(id("in_"), s.customer(),
                s.subscription(), s.user().id(), s.plan(), "open", 999, 0, monthEnd, nextEnd))).status());
        sub = mySubscription(s.user());
        assertEquals("past_due", sub.get("status").asText());
        assertEquals(CLOCK.instant().plus(GRACE), Instant.parse(sub.get("graceEndsAt").asText()));
        assertEquals(200, play(s.user(), media).status());
        CLOCK.advance(Duration.ofDays(2));
        assertEquals(200, play(s.user(), media).status(), "within the grace period");
        CLOCK.advance(Duration.ofDays(1).plusSeconds(1));
        assertEquals(403, play(s.user(), media).status(), "the grace period is over");
        assertFalse(mySubscription(s.user()).get("entitled").asBoolean());

        // the retried payment succeeds: active again
        assertEquals(200, deliver(event(id("evt_"), "invoice.paid", now(), invoice(id("in_"), s.customer(), s.subscription(),
                s.user().id(), s.plan(), "paid", 999, 999, monthEnd, nextEnd))).status());
        assertEquals("active", mySubscription(s.user()).get("status").asText());
        assertEquals(200, play(s.user(), media).status());
    }

    @Test
    void cancellingAtThePeriodEndKeepsPlaybackUntilThenAndDeletionExpires() {
        UUID media = subscriptionItem();
        Subscriber s = subscribe(0);
        long end = now() + 10 * 86400;
        CLOCK.advance(Duration.ofSeconds(5));
        assertEquals(200, deliver(event(id("evt_"), "customer.subscription.updated", now(),
                subscription(s.subscription(), s.customer(), "active", s.user().id(), s.plan(), end, true))).status());
        JsonNode sub = mySubscription(s.user());
        assertEquals("active", sub.get("status").asText());
        assertTrue(sub.get("cancelAtPeriodEnd").asBoolean());
        assertEquals(200, play(s.user(), media).status(), "paid until the period ends");
        CLOCK.advance(Duration.ofDays(10).plusSeconds(1));
        assertEquals(403, play(s.user(), media).status(), "the period ended, nothing renews it");
        assertEquals(200, deliver(event(id("evt_"), "customer.subscription.deleted", now(),
                subscription(s.subscription(), s.customer(), "canceled", s.user().id(), s.plan(), end, false))).status());
        assertEquals("expired", mySubscription(s.user()).get("status").asText());
        // a late update from before the deletion does not bring it back
        assertEquals(200, deliver(event(id("evt_"), "customer.subscription.updated", now() - 60,
                subscription(s.subscription(), s.customer(), "active", s.user().id(), s.plan(), end + 86400 * 30, false))).status());
        assertEquals("expired", mySubscription(s.user()).get("status").asText());
    }

    @Test
    void eventsArrivingOutOfOrderNeverMoveASubscriptionBackwards() {
        User u = newUser();
        UUID plan = plan(14, 720);
        String customer = id("cus_");
        String sub = id("sub_");
        long t0 = now();
        long end = t0 + 30 * 86400;
        // the first invoice's payment arrives before the checkout's completion: active from the invoice's metadata
        assertEquals(200, deliver(event(id("evt_"), "invoice.paid", t0 + 5, invoice(id("in_"), customer, sub, u.id(), plan,
                "paid", 999, 999, t0, end))).status());
        assertEquals("active", mySubscription(u).get("status").asText());
        assertEquals(200, deliver(event(id("evt_"), "checkout.session.completed", t0,
                checkoutSession(u.id(), plan, null, customer, sub))).status());
        JsonNode s = mySubscription(u);
        assertEquals("active", s.get("status").asText(), "the older checkout event does not make it trialing again");
        assertEquals(Instant.ofEpochSecond(end), Instant.parse(s.get("currentPeriodEnd").asText()));
        assertEquals(200, http.get("/api/v1/billing/portal", u.token()).status(), "the checkout still linked the customer");

        // a newer subscription update, then an older failed payment and an older past-due update arrive late
        long later = end + 30 * 86400;
        assertEquals(200, deliver(event(id("evt_"), "customer.subscription.updated", t0 + 100,
                subscription(sub, customer, "active", u.id(), plan, later, false))).status());
        assertEquals(200, deliver(event(id("evt_"), "invoice.payment_failed", t0 + 50, invoice(id("in_"), customer, sub,
                u.id(), plan, "open", 999, 0, t0, end))).status());
        assertEquals(200, deliver(event(id("evt_"), "customer.subscription.updated", t0 + 60,
                subscription(sub, customer, "past_due", u.id(), plan, end, false))).status());
        s = mySubscription(u);
        assertEquals("active", s.get("status").asText());
        assertEquals(Instant.ofEpochSecond(later), Instant.parse(s.get("currentPeriodEnd").asText()));
        // a failed payment for an earlier period than the current one, even if newer, does not make it past due
        assertEquals(200, deliver(event(id("evt_"), "invoice.payment_failed", t0 + 200, invoice(id("in_"), customer, sub,
                u.id(), plan, "open", 999, 0, t0, end))).status());
        assertEquals("active", mySubscription(u).get("status").asText());
        // a paid invoice for an old period, arriving late, does not shorten the period
        assertEquals(200, deliver(event(id("evt_"), "invoice.paid", t0 + 300, invoice(id("in_"), customer, sub,
                u.id(), plan, "paid", 999, 999, t0, end))).status());
        assertEquals(Instant.ofEpochSecond(later), Instant.parse(mySubscription(u).get("currentPeriodEnd").asText()));
    }

    // ---- billing history ------------------------------------------------------------------------------------------

    @Test
    void invoicesAndTheirPdfsAreTheOwnersOnly() throws Exception {
        Subscriber s = subscribe(0);
        String invoiceRef = id("in_");
        long start = now();
        assertEquals(200, deliver(event(id("evt_"), "invoice.paid", now(), invoice(invoiceRef, s.customer(), s.subscription(),
                s.user().id(), s.plan(), "paid", 999, 999, start, start + 30 * 86400))).status());
        String token = s.user().token();
        Http.Resp list = http.get("/api/v1/me/invoices", token);
        assertEquals(200, list.status(), list.text());
        JsonNode inv = list.json().get("invoices").get(0);
        assertEquals(1, list.json().get("invoices").size());
        assertEquals("paid", inv.get("status").asText());
        assertEquals(999, inv.get("amountPaidMinor").asLong());
        assertEquals("EUR", inv.get("currency").asText());
        String number = inv.get("number").asText();
        String id = inv.get("id").asText();
        assertEquals(200, http.get("/api/v1/me/invoices/" + id, token).status());

        HttpResponse<byte[]> pdf = http.sendBytes(http.builder("/api/v1/me/invoices/" + id + "/pdf", token));
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        assertTrue(pdf.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            assertEquals(1, doc.getNumberOfPages());
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("Invoice " + number), text);
            assertTrue(text.contains("9.99 EUR"), text);
            assertTrue(text.contains(s.user().username()), text);
        }

        // another account sees none of it: the same 404 as for an id that does not exist
        User other = newUser();
        String otherToken = other.token();
        assertEquals(0, http.get("/api/v1/me/invoices", otherToken).json().get("invoices").size());
        assertEquals(404, http.get("/api/v1/me/invoices/" + id, otherToken).status());
        assertEquals(404, http.get("/api/v1/me/invoices/" + id + "/pdf", otherToken).status());
        assertEquals(404, http.get("/api/v1/me/invoices/" + UUID.randomUUID() + "/pdf", otherToken).status());
        assertEquals(404, http.get("/api/v1/me/invoices/" + id + "/pdf", admin()).status(), "not even an admin's");
        assertEquals(401, http.get("/api/v1/me/invoices", null).status());
        assertEquals(401, http.get("/api/v1/me/invoices/" + id + "/pdf", null).status());
        assertEquals(401, http.get("/api/v1/me/subscription", null).status());

        // a redelivered event with the invoice's older state does not undo the payment
        assertEquals(200, deliver(event(id("evt_"), "invoice.payment_failed", now() - 100, invoice(invoiceRef, s.customer(),
                s.subscription(), s.user().id(), s.plan(), "open", 999, 0, start, start + 30 * 86400))).status());
        assertEquals("paid", http.get("/api/v1/me/invoices/" + id, token).json().get("status").asText());
    }

    // ---- admin routes -----------------------------------------------------------------------------------------------

    @Test
    void promotionCodesAreForPlanManagersOnly() {
        String user = newUser().token();
        Map<String, Object> in = Map.of("code", TestApi.unique("ADM").toUpperCase(), "percentOff", 10, "duration", "forever");
        assertEquals(401, http.get("/api/v1/admin/promotion-codes", null).status());
        assertEquals(403, http.get("/api/v1/admin/promotion-codes", user).status());
        assertEquals(403, http.post("/api/v1/admin/promotion-codes", user, in).status());
        assertEquals(403, http.delete("/api/v1/admin/promotion-codes/" + UUID.randomUUID(), user).status());
        Http.Resp created = http.post("/api/v1/admin/promotion-codes", admin(), in);
        assertEquals(201, created.status(), created.text());
        assertEquals(409, http.post("/api/v1/admin/promotion-codes", admin(), in).status());
        Http.Resp bad = http.post("/api/v1/admin/promotion-codes", admin(), Map.of("code", "x", "percentOff", 10,
                "amountOffMinor", 100, "duration", "sometimes"));
        assertEquals(422, bad.status(), bad.text());
        for (String field : List.of("code", "percentOff", "currency", "duration")) {
            assertTrue(bad.text().contains("\"" + field + "\""), field + " in " + bad.text());
        }
        String id = created.json().get("id").asText();
        assertEquals(403, http.delete("/api/v1/admin/promotion-codes/" + id, user).status());
        assertEquals(204, http.delete("/api/v1/admin/promotion-codes/" + id, admin()).status());
        assertEquals(404, http.delete("/api/v1/admin/promotion-codes/" + UUID.randomUUID(), admin()).status());
        Http.Resp r = http.post("/api/v1/billing/checkout", user, Map.of("planId", plan(0, 720), "promotionCode", in.get("code")));
        assertEquals(422, r.status(), "a withdrawn code is refused: " + r.text());
        // plans with bad billing terms are refused field by field
        Http.Resp badPlan = http.post("/api/v1/admin/plans", admin(), Map.of("name", TestApi.unique("P"), "concurrentStreams", 1,
                "maxResolution", 720, "priceMinor", 100, "currency", "EUR", "interval", "fortnight", "trialDays", -1,
                "maxProfiles", 50));
        assertEquals(422, badPlan.status());
        for (String field : List.of("interval", "trialDays", "maxProfiles")) {
            assertTrue(badPlan.text().contains("\"" + field + "\""), field + " in " + badPlan.text());
        }
    }

    @Test
    void everyBillingRouteIsInTheOpenApiDocument() {
        JsonNode paths = http.get("/api/v1/openapi.json", null).json().get("paths");
        String[][] routes = {{"post", "/api/v1/billing/checkout"}, {"get", "/api/v1/billing/portal"},
                {"post", "/api/v1/billing/webhooks/stripe"}, {"get", "/api/v1/me/subscription"},
                {"get", "/api/v1/me/invoices"}, {"get", "/api/v1/me/invoices/{id}"}, {"get", "/api/v1/me/invoices/{id}/pdf"},
                {"get", "/api/v1/admin/promotion-codes"}, {"post", "/api/v1/admin/promotion-codes"},
                {"delete", "/api/v1/admin/promotion-codes/{id}"}};
        for (String[] r : routes) {
            JsonNode op = paths.path(r[1]).path(r[0]);
            assertFalse(op.isMissingNode(), r[0] + " " + r[1]);
            // the webhook is Stripe's: authenticated by its signature, not a bearer token
            assertEquals(!r[1].contains("webhooks"), op.has("security"), r[0] + " " + r[1]);
        }
        JsonNode plan = http.get("/api/v1/openapi.json", null).json().at("/components/schemas/Plan/properties");
        for (String field : List.of("interval", "trialDays", "maxProfiles", "providerPriceRef")) {
            assertTrue(plan.has(field), field);
        }
    }

    @Test
    void withoutAPaymentProviderCheckoutAndWebhookAreRefused() {
        // the shared test node has the shipped configuration: no Stripe key
        TestApi.User u = TestApi.newUser();
        assertEquals(409, TestApi.http().post("/api/v1/billing/checkout", u.accessToken(), Map.of("planId", UUID.randomUUID())).status());
        assertEquals(409, TestApi.http().get("/api/v1/billing/portal", u.accessToken()).status());
        assertEquals(200, TestApi.http().get("/api/v1/me/invoices", u.accessToken()).status());
        assertEquals(409, TestApi.http().raw("POST", "/api/v1/billing/webhooks/stripe", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8)).status());
        TestApi.api().outbox().dispatchPending();
    }

    // ---- account erasure --------------------------------------------------------------------------------------

    /** Asks for the account's deletion and gives it a provider subscription with this ref; @return the account */
    private static User deletingSubscriber(UUID plan, String ref) {
        User u = newUser();
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into subscriptions (account_id, plan_id, status, current_period_end, provider, provider_ref,
                                                   created_at, updated_at)
                        values (:a, :p, 'active', :end, 'stripe', :ref, now(), now())""")
                .bind("a", u.id()).bind("p", plan).bind("end", java.sql.Timestamp.from(CLOCK.instant().plus(Duration.ofDays(30))))
                .bind("ref", ref).execute());
        Http.Resp del = http.send(http.builder("/api/v1/me", u.token()).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"currentPassword\":\"" + u.password() + "\"}")));
        assertEquals(202, del.status(), del.text());
        return u;
    }

    private static String erasedState(User u) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select (a.deleted_at is not null) || '/' || s.status from accounts a
                          join subscriptions s on s.account_id = a.id where a.id = :a""")
                .bind("a", u.id()).mapTo(String.class).one());
    }

    @Test
    void erasingAnAccountCancelsItsSubscriptionAtTheProviderFirst() {
        Http.Resp p = http.post("/api/v1/admin/plans", admin(), Map.of("name", TestApi.unique("Erase "),
                "concurrentStreams", 1, "maxResolution", 720, "priceMinor", 500, "currency", "EUR"));
        assertEquals(201, p.status(), p.text());
        UUID plan = UUID.fromString(p.json().get("id").asText());
        String ref = "sub_erase_" + UUID.randomUUID().toString().replace("-", "");
        User paying = deletingSubscriber(plan, ref);
        User failing = deletingSubscriber(plan, "sub_unavailable_" + UUID.randomUUID().toString().replace("-", ""));
        User gone = deletingSubscriber(plan, "sub_gone_" + UUID.randomUUID().toString().replace("-", ""));

        CLOCK.advance(Duration.ofDays(15)); // past control.accountDeletionGrace (14 days)
        api.accountDeletion().eraseDue();
        List<StripeStandIn.Call> cancels = stripe.calls("/v1/subscriptions/" + ref);
        assertEquals(1, cancels.size());
        assertEquals("DELETE", cancels.get(0).method());
        assertEquals("true/cancelled", erasedState(paying), "cancelled at Stripe, then erased");
        assertEquals("true/cancelled", erasedState(gone), "a subscription Stripe no longer knows is no obstacle");
        assertEquals("false/active", erasedState(failing), "Stripe failed: the account waits, still subscribed");

        // the next sweep tries again (Stripe answers now)
        jdbi.useHandle(h -> h.createUpdate("update subscriptions set provider_ref = :ref where account_id = :a")
                .bind("ref", "sub_recovered_" + UUID.randomUUID().toString().replace("-", "")).bind("a", failing.id())
                .execute());
        api.accountDeletion().eraseDue();
        assertEquals("true/cancelled", erasedState(failing));
    }
}
