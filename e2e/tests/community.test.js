// The community journey in Chromium against the real ./kino demo: user A comments under the player with a spoiler
// flag, a position ("0:05") and markup that must stay text; user B replies, likes and rates through the API; A sees
// the reply, the like and the rating on the pages; B reports A's comment, the demo's admin (a moderator) hides it,
// and it is gone for everyone.
// Not covered: reputation (not built yet).

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, api, apiLogin, newUser, playableTitle, register, signIn, startTarget } from '../lib/target.js';

let target;
let browser;
let failed = false;

before(async () => {
  target = startTarget();
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => { await browser?.close('community', failed); });

test('comment with a spoiler and a position, reply, like, rate, report, hidden by a moderator',
  { timeout: 4 * TIMEOUT, skip: !process.env.KINO_ADMIN_PASSWORD && 'the demo printed no admin password (not a fresh data.dir)' },
  async () => {
    const { page } = browser;
    const titleId = await playableTitle(target);
    const a = newUser();
    const b = newUser();
    await register(page, target, a);
    await api(target, 'POST', '/auth/register', { json: b });
    const bToken = await apiLogin(target, b.username, b.password);
    const aToken = await apiLogin(target, a.username, a.password);

    // A comments under the player: a spoiler, with a position and markup.
    const body = 'The twist at 0:05 <img src=x onerror="window.__pwned=1"> is great';
    const watch = `/watch/${encodeURIComponent(titleId)}/${encodeURIComponent(target.mediaId)}`;
    await page.goto(`${target.baseUrl}${watch}`);
    await page.waitForSelector('.comments .comment-form textarea', { timeout: TIMEOUT });
    await page.fill('.comments .comment-form textarea', body);
    await page.check('.comments .comment-form input[name=spoiler]');
    await page.click('.comments .comment-form button[type=submit]');
    await page.waitForSelector('.comments .comment .spoiler-cover', { timeout: TIMEOUT });
    assert.equal(await page.isVisible('.comments .comment .comment-text'), false, 'the spoiler is hidden until asked');
    await page.click('.comments .comment .spoiler-cover');
    assert.equal((await page.textContent('.comments .comment .comment-text')).trim(), body, 'shown as text, exactly');
    assert.equal(await page.evaluate(() => document.querySelectorAll('.comments .comment-text img').length), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no markup ran');
    const href = await page.getAttribute('.comments .comment .comment-text a.position', 'href');
    assert.equal(href, `${watch}?t=5`, 'the position links into the player');

    // B replies, likes the comment and rates the title, through the API.
    const list = await api(target, 'GET', `/media/${target.mediaId}/comments`, { token: bToken });
    const mine = list.items.find((c) => c.author && c.author.username === a.username);
    assert.ok(mine, JSON.stringify(list));
    await api(target, 'POST', `/media/${target.mediaId}/comments`, { token: bToken, json: { body: 'Agreed!', parentId: mine.id } });
    await api(target, 'PUT', `/comments/${mine.id}/reaction`, { token: bToken, json: { value: 'like' } });
    await api(target, 'PUT', `/titles/${titleId}/rating`, { token: bToken, json: { score: 9 } });

    // A sees the reply and the like; on the title page A rates too and sees both votes.
    await page.reload();
    await page.waitForSelector('.comments .comment .show-replies', { timeout: TIMEOUT });
    assert.match(await page.textContent('.comments .comment .comment-reactions'), /👍 1/);
    await page.click('.comments .comment .show-replies');
    await page.waitForSelector('.comments .reply-list .comment', { timeout: TIMEOUT });
    assert.equal((await page.textContent('.comments .reply-list .comment .comment-text')).trim(), 'Agreed!');
    await page.goto(`${target.baseUrl}/title/${encodeURIComponent(titleId)}`);
    await page.waitForSelector('.rating .score', { timeout: TIMEOUT });
    await page.click('.rating .score[aria-label="Rate 7"]');
    await page.waitForSelector('.rating .score.mine[aria-label="Rate 7"]', { timeout: TIMEOUT });
    const rating = await api(target, 'GET', `/titles/${titleId}/rating`, { token: aToken });
    assert.equal(rating.mine, 7);
    assert.ok(rating.count >= 2 && (await page.textContent('.rating .rating-summary')).includes(`${rating.count} votes`));

    // A's public profile shows the comment and the reputation B's like earned.
    await page.goto(`${target.baseUrl}/users/${encodeURIComponent(a.username)}`);
    await page.waitForSelector('.profile .reputation', { timeout: TIMEOUT });
    assert.match(await page.textContent('.profile .reputation'), /^2 reputation/);

    // B reports A's comment; the demo's admin hides it on the moderation page; it is gone for A and for B.
    await api(target, 'POST', '/reports', { token: bToken, json: { targetType: 'comment', targetId: mine.id, reason: 'spoiler' } });
    await page.click('#nav >> text=Sign out');
    await page.waitForSelector('#nav >> text=Sign in');
    await signIn(page, target, process.env.KINO_ADMIN_LOGIN, process.env.KINO_ADMIN_PASSWORD);
    await page.click('#nav >> text=Moderation');
    const entry = `.queue .case[data-target-id="${mine.id}"]`;
    await page.waitForSelector(entry, { timeout: TIMEOUT });
    assert.equal((await page.textContent(`${entry} .reported-text`)).trim(), body, 'the moderator sees the text, as text');
    await page.fill(`${entry} input[name=reason]`, 'spoiler without the flag');
    await page.click(`${entry} button[data-action=hide]`);
    await page.waitForSelector(entry, { state: 'detached', timeout: TIMEOUT });
    await page.click('#nav >> text=Sign out');
    await page.waitForSelector('#nav >> text=Sign in');
    await signIn(page, target, a.username, a.password);
    await page.goto(`${target.baseUrl}${watch}`);
    await page.waitForSelector('.comments .comment-list', { timeout: TIMEOUT });
    await page.waitForFunction(() => !document.querySelector('.comments .comment-list .spoiler-cover')
      && document.querySelector('.comments .comment-list > li'), null, { timeout: TIMEOUT });
    const after = await api(target, 'GET', `/media/${target.mediaId}/comments`, { token: bToken });
    assert.ok(!after.items.some((c) => c.id === mine.id), 'gone for B too');
  });
