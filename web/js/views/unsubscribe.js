// /unsubscribe?account=&types=&sig= : the page an e-mail's "no more of these" link opens. No sign-in: the link
// is signed. Nothing changes until the button is pressed (mail scanners follow links).

import * as api from '../api.js';
import { errorText, h, mount, notice } from '../dom.js';

export async function render(root) {
  document.title = 'Unsubscribe – Kino';
  const query = location.search;
  let described;
  try {
    described = await api.notifications.describeUnsubscribe(query);
  } catch (e) {
    mount(root, h('section.page.narrow', h('h1', 'Unsubscribe'), notice('error', errorText(e))));
    return undefined;
  }
  const status = h('div', { role: 'status' });
  const button = h('button.button', {
    type: 'button',
    onclick: async () => {
      button.disabled = true;
      try {
        const done = await api.notifications.unsubscribe(query);
        status.replaceChildren(notice('ok', `Done: no more e-mails about ${done.types.join(', ')}.`));
      } catch (e) {
        button.disabled = false;
        status.replaceChildren(notice('error', errorText(e)));
      }
    },
  }, 'Unsubscribe');
  mount(root, h('section.page.narrow', h('h1', 'Unsubscribe'),
    h('p', `Stop e-mails about: ${described.types.join(', ')}. You will still see them in the app.`),
    button, status));
  return undefined;
}
