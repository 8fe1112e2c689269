// Sign-in with an OpenID Connect provider in the browser (issue 17): the sign-in page's "Sign in with <provider>"
// button, the provider's login form, the way back (the callback, then /login#oidc=<hand-off code>), a NEW account
// signed in; the security page lists the provider as linked; a second sign-in through the provider lands in the
// same account; an existing password account links the provider from its security page.
//
// The provider is mock-oauth2-server (run.sh starts it with an interactive login form and passes its issuer as
// KINO_OIDC_ISSUER, http://127.0.0.1:<port>/<id>; the id is the issuer path's last segment, and the web app names
// the provider by its id). Its form takes the subject ("username") and the ID token's extra claims as JSON.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, newUser, register, startTarget } from '../lib/target.js';

const ISSUER = (process.env.KINO_OIDC_ISSUER || '').replace(/\/+$/, '');
const PROVIDER = ISSUER.split('/').pop();
const skip = ISSUER ? false
  : 'KINO_OIDC_ISSUER is not set: run.sh found no mock-oauth2-server jars in ~/.m2 (run ./mvnw -B verify first)';

let target;
let browser;
let failed = false;

before(async () => {
  if (skip) return;
  target = startTarget();
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => { await browser?.close('oidc', failed); });

/** On the provider's login page: signs in as `subject` with these ID token claims, and waits to be back in Kino. */
async function providerLogin(page, subject, claims) {
  await page.waitForURL((u) => u.href.startsWith(`${ISSUER}/`), { timeout: TIMEOUT });
  await page.fill('input[name=username]', subject);
  await page.fill('textarea[name=claims]', JSON.stringify(claims));
  await page.click('input[type=submit]');
  await page.waitForURL((u) => u.href.startsWith(target.baseUrl), { timeout: TIMEOUT });
}

async function signOut(page) {
  await page.click('#nav >> text=Sign out');
  await page.waitForSelector('#nav >> text=Sign in', { timeout: TIMEOUT });
}

async function openSecurity(page) {
  await page.goto(`${target.baseUrl}/account/security`);
  await page.waitForSelector('.security-providers h2:has-text("Sign-in providers")', { timeout: TIMEOUT });
}

test('a first sign-in with the provider makes an account; the second lands in it', { skip, timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const n = newUser();
  const subject = `sub-${n.username}`;
  const claims = { email: n.email, email_verified: true, preferred_username: n.username };

  await page.goto(`${target.baseUrl}/login`);
  const button = page.locator(`.oidc-providers a[data-provider="${PROVIDER}"]`);
  await button.waitFor({ timeout: TIMEOUT });
  assert.equal((await button.textContent()).trim(), `Sign in with ${PROVIDER}`);
  await button.click();
  await providerLogin(page, subject, claims);
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
  assert.equal((await page.textContent('#nav a.user')).trim(), n.username, 'a new account named by preferred_username');

  await openSecurity(page);
  const linked = page.locator('.security-providers ul.identities li');
  await linked.first().waitFor({ timeout: TIMEOUT });
  assert.equal(await linked.count(), 1);
  assert.match(await linked.first().textContent(), new RegExp(`^${PROVIDER}.*${n.email.replace(/\./g, '\\.')}`));
  assert.equal(await page.locator(`.security-providers button:has-text("Link ${PROVIDER}")`).count(), 0,
    'a linked provider is not offered again');

  // The same subject again (other claims on purpose: the account is found by issuer + subject, not by them).
  await signOut(page);
  await page.goto(`${target.baseUrl}/login`);
  await page.click(`.oidc-providers a[data-provider="${PROVIDER}"]`);
  await providerLogin(page, subject, { ...claims, preferred_username: `${n.username}_again` });
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
  assert.equal((await page.textContent('#nav a.user')).trim(), n.username, 'the same account, not a second one');
  await signOut(page);
});

test('a password account links the provider on its security page and then signs in with it', { skip, timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const user = newUser();
  const subject = `sub-${user.username}`;
  // An address other than the account's: linking is by the signed-in account, not by a matching address.
  const claims = { email: `other-${user.email}`, email_verified: true, preferred_username: `x${user.username}` };

  await register(page, target, user);
  await openSecurity(page);
  await page.waitForSelector('.security-providers li.muted:has-text("No provider linked.")');
  await page.click(`.security-providers button:has-text("Link ${PROVIDER}")`);
  await providerLogin(page, subject, claims);
  await page.waitForSelector(`.security-providers :text("${PROVIDER} is linked: you can sign in with it.")`, { timeout: TIMEOUT });
  assert.equal(await page.locator('.security-providers ul.identities li').count(), 1);
  assert.match(await page.locator('.security-providers ul.identities li').first().textContent(), new RegExp(`^${PROVIDER}`));

  await signOut(page);
  await page.goto(`${target.baseUrl}/login`);
  await page.click(`.oidc-providers a[data-provider="${PROVIDER}"]`);
  await providerLogin(page, subject, claims);
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
  assert.equal((await page.textContent('#nav a.user')).trim(), user.username, 'signed in to the linked password account');
});
