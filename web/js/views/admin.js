// Admin: upload a video with the chunked upload API, follow its packaging job, publish the title.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';

const DEFAULT_CHUNK = 1024 * 1024; // within control.maxRequestBytes unless the API says otherwise
const POLL_MS = 1500;

export async function render(root, { navigate }) {
  if (!api.user()) {
    navigate('/login?next=%2Fadmin', { replace: true });
    return undefined;
  }
  document.title = 'Admin – Kino';
  let stopped = false;
  const field = (name, label, input) => h('label.field', h('span', label), input);
  const file = h('input', { type: 'file', name: 'file', accept: 'video/*,.mkv,.mov,.mp4,.webm', required: true });
  const form = h('form.upload-form',
    field('file', 'Video file', file),
    field('title', 'Title', h('input', { name: 'title', required: true, maxlength: 200 })),
    h('div.field-row',
      field('kind', 'Kind', h('select', { name: 'kind' }, h('option', { value: 'movie' }, 'Movie'), h('option', { value: 'series' }, 'Series'))),
      field('year', 'Year', h('input', { name: 'year', type: 'number', min: 1880, max: 2100 })),
      field('language', 'Audio language', h('input', { name: 'language', placeholder: 'en', maxlength: 35 }))),
    field('synopsis', 'Synopsis', h('textarea', { name: 'synopsis', rows: 3, maxlength: 4000 })),
    h('button.button', { type: 'submit' }, 'Upload'));
  const jobsList = h('div.jobs');
  mount(root, h('section.page.narrow.admin',
    h('h1', 'Upload a video'),
    api.isAdmin() ? null : notice('info', 'Your account may not have the catalog.write permission; the API will say.'),
    form,
    h('h2', 'Uploads and packaging'),
    jobsList));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const d = new FormData(form);
    const meta = {
      title: d.get('title').toString().trim(),
      kind: d.get('kind').toString(),
      year: d.get('year') ? Number(d.get('year')) : undefined,
      language: d.get('language').toString().trim() || undefined,
      synopsis: d.get('synopsis').toString().trim() || undefined,
    };
    form.reset();
    const card = jobCard(meta.title);
    jobsList.prepend(card.el);
    try {
      const up = await api.uploads.create({ filename: f.name, size: f.size, contentType: f.type || 'application/octet-stream', ...meta });
      await sendChunks(up, f, (sent) => card.progress('Uploading', sent / f.size), () => stopped);
      card.progress('Queued for packaging', 0);
      const done = await api.uploads.complete(up.id, meta);
      const jobId = done.jobId || (done.job && done.job.id) || up.jobId;
      const titleId = done.titleId || (done.title && done.title.id) || up.titleId;
      if (jobId) await followJob(jobId, card, () => stopped);
      card.publishable(titleId);
    } catch (err) {
      card.fail(errorText(err));
    }
  });

  return () => { stopped = true; };
}

/** Sends the file in chunks to PUT /uploads/{id}/chunks/{offset}, resuming from the server's offset. */
async function sendChunks(up, f, onProgress, isStopped) {
  const size = Number(up.chunkSize) > 0 ? Number(up.chunkSize) : DEFAULT_CHUNK;
  let offset = Number(up.offset || up.received || 0);
  onProgress(offset);
  while (offset < f.size) {
    if (isStopped()) throw new Error('Upload stopped (page left); it can be resumed.');
    const end = Math.min(f.size, offset + size);
    let tries = 0;
    for (;;) {
      try {
        const r = await api.uploads.putChunk(up.id, offset, f.slice(offset, end));
        const acked = r && Number(r.offset ?? r.received);
        offset = Number.isFinite(acked) && acked > offset ? acked : end;
        break;
      } catch (e) {
        if (++tries >= 4 || (e.status && e.status < 500 && e.status !== 409 && e.status !== 429)) throw e;
        if (e.status === 409) {
          // Offset mismatch: ask where the server is and continue from there.
          const s = await api.uploads.get(up.id);
          offset = Number(s.offset ?? s.received ?? offset);
          break;
        }
        await new Promise((res) => { setTimeout(res, 500 * 2 ** tries); });
      }
    }
    onProgress(offset);
  }
}

async function followJob(jobId, card, isStopped) {
  for (;;) {
    if (isStopped()) return;
    const j = await api.jobs.get(jobId);
    const state = String(j.state || j.status || '').toLowerCase();
    let p = Number(j.progress ?? (j.percent != null ? j.percent / 100 : 0));
    if (p > 1) p /= 100;
    if (['failed', 'error', 'cancelled', 'canceled'].includes(state)) throw new Error(j.error || j.message || `Packaging ${state}`);
    if (['succeeded', 'done', 'completed', 'finished', 'success'].includes(state)) {
      card.progress('Packaged', 1);
      return;
    }
    card.progress(`Packaging${j.stage ? ` · ${j.stage}` : ''}${state ? ` (${state})` : ''}`, Number.isFinite(p) ? p : 0);
    await new Promise((res) => { setTimeout(res, POLL_MS); });
  }
}

function jobCard(name) {
  const label = h('span.job-state', 'Starting');
  const bar = h('progress', { max: 1, value: 0 });
  const actions = h('div.job-actions');
  const el = h('article.job', h('h3', name), bar, label, actions);
  return {
    el,
    progress(text, fraction) {
      label.textContent = `${text} · ${Math.round(fraction * 100)}%`;
      bar.value = fraction;
    },
    fail(text) {
      el.classList.add('failed');
      label.textContent = text;
    },
    publishable(titleId) {
      if (!titleId) {
        label.textContent = 'Packaged (no title id in the answer)';
        return;
      }
      const btn = h('button.button', { type: 'button' }, 'Publish');
      btn.addEventListener('click', async () => {
        btn.disabled = true;
        try {
          await api.titles.publish(titleId);
          mount(actions, h('a.button.secondary', { href: `/title/${encodeURIComponent(titleId)}` }, 'Open title page'));
          label.textContent = 'Published';
        } catch (err) {
          btn.disabled = false;
          label.textContent = errorText(err);
        }
      });
      mount(actions, btn, h('a.button.secondary', { href: `/watch/${encodeURIComponent(titleId)}` }, 'Preview'));
    },
  };
}
