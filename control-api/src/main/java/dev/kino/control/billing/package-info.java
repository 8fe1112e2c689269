/**
 * Self-service subscriptions and billing: checkout and the customer portal through a {@link
 * dev.kino.control.billing.PaymentProvider} (Stripe), its signed webhook events applied exactly once to the
 * {@link dev.kino.control.billing.SubscriptionStatus} state machine that decides a plan's entitlements, promotion
 * codes, and the billing history with invoice PDFs. Plans and subscriptions themselves are the playback feature's
 * tables ({@code dev.kino.control.playback.Plans}).
 */
package dev.kino.control.billing;
