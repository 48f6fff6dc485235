// Runs the wasm engine off the page's main thread: a huge diff never freezes
// the page. Messages: {id, data: string|Uint8Array, opts, format?} -> {id, ok,
// report|error, ms, build}; with `format` ("sarif", "markdown", "html",
// "json", "text") the report comes back rendered, as `text`, by the CLI's own
// renderers.
// Two builds of the same engine: `core` (every grammar but C++, C#, Ruby and
// PHP) loads first; `full` only for a diff with a file in one of those.
import initCore, * as core from './pkg-core/blastradius.js';
import initFull, * as full from './pkg/blastradius.js';

const ready = initCore({ module_or_path: new URL('./pkg-core/blastradius_bg.wasm', import.meta.url) }).then(() => {
  // Pay the engine's one-off initialisation now, before the first real diff.
  try {
    core.analyze('diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n', {});
  } catch {
    // Reported on the first real input instead.
  }
  postMessage({ type: 'ready', version: core.version() });
}, (e) => {
  postMessage({ type: 'failed', error: String(e) });
  throw e;
});

let fullReady = null;
function loadFull() {
  fullReady ??= initFull({ module_or_path: new URL('./pkg/blastradius_bg.wasm', import.meta.url) });
  return fullReady;
}

onmessage = async (e) => {
  const { id, data, opts, format } = e.data || {};
  try {
    await ready;
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    let api = core;
    let build = 'core';
    if (core.grammarsLeftOut(text).length) {
      try {
        await loadFull();
        api = full;
        build = 'full';
      } catch {
        // core analyses those files at text level rather than not at all.
      }
    }
    const t0 = performance.now();
    if (format) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      const text = api.renderAnalysis(bytes, opts, String(format));
      postMessage({ id, ok: true, text, ms: performance.now() - t0, build });
      return;
    }
    const report = typeof data === 'string' ? api.analyze(data, opts) : api.analyzeBytes(data, opts);
    postMessage({ id, ok: true, report, ms: performance.now() - t0, build });
  } catch (err) {
    postMessage({ id, ok: false, error: String(err) });
  }
};
