// Blast Radius background (MV3 service worker in Chromium, module event page in
// Firefox). It is the only place that touches the network or the wasm engine:
// the content script sends a description of the page, this script builds the
// code host's own `.diff` URL, fetches it with the user's session, runs the
// analysis in wasm (off the page's main thread) and returns the JSON report.

import init, { analyze, version } from './pkg/blastradius.js';

const SEVERITIES = ['info', 'warning', 'high', 'critical'];
const DEFAULT_OPTIONS = { minSeverity: 'info', disabledRepos: [] };
// Hosts a diff may be served from (github.com redirects .diff there).
const ALLOWED_HOSTS = new Set(['github.com', 'patch-diff.githubusercontent.com']);
const MAX_DIFF_BYTES = 32 * 1024 * 1024;
const CACHE_MS = 60 * 1000;

let engine = null;
function ready() {
  if (!engine) {
    const t0 = performance.now();
    engine = init({ module_or_path: new URL('./pkg/blastradius_bg.wasm', import.meta.url) }).then(() => {
      engine.initMs = performance.now() - t0;
    });
    engine.catch(() => {
      engine = null;
    });
  }
  return engine;
}

// The engine's first analysis pays one-off initialisation (lazy tables); doing
// it on a tiny diff while the real diff is still downloading hides that cost.
let warmed = null;
function warmUp() {
  if (!warmed) {
    warmed = ready().then(() => {
      try {
        analyze('diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n', {});
      } catch {
        // A failure here shows up again, with its message, on the real diff.
      }
    });
  }
  return warmed;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const SHA = /^[0-9a-f]{7,64}$/;

/** Builds the `.diff` URL for a page description, or throws. */
export function diffUrl(page) {
  if (!page || typeof page !== 'object') throw new Error('no page');
  const { owner, repo } = page;
  if (!NAME.test(owner ?? '') || !NAME.test(repo ?? '')) throw new Error('bad repository name');
  const base = `https://github.com/${owner}/${repo}`;
  if (page.kind === 'pull' && /^[0-9]{1,9}$/.test(String(page.number))) {
    return `${base}/pull/${page.number}.diff`;
  }
  if (page.kind === 'commit' && SHA.test(page.sha ?? '')) {
    return `${base}/commit/${page.sha}.diff`;
  }
  if (page.kind === 'range' && SHA.test(page.base ?? '') && SHA.test(page.head ?? '')) {
    return `${base}/compare/${page.base}..${page.head}.diff`;
  }
  throw new Error('not a diff page');
}

async function getOptions() {
  const o = await chrome.storage.local.get(DEFAULT_OPTIONS);
  return {
    minSeverity: SEVERITIES.includes(o.minSeverity) ? o.minSeverity : 'info',
    disabledRepos: Array.isArray(o.disabledRepos) ? o.disabledRepos.map(String) : [],
  };
}

const cache = new Map(); // url -> {at, text}

async function fetchDiff(url) {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.text;
  const res = await fetch(url, { credentials: 'include', redirect: 'follow', cache: 'no-store' });
  const finalHost = new URL(res.url || url).hostname;
  if (!ALLOWED_HOSTS.has(finalHost)) throw new Error(`diff redirected to an unexpected host: ${finalHost}`);
  if (!res.ok) throw new Error(`could not fetch the diff: HTTP ${res.status}`);
  const len = Number(res.headers.get('content-length') || 0);
  if (len > MAX_DIFF_BYTES) throw new Error(`diff too large to analyse (${len} bytes)`);
  const text = await res.text();
  if (text.length > MAX_DIFF_BYTES) throw new Error(`diff too large to analyse (${text.length} characters)`);
  cache.set(url, { at: Date.now(), text });
  while (cache.size > 8) cache.delete(cache.keys().next().value);
  return text;
}

async function handleAnalyze(page) {
  const opts = await getOptions();
  const repoKey = `${page.owner}/${page.repo}`.toLowerCase();
  if (opts.disabledRepos.some((r) => r.trim().toLowerCase() === repoKey)) {
    return { ok: true, disabled: true, options: opts };
  }
  const url = diffUrl(page);
  const t0 = performance.now();
  const warm = warmUp();
  const text = await fetchDiff(url);
  const t1 = performance.now();
  await warm;
  const tw = performance.now();
  const report = analyze(text, { min_severity: opts.minSeverity });
  const t2 = performance.now();
  const timings = { fetchMs: t1 - t0, warmWaitMs: tw - t1, analyzeMs: t2 - tw, initMs: engine?.initMs ?? 0, bytes: text.length };
  // Last run's figures, for the browser tests' report (never sent anywhere).
  globalThis.blastRadiusLastRun = timings;
  return {
    ok: true,
    url,
    report,
    options: opts,
    engine: version(),
    timings,
  };
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.type !== 'br:analyze') return false;
  // Only our own content scripts (in a tab) may ask.
  if (sender.id !== chrome.runtime.id) return false;
  handleAnalyze(msg.page)
    .then(sendResponse)
    .catch((e) => sendResponse({ ok: false, error: String(e && e.message ? e.message : e) }));
  return true;
});
