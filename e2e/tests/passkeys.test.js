// Second factors in the browser: a user sets up a passkey on the security page with Chromium's virtual
// authenticator (CDP WebAuthn domain: a CTAP2 platform authenticator with resident keys and user verification),
// then signs in with the password and the passkey as the second step, and finally without a password at all.
// Passkeys need a domain as RP ID, so the page is opened on localhost (the API maps its loopback public URL to it).

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, newUser, startTarget } from '../lib/target.js';

let target;
let browser;
let failed = false;
const user = newUser();

before(async () => {
  target = startTarget();
  target.baseUrl = target.baseUrl.replace('://127.0.0.1', '://localhost');
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => { await browser?.close('passkeys', failed); });

test('passkey as a second factor and as a passwordless sign-in', { timeout: 4 * TIMEOUT }, async () => {
  const { page, context } = browser;
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });

  await page.goto(`${target.baseUrl}/register`);
  await page.fill('#f-email', user.email);
  await page.fill('#f-username', user.username);
  await page.fill('#f-password', user.password);
  await page.click('form.auth-form button[type=submit]');
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });

  // Security page: add a passkey; the first second factor shows its recovery codes once.
  await page.click('#nav a.user');
  await page.click('text=Security: second factors and passkeys');
  await page.waitForSelector('text=No passkeys yet.');
  await page.fill('input[name=passkeyName]', 'Virtual key');
  await page.click('button:has-text("Add a passkey")');
  await page.waitForSelector('.passkeys li:has-text("Virtual key")', { timeout: TIMEOUT });
  assert.equal(await page.locator('.recovery-codes li').count(), 10, 'ten recovery codes shown');

  // Sign out; the password alone is not enough any more: the second step asks, the passkey answers.
  await page.click('#nav >> text=Sign out');
  await page.waitForSelector('#nav >> text=Sign in');
  await page.goto(`${target.baseUrl}/login`);
  await page.fill('#f-login', user.username);
  await page.fill('#f-password', user.password);
  await page.click('form.auth-form button[type=submit]');
  await page.waitForSelector('text=Two-step verification', { timeout: TIMEOUT });
  await page.click('button:has-text("Use a passkey")');
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });

  // And without a password: the discoverable credential names the account.
  await page.click('#nav >> text=Sign out');
  await page.waitForSelector('#nav >> text=Sign in');
  await page.goto(`${target.baseUrl}/login`);
  await page.click('button:has-text("Sign in with a passkey")');
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
  assert.equal((await page.textContent('#nav a.user')).trim(), user.username);
});
