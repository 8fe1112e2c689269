package dev.kino.control.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.control.NotFoundException;
import dev.kino.control.billing.BillingTypes.CheckoutRequest;
import dev.kino.control.billing.BillingTypes.PromotionCode;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * Billing routes (plans themselves are the playback feature's: {@code GET /api/v1/plans}, {@code /api/v1/admin/plans}):
 *
 * <pre>
 * POST   /api/v1/billing/checkout                {planId, promotionCode?} → {sessionId, url}   signed in
 * GET    /api/v1/billing/portal                  → {url} of the provider's customer portal     signed in
 * POST   /api/v1/billing/webhooks/stripe         Stripe's events, Stripe-Signature checked     public
 * GET    /api/v1/me/subscription                 the caller's subscription and its state       signed in
 * GET    /api/v1/me/invoices                     the caller's billing history                  signed in
 * GET    /api/v1/me/invoices/{id}                one of the caller's invoices                  its owner
 * GET    /api/v1/me/invoices/{id}/pdf            the invoice as application/pdf                its owner
 * GET    /api/v1/admin/promotion-codes           every promotion code                          plans manager
 * POST   /api/v1/admin/promotion-codes           create one                                    plans manager
 * DELETE /api/v1/admin/promotion-codes/{id}      withdraw one                                  plans manager
 * </pre>
 *
 * Invoices are looked up by id and owner together: another account's invoice id answers 404, the same as an id
 * that does not exist, so ids reveal nothing.
 */
public final class BillingRoutes {
    private static final String TAG = "billing";

    private BillingRoutes() {
    }

    /**
     * @param portalReturnUrl where the customer portal's "back" link goes (the web app's plans page)
     */
    public static void register(Router router, Billing billing, PromotionCodes codes, Access access,
                                String portalReturnUrl) {
        router.route(POST, "/api/v1/billing/checkout").operationId("createCheckout").tag(TAG).authenticated()
                .summary("Open the payment provider's checkout page for a plan (subscription, the plan's trial, an"
                        + " optional promotion code); answers its URL")
                .request(CheckoutRequest.class).response(200, BillingTypes.CheckoutLink.class).errors(404, 409, 503)
                .handler(req -> Response.ok(billing.checkout(access.viewer(req).accountId(),
                        req.body(CheckoutRequest.class))));
        router.route(GET, "/api/v1/billing/portal").operationId("billingPortal").tag(TAG).authenticated()
                .summary("A link to the payment provider's customer portal: cards, invoices, plan changes, cancellation")
                .response(200, BillingTypes.PortalLink.class).errors(404, 409, 503)
                .handler(req -> Response.ok(new BillingTypes.PortalLink(
                        billing.portal(access.viewer(req).accountId(), portalReturnUrl))));
        router.route(POST, "/api/v1/billing/webhooks/stripe").operationId("stripeWebhook").tag(TAG)
                .summary("Stripe's webhook: events signed in Stripe-Signature (checkout.session.completed, invoice.paid,"
                        + " invoice.payment_failed, customer.subscription.updated and .deleted), each applied once")
                .request(ObjectNode.class).response(200, BillingTypes.WebhookReceipt.class).errors(409)
                .handler(req -> {
                    billing.receive(new String(req.bytes(), StandardCharsets.UTF_8), req.header("Stripe-Signature"));
                    return Response.ok(new BillingTypes.WebhookReceipt(true));
                });
        router.route(GET, "/api/v1/me/subscription").operationId("mySubscription").tag(TAG).authenticated()
                .summary("Your subscription: plan, state, period end, grace period, whether its entitlements apply")
                .response(200, BillingTypes.MySubscription.class).errors(404)
                .handler(req -> {
                    UUID me = access.viewer(req).accountId();
                    return Response.ok(billing.subscription(me)
                            .orElseThrow(() -> new NotFoundException("you have no subscription")));
                });
        router.route(GET, "/api/v1/me/invoices").operationId("myInvoices").tag(TAG).authenticated()
                .summary("Your billing history, newest first").response(200, BillingTypes.InvoiceList.class)
                .handler(req -> Response.ok(new BillingTypes.InvoiceList(billing.invoices(access.viewer(req).accountId()))));
        router.route(GET, "/api/v1/me/invoices/{id}").operationId("myInvoice").tag(TAG).authenticated()
                .summary("One of your invoices").response(200, BillingTypes.Invoice.class).errors(404)
                .handler(req -> Response.ok(billing.invoice(access.viewer(req).accountId(), req.pathUuid("id"))));
        router.route(GET, "/api/v1/me/invoices/{id}/pdf").operationId("myInvoicePdf").tag(TAG).authenticated()
                .summary("One of your invoices as a PDF document (application/pdf)").response(200, null).errors(404)
                .handler(req -> {
                    UUID id = req.pathUuid("id");
                    byte[] pdf = billing.invoicePdf(access.viewer(req).accountId(), id);
                    return Response.bytes(pdf, "application/pdf")
                            .withHeader("Content-Disposition", "attachment; filename=\"kino-invoice-" + id + ".pdf\"")
                            .withHeader("Cache-Control", "private, no-store");
                });
        router.route(GET, "/api/v1/admin/promotion-codes").operationId("listPromotionCodes").tag(TAG).authenticated()
                .summary("Promotion codes (admin)").response(200, BillingTypes.PromotionCodeList.class).errors(403)
                .handler(req -> {
                    access.require(req, Viewer.PLANS_MANAGE);
                    return Response.ok(new BillingTypes.PromotionCodeList(codes.list()));
                });
        router.route(POST, "/api/v1/admin/promotion-codes").operationId("createPromotionCode").tag(TAG).authenticated()
                .summary("Create a promotion code: percent or amount off, once/repeating/forever, redemption limit, expiry")
                .request(PromotionCode.class).response(201, PromotionCode.class).errors(403, 409)
                .handler(req -> {
                    access.require(req, Viewer.PLANS_MANAGE);
                    PromotionCode c = codes.create(req.body(PromotionCode.class));
                    return Response.created(c, "/api/v1/admin/promotion-codes");
                });
        router.route(DELETE, "/api/v1/admin/promotion-codes/{id}").operationId("withdrawPromotionCode").tag(TAG)
                .authenticated().summary("Withdraw a promotion code: checkouts refuse it from now on")
                .response(204, null).errors(403, 404)
                .handler(req -> {
                    access.require(req, Viewer.PLANS_MANAGE);
                    codes.deactivate(req.pathUuid("id"));
                    return Response.noContent();
                });
    }
}
