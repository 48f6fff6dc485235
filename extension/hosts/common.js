// Shared by the host adapters (hosts/*.js), loaded before them in every
// content-script entry: the checks every adapter's page detection starts with.
(() => {
  'use strict';
  globalThis.BlastRadiusHosts = globalThis.BlastRadiusHosts || {};
  /**
   * `url` (a URL or string) as a URL when it is https on one of `hostnames`;
   * null for anything else, including text that is not a URL.
   */
  globalThis.BlastRadiusHostUrl = (url, hostnames) => {
    let u;
    try {
      u = new URL(String(url));
    } catch {
      return null;
    }
    return u.protocol === 'https:' && hostnames.includes(u.hostname) ? u : null;
  };
  /**
   * Registers a host adapter under `key`. Every adapter has `name`,
   * `hostnames`, `detect(url)`, `indexFiles(root)` (Map path -> {container,
   * table}), `findLine(file, side, line)` and `pageMeta(doc)`; optionally
   * `findFile(root, path)` (where the index can miss a file), `THEME_CSS`,
   * `selfManaged` (it also runs on an instance, see BlastRadiusForSites),
   * and the events that mean the page changed: `NAVIGATION_EVENTS` (by
   * default `popstate`; the content script's MutationObserver notices other
   * URL changes) and `TEARDOWN_EVENTS` (none by default).
   */
  globalThis.BlastRadiusAddHost = (key, adapter) => {
    globalThis.BlastRadiusHosts[key] = { NAVIGATION_EVENTS: ['popstate'], TEARDOWN_EVENTS: [], ...adapter };
  };
  /** The text of the first element matching `selector` in `doc`, whitespace collapsed; '' when none. */
  globalThis.BlastRadiusTextOf = (doc, selector) => {
    const e = doc.querySelector(selector);
    return e ? e.textContent.replace(/\s+/g, ' ').trim() : '';
  };
  /**
   * The adapter for a self-managed instance's page: the content script the
   * service worker registers for the instances added in the options loads
   * one adapter (GitLab's or Gitea's), which then reads `hostnames` instead
   * of its public sites. Null for an adapter that has no self-managed form.
   */
  globalThis.BlastRadiusForSites = (adapter, hostnames) => (adapter && adapter.selfManaged
    ? { ...adapter, hostnames: [...hostnames], detect: (url) => adapter.detect(url, hostnames) }
    : null);
})();
