// The admin console (#16) in Chromium on the real API, with the demo's admin account: find a user, end their
// sessions, ban and unban them, read it all back in the audit log and download it as CSV, see the packaging jobs,
// and edit a title's fields in the catalogue editor.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, api, apiLogin, newUser, signIn, startTarget } from '../lib/target.js';

let target;
let browser;
let failed = false;
/** The admin's access token from the first test's sign-in in the browser: the API allows 30 sign-ins per address in
 * 5 min (LoginThrottle), which the whole suite, all from 127.0.0.1, comes close to, so none is spent twice. */
let adminToken = null;

before(async () => {
  target = startTarget();
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => { await browser?.close('admin-console', failed); });

/** Client-side navigation (keeps the in-memory session, as a click on a link does). */
async function go(page, path) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

test('an admin finds a user, ends their sessions, bans and unbans them, and reads it in the audit log',
  { timeout: 4 * TIMEOUT, skip: !process.env.KINO_ADMIN_PASSWORD && 'the demo printed no admin password (not a fresh data.dir)' },
  async () => {
    const { page } = browser;
    const user = newUser();
    await api(target, 'POST', '/auth/register', { json: user });
    const token = await apiLogin(target, user.username, user.password);
    await apiLogin(target, user.username, user.password); // a second session

    const [login] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/auth/login',
        { timeout: TIMEOUT }),
      signIn(page, target, process.env.KINO_ADMIN_LOGIN, process.env.KINO_ADMIN_PASSWORD),
    ]);
    adminToken = (await login.json()).accessToken;
    await page.click('#nav >> text=Admin');
    await page.click('nav.admin-nav >> text=Users');
    await page.fill('form.filters input[name=q]', user.username);
    await page.click('form.filters button[type=submit]');
    await page.click(`tbody a >> text=${user.username}`, { timeout: TIMEOUT });
    await page.waitForSelector(`h1 >> text=${user.username}`);
    assert.equal(await page.locator('tbody button >> text=End').count(), 2, 'both sessions listed');

    await page.click('button >> text=End every session');
    await page.waitForSelector('p.notice >> text=Every session ended.');
    await assert.rejects(api(target, 'GET', '/me', { token }), /HTTP 401/);

    await page.fill('input[name=reason]', 'e2e ban');
    await page.click('button.danger >> text=Ban');
    await page.waitForSelector('p >> text=Banned: e2e ban');
    await page.click('button >> text=Unban');
    await page.waitForSelector('p.notice >> text=Ban lifted.');

    await page.click('nav.admin-nav >> text=Audit log');
    await page.fill('form.filters input[name=action]', 'user.*');
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector('table.audit td >> text=user.unban');
    const actions = await page.$$eval('table.audit tbody tr td:nth-child(3)', (tds) => tds.slice(0, 3).map((t) => t.textContent));
    assert.deepEqual(actions, ['user.unban', 'user.ban', 'user.sessions-revoke']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-csv')]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.match(csv, /^id,at,actorId,actorName,action,targetType,targetId,before,after\r\n/);
    assert.match(csv, /,user\.ban,account,/);

    await page.click('nav.admin-nav >> text=Jobs');
    await page.waitForSelector('table.jobs-table tbody tr[data-state]', { timeout: TIMEOUT });
  });

test('an admin edits a title\'s names, synopsis, tags and people in the catalogue editor',
  { timeout: 2 * TIMEOUT, skip: !process.env.KINO_ADMIN_PASSWORD && 'the demo printed no admin password (not a fresh data.dir)' },
  async () => {
    const { page } = browser;
    adminToken = adminToken || await apiLogin(target, process.env.KINO_ADMIN_LOGIN, process.env.KINO_ADMIN_PASSWORD);
    const name = `Editable ${crypto.randomBytes(3).toString('hex')}`;
    const title = await api(target, 'POST', '/titles', { token: adminToken,
      json: { kind: 'movie', originalTitle: name, titles: { en: name }, tags: ['old'], people: ['Kept Person'] } });
    if (!await page.$('#nav >> text=Sign out')) {
      await signIn(page, target, process.env.KINO_ADMIN_LOGIN, process.env.KINO_ADMIN_PASSWORD);
    }
    await go(page, `/admin/catalogue/${title.id}`);
    await page.waitForSelector('form.title-editor');
    await page.fill('form.title-editor textarea[name=titles]', `en: ${name}\nuk: Назва`);
    await page.fill('form.title-editor input[name=newLang]', 'en');
    await page.fill('form.title-editor textarea[name=newSynopsis]', 'A synopsis written in the console.');
    await page.fill('form.title-editor input[name=tags]', 'e2e, edited');
    assert.equal(await page.inputValue('form.title-editor textarea[name=people]'), 'Kept Person');
    await page.fill('form.title-editor textarea[name=people]', 'Kept Person\nMiyazaki, Hayao');
    await page.click('form.title-editor button[type=submit]');
    await page.waitForSelector('p.notice >> text=Title saved.');
    const saved = await api(target, 'GET', `/titles/${title.id}`, { token: adminToken });
    assert.deepEqual(saved.titles, { en: name, uk: 'Назва' });
    assert.equal(saved.synopses.en, 'A synopsis written in the console.');
    assert.deepEqual(saved.tags, ['e2e', 'edited']);
    assert.deepEqual(saved.people, ['Kept Person', 'Miyazaki, Hayao'], 'one name a line, commas kept');
    await api(target, 'DELETE', `/titles/${title.id}`, { token: adminToken });
  });
