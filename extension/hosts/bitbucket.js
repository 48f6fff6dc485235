// Bitbucket Cloud (bitbucket.org): the selectors and URL rules the content
// script relies on for a pull request's diff, in ONE table (shared/docs/
// hosts.md §1e). Bitbucket's React diff, as other extensions read it (the
// Sourcegraph browser extension's bitbucket-cloud code host): a file is the
// nearest element holding both its header `[data-qa="bk-file__header"]` and
// its body `[data-qa="bk-file__content"]`; the header's
// `[data-qa="bk-filepath"]` names it (a rename reads `dir/{old → new}/rest`,
// the arrow an `[aria-label="arrow"]` element); every row is a
// `.line-wrapper` whose line number links carry `aria-label="From line N"`
// (old side) and `"To line N"` (new side), its code in `.code-component`
// (`.code-diff`). The side-by-side view has one `.line-wrapper` per side.
// Bitbucket's CSS class names beyond these are generated and not relied on.
// A finding whose line is not rendered is listed as "not shown on page".
(() => {
  'use strict';

  const n = (line) => Number(line);
  const SELECTORS = {
    header: '[data-qa="bk-file__header"]',
    content: '[data-qa="bk-file__content"]',
    path: '[data-qa="bk-filepath"]',
    arrow: '[aria-label="arrow"]',
    lineLink: (side, line) => `[aria-label="${side === 'old' ? 'From' : 'To'} line ${n(line)}"]`,
    row: '.line-wrapper',
    code: '.code-component',
    title: '[data-qa="pr-header-title"], [data-testid="pr-header-title"]',
  };

  const NAME = '[A-Za-z0-9_.-]+';
  // /<workspace>/<repo>/pull-requests/<id>[/diff | /<slug>/diff | /overview][/]
  const PULL = new RegExp(`^/(${NAME})/(${NAME})/pull-requests/([0-9]{1,9})(?:/(?:[^/]{1,200}/)?diff|/overview)?/?$`);
  // /<workspace>/<repo>/commits/<sha>[/]
  const COMMIT = new RegExp(`^/(${NAME})/(${NAME})/commits/([0-9a-f]{7,40})/?$`);

  /**
   * Describes the page at `url`: null unless it is a pull request or a
   * commit on bitbucket.org; otherwise {host: 'bitbucket', owner (the
   * workspace), repo, kind: 'pull', number, key} or {…, kind: 'commit', sha, key}.
   */
  function detect(url) {
    const u = globalThis.BlastRadiusHostUrl(url, ['bitbucket.org']);
    if (!u) return null;
    const m = PULL.exec(u.pathname) || COMMIT.exec(u.pathname);
    if (!m || [m[1], m[2]].some((s) => s === '.' || s === '..')) return null;
    const [, owner, repo, id] = m;
    return m[0].includes('/pull-requests/')
      ? { host: 'bitbucket', owner, repo, number: id, kind: 'pull', key: `bitbucket:${owner}/${repo}#${id}` }
      : { host: 'bitbucket', owner, repo, sha: id, kind: 'commit', key: `bitbucket:${owner}/${repo}@${id}` };
  }

  const cleanPath = (s) => String(s).trim();
  const SEP = '\u0000';

  /**
   * The new path a file header names: its text with the rename arrow read as
   * a separator; `a/{b → c}/d` is `a/c/d`, `b → c` is `c`.
   */
  function headerPath(el) {
    let text = '';
    const walk = (node) => {
      for (const c of node.childNodes) {
        if (c.nodeType === 3) text += c.nodeValue;
        else if (c.nodeType === 1) {
          if (c.matches(SELECTORS.arrow)) text += SEP;
          else walk(c);
        }
      }
    };
    walk(el);
    text = text.trim();
    if (!text.includes(SEP)) return cleanPath(text);
    const brace = /^(.*)\{([^{}]*)\}(.*)$/s.exec(text);
    if (brace) {
      const [, start, changed, end] = brace;
      const to = changed.split(SEP).pop().trim();
      return cleanPath(`${start.trim()}${to}${end.trim()}`.replace(/\/\//g, '/').replace(/^\//, ''));
    }
    return cleanPath(text.split(SEP).pop());
  }

  /** The nearest ancestor of a file header that also holds the file's body. */
  function fileOf(header) {
    let e = header.parentElement;
    while (e && !e.querySelector(SELECTORS.content)) e = e.parentElement;
    return e;
  }

  /** Every rendered file once: Map path -> {container, table}. */
  function indexFiles(root) {
    const map = new Map();
    for (const h of root.querySelectorAll(SELECTORS.header)) {
      const name = h.querySelector(SELECTORS.path);
      const container = name && fileOf(h);
      if (!container) continue;
      const p = headerPath(name);
      if (p && !map.has(p)) map.set(p, { container, table: container.querySelector(SELECTORS.content) || container });
    }
    return map;
  }

  /** The code of `line` on `side`: the row whose line link names it. */
  function findLine(file, side, line) {
    if (!file) return null;
    const link = file.table.querySelector(SELECTORS.lineLink(side, line));
    const row = link && link.closest(SELECTORS.row);
    if (!row) return null;
    return row.querySelector(SELECTORS.code) || row;
  }

  /** The title the page shows; the rest comes from Bitbucket's API (the background reads it). */
  function pageMeta(doc) {
    const title = globalThis.BlastRadiusTextOf(doc, SELECTORS.title);
    return title ? { title } : {};
  }

  // The Atlassian Design System's tokens (Bitbucket's light and dark themes
  // both define them) under the names the overlay's stylesheet uses.
  const THEME_CSS = `
:host {
  --fgColor-default: var(--ds-text, #172b4d);
  --fgColor-muted: var(--ds-text-subtlest, #626f86);
  --bgColor-default: var(--ds-surface, #ffffff);
  --bgColor-muted: var(--ds-background-neutral, #f1f2f4);
  --overlay-bgColor: var(--ds-surface-overlay, #ffffff);
  --borderColor-default: var(--ds-border, #dcdfe4);
  --borderColor-muted: var(--ds-border, #dcdfe4);
  --fgColor-danger: var(--ds-text-danger, #ae2e24);
  --bgColor-danger-muted: var(--ds-background-danger, #ffeceb);
  --fgColor-severe: var(--ds-icon-warning, #e56910);
  --bgColor-severe-muted: var(--ds-background-warning, #fff7d6);
  --fgColor-attention: var(--ds-text-warning, #a54800);
  --bgColor-attention-muted: var(--ds-background-warning, #fff7d6);
  --fgColor-accent: var(--ds-text-information, #0055cc);
  --bgColor-accent-muted: var(--ds-background-information, #e9f2ff);
  --fgColor-done: var(--ds-text-discovery, #5e4db2);
  --bgColor-done-muted: var(--ds-background-discovery, #f3f0ff);
  --fontStack-system: var(--ds-font-family-body, -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif);
  --fontStack-monospace: var(--ds-font-family-code, ui-monospace, Menlo, "Segoe UI Mono", "Ubuntu Mono", monospace);
}`;

  globalThis.BlastRadiusAddHost('bitbucket', {
    name: 'Bitbucket',
    hostnames: ['bitbucket.org'],
    THEME_CSS,
    detect,
    indexFiles,
    findLine,
    pageMeta,
  });
})();
