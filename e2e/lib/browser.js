// Debian's Chromium driven by playwright-core (never a downloaded browser), with a fresh profile each run.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'artifacts');

/**
 * Launches headless Chromium with a throwaway --user-data-dir (persistent context: the profile is ours).
 * @returns {{context, page, close}}
 */
export async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kino-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      // Let the test pattern play without a user gesture, with its sound.
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = context.pages()[0] || await context.newPage();
  const logs = [];
  // Diagnostics: the console (hls.js and Shaka errors reach it through the app's kino:error), failed
  // requests and HTTP errors. Written to artifacts/<name>.log at close, and printed when a test failed.
  const stamp = () => new Date().toISOString().slice(11, 23);
  page.on('console', (m) => logs.push(`${stamp()} [${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`${stamp()} [pageerror] ${e.message}`));
  page.on('requestfailed', (r) => logs.push(`${stamp()} [requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) logs.push(`${stamp()} [http ${r.status()}] ${r.request().method()} ${r.url()}`); });
  return {
    context,
    page,
    logs,
    /** @param {string} name log file name under artifacts/ @param {boolean} failed print the log's tail */
    async close(name, failed) {
      if (name) fs.writeFileSync(artifact(`${name}.log`), `${logs.join('\n')}\n`);
      if (failed) console.log(`--- browser log (${name}) ---\n${logs.slice(-60).join('\n')}`);
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
