package dev.kino.control.billing;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.BadRequestException;
import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.UnavailableException;
import dev.kino.control.auth.AccountStore;
import dev.kino.control.billing.BillingTypes.CheckoutLink;
import dev.kino.control.billing.BillingTypes.CheckoutRequest;
import dev.kino.control.billing.BillingTypes.Invoice;
import dev.kino.control.billing.BillingTypes.MySubscription;
import dev.kino.control.billing.BillingTypes.PromotionCode;
import dev.kino.control.playback.PlaybackTypes.Plan;
import dev.kino.control.playback.PlaybackTypes.Subscription;
import dev.kino.control.playback.Plans;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Self-service subscriptions: checkout and the customer portal through the {@link PaymentProvider}, the provider's
 * webhook events applied to {@code subscriptions} (the {@link SubscriptionStatus} state machine, which playback reads
 * through {@link Plans}) and to {@code invoices}, and the billing history. Blocking.
 *
 * <p>Webhook events are applied exactly once: the event id goes into {@code billing_events} in the transaction of its
 * effect, so a redelivery (or a concurrent duplicate, which waits on the first one's row) changes nothing. They are
 * applied in the provider's order whatever the order of arrival: each subscription remembers the {@code created}
 * time of the newest event applied ({@code provider_event_at}), and an older one does not move it; an invoice paid
 * only ever extends the period; a failed payment for an earlier period than the current one is ignored; a deleted
 * (expired) subscription never comes back.
 */
public final class Billing {
    private static final Logger LOG = LoggerFactory.getLogger(Billing.class);

    private final Jdbi jdbi;
    private final Plans plans;
    private final PromotionCodes codes;
    private final PaymentProvider provider;
    private final KinoConfig.Billing config;
    private final AccountStore accounts;
    private final Clock clock;

    /**
     * @param provider the payment provider, or null when none is configured (checkout and the portal then answer 409;
     *                 admin-assigned plans and the billing history work)
     * @param config {@code billing}
     */
    public Billing(Jdbi jdbi, Plans plans, PromotionCodes codes, PaymentProvider provider, KinoConfig.Billing config,
                   Clock clock) {
        this.jdbi = jdbi;
        this.plans = plans;
        this.codes = codes;
        this.provider = provider;
        this.config = config;
        this.accounts = new AccountStore(jdbi);
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private PaymentProvider provider() {
        if (provider == null) {
            throw new ConflictException("self-service billing is not enabled on this server (no payment provider is"
                    + " configured); an admin assigns plans");
        }
        return provider;
    }

    // ---- checkout and portal ------------------------------------------------------------------------------------

    /**
     * Opens the provider's checkout page for a plan. The plan's trial applies to an account's first subscription
     * through the provider only (an account that already is the provider's customer starts paying at once).
     *
     * @throws InvalidInputException for a missing plan id or an unusable promotion code (named {@code promotionCode})
     * @throws NotFoundException for an unknown plan
     * @throws ConflictException when billing is off, or the account's provider subscription already carries
     *                           entitlements (change or cancel it in the portal)
     * @throws UnavailableException when the provider cannot be reached or refuses
     */
    public CheckoutLink checkout(UUID accountId, CheckoutRequest in) {
        PaymentProvider p = provider();
        if (in.planId() == null) {
            throw InvalidInputException.of("planId", "is required");
        }
        Plan plan = plans.find(in.planId()).orElseThrow(() -> new NotFoundException("no plan " + in.planId()));
        Optional<Subscription> current = plans.subscription(accountId);
        if (current.isPresent() && current.get().entitled() && providerRef(accountId) != null) {
            throw new ConflictException("this account already has a subscription; change its plan or cancel it in the"
                    + " customer portal (GET /api/v1/billing/portal)");
        }
        PromotionCode promo = in.promotionCode() == null || in.promotionCode().isBlank() ? null
                : codes.redeemable(in.promotionCode(), plan);
        String customer = customerRef(accountId);
        try {
            String price = plan.providerPriceRef();
            if (price == null) {
                price = p.createPrice(plan);
                plans.setProviderPrice(plan.id(), price);
            }
            String coupon = null;
            if (promo != null) {
                coupon = codes.providerCoupon(promo.id()).orElse(null);
                if (coupon == null) {
                    coupon = p.createCoupon(promo);
                    codes.setProviderCoupon(promo.id(), coupon);
                }
            }
            String email = accounts.identity(accountId).map(AccountStore.Identity::email).orElse(null);
            return p.createCheckout(new PaymentProvider.Checkout(accountId, email, customer, plan, price,
                    customer == null ? plan.trialDays() : 0, promo == null ? null : promo.id(), coupon,
                    config.successUrl(), config.cancelUrl()));
        } catch (PaymentProvider.ProviderException e) {
            LOG.warn("checkout for account {}: {}", accountId, e.getMessage());
            throw new UnavailableException("the payment provider is not answering; try again shortly", 30, e);
        }
    }

    /**
     * @param returnUrl where the portal's "back" link goes
     * @return the provider's customer portal for the account
     * @throws NotFoundException when the account never completed a checkout (it is no customer of the provider)
     * @throws ConflictException when billing is off
     * @throws UnavailableException when the provider cannot be reached or refuses
     */
    public String portal(UUID accountId, String returnUrl) {
        PaymentProvider p = provider();
        String customer = customerRef(accountId);
        if (customer == null) {
            throw new NotFoundException("this account has no billing account yet: subscribe to a plan first");
        }
        try {
            return p.createPortal(customer, returnUrl);
        } catch (PaymentProvider.ProviderException e) {
            LOG.warn("portal for account {}: {}", accountId, e.getMessage());
            throw new UnavailableException("the payment provider is not answering; try again shortly", 30, e);
        }
    }

    private String customerRef(UUID accountId) {
        if (provider == null) {
            return null;
        }
        return jdbi.withHandle(h -> h.createQuery(
                        "select customer_ref from billing_customers where account_id = :a and provider = :p")
                .bind("a", accountId).bind("p", provider.name()).mapTo(String.class).findOne().orElse(null));
    }

    private String providerRef(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select provider_ref from subscriptions where account_id = :a and provider is not null")
                .bind("a", accountId).mapTo(String.class).findOne().orElse(null));
    }

    /**
     * Ends the account's subscription at the payment provider before the account is erased (account deletion), so
     * nobody is charged for an account that no longer exists, and marks it {@code cancelled} here. Nothing happens for
     * an account without a provider subscription, or whose subscription already ended.
     *
     * @throws PaymentProvider.ProviderException when the provider refuses or cannot be reached (the erasure waits and
     *                                           is tried again on the next sweep)
     * @throws ConflictException when the subscription is at a provider this server has no configuration for
     */
    public void cancelForErasure(UUID accountId) {
        record Ref(String provider, String ref) {
        }
        Optional<Ref> sub = jdbi.withHandle(h -> h.createQuery("""
                        select provider, provider_ref from subscriptions
                         where account_id = :a and provider is not null and provider_ref is not null
                           and status in ('trialing', 'active', 'past_due')""")
                .bind("a", accountId).map((rs, ctx) -> new Ref(rs.getString(1), rs.getString(2))).findOne());
        if (sub.isEmpty()) {
            return;
        }
        if (provider == null || !provider.name().equals(sub.get().provider())) {
            throw new ConflictException("account " + accountId + " has a subscription at " + sub.get().provider()
                    + ", which this server is not configured for; it cannot be cancelled from here");
        }
        provider.cancelSubscription(sub.get().ref());
        jdbi.useHandle(h -> h.createUpdate("""
                        update subscriptions set status = 'cancelled', cancel_at_period_end = false, updated_at = :now
                         where account_id = :a and provider_ref = :ref""")
                .bind("now", now()).bind("a", accountId).bind("ref", sub.get().ref()).execute());
        LOG.info("account {}: subscription {} cancelled at {} (account erasure)", accountId, sub.get().ref(),
                sub.get().provider());
    }

    /** @return the account's subscription, if it has one */
    public Optional<MySubscription> subscription(UUID accountId) {
        return plans.subscription(accountId).map(s -> new MySubscription(s.plan(), s.status(), s.currentPeriodEnd(),
                s.cancelAtPeriodEnd(), "past_due".equals(s.status()) && s.pastDueSince() != null
                ? s.pastDueSince().plus(config.gracePeriod()) : null, s.entitled()));
    }

    // ---- webhook ------------------------------------------------------------------------------------------------

    /**
     * Verifies and applies one webhook delivery.
     *
     * @param payload the body exactly as received
     * @param signatureHeader the provider's signature header
     * @return true when the event was applied now, false when it had been already
     * @throws BadRequestException for a payload no configured secret signed (or signed too long ago)
     * @throws ConflictException when billing is off
     */
    public boolean receive(String payload, String signatureHeader) {
        PaymentProvider p = provider();
        ProviderEvent event;
        try {
            event = p.verify(payload, signatureHeader, clock.instant());
        } catch (PaymentProvider.InvalidSignatureException e) {
            throw new BadRequestException("webhook signature: " + e.getMessage());
        }
        return jdbi.inTransaction(h -> {
            int fresh = h.createUpdate("""
                            insert into billing_events (provider, event_id, type, created, received_at)
                            values (:p, :id, :type, :created, :now) on conflict do nothing""")
                    .bind("p", p.name()).bind("id", event.id()).bind("type", event.type())
                    .bind("created", Timestamp.from(event.created())).bind("now", now()).execute();
            if (fresh == 0) {
                return false;
            }
            if (event instanceof ProviderEvent.CheckoutCompleted c) {
                checkoutCompleted(h, p.name(), c);
            } else if (event instanceof ProviderEvent.SubscriptionChanged s) {
                subscriptionChanged(h, p.name(), s);
            } else if (event instanceof ProviderEvent.InvoiceChanged i) {
                invoiceChanged(h, p.name(), i);
            } // other types: recorded, nothing to change
            return true;
        });
    }

    /** A subscriptions row, locked for the event's transaction. */
    private record Row(UUID accountId, UUID planId, SubscriptionStatus status, String provider, String providerRef,
                       Instant periodEnd, Instant eventAt) {
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject("account_id", UUID.class), rs.getObject("plan_id", UUID.class),
                SubscriptionStatus.of(rs.getString("status")), rs.getString("provider"), rs.getString("provider_ref"),
                instant(rs.getTimestamp("current_period_end")), instant(rs.getTimestamp("provider_event_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Optional<Row> byRef(Handle h, String provider, String ref) {
        return ref == null ? Optional.empty() : h.createQuery(
                        "select * from subscriptions where provider = :p and provider_ref = :r for update")
                .bind("p", provider).bind("r", ref).map((rs, ctx) -> row(rs)).findOne();
    }

    private static Optional<Row> byAccount(Handle h, UUID account) {
        return h.createQuery("select * from subscriptions where account_id = :a for update")
                .bind("a", account).map((rs, ctx) -> row(rs)).findOne();
    }

    private static boolean planExists(Handle h, UUID plan) {
        return plan != null && h.createQuery("select count(*) from plans where id = :id").bind("id", plan)
                .mapTo(int.class).one() > 0;
    }

    private static UUID planOfPrice(Handle h, String price) {
        return price == null ? null : h.createQuery("select id from plans where provider_price_ref = :r")
                .bind("r", price).mapTo(UUID.class).findFirst().orElse(null);
    }

    /** Writes the whole state of the account's subscription (one row per account). */
    private void write(Handle h, UUID account, UUID plan, SubscriptionStatus status, Instant periodEnd, Instant trialEnd,
                       boolean cancelAtPeriodEnd, Instant pastDueSince, String provider, String ref, Instant eventAt) {
        Instant now = now();
        h.createUpdate("""
                        insert into subscriptions (account_id, plan_id, status, current_period_end, trial_end,
                                                   cancel_at_period_end, past_due_since, provider, provider_ref,
                                                   provider_event_at, created_at, updated_at)
                        values (:a, :plan, :status, :end, :trial, :cancel, :pastDue, :p, :ref, :at, :now, :now)
                        on conflict (account_id) do update set plan_id = excluded.plan_id, status = excluded.status,
                            current_period_end = excluded.current_period_end, trial_end = excluded.trial_end,
                            cancel_at_period_end = excluded.cancel_at_period_end,
                            past_due_since = excluded.past_due_since, provider = excluded.provider,
                            provider_ref = excluded.provider_ref, provider_event_at = excluded.provider_event_at,
                            updated_at = excluded.updated_at""")
                .bind("a", account).bind("plan", plan).bind("status", status.wire()).bind("end", ts(periodEnd))
                .bind("trial", ts(trialEnd)).bind("cancel", cancelAtPeriodEnd).bind("pastDue", ts(pastDueSince))
                .bind("p", provider).bind("ref", ref).bind("at", ts(eventAt)).bind("now", now).execute();
    }

    private void checkoutCompleted(Handle h, String provider, ProviderEvent.CheckoutCompleted c) {
        if (c.accountId() == null || !accounts.exists(h, c.accountId())) {
            LOG.warn("{} event {}: checkout for no known account, ignored", provider, c.id());
            return;
        }
        // the checkout gave a trial only to an account that was not yet the provider's customer (see checkout)
        boolean firstCustomer = h.createQuery("select count(*) from billing_customers where account_id = :a")
                .bind("a", c.accountId()).mapTo(int.class).one() == 0;
        if (c.customerRef() != null) {
            h.createUpdate("""
                            insert into billing_customers (account_id, provider, customer_ref, created_at)
                            values (:a, :p, :c, :now)
                            on conflict (account_id) do update set provider = excluded.provider,
                                customer_ref = excluded.customer_ref""")
                    .bind("a", c.accountId()).bind("p", provider).bind("c", c.customerRef()).bind("now", now()).execute();
        }
        if (c.promotionCodeId() != null) {
            codes.redeemed(h, c.promotionCodeId());
        }
        if (c.subscriptionRef() == null || byRef(h, provider, c.subscriptionRef()).isPresent()) {
            return; // the subscription's own events (newer news) came first: they set its state
        }
        if (!planExists(h, c.planId())) {
            LOG.warn("{} event {}: checkout for no known plan, ignored", provider, c.id());
            return;
        }
        Plan plan = plans.find(c.planId()).orElseThrow();
        byAccount(h, c.accountId()); // lock the account's row
        boolean trial = plan.trialDays() > 0 && firstCustomer;
        // until the subscription's and invoice's events give the real period, one trial or one interval from now
        Instant end = trial ? c.created().plus(Duration.ofDays(plan.trialDays()))
                : c.created().atOffset(ZoneOffset.UTC).plus(1, "year".equals(plan.interval())
                ? ChronoUnit.YEARS : ChronoUnit.MONTHS).toInstant();
        write(h, c.accountId(), plan.id(), trial ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE, end,
                trial ? end : null, false, null, provider, c.subscriptionRef(), c.created());
    }

    private void subscriptionChanged(Handle h, String provider, ProviderEvent.SubscriptionChanged s) {
        Optional<Row> existing = byRef(h, provider, s.subscriptionRef());
        UUID account;
        UUID plan = planOfPrice(h, s.priceRef());
        if (existing.isPresent()) {
            Row r = existing.get();
            if (r.eventAt() != null && s.created().isBefore(r.eventAt())) {
                LOG.info("{} event {} ({}) is older than the subscription's state: not applied", provider, s.id(), s.type());
                return;
            }
            if (r.status() == SubscriptionStatus.EXPIRED || r.status() == SubscriptionStatus.CANCELLED) {
                return; // ended subscriptions stay ended
            }
            account = r.accountId();
            if (plan == null) {
                plan = r.planId();
            }
        } else {
            account = s.accountId();
            if (account == null || !accounts.exists(h, account)) {
                LOG.warn("{} event {}: subscription {} of no known account, ignored", provider, s.id(), s.subscriptionRef());
                return;
            }
            Optional<Row> current = byAccount(h, account);
            if (current.isPresent() && current.get().eventAt() != null && s.created().isBefore(current.get().eventAt())) {
                return; // the account moved on to a newer subscription
            }
            if (plan == null) {
                plan = s.planId();
            }
            if (!planExists(h, plan)) {
                LOG.warn("{} event {}: subscription {} of no known plan, ignored", provider, s.id(), s.subscriptionRef());
                return;
            }
        }
        Instant pastDueSince = null;
        if (s.status() == SubscriptionStatus.PAST_DUE) {
            pastDueSince = h.createQuery("select past_due_since from subscriptions where account_id = :a")
                    .bind("a", account).mapTo(Timestamp.class).findOne().map(Timestamp::toInstant).orElse(s.created());
        }
        write(h, account, plan, s.status(), s.currentPeriodEnd(), s.trialEnd(),
                s.status() != SubscriptionStatus.EXPIRED && s.cancelAtPeriodEnd(), pastDueSince, provider,
                s.subscriptionRef(), s.created());
    }

    private void invoiceChanged(Handle h, String provider, ProviderEvent.InvoiceChanged i) {
        Optional<Row> sub = byRef(h, provider, i.subscriptionRef());
        UUID account = h.createQuery("select account_id from billing_customers where provider = :p and customer_ref = :c")
                .bind("p", provider).bind("c", i.customerRef()).mapTo(UUID.class).findOne()
                .orElse(sub.map(Row::accountId).orElse(i.accountId()));
        if (account == null || !accounts.exists(h, account)) {
            LOG.warn("{} event {}: invoice {} of no known account, ignored", provider, i.id(), i.invoiceRef());
            return;
        }
        storeInvoice(h, provider, account, i);
        if (i.subscriptionRef() == null) {
            return;
        }
        if (sub.isEmpty()) {
            // paid before the checkout's event arrived: the invoice's metadata names the plan
            Optional<Row> current = byAccount(h, account);
            boolean newer = current.isEmpty() || current.get().eventAt() == null
                    || !i.created().isBefore(current.get().eventAt());
            if (i.paid() && newer && planExists(h, i.planId())) {
                write(h, account, i.planId(), SubscriptionStatus.ACTIVE, i.periodEnd(), null, false, null, provider,
                        i.subscriptionRef(), i.created());
            }
            return;
        }
        Row r = sub.get();
        if (r.status() == SubscriptionStatus.EXPIRED || r.status() == SubscriptionStatus.CANCELLED) {
            return;
        }
        boolean newer = r.eventAt() == null || !i.created().isBefore(r.eventAt());
        if (i.paid()) {
            // a paid invoice only ever extends the period, whenever it arrives
            Instant end = r.periodEnd() == null || (i.periodEnd() != null && i.periodEnd().isAfter(r.periodEnd()))
                    ? i.periodEnd() : r.periodEnd();
            boolean moves = newer && i.amountPaidMinor() > 0; // the 0 invoice opening a trial leaves it trialing
            h.createUpdate("""
                            update subscriptions set current_period_end = :end,
                                status = case when :moves then 'active' else status end,
                                past_due_since = case when :moves then null else past_due_since end,
                                provider_event_at = case when :moves then :at else provider_event_at end,
                                updated_at = :now
                             where account_id = :a""")
                    .bind("end", ts(end)).bind("moves", moves).bind("at", ts(i.created())).bind("now", now())
                    .bind("a", r.accountId()).execute();
        } else {
            boolean current = i.periodEnd() == null || r.periodEnd() == null || !i.periodEnd().isBefore(r.periodEnd());
            if (newer && current) {
                h.createUpdate("""
                                update subscriptions set status = 'past_due',
                                    past_due_since = coalesce(past_due_since, :at), provider_event_at = :at,
                                    updated_at = :now
                                 where account_id = :a""")
                        .bind("at", ts(i.created())).bind("now", now()).bind("a", r.accountId()).execute();
            }
        }
    }

    private void storeInvoice(Handle h, String provider, UUID account, ProviderEvent.InvoiceChanged i) {
        String description = i.description();
        if (description == null && i.planId() != null) {
            description = plans.find(i.planId()).map(Plan::name).orElse(null);
        }
        h.createUpdate("""
                        insert into invoices (id, account_id, provider, provider_ref, number, status, currency,
                                              amount_due_minor, amount_paid_minor, description, period_start, period_end,
                                              issued_at, paid_at, provider_event_at, updated_at)
                        values (:id, :a, :p, :ref, :number, :status, :cur, :due, :paid, :desc, :start, :end, :issued,
                                :paidAt, :at, :now)
                        on conflict (provider, provider_ref) do update set number = excluded.number,
                            status = excluded.status, amount_due_minor = excluded.amount_due_minor,
                            amount_paid_minor = excluded.amount_paid_minor, description = excluded.description,
                            period_start = excluded.period_start, period_end = excluded.period_end,
                            paid_at = excluded.paid_at, provider_event_at = excluded.provider_event_at,
                            updated_at = excluded.updated_at
                         where invoices.provider_event_at <= excluded.provider_event_at and invoices.status <> 'paid'""")
                .bind("id", UUID.randomUUID()).bind("a", account).bind("p", provider).bind("ref", i.invoiceRef())
                .bind("number", i.number()).bind("status", i.status()).bind("cur", i.currency())
                .bind("due", i.amountDueMinor()).bind("paid", i.amountPaidMinor()).bind("desc", description)
                .bind("start", ts(i.periodStart())).bind("end", ts(i.periodEnd())).bind("issued", ts(i.issuedAt()))
                .bind("paidAt", ts(i.paidAt())).bind("at", ts(i.created())).bind("now", now()).execute();
    }

    // ---- billing history ----------------------------------------------------------------------------------------

    private static Invoice invoice(ResultSet rs) throws SQLException {
        return new Invoice(rs.getObject("id", UUID.class), rs.getString("number"), rs.getString("status"),
                rs.getString("currency"), rs.getLong("amount_due_minor"), rs.getLong("amount_paid_minor"),
                rs.getString("description"), instant(rs.getTimestamp("period_start")),
                instant(rs.getTimestamp("period_end")), rs.getTimestamp("issued_at").toInstant(),
                instant(rs.getTimestamp("paid_at")));
    }

    /** @return the account's invoices, newest first (at most 500: years of monthly billing) */
    public List<Invoice> invoices(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select * from invoices where account_id = :a order by issued_at desc, id desc limit 500")
                .bind("a", accountId).map((rs, ctx) -> invoice(rs)).list());
    }

    /**
     * @return one of the account's invoices
     * @throws NotFoundException for an id that is not one of the account's (whether it exists or not)
     */
    public Invoice invoice(UUID accountId, UUID invoiceId) {
        return jdbi.withHandle(h -> h.createQuery("select * from invoices where id = :id and account_id = :a")
                        .bind("id", invoiceId).bind("a", accountId).map((rs, ctx) -> invoice(rs)).findOne())
                .orElseThrow(() -> new NotFoundException("no invoice " + invoiceId));
    }

    /** @return one of the account's invoices as a PDF document. @throws NotFoundException as {@link #invoice} */
    public byte[] invoicePdf(UUID accountId, UUID invoiceId) {
        Invoice inv = invoice(accountId, invoiceId);
        AccountStore.Identity who = accounts.identity(accountId).orElseThrow(() -> new NotFoundException("no account"));
        return InvoicePdf.render(inv, who.username(), who.email());
    }
}
