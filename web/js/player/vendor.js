// The player libraries, packaged by the control-api build from their npm tarballs (see control-api/pom.xml:
// hlsjs.version, shaka.version). Versioned paths: served immutable. Keep these in step with the pom; the
// control API's WebAppTest fails the build when a path here is not packaged.

export const HLS_JS_URL = '/vendor/hls.js-1.7.4/dist/hls.min.js';
export const SHAKA_URL = '/vendor/shaka-player-5.2.12/dist/shaka-player.compiled.js';

const loaded = new Map();

/** Loads a classic script once; resolves when it has run. */
export function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = () => resolve();
      s.onerror = () => {
        loaded.delete(src);
        reject(new Error(`cannot load ${src}`));
      };
      document.head.appendChild(s);
    }));
  }
  return loaded.get(src);
}

export async function loadHls() {
  if (!window.Hls) await loadScript(HLS_JS_URL);
  return window.Hls;
}

export async function loadShaka() {
  if (!window.shaka) await loadScript(SHAKA_URL);
  return window.shaka;
}
