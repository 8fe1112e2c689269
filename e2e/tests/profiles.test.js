// Viewer profiles in the web app: an account with one profile signs in without a picker; with several, "Who's
// watching?" appears after sign-in, a locked profile asks for its PIN (a wrong one is refused), the header switcher
// shows who is watching and switches, and /profiles lists them.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, api, apiLogin, newUser, register, signIn, startTarget } from '../lib/target.js';

let target;
let browser;
let failed = false;
const user = newUser();

before(async () => {
  target = startTarget();
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => { await browser?.close('profiles', failed); });

test("who's watching: picker, PIN, header switcher", { timeout: 3 * TIMEOUT }, async () => {
  const { page } = browser;

  // One profile: no picker after signing in.
  await register(page, target, user);
  await page.click('#nav >> text=Sign out');
  await page.waitForSelector('#nav >> text=Sign in');
  await signIn(page, target, user.username, user.password);
  await page.waitForSelector('#nav .profile-switcher a[href="/profiles"]', { timeout: TIMEOUT });
  assert.equal(await page.locator('.whos-watching').count(), 0, 'no picker with a single profile');

  // Two more profiles, one locked with a PIN.
  const token = await apiLogin(target, user.username, user.password);
  await api(target, 'POST', '/me/profiles', { token, json: { name: 'Kid', maturity: 'kids' } });
  await api(target, 'POST', '/me/profiles', { token, json: { name: 'Locked', maturity: 'adult', pin: '2580' } });

  await page.click('#nav >> text=Sign out');
  await page.waitForSelector('#nav >> text=Sign in');
  await signIn(page, target, user.username, user.password);
  await page.waitForSelector('.whos-watching .profile-choice', { timeout: TIMEOUT });
  assert.equal(await page.locator('.whos-watching .profile-choice').count(), 3);

  // The locked profile asks for its PIN; a wrong one is refused, the right one opens it.
  await page.click('.whos-watching .profile-choice[aria-label="Locked (PIN)"]');
  await page.fill('.whos-watching .pin-form input', '1111');
  await page.click('.whos-watching .pin-form button[type=submit]');
  await page.waitForSelector('.whos-watching .pin-form .form-error:has-text("not right")', { timeout: TIMEOUT });
  await page.fill('.whos-watching .pin-form input', '2580');
  await page.click('.whos-watching .pin-form button[type=submit]');
  await page.waitForSelector('.whos-watching', { state: 'detached', timeout: TIMEOUT });
  await page.waitForSelector('#nav .profile-menu summary:has-text("Locked")', { timeout: TIMEOUT });

  // The header switches to the kid's profile (no PIN), and the management page shows who is watching.
  await page.click('#nav .profile-menu summary');
  await page.click('#nav .profile-menu .menu button:has-text("Kid")');
  await page.waitForSelector('#nav .profile-menu summary:has-text("Kid")', { timeout: TIMEOUT });
  await page.click('#nav .profile-menu summary');
  await page.click('#nav .profile-menu >> text=Manage profiles');
  await page.waitForSelector('.profiles-page .profile-rows li', { timeout: TIMEOUT });
  assert.equal(await page.locator('.profiles-page .profile-rows li').count(), 3);
  assert.equal(await page.inputValue('.profiles-page .profile-rows li:has-text("watching now") input[name=name]'), 'Kid');
  // a child's profile cannot add profiles
  assert.equal(await page.locator('.profiles-page form.profile-create').count(), 0);
});
