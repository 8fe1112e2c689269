/**
 * Account hygiene (#17): confirmed e-mail addresses required where it matters, account deletion with a grace period
 * and then erasure of the personal data, and the owner's export of everything about the account.
 */
package dev.kino.control.account.hygiene;
