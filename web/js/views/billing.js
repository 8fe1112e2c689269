// Plans and billing: the plans on offer with checkout (the payment provider's hosted page), the caller's
// subscription with a link to the provider's customer portal, and the billing history with invoice PDFs.
// Every text from the API is set as text (h() makes text nodes), never parsed as HTML.

import * as api from '../api.js';
import { h, mount, notice, errorText, safeUrl } from '../dom.js';

/** @returns e.g. "9.99 EUR" for 999 minor units (the currency's own decimals, 0 for JPY) */
function money(minor, currency) {
  try {
    const f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    return f.format(minor / 10 ** f.resolvedOptions().maximumFractionDigits);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

const date = (iso) => (iso ? new Date(iso).toLocaleDateString() : '');

const STATUS = {
  trialing: 'Free trial',
  active: 'Active',
  past_due: 'Payment failed',
  cancelled: 'Cancelled',
  expired: 'Ended',
};

export async function render(root, { query, navigate }) {
  document.title = 'Plans – Kino';
  const signedIn = !!api.user();
  const [plans, sub, invoices] = await Promise.all([
    api.billing.plans(),
    signedIn ? api.billing.subscription().catch((e) => (e.status === 404 ? null : Promise.reject(e))) : null,
    signedIn ? api.billing.invoices() : null,
  ]);
  const status = h('div.form-status', { 'aria-live': 'polite' });
  if (query.get('checkout') === 'success') status.replaceChildren(notice('info', 'Thank you: your subscription starts as soon as the payment is confirmed.'));
  if (query.get('checkout') === 'cancelled') status.replaceChildren(notice('info', 'Checkout cancelled: nothing was charged.'));

  const go = (url) => {
    const safe = safeUrl(url);
    if (safe) location.assign(safe);
  };

  // the caller's subscription
  let current = null;
  if (sub) {
    const lines = [h('strong', sub.plan.name), ' · ', STATUS[sub.status] || sub.status];
    if (sub.cancelAtPeriodEnd && sub.currentPeriodEnd) lines.push(` · ends ${date(sub.currentPeriodEnd)}`);
    else if (sub.currentPeriodEnd && sub.entitled) lines.push(` · renews ${date(sub.currentPeriodEnd)}`);
    if (sub.graceEndsAt) lines.push(` · update your card before ${date(sub.graceEndsAt)}`);
    const portal = h('button.button.small', {
      type: 'button',
      onclick: async () => {
        try { go((await api.billing.portal()).url); } catch (e) { status.replaceChildren(notice('error', errorText(e))); }
      },
    }, 'Manage billing');
    current = h('section.subscription', h('h2', 'Your subscription'), h('p', lines), portal);
  }

  // the plans on offer
  const promo = h('input', { name: 'promotionCode', maxlength: 40, autocomplete: 'off', placeholder: 'Promotion code (optional)' });
  const cards = plans.plans.map((p) => {
    const terms = [`${p.concurrentStreams} stream${p.concurrentStreams === 1 ? '' : 's'} at once`,
      `up to ${p.maxResolution}p`, `${p.maxProfiles} profile${p.maxProfiles === 1 ? '' : 's'}`];
    if (p.offline) terms.push('offline viewing');
    const mine = sub && sub.entitled && sub.plan.id === p.id;
    const choose = h('button.button', {
      type: 'button',
      disabled: mine,
      onclick: async () => {
        if (!signedIn) { navigate('/login?next=%2Fplans'); return; }
        try {
          choose.disabled = true;
          go((await api.billing.checkout(p.id, promo.value.trim())).url);
        } catch (e) {
          choose.disabled = false;
          status.replaceChildren(notice('error', errorText(e)));
        }
      },
    }, mine ? 'Your plan' : 'Subscribe');
    return h('article.plan',
      h('h3', p.name),
      h('p.price', `${money(p.priceMinor, p.currency)} / ${p.interval === 'year' ? 'year' : 'month'}`),
      p.trialDays ? h('p.muted', `${p.trialDays} days free`) : null,
      h('ul', terms.map((t) => h('li', t))),
      choose);
  });

  // billing history
  let history = null;
  if (invoices) {
    const rows = invoices.invoices.map((inv) => {
      const pdf = h('button.link', {
        type: 'button',
        onclick: async () => {
          try {
            const blob = await api.billing.invoicePdf(inv.id);
            const url = URL.createObjectURL(blob);
            const a = h('a', { href: url, download: `kino-invoice-${inv.number || inv.id}.pdf` });
            document.body.append(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 10000);
          } catch (e) {
            status.replaceChildren(notice('error', errorText(e)));
          }
        },
      }, 'PDF');
      return h('tr', h('td', date(inv.issuedAt)), h('td', inv.number || '—'), h('td', inv.description || ''),
        h('td', money(inv.status === 'paid' ? inv.amountPaidMinor : inv.amountDueMinor, inv.currency)),
        h('td', inv.status), h('td', pdf));
    });
    history = h('section.invoices', h('h2', 'Billing history'),
      rows.length ? h('table.settings', h('thead', h('tr', ['Date', 'Number', 'Description', 'Amount', 'Status', ''].map((t) => h('th', t)))),
        h('tbody', rows)) : h('p.muted', 'No invoices yet.'));
  }

  mount(root, h('section.page',
    h('h1', 'Plans'),
    status,
    current,
    signedIn && cards.length ? h('label.field.promo', h('span', 'Promotion code'), promo) : null,
    h('div.plans', cards.length ? cards : h('p.muted', 'No plans are on offer.')),
    history));
}
