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
})();
