// GitLab (gitlab.com): the selectors and URL rules the content script relies
// on for a merge request's "Changes" tab, in ONE table (shared/docs/hosts.md
// §1e). Two renderings are read: Rapid Diffs (`<diff-file data-file-data>`,
// line links `td.rd-line-number[data-position] a[data-line-number]`, per
// gitlabhq's app/components/rapid_diffs templates) and the older Vue diff grid
// (`.diff-file[data-path]`, side wrappers carrying GitLab's interop attributes
// `data-interop-old-line` / `data-interop-new-line`). A finding whose line is
// not rendered is listed as "not shown on page", as on GitHub.
(() => {
  'use strict';

  const n = (line) => Number(line);
  const SELECTORS = {
    // Rapid Diffs.
    rapidFile: 'diff-file[data-file-data]',
    rapidLineLink: (side, line) =>
      `td.rd-line-number[data-position="${side === 'old' ? 'old' : 'new'}"] a[data-line-number="${n(line)}"]`,
    rapidContent: (side) => `td.rd-line-content[data-position="${side === 'old' ? 'old' : 'new'}"]`,
    rapidInlineContent: 'td.rd-line-content:not([data-position])',
    // Vue diff grid (legacy merge request diffs).
    legacyFile: '.diff-file[data-path]',
    // The side's own column of the split grid first, then any wrapper (inline).
    legacyLine: (side, line) =>
      side === 'old'
        ? [`.diff-grid-left[data-interop-old-line="${n(line)}"]`, `[data-interop-old-line="${n(line)}"]`]
        : [`.diff-grid-right[data-interop-new-line="${n(line)}"]`, `[data-interop-new-line="${n(line)}"]`],
    legacyContent: '.line_content',
  };
  // document.title of a merge request: "<title> (!<iid>) · Merge requests · <project> · GitLab".
  const MR_TITLE = /^(.+) \(!\d+\) · /;


  const SEGMENT = '[A-Za-z0-9_.-]+';
  const SHA = '[0-9a-f]{7,64}';
  // /<group>[/<subgroup>…]/<project>/-/merge_requests/<iid>/diffs[/]
  const MR_DIFFS = new RegExp(`^/((?:${SEGMENT}/){1,20}${SEGMENT})/-/merge_requests/([0-9]{1,9})/diffs/?$`);
  // /<project>/-/commit/<sha>
  const COMMIT = new RegExp(`^/((?:${SEGMENT}/){1,20}${SEGMENT})/-/commit/(${SHA})/?$`);

  /** A project path: no `.` or `..` segment, and not starting with `-`. */
  const goodProject = (p) => p.split('/').every((s) => s !== '.' && s !== '..' && !s.startsWith('-'));

  const SITES = ['gitlab.com'];

  /**
   * Describes the page at `url`: null unless it is a merge request's Changes
   * tab or a commit page on one of `sites` (gitlab.com, or a self-managed
   * instance the user added); otherwise {host: 'gitlab', site, project,
   * number?, kind, sha?, key}.
   */
  function detect(url, sites = SITES) {
    const u = globalThis.BlastRadiusHostUrl(url, sites);
    if (!u) return null;
    const site = u.hostname;
    const tag = site === 'gitlab.com' ? 'gitlab' : `gitlab@${site}`;
    let m = MR_DIFFS.exec(u.pathname);
    if (m && goodProject(m[1])) {
      return { host: 'gitlab', site, project: m[1], number: m[2], kind: 'pull', key: `${tag}:${m[1]}!${m[2]}` };
    }
    m = COMMIT.exec(u.pathname);
    if (m && goodProject(m[1])) {
      return { host: 'gitlab', site, project: m[1], kind: 'commit', sha: m[2], key: `${tag}:${m[1]}@${m[2]}` };
    }
    return null;
  }

  const cleanPath = (s) => String(s).trim();

  /** The new path (or, for a deleted file, the old one) a Rapid Diffs file names. */
  function rapidPath(e) {
    try {
      const d = JSON.parse(e.getAttribute('data-file-data') || '{}');
      const p = typeof d.new_path === 'string' && d.new_path ? d.new_path : d.old_path;
      return typeof p === 'string' ? cleanPath(p) : null;
    } catch {
      return null;
    }
  }

  /** Every rendered file once: Map path -> {container, table, kind}. */
  function indexFiles(root) {
    const map = new Map();
    for (const e of root.querySelectorAll(SELECTORS.rapidFile)) {
      const p = rapidPath(e);
      if (p && !map.has(p)) map.set(p, { container: e, table: e, kind: 'rapid' });
    }
    for (const e of root.querySelectorAll(SELECTORS.legacyFile)) {
      const p = cleanPath(e.getAttribute('data-path') || '');
      if (p && !map.has(p)) map.set(p, { container: e, table: e, kind: 'legacy' });
    }
    return map;
  }

  /** The rendered diff of `path`, or null. */
  /** The element to anchor a marker for `line` on `side` of a found file. */
  function findLine(file, side, line) {
    if (!file) return null;
    if (file.kind === 'rapid') {
      const link = file.container.querySelector(SELECTORS.rapidLineLink(side, line));
      const row = link && link.closest('tr');
      if (!row) return null;
      return row.querySelector(SELECTORS.rapidContent(side)) || row.querySelector(SELECTORS.rapidInlineContent) || link.closest('td');
    }
    let wrap = null;
    for (const sel of SELECTORS.legacyLine(side, line)) {
      wrap = file.container.querySelector(sel);
      if (wrap) break;
    }
    if (!wrap) return null;
    return wrap.querySelector(SELECTORS.legacyContent) || wrap;
  }

  /**
   * What the page itself says about the merge request: its title (from
   * document.title). Author, branches, description and labels come from
   * GitLab's merge request API on the same origin (the background reads it).
   */
  function pageMeta(doc) {
    const meta = {};
    const m = MR_TITLE.exec(doc.title || '');
    if (m) meta.title = m[1];
    return meta;
  }

  // GitLab's design tokens under the names the overlay's stylesheet uses,
  // so markers and panel take GitLab's colours in its light and dark themes.
  const THEME_CSS = `
:host {
  --fgColor-default: var(--gl-text-color-default, #3a383f);
  --fgColor-muted: var(--gl-text-color-subtle, #626168);
  --bgColor-default: var(--gl-background-color-default, #ffffff);
  --bgColor-muted: var(--gl-background-color-subtle, #fbfafd);
  --overlay-bgColor: var(--gl-background-color-overlap, var(--gl-background-color-default, #ffffff));
  --borderColor-default: var(--gl-border-color-default, #dcdcde);
  --borderColor-muted: var(--gl-border-color-subtle, #ececef);
  --fgColor-danger: var(--gl-feedback-danger-text-color, #ae1800);
  --bgColor-danger-muted: var(--gl-feedback-danger-background-color, #fcf1ef);
  --fgColor-severe: var(--gl-status-warning-text-color, #9e5400);
  --bgColor-severe-muted: var(--gl-status-warning-background-color, #fdf1dd);
  --fgColor-attention: var(--gl-feedback-warning-text-color, #8f4700);
  --bgColor-attention-muted: var(--gl-feedback-warning-background-color, #fdf1dd);
  --fgColor-accent: var(--gl-feedback-info-text-color, #0b5cad);
  --bgColor-accent-muted: var(--gl-feedback-info-background-color, #e9f3fc);
  --fgColor-done: var(--gl-status-brand-text-color, #5943b6);
  --bgColor-done-muted: var(--gl-status-brand-background-color, #f4f0ff);
  --fontStack-system: var(--default-regular-font, "GitLab Sans", -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif);
  --fontStack-monospace: var(--default-mono-font, "GitLab Mono", "JetBrains Mono", Menlo, Consolas, monospace);
}`;

  globalThis.BlastRadiusAddHost('gitlab', {
    name: 'GitLab',
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
