// Admin (catalog.write): publish a video in the API's steps, each shown on the job card:
//   1. POST /titles                         the title (or an episode added to an existing series)
//   2. POST /titles/{id}/media              its media item (movie feature or episode)
//   3. POST /uploads {filename,size,sha256} then PUT /uploads/{id}/chunks/{offset} (octet-stream, ≤ maxChunkBytes)
//   4. POST /media/{id}/source {uploadId}
//   5. POST /media/{id}/package             → job; GET /jobs/{id} until succeeded (or failed)
//   6. POST /media/{id}/publish             (the Publish button), then the title page links to it

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';
import { sha256OfBlob } from '../sha256.js';
import { consoleNav, scheduleField } from './admin-console.js';

const POLL_MS = 1000;

export async function render(root, { navigate }) {
  if (!api.user()) {
    navigate('/login?next=%2Fadmin', { replace: true });
    return undefined;
  }
  document.title = 'Admin – Kino';
  let stopped = false;
  const field = (label, input) => h('label.field', h('span', label), input);
  const file = h('input', { id: 'a-file', type: 'file', name: 'file', accept: 'video/*,.mkv,.mov,.mp4,.webm', required: true });
  const kind = h('select', { id: 'a-kind', name: 'kind' }, h('option', { value: 'movie' }, 'Movie'), h('option', { value: 'series' }, 'Series episode'));
  const episodeFields = h('div.field-row', { hidden: true },
    field('Season', h('input', { id: 'a-season', name: 'season', type: 'number', min: 0, max: 10000, value: '1' })),
    field('Episode', h('input', { id: 'a-episode', name: 'episode', type: 'number', min: 0, value: '1' })),
    field('Episode name', h('input', { id: 'a-episode-name', name: 'episodeName', maxlength: 500 })));
  kind.addEventListener('change', () => { episodeFields.hidden = kind.value !== 'series'; });
  const form = h('form.upload-form',
    field('Video file', file),
    field('Title', h('input', { id: 'a-title', name: 'title', required: true, maxlength: 500 })),
    h('div.field-row',
      field('Kind', kind),
      field('Year', h('input', { id: 'a-year', name: 'year', type: 'number', min: 1880, max: 2100 })),
      field('Original language', h('input', { id: 'a-language', name: 'language', placeholder: 'en', maxlength: 35 }))),
    episodeFields,
    h('div.field-row',
      field('Genres (comma-separated)', h('input', { id: 'a-genres', name: 'genres', maxlength: 500 })),
      field('Who may watch', h('select', { id: 'a-access', name: 'access' },
        h('option', { value: 'free' }, 'Everyone (free)'), h('option', { value: 'registered' }, 'Signed-in users'),
        h('option', { value: 'subscription', selected: true }, 'Subscribers'))),
      field('Protection', h('select', { id: 'a-protection', name: 'protection' },
        h('option', { value: 'aes-128+cenc' }, 'HLS AES-128 + DASH CENC'), h('option', { value: 'aes-128' }, 'HLS AES-128'),
        h('option', { value: 'cenc' }, 'DASH CENC'), h('option', { value: 'none' }, 'None')))),
    field('Synopsis', h('textarea', { id: 'a-synopsis', name: 'synopsis', rows: 3, maxlength: 20000 })),
    h('button.button', { type: 'submit' }, 'Upload and package'));
  const jobsList = h('div.jobs');
  mount(root, h('section.page.narrow.admin',
    consoleNav('/admin'),
    h('h1', 'Upload a video'),
    api.isAdmin() ? null : notice('info', 'This account lacks the catalog.write permission: the API will refuse.'),
    form,
    h('h2', 'Uploads and packaging'),
    jobsList));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const d = new FormData(form);
    const text = (k) => (d.get(k) || '').toString().trim();
    const num = (k) => (text(k) === '' ? undefined : Number(text(k)));
    const name = text('title');
    const lang = text('language') || undefined;
    const series = text('kind') === 'series';
    const titleInput = {
      kind: series ? 'series' : 'movie',
      originalTitle: name,
      originalLanguage: lang,
      titles: { [lang || 'en']: name },
      synopses: text('synopsis') ? { [lang || 'en']: text('synopsis') } : undefined,
      year: num('year'),
      genres: text('genres') ? text('genres').split(',').map((g) => g.trim()).filter(Boolean) : undefined,
    };
    const mediaInput = {
      seasonNumber: series ? num('season') ?? 1 : undefined,
      episodeNumber: series ? num('episode') : undefined,
      name: series ? text('episodeName') || undefined : name,
      access: text('access'),
      protection: text('protection'),
    };
    form.reset();
    episodeFields.hidden = true;
    const card = jobCard(name);
    jobsList.prepend(card.el);
    try {
      card.progress('Checking the file', 0);
      const sha256 = await sha256OfBlob(f, (n) => card.progress('Checking the file', n / f.size), () => stopped);
      card.step('Creating the title');
      const title = await api.titles.create(titleInput);
      const item = await api.titles.createMedia(title.id, mediaInput);
      card.titleId = title.id;
      card.mediaId = item.id;
      const up = await api.uploads.create({ filename: f.name, size: f.size, sha256 });
      const done = await sendChunks(up, f, (sent) => card.progress('Uploading', sent / f.size), () => stopped);
      if (done.state !== 'complete') throw new Error(done.error || `The upload ended ${done.state}`);
      card.step('Registering the source');
      await api.media.setSource(item.id, up.id);
      const job = await api.media.package(item.id, { protection: mediaInput.protection });
      await followJob(job.id, card, () => stopped);
      card.publishable();
    } catch (err) {
      card.fail(errorText(err));
    }
  });

  return () => { stopped = true; };
}

