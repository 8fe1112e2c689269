// The web app's incremental SHA-256 (admin uploads declare the file's checksum) against Node's crypto.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { Sha256 } from '../../web/js/sha256.js';

test('incremental SHA-256 matches node:crypto at every padding boundary and chunking', () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 100_003]) {
    const data = crypto.randomBytes(n);
    for (const step of [1, 7, 64, 777, n || 1]) {
      const s = new Sha256();
      for (let i = 0; i < n; i += step) s.update(data.subarray(i, i + step));
      assert.equal(s.hex(), crypto.createHash('sha256').update(data).digest('hex'), `${n} bytes in steps of ${step}`);
    }
  }
});
