// Seek previews from a WebVTT thumbnail track: each cue's text is an image URL, optionally a sprite region
// with the media fragment #xywh=x,y,w,h (the convention of JW Player, Video.js and Shaka).

function seconds(ts) {
  const parts = ts.trim().split(':').map(Number);
  if (parts.some((n) => !Number.isFinite(n))) return NaN;
  return parts.reduce((acc, n) => acc * 60 + n, 0);
}

/**
 * Parses a thumbnails VTT.
 * @param {string} text the VTT
 * @param {string} baseUrl the VTT's own URL (image URLs are relative to it)
 * @returns {Array<{start: number, end: number, url: string, x: number, y: number, w: number, h: number}>}
 */
export function parseThumbnailVtt(text, baseUrl) {
  const cues = [];
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const i = lines.findIndex((l) => l.includes('-->'));
    if (i < 0 || !lines[i + 1]) continue;
    const [a, b] = lines[i].split('-->');
    const start = seconds(a);
    const end = seconds(b.trim().split(/\s+/)[0]);
    if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
    let url;
    try { url = new URL(lines[i + 1].trim(), baseUrl); } catch { continue; }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    const m = /^xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(url.hash.slice(1));
    url.hash = '';
    cues.push({ start, end, url: url.href, x: m ? +m[1] : 0, y: m ? +m[2] : 0, w: m ? +m[3] : 0, h: m ? +m[4] : 0 });
  }
  return cues.sort((p, q) => p.start - q.start);
}

/** @returns the cue covering time t (binary search), or null */
export function cueAt(cues, t) {
  let lo = 0;
  let hi = cues.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t < cues[mid].start) hi = mid - 1;
    else if (t >= cues[mid].end) lo = mid + 1;
    else return cues[mid];
  }
  return null;
}

/** Fetches and parses; resolves to [] when there is no track. */
export async function loadThumbnails(url) {
  if (!url) return [];
  try {
    const res = await fetch(url, { credentials: 'omit' });
    if (!res.ok) return [];
    const text = await res.text();
    return text.startsWith('WEBVTT') ? parseThumbnailVtt(text, res.url || url) : [];
  } catch {
    return [];
  }
}
