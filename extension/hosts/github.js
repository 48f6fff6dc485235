// GitHub: every selector and URL rule the content script relies on, in ONE
// table (see shared/docs/hosts.md §1). GitHub's markup changes often: when a
// selector stops matching, the summary panel still works and findings whose
// line cannot be located are listed as "not shown on page".
(() => {
  'use strict';

  const SELECTORS = {
    // New React "Files changed" view.
    fileContainer: 'div[id^="diff-"]',
    diffTable: 'table[aria-label^="Diff for: "]',
    diffTableLabelPrefix: 'Diff for: ',
    // Code cell of line N on a side: data-line-anchor ends with R<N> / L<N>.
    codeCell: (side, line) =>
      `td.diff-text-cell[data-line-anchor$="${side === 'old' ? 'L' : 'R'}${Number(line)}"]`,
    // Fallback: the line-number cell.
    numberCell: (side, line) =>
      `td[data-diff-side="${side === 'old' ? 'left' : 'right'}"][data-line-number="${Number(line)}"]`,
    fileName: '[class*="file-name"] code',
    progressiveList: '[data-testid="progressive-diffs-list"]',
    // Classic view (compare pages, GitHub Enterprise, older sessions).
    classicFile: '.file[data-tagsearch-path]',
    classicFilePathAttr: 'data-tagsearch-path',
    classicCodeCell: (side, line) =>
      `td.blob-num[data-line-number="${Number(line)}"][id$="${side === 'old' ? 'L' : 'R'}${Number(line)}"]`,
    // Pull-request header: branch chips (`title="owner/repo:branch"`), labels.
    baseRef: '.gh-header-meta .base-ref, span.commit-ref.base-ref',
    headRef: '.gh-header-meta .head-ref, span.commit-ref.head-ref',
    // Newer React header: branch chips in "into <base> from <head>" order.
    branchChips: '[class*="BranchName"]',
    label: '.js-issue-labels .IssueLabel, .js-issue-labels [data-name]',
    // Description (conversation tab only).
    body: '.js-discussion .timeline-comment .comment-body',
    // Conversation tab's sidebar (or its reviewers partial, which GitHub
    // re-renders on its own): the reviewers, each with the icon of their
    // latest review (a check for an approval), named by a tooltip or
    // aria-label "<login> approved these changes".
    sidebar: '#partial-discussion-sidebar, [data-url*="partial=pull_requests%2Fsidebar%2Fshow%2Freviewers"], [data-url*="partial=pull_requests/sidebar/show/reviewers"]',
    reviewerStatus: '.reviewers-status-icon',
    reviewer: '[data-assignee-name]',
    words: 'tool-tip, [role="tooltip"], [aria-label]',
  };
  // document.title of a pull request: "<title> by <author> · Pull Request #<n> · <owner>/<repo>…".
  const PR_TITLE = /^(.+) by ([A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\[bot\])?) · Pull Request #[0-9]+ · /;

  // Events after which GitHub has (re)rendered a page without a full load.
  const NAVIGATION_EVENTS = [
    'turbo:render',
    'turbo:load',
    'soft-nav:react-done',
    'soft-nav:end',
    'pjax:end',
    'popstate',
  ];
  const TEARDOWN_EVENTS = ['turbo:visit', 'soft-nav:start', 'pjax:start'];

  const NAME = '[A-Za-z0-9_.-]+';
  const SHA = '[0-9a-f]{7,64}';
  // /:owner/:repo/pull/:n/(changes|files)[/<sha>|/<sha>..<sha>][/]
  const PR_FILES = new RegExp(
    `^/(${NAME})/(${NAME})/pull/([0-9]{1,9})/(?:changes|files)(?:/(${SHA})(?:\\.\\.(${SHA}))?)?/?$`,
  );
  // /:owner/:repo/commit/:sha[/] (a commit outside a pull request)
  const COMMIT = new RegExp(`^/(${NAME})/(${NAME})/commit/(${SHA})/?$`);
  // /:owner/:repo/compare/<base>...<head>[/] (branches, tags or commits of
  // this repository; a fork's `owner:branch` is not read)
  const REF = '(?![/-])(?:(?!\\.\\.)[A-Za-z0-9._/-]){1,200}';
  const COMPARE = new RegExp(`^/(${NAME})/(${NAME})/compare/(${REF}?)\\.\\.\\.(${REF})$`);

  const SITES = ['github.com'];

  /**
   * Describes the page at `url` (a URL or string): null when it is not a pull
   * request's files page, a commit's page or a comparison of two refs on
   * one of `sites` (github.com, or a GitHub Enterprise Server the user
   * added); otherwise {owner, repo, number (a pull request's pages only),
   * kind, sha?, base?, head?, key}, plus {host: 'github', site} on an
   * Enterprise Server.
   */
  function detect(url, sites = SITES) {
    const u = globalThis.BlastRadiusHostUrl(url, sites);
    if (!u) return null;
    const m = PR_FILES.exec(u.pathname);
    const c = m ? null : COMMIT.exec(u.pathname);
    let cmp = null;
    if (!m && !c) {
      try {
        cmp = COMPARE.exec(decodeURIComponent(u.pathname.replace(/\/$/, '')));
      } catch {
        return null; // a malformed escape
      }
    }
    const hit = m || c || cmp;
    if (!hit || [hit[1], hit[2]].some((x) => x === '.' || x === '..')) return null;
    let page;
    if (cmp) {
      const [, owner, repo, base, head] = cmp;
      // (`…/compare/a...b.diff` is the raw diff, not a page to draw on.)
      if (/\.\.|\/$|\/\//.test(`${base}\n${head}`) || /\.(diff|patch)$/.test(head)) return null;
      page = { owner, repo, kind: 'compare', base, head, key: `${owner}/${repo}:${base}...${head}` };
    } else if (c) {
      const [, owner, repo, sha] = c;
      page = { owner, repo, kind: 'commit', sha, key: `${owner}/${repo}@${sha}` };
    } else {
      const [, owner, repo, number, a, b] = m;
      if (a && b) page = { owner, repo, number, kind: 'range', base: a, head: b };
      else if (a) page = { owner, repo, number, kind: 'commit', sha: a };
      else page = { owner, repo, number, kind: 'pull' };
      page.key = `${owner}/${repo}#${number}:${a || ''}..${b || ''}`;
    }
    if (u.hostname !== 'github.com') Object.assign(page, { host: 'github', site: u.hostname, key: `${u.hostname}:${page.key}` });
    return page;
  }

  /** Strips the bidi marks GitHub wraps around paths. */
  function cleanPath(s) {
    return String(s).replace(/[\u200e\u200f]/g, '').trim();
  }

  async function sha256Hex(text) {
    const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  /**
   * Finds the rendered diff of `path`: {container, table} or null. Tries the
   * table's aria-label, then the container id (SHA-256 of the path), then the
   * classic view.
   */
  async function findFile(root, path) {
    for (const table of root.querySelectorAll(SELECTORS.diffTable)) {
      const label = table.getAttribute('aria-label') || '';
      if (cleanPath(label.slice(SELECTORS.diffTableLabelPrefix.length)) === path) {
        return { container: table.closest(SELECTORS.fileContainer) || table, table };
      }
    }
    if (crypto && crypto.subtle) {
      const id = `diff-${await sha256Hex(path)}`;
      const container = root.getElementById ? root.getElementById(id) : null;
      if (container) {
        return { container, table: container.querySelector('table') || container };
      }
    }
    for (const f of root.querySelectorAll(SELECTORS.classicFile)) {
      if (f.getAttribute(SELECTORS.classicFilePathAttr) === path) return { container: f, table: f, classic: true };
    }
    return null;
  }

  /**
   * Indexes every rendered file once: Map path -> {container, table}. Used
   * for big pull requests, where a lookup per finding would rescan the page.
   * The React view's tables, then the classic view's files.
   */
  function indexFiles(root) {
    const map = new Map();
    for (const table of root.querySelectorAll(SELECTORS.diffTable)) {
      const path = cleanPath((table.getAttribute('aria-label') || '').slice(SELECTORS.diffTableLabelPrefix.length));
      if (path && !map.has(path)) map.set(path, { container: table.closest(SELECTORS.fileContainer) || table, table });
    }
    for (const f of root.querySelectorAll(SELECTORS.classicFile)) {
      const path = f.getAttribute(SELECTORS.classicFilePathAttr) || '';
      if (path && !map.has(path)) map.set(path, { container: f, table: f, classic: true });
    }
    return map;
  }

  /** The element to anchor a marker for `line` on `side` of a found file. */
  function findLine(file, side, line) {
    if (!file) return null;
    if (file.classic) {
      const num = file.table.querySelector(SELECTORS.classicCodeCell(side, line));
      return num ? num.parentElement.querySelector('td.blob-code') || num : null;
    }
    return (
      file.table.querySelector(SELECTORS.codeCell(side, line)) ||
      file.table.querySelector(SELECTORS.numberCell(side, line))
    );
  }

  /** The branch a chip names: its title is "owner/repo:branch", its text "branch" or "user:branch". */
  function chipRef(e) {
    if (!e) return null;
    const t = (e.getAttribute('title') || e.textContent || '').trim();
    const ref = t.includes(':') ? t.slice(t.indexOf(':') + 1) : t;
    return ref || null;
  }

  /**
   * What the page says about the pull request, for the AI-authorship markers
   * and the policy: {title, author, baseRef, headRef, labels, body}. Fields
   * the page does not show are absent; the background checks every value.
   */
  function pageMeta(doc) {
    const meta = {};
    const m = PR_TITLE.exec(doc.title || '');
    if (m) {
      meta.title = m[1];
      meta.author = m[2];
    }
    let base = chipRef(doc.querySelector(SELECTORS.baseRef));
    let head = chipRef(doc.querySelector(SELECTORS.headRef));
    if (!base && !head) {
      const chips = doc.querySelectorAll(SELECTORS.branchChips);
      if (chips.length >= 2) {
        base = chipRef(chips[0]);
        head = chipRef(chips[1]);
      }
    }
    if (base) meta.baseRef = base;
    if (head) meta.headRef = head;
    const labels = [...doc.querySelectorAll(SELECTORS.label)]
      .map((e) => (e.getAttribute('data-name') || e.textContent || '').trim())
      .filter(Boolean);
    if (labels.length) meta.labels = [...new Set(labels)];
    const body = doc.querySelector(SELECTORS.body);
    if (body && body.textContent.trim()) meta.body = body.textContent.trim();
    return meta;
  }

  const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
  const APPROVED = /^\s*@?([A-Za-z0-9][A-Za-z0-9-]{0,38}) approved these changes\s*$/;

  /**
   * Who approved, from a conversation page's sidebar (`doc` is that page,
   * parsed): the reviewers whose latest review is an approval. Read from the
   * status's own words ("<login> approved these changes": a tooltip, linked
   * to the status icon or not, or an aria-label), and from a reviewer's row
   * whose status icon is a check with no words. Commented, changes
   * requested, pending and hidden entries are not approvals; logins are
   * checked.
   */
  function approvals(doc) {
    const out = new Set();
    const hidden = (e) => e.closest('.v-hidden, [hidden]:not(tool-tip)');
    for (const scope of doc.querySelectorAll(SELECTORS.sidebar)) {
      for (const e of scope.querySelectorAll(SELECTORS.words)) {
        if (hidden(e)) continue;
        const said = APPROVED.exec(e.matches('[aria-label]') ? e.getAttribute('aria-label') : e.textContent || '');
        if (said) out.add(said[1]);
      }
      for (const icon of scope.querySelectorAll(SELECTORS.reviewerStatus)) {
        if (hidden(icon) || !icon.querySelector('svg.octicon-check')) continue;
        // The reviewer's row; words on the icon or a link around it (inside
        // the row) were read above: only a wordless check is read here.
        const row = icon.closest('p, li') || icon.parentElement;
        const labelled = icon.closest('[aria-label], [aria-labelledby]');
        if (labelled && row && row.contains(labelled)) continue;
        out.add(row?.querySelector(SELECTORS.reviewer)?.getAttribute('data-assignee-name') || '');
      }
    }
    return [...out].filter((l) => LOGIN.test(l));
  }

  globalThis.BlastRadiusAddHost('github', {
    name: 'GitHub',
    hostnames: SITES,
    // Also runs on a GitHub Enterprise Server (see hosts/common.js).
    selfManaged: true,
    NAVIGATION_EVENTS,
    TEARDOWN_EVENTS,
    detect,
    findFile,
    indexFiles,
    findLine,
    pageMeta,
    approvals,
  });
})();
