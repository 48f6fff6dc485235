// Runs the wasm engine off the page's main thread: a huge diff never freezes
// the page. Messages: {id, data: string|Uint8Array, opts} -> {id, ok, report|error, ms}.
import init, { analyze, analyzeBytes, version } from './pkg/blastradius.js';

const ready = init().then(() => {
  // Pay the engine's one-off initialisation now, before the first real diff.
  try {
    analyze('diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n', {});
  } catch {
    // Reported on the first real input instead.
  }
  postMessage({ type: 'ready', version: version() });
}, (e) => {
  postMessage({ type: 'failed', error: String(e) });
  throw e;
});

onmessage = async (e) => {
  const { id, data, opts } = e.data || {};
  try {
    await ready;
    const t0 = performance.now();
    const report = typeof data === 'string' ? analyze(data, opts) : analyzeBytes(data, opts);
    postMessage({ id, ok: true, report, ms: performance.now() - t0 });
  } catch (err) {
    postMessage({ id, ok: false, error: String(err) });
  }
};