/** Sends the file in chunks of the API's maxChunkBytes, resuming from the server's offset after a conflict. */
async function sendChunks(up, f, onProgress, isStopped) {
  const size = Math.max(1, Math.min(Number(up.maxChunkBytes) || 1024 * 1024, 8 * 1024 * 1024));
  let state = up;
  let offset = Number(up.received || 0);
  onProgress(offset);
  while (offset < f.size) {
    if (isStopped()) throw new Error('Upload stopped (page left).');
    const end = Math.min(f.size, offset + size);
    let tries = 0;
    for (;;) {
      try {
        state = await api.uploads.putChunk(up.id, offset, f.slice(offset, end));
        offset = Number(state.received);
        break;
      } catch (e) {
        if (e.status === 409) {
          // The server has a different offset (a retried chunk did arrive): continue from there.
          state = await api.uploads.get(up.id);
          offset = Number(state.received);
          break;
        }
        if (++tries >= 4 || (e.status && e.status < 500 && e.status !== 429)) throw e;
        await new Promise((res) => { setTimeout(res, 500 * 2 ** tries); });
      }
    }
    onProgress(offset);
  }
  return state.state === 'complete' ? state : api.uploads.get(up.id);
}

async function followJob(jobId, card, isStopped) {
  for (;;) {
    if (isStopped()) throw new Error('Stopped following the job (page left); it goes on on the server.');
    const j = await api.jobs.get(jobId);
    if (j.state === 'succeeded') {
      card.progress('Packaged', 1);
      return;
    }
    if (j.state === 'failed' || j.state === 'cancelled') throw new Error(`Packaging ${j.state}${j.error ? `: ${j.error}` : ''}`);
    card.progress(j.state === 'queued' ? 'Queued for packaging' : `Packaging (attempt ${j.attempts} of ${j.maxAttempts})`, Number(j.progress) || 0);
    await new Promise((res) => { setTimeout(res, POLL_MS); });
  }
}

function jobCard(name) {
  const label = h('span.job-state', 'Starting');
  const bar = h('progress', { max: 1, value: 0 });
  const actions = h('div.job-actions');
  const el = h('article.job', { dataset: { state: 'working' } }, h('h3', name), bar, label, actions);
  const card = {
    el,
    titleId: null,
    mediaId: null,
    step(text) {
      label.textContent = text;
      bar.removeAttribute('value');
    },
    progress(text, fraction) {
      label.textContent = `${text} · ${Math.round(fraction * 100)}%`;
      bar.value = fraction;
    },
    fail(text) {
      el.classList.add('failed');
      el.dataset.state = 'failed';
      label.textContent = text;
    },
    publishable() {
      el.dataset.state = 'packaged';
      const btn = h('button.button.publish', { type: 'button' }, 'Publish');
      btn.addEventListener('click', async () => {
        btn.disabled = true;
        try {
          await api.media.publish(card.mediaId);
          el.dataset.state = 'published';
          label.textContent = 'Published';
          mount(actions, h('a.button.secondary', { href: `/title/${encodeURIComponent(card.titleId)}` }, 'Open title page'));
        } catch (err) {
          btn.disabled = false;
          label.textContent = errorText(err);
        }
      });
      mount(actions, btn,
        scheduleField(card.mediaId, (text) => { label.textContent = text; }),
        h('a.button.secondary', { href: `/watch/${encodeURIComponent(card.titleId)}/${encodeURIComponent(card.mediaId)}` }, 'Preview'));
    },
  };
  return card;
}
