// Minimal CENC ('cenc', AES-128-CTR, 8-byte per-sample IVs) for the DASH fixtures, because Debian's
// ffmpeg 5.1 writes no sample encryption boxes into fragments. Fixtures only: one track per file, AVC with
// 4-byte NAL lengths (subsample encryption, NAL headers clear) or AAC (whole samples).
//   encryptInit(init, kidHex)            avc1/mp4a → encv/enca + sinf(frma, schm, schi/tenc); ClearKey pssh
//   encryptSegment(seg, keyHex, video, n) moof+mdat → encrypted mdat + senc, saiz, saio; trun offset fixed

import crypto from 'node:crypto';

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'moof', 'traf', 'mvex', 'dinf', 'edts']);
const CLEARKEY_SYSTEM = Buffer.from('1077efecc0b24d02ace33c1e52e2fb4b', 'hex');

function parse(buf, start = 0, end = buf.length) {
  const boxes = [];
  let p = start;
  while (p + 8 <= end) {
    let size = buf.readUInt32BE(p);
    if (size === 0) size = end - p;
    if (size === 1) throw new Error('64-bit boxes are not supported here');
    const type = buf.toString('latin1', p + 4, p + 8);
    const box = { type, start: p, size };
    if (CONTAINERS.has(type)) box.children = parse(buf, p + 8, p + size);
    else box.payload = buf.subarray(p + 8, p + size);
    boxes.push(box);
    p += size;
  }
  return boxes;
}

function box(type, ...parts) {
  const payload = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}
const full = (version, flags) => { const b = Buffer.alloc(4); b.writeUInt32BE(((version & 0xff) << 24) | flags, 0); return b; };
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0, 0); return b; };
const u16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16BE(n, 0); return b; };

function serialize(boxes) {
  return Buffer.concat(boxes.map((b) => (b.raw ? b.raw : b.children ? box(b.type, serialize(b.children)) : box(b.type, b.payload))));
}

function find(boxes, path) {
  let cur = { children: boxes };
  for (const t of path) {
    cur = (cur.children || []).find((b) => b.type === t);
    if (!cur) return null;
  }
  return cur;
}

export function encryptInit(init, kidHex) {
  const kid = Buffer.from(kidHex, 'hex');
  const boxes = parse(init);
  const stbl = find(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl']);
  const stsd = stbl.children.find((b) => b.type === 'stsd');
  const entry = stsd.payload.subarray(8); // after version/flags + entry_count: the one sample entry
  const format = entry.toString('latin1', 4, 8);
  const encType = format === 'mp4a' ? 'enca' : 'encv';
  const sinf = box('sinf',
    box('frma', Buffer.from(format, 'latin1')),
    box('schm', full(0, 0), Buffer.from('cenc', 'latin1'), u32(0x10000)),
    box('schi', box('tenc', full(0, 0), Buffer.from([0, 0, 1, 8]), kid)));
  const newEntry = Buffer.concat([box(encType, entry.subarray(8, entry.readUInt32BE(0))), sinf]);
  newEntry.writeUInt32BE(newEntry.length, 0);
  stsd.payload = Buffer.concat([stsd.payload.subarray(0, 8), newEntry]);
  const moov = boxes.find((b) => b.type === 'moov');
  moov.children.push({ type: 'pssh', payload: Buffer.concat([full(1, 0), CLEARKEY_SYSTEM, u32(1), kid, u32(0)]) });
  return serialize(boxes);
}

export function encryptSegment(seg, keyHex, video, segmentNumber) {
  const key = Buffer.from(keyHex, 'hex');
  const boxes = parse(seg);
  const moof = boxes.find((b) => b.type === 'moof');
  const mdat = boxes.find((b) => b.type === 'mdat');
  const traf = moof.children.find((b) => b.type === 'traf');
  const tfhd = traf.children.find((b) => b.type === 'tfhd');
  const trun = traf.children.find((b) => b.type === 'trun');

  const tfFlags = tfhd.payload.readUInt32BE(0) & 0xffffff;
  let q = 8; // version/flags + track_ID
  if (tfFlags & 0x1) throw new Error('explicit base_data_offset is not supported here');
  if (tfFlags & 0x2) q += 4;
  if (tfFlags & 0x8) q += 4;
  const defaultSize = tfFlags & 0x10 ? tfhd.payload.readUInt32BE(q) : 0;

  const t = trun.payload;
  const trFlags = t.readUInt32BE(0) & 0xffffff;
  const count = t.readUInt32BE(4);
  let r = 8;
  if (!(trFlags & 0x1)) throw new Error('trun without data_offset');
  const dataOffsetAt = r;
  const dataOffset = t.readInt32BE(r);
  r += 4;
  if (trFlags & 0x4) r += 4;
  const sizes = [];
  for (let i = 0; i < count; i++) {
    if (trFlags & 0x100) r += 4;
    sizes.push(trFlags & 0x200 ? t.readUInt32BE(r) : defaultSize);
    if (trFlags & 0x200) r += 4;
    if (trFlags & 0x400) r += 4;
    if (trFlags & 0x800) r += 4;
  }

  // Encrypt the samples in place (in a copy of the mdat payload) and collect their aux info.
  const data = Buffer.from(mdat.payload);
  let pos = moof.start + dataOffset - (mdat.start + 8);
  const aux = [];
  for (let i = 0; i < count; i++) {
    const iv = Buffer.alloc(8);
    iv.writeUInt32BE(segmentNumber, 0);
    iv.writeUInt32BE(i, 4);
    const cipher = crypto.createCipheriv('aes-128-ctr', key, Buffer.concat([iv, Buffer.alloc(8)]));
    const sample = data.subarray(pos, pos + sizes[i]);
    if (!video) {
      cipher.update(sample).copy(sample);
      aux.push(iv);
    } else {
      const subs = [];
      let n = 0;
      while (n + 4 <= sample.length) {
        const total = 4 + sample.readUInt32BE(n);
        const prot = total > 5 ? ((total - 5) >> 4) << 4 : 0;
        const clear = total - prot;
        if (prot) cipher.update(sample.subarray(n + clear, n + total)).copy(sample, n + clear);
        subs.push(Buffer.concat([u16(clear), u32(prot)]));
        n += total;
      }
      aux.push(Buffer.concat([iv, u16(subs.length), ...subs]));
    }
    pos += sizes[i];
  }
  mdat.payload = data;

  const senc = box('senc', full(0, video ? 0x2 : 0), u32(count), ...aux);
  const uniform = aux.every((a) => a.length === aux[0].length);
  const saiz = box('saiz', full(0, 0), Buffer.from([uniform ? aux[0].length : 0]), u32(count),
    uniform ? Buffer.alloc(0) : Buffer.from(aux.map((a) => a.length)));
  const saioLen = 8 + 4 + 4 + 4;
  const growth = saiz.length + saioLen + senc.length;
  const before = 8 + moof.children.filter((b) => b.type !== 'traf').reduce((s, b) => s + b.size, 0) // moof header + mfhd
    + 8 + traf.children.reduce((s, b) => s + b.size, 0) + saiz.length + saioLen; // traf header + its boxes + saiz + saio
  const saio = box('saio', full(0, 0), u32(1), u32(before + 16)); // + senc header, version/flags, sample_count
  const newTrun = Buffer.from(t);
  newTrun.writeInt32BE(dataOffset + growth, dataOffsetAt);
  trun.payload = newTrun;
  traf.children.push({ type: 'saiz', raw: saiz }, { type: 'saio', raw: saio }, { type: 'senc', raw: senc });
  return serialize(boxes);
}
