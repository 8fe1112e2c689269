// Notifications and search in Chromium against the real ./kino demo.
//
// Notifications: user A (signed in in the browser) comments under the player; user B replies through the API; the
// bell's unread count goes up while A's page stays open (the SSE stream, opened with a single-use ticket), the
// notification list shows the reply as text, opening it marks it read and the badge goes away; the settings page
// turns reply e-mails off and the API agrees; following the title from its page is kept.
// Search: typing in the header's search box offers the title as you type; submitting shows the results page with the
// matched name highlighted.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, api, apiLogin, newUser, playableTitle, register, startTarget } from '../lib/target.js';

let target;
let browser;
let failed = false;

before(async () => {
  target = startTarget();
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => { await browser?.close('platform', failed); });

test('a reply reaches the bell live, the list shows it as text, reading it clears the badge', { timeout: 4 * TIMEOUT },
  async () => {
    const { page } = browser;
    const titleId = await playableTitle(target);
    const a = newUser();
    const b = newUser();
    await register(page, target, a);
    await api(target, 'POST', '/auth/register', { json: b });
    const aToken = await apiLogin(target, a.username, a.password);
    const bToken = await apiLogin(target, b.username, b.password);

    // A follows the title from its page.
    await page.goto(`${target.baseUrl}/title/${encodeURIComponent(titleId)}`);
    await page.waitForSelector('button.follow[aria-pressed=false]', { timeout: TIMEOUT });
    await page.click('button.follow');
    await page.waitForSelector('button.follow[aria-pressed=true]', { timeout: TIMEOUT });
    const follows = await api(target, 'GET', `/me/follows/titles/${titleId}`, { token: aToken });
    assert.equal(follows.following, true);

    // A comments; the badge is hidden (nothing unread yet).
    const mine = await api(target, 'POST', `/media/${target.mediaId}/comments`, { token: aToken, json: { body: 'Who made the music?' } });
    assert.equal(await page.isVisible('#nav .bell .badge'), false);

    // B replies, with markup that must stay text; A's open page shows the count without a reload.
    const reply = 'The studio <b>orchestra</b>';
    await api(target, 'POST', `/media/${target.mediaId}/comments`, { token: bToken, json: { body: reply, parentId: mine.id } });
    await page.waitForSelector('#nav .bell .badge:not([hidden])', { timeout: TIMEOUT });
    assert.equal((await page.textContent('#nav .bell .badge')).trim(), '1');

    // The list shows it (as text), unread; opening it marks it read and clears the badge.
    await page.click('#nav .bell');
    await page.waitForSelector('.notifications .notification.unread', { timeout: TIMEOUT });
    const text = await page.textContent('.notifications .notification.unread a');
    assert.ok(text.includes(b.username), text);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.notifications b').length), 0, 'no markup');
    await page.click('.notifications .notification.unread a');
    await page.waitForSelector('#nav .bell .badge[hidden]', { state: 'attached', timeout: TIMEOUT });
    const unread = await api(target, 'GET', '/me/notifications/unread-count', { token: aToken });
    assert.equal(unread.unread, 0);

    // Settings: reply e-mails off, kept by the API.
    await page.goto(`${target.baseUrl}/account/notifications`);
    const box = 'table.settings input[aria-label="Replies to my comments and posts: by e-mail"]';
    await page.waitForSelector(box, { timeout: TIMEOUT });
    if (await page.isChecked(box)) {
      await page.click(box);
      await page.waitForSelector('text=Saved.', { timeout: TIMEOUT });
    }
    const settings = await api(target, 'GET', '/me/notification-settings', { token: aToken });
    const replies = settings.settings.find((s) => s.type === 'reply');
    assert.equal(replies.email, false, JSON.stringify(replies));
  });

test('the header search suggests the title as you type and the results page highlights it', { timeout: 2 * TIMEOUT },
  async () => {
    const { page } = browser;
    const titleId = await playableTitle(target);
    const title = await api(target, 'GET', `/titles/${titleId}`);
    const name = title.originalTitle || title.name;
    assert.ok(name, JSON.stringify(title));
    const word = name.split(/\s+/).find((w) => w.length >= 3) || name;
    await page.goto(`${target.baseUrl}/`);
    await page.waitForSelector('.search input', { timeout: TIMEOUT });
    await page.fill('.search input', word.slice(0, 3));
    await page.waitForSelector(`ul.suggestions:not([hidden]) a[href="/title/${titleId}"]`, { timeout: TIMEOUT });
    await page.fill('.search input', word);
    await page.press('.search input', 'Enter');
    await page.waitForSelector('li.search-hit', { timeout: TIMEOUT });
    const hits = await page.$$eval('li.search-hit a', (as) => as.map((x) => x.getAttribute('href')));
    assert.ok(hits.some((hrf) => hrf && hrf.includes(titleId)), JSON.stringify(hits));
    const marks = await page.$$eval('li.search-hit mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
    assert.ok(marks.includes(word.toLowerCase()), JSON.stringify(marks));
  });
