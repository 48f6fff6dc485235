// Gitea and Forgejo (gitea.com, codeberg.org): the selectors and URL rules
// the content script relies on for a pull request's "Files changed" tab, in
// ONE table (shared/docs/hosts.md §1e). Per Gitea's templates
// (templates/repo/diff/box.tmpl, section_unified.tmpl, section_split.tmpl):
// one `.diff-file-box[data-new-filename]` per file (`data-old-filename` for a
// deleted one), rows with number cells `td.lines-num-old` /
// `td.lines-num-new[data-line-num]` and code cells `td.lines-code` (split
// view: `td.lines-code-old` / `td.lines-code-new`). A finding whose line is
// not rendered is listed as "not shown on page".
(() => {
  'use strict';

  const n = (line) => Number(line);
  const SELECTORS = {
    file: '.diff-file-box[data-new-filename], .diff-file-box[data-old-filename]',
    numberCell: (side, line) => `td.lines-num-${side === 'old' ? 'old' : 'new'}[data-line-num="${n(line)}"]`,
    sideCode: (side) => `td.lines-code-${side === 'old' ? 'old' : 'new'}`,
    code: 'td.lines-code',
    title: '#issue-title, .issue-title-header h1',
  };

  const NAME = '[A-Za-z0-9_.-]+';
  // /<owner>/<repo>/pulls/<index>/files[/]
  const PR_FILES = new RegExp(`^/(${NAME})/(${NAME})/pulls/([0-9]{1,9})/files/?$`);
  // /<owner>/<repo>/commit/<sha>[/] (SHA-1 or SHA-256 repositories)
  const COMMIT = new RegExp(`^/(${NAME})/(${NAME})/commit/([0-9a-f]{7,64})/?$`);
  const SITES = ['codeberg.org', 'gitea.com'];

  /**
   * Describes the page at `url`: null unless it is a pull request's files
   * tab on one of `sites` (codeberg.org, gitea.com, or a self-managed
   * instance the user added) or a commit's page; otherwise {host: 'gitea',
   * site, owner, repo, kind: 'pull', number, key} or {…, kind: 'commit', sha, key}.
   */
  function detect(url, sites = SITES) {
    const u = globalThis.BlastRadiusHostUrl(url, sites);
    if (!u) return null;
    const m = PR_FILES.exec(u.pathname) || COMMIT.exec(u.pathname);
    if (!m || [m[1], m[2]].some((s) => s === '.' || s === '..')) return null;
    const [, owner, repo, id] = m;
    return m[0].includes('/pulls/')
      ? { host: 'gitea', site: u.hostname, owner, repo, number: id, kind: 'pull', key: `${u.hostname}:${owner}/${repo}#${id}` }
      : { host: 'gitea', site: u.hostname, owner, repo, sha: id, kind: 'commit', key: `${u.hostname}:${owner}/${repo}@${id}` };
  }

  const cleanPath = (s) => String(s).trim();

  /** Every rendered file once: Map path -> {container, table}. */
  function indexFiles(root) {
    const map = new Map();
    for (const e of root.querySelectorAll(SELECTORS.file)) {
      const p = cleanPath(e.getAttribute('data-new-filename') || e.getAttribute('data-old-filename') || '');
      if (p && !map.has(p)) map.set(p, { container: e, table: e });
    }
    return map;
  }

  /** The code cell of `line` on `side`: the side's own column in the split view. */
  function findLine(file, side, line) {
    if (!file) return null;
    const num = file.container.querySelector(SELECTORS.numberCell(side, line));
    const row = num && num.closest('tr');
    if (!row) return null;
    return row.querySelector(SELECTORS.sideCode(side)) || row.querySelector(SELECTORS.code) || num;
  }

  /** The title the page shows; the rest comes from the site's API (the background reads it). */
  function pageMeta(doc) {
    const title = globalThis.BlastRadiusTextOf(doc, SELECTORS.title).replace(/\s*#[0-9]+$/, '');
    return title ? { title } : {};
  }

  // Gitea's theme variables (Forgejo keeps the same names) under the names
  // the overlay's stylesheet uses: its light and dark themes both apply.
  const THEME_CSS = `
:host {
  --fgColor-default: var(--color-text, #181c21);
  --fgColor-muted: var(--color-text-light-2, #7b8390);
  --bgColor-default: var(--color-box-body, var(--color-body, #ffffff));
  --bgColor-muted: var(--color-box-header, #f1f3f5);
  --overlay-bgColor: var(--color-menu, var(--color-box-body, #ffffff));
  --borderColor-default: var(--color-secondary, #d0d7de);
  --borderColor-muted: var(--color-secondary-alpha-40, rgba(127,127,127,.3));
  --fgColor-danger: var(--color-red, #db2828);
  --bgColor-danger-muted: var(--color-error-bg, #ffe8e8);
  --fgColor-severe: var(--color-orange, #f2711c);
  --bgColor-severe-muted: var(--color-warning-bg, #fff7e0);
  --fgColor-attention: var(--color-yellow, #b59c00);
  --bgColor-attention-muted: var(--color-warning-bg, #fff7e0);
  --fgColor-accent: var(--color-blue, #2185d0);
  --bgColor-accent-muted: var(--color-info-bg, #e6f1fb);
  --fgColor-done: var(--color-purple, #a333c8);
  --bgColor-done-muted: var(--color-secondary-bg, #f2e5fa);
  --fontStack-system: var(--fonts-regular, -apple-system, "Segoe UI", system-ui, Roboto, sans-serif);
  --fontStack-monospace: var(--fonts-monospace, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
}`;

  globalThis.BlastRadiusAddHost('gitea', {
    name: 'Gitea',
    hostnames: SITES,
    // Also runs on self-managed instances (see hosts/common.js).
    selfManaged: true,
    THEME_CSS,
    detect,
    indexFiles,
    findLine,
    pageMeta,
  });
})();
