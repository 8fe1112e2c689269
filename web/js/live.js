// Live notifications: one EventSource per signed-in tab. Browsers' EventSource cannot send the access token,
// so each connection opens with a single-use ticket; on any error the source is closed and a new one opened
// (new ticket) after a pause, resuming from the last event id it saw, so nothing is missed or shown twice.

import * as api from './api.js';

let source = null;
let lastId = 0;
let unread = 0;
let timer = null;
let failures = 0;
let recount = null;
const listeners = new Set();

/** Calls cb(unreadCount, notification|null) now and on every change; returns an unsubscribe function. */
export function onUnread(cb) {
  listeners.add(cb);
  cb(unread, null);
  return () => listeners.delete(cb);
}

function emit(n) {
  for (const cb of listeners) cb(unread, n);
}

/** Sets the count (after the notifications page marks some read). */
export function setUnread(n) {
  unread = n;
  emit(null);
}

/** Starts listening for the signed-in user (idempotent); stop() on sign-out. */
export async function start() {
  stop();
  try {
    unread = (await api.notifications.unreadCount()).unread;
    const newest = (await api.notifications.list({})).items[0];
    lastId = newest ? newest.id : 0;
  } catch (e) {
    return;
  }
  emit(null);
  connect();
}

export function stop() {
  clearTimeout(timer);
  timer = null;
  if (source) source.close();
  source = null;
}

async function connect() {
  if (!api.user()) return;
  let ticket;
  try {
    ticket = (await api.notifications.ticket()).ticket;
  } catch (e) {
    retry();
    return;
  }
  const url = `/api/v1/me/notifications/stream?ticket=${encodeURIComponent(ticket)}&lastEventId=${lastId}`;
  const es = new EventSource(url);
  source = es;
  es.addEventListener('open', () => { failures = 0; });
  es.addEventListener('notification', (e) => {
    const id = Number(e.lastEventId);
    if (id <= lastId) return;
    lastId = id;
    let n = null;
    try { n = JSON.parse(e.data); } catch (err) { return; }
    if (!n.readAt) unread += 1; // shown at once, then corrected: a folded notice replaces an unread one
    emit(n);
    clearTimeout(recount);
    recount = setTimeout(async () => {
      try { setUnread((await api.notifications.unreadCount()).unread); } catch (err) { /* the next event retries */ }
    }, 300);
  });
  es.addEventListener('error', () => {
    // the ticket is spent: a reconnect needs a new one, so never let EventSource retry by itself
    es.close();
    if (source === es) {
      source = null;
      retry();
    }
  });
}

function retry() {
  failures += 1;
  const wait = Math.min(30000, 3000 * 2 ** Math.min(failures - 1, 4));
  timer = setTimeout(connect, wait);
}
