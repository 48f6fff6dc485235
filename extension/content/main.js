// Blast Radius content script: detects a pull request's files page (also after
// the host's soft navigation), asks the background for the analysis of the
// page's diff, and hands the report to the overlay. No wasm and no network
// here: GitHub's CSP forbids wasm in content scripts, and the background
// fetches from the code host's own origin (and may hand a fetched page back
// here to be read with the adapter's selectors).
(() => {
  'use strict';
  if (globalThis.__blastRadiusLoaded) return;
  globalThis.__blastRadiusLoaded = true;

  // The adapter of this page's code host (each content script entry loads
  // one); on a self-managed instance (a script the service worker registered
  // for it) that one adapter, for this site.
  const adapters = Object.values(globalThis.BlastRadiusHosts || {});
  const host = adapters.find((h) => h.hostnames.includes(location.hostname))
    || (adapters.length === 1 ? globalThis.BlastRadiusForSites(adapters[0], [location.hostname]) : null);
  if (!host) return;
  const Overlay = globalThis.BlastRadiusOverlay;

  let current = null; // {key, overlay, seq}
  let seq = 0;
  let lastHref = '';
  let refreshTimer = 0;

  /** Where this repository's dismissed findings are kept (chrome.storage.local). */
  function dismissKey(page) {
    const repo = page.project || `${page.site ? `${page.site}/` : ''}${page.owner}/${page.repo}`;
    return `dismissed:${location.hostname}:${String(repo).toLowerCase()}`;
  }

  function teardown() {
    if (current) current.overlay.destroy();
    current = null;
  }

  async function run(force) {
    const page = host.detect(location.href);
    if (!page) {
      teardown();
      return;
    }
    if (current && current.key === page.key && !force) {
      current.overlay.refresh();
      return;
    }
    teardown();
    const my = ++seq;
    const overlay = new Overlay(host);
    current = { key: page.key, overlay, dismissKey: dismissKey(page) };
    overlay.setStatus('Analysing the diff…');
    let resp;
    try {
      resp = await chrome.runtime.sendMessage({ type: 'br:analyze', page: { ...page, meta: host.pageMeta(document) } });
    } catch (e) {
      resp = { ok: false, error: String(e && e.message ? e.message : e) };
    }
    if (my !== seq || !current || current.overlay !== overlay) return; // navigated away meanwhile
    current.final = true; // no early report may replace what follows
    if (!resp || !resp.ok) {
      overlay.setReport({ findings: [] });
      overlay.setStatus(`Blast Radius could not analyse this diff: ${resp ? resp.error : 'no answer from the extension'}`);
      return;
    }
    if (resp.disabled) {
      teardown();
      return;
    }
    document.documentElement.setAttribute('data-blastradius-findings', String(resp.report.findings.length));
    await overlay.setReport(resp.report, { policySource: resp.policySource, configProblems: resp.configProblems, approvals: resp.approvals, dismissKey: current.dismissKey });
  }

  // A big diff's early report, from its hunks, while the background reads
  // whole files: shown until the final report replaces it.
  chrome.runtime.onMessage.addListener((msg, sender) => {
    if (sender.id !== chrome.runtime.id || !msg || msg.type !== 'br:early-report') return;
    const here = current;
    if (!here || here.key !== msg.key || here.final || !msg.report) return;
    Promise.resolve(here.overlay.setReport(msg.report, { policySource: msg.policySource, configProblems: msg.configProblems, approvals: msg.approvals, dismissKey: here.dismissKey })).then(() => {
      if (current !== here || here.final) return;
      const n = Number(msg.filesPlanned) || 0;
      here.overlay.setStatus(`Early report from the diff's hunks; reading ${n} whole file${n === 1 ? '' : 's'}…`);
    });
  });

  // The background fetched a page of the pull request from the code host
  // (GitHub's conversation tab, for its description, labels and who
  // approved) and asks this page's adapter to read it: a service worker has
  // no DOMParser. The parsed document is inert (no script runs, nothing
  // loads); only strings come back, and the background checks them.
  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !msg || msg.type !== 'br:read-page' || typeof msg.html !== 'string') return false;
    try {
      const doc = new DOMParser().parseFromString(msg.html, 'text/html');
      sendResponse({ meta: host.pageMeta(doc), approvals: host.approvals ? host.approvals(doc) : [] });
    } catch {
      sendResponse(null);
    }
    return false;
  });

  function onMaybeNavigated() {
    if (location.href !== lastHref) {
      lastHref = location.href;
      run(false);
    } else if (current) {
      // Same page, new content (lazy-loaded files, expanded hunks, re-render).
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => current && current.overlay.refresh(), 150);
    }
  }

  for (const ev of host.NAVIGATION_EVENTS) {
    (ev === 'popstate' ? window : document).addEventListener(ev, onMaybeNavigated);
  }
  for (const ev of host.TEARDOWN_EVENTS) document.addEventListener(ev, () => {
    // The URL may not have changed yet; the next navigation event redraws.
    lastHref = '';
  });

  // Soft navigation without any event we know, and lazily appended files.
  let moTimer = 0;
  new MutationObserver((records) => {
    // Ignore our own nodes.
    if (records.every((r) => r.target instanceof Element && r.target.closest('[data-blastradius]'))) return;
    if (moTimer) return;
    moTimer = setTimeout(() => {
      moTimer = 0;
      onMaybeNavigated();
    }, 200);
  }).observe(document.documentElement, { childList: true, subtree: true });

  // Options changed: analyse again. Dismissals are stored too, but the tab
  // that makes one redraws itself; they never need a new analysis.
  chrome.storage.onChanged.addListener((changes) => {
    if (Object.keys(changes).some((k) => !k.startsWith('dismissed:')) && host.detect(location.href)) run(true);
  });

  lastHref = location.href;
  run(false);
})();
