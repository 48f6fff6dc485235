// Browser test harness: Debian's Chromium driven by playwright-core, with the
// built extension loaded unpacked, github.com mapped to a local HTTPS server.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../tools/fixture-server.mjs';
import { GITHUB_CSP, SOFT_NAV_JS, renderCompare, renderContent, renderPage } from './github-fixture.mjs';
import { GITLAB_CSP, renderMergeRequest } from './gitlab-fixture.mjs';
import { GITEA_CSP, renderPull } from './gitea-fixture.mjs';
import { BITBUCKET_CSP, renderPullRequest } from './bitbucket-fixture.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = join(ROOT, 'tests', 'browser', 'out');
export const EXT_DIR = process.env.BLASTRADIUS_EXT || join(ROOT, 'dist', 'chrome');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CODE_HOSTS = ['github.com', 'patch-diff.githubusercontent.com', 'raw.githubusercontent.com', 'gitlab.com', 'codeberg.org', 'gitea.com', 'bitbucket.org', 'api.bitbucket.org'];
mkdirSync(OUT, { recursive: true });

const BASE_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-sandbox',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
];

/** Pull requests served by the fake github.com: number -> {title, diff}. */
export function pulls() {
  return {
    7: { title: 'Add account cleanup job', diff: readFileSync(join(ROOT, 'examples', 'pr-account-cleanup.diff'), 'utf8') },
    8: { title: 'Add bundle fetch script', diff: readFileSync(join(ROOT, 'tests', 'browser', 'fixtures', 'hostile.diff'), 'utf8') },
    9: { title: 'Squash 300 migrations', diff: bigDiff(300) },
    10: { title: 'Fix retry limit', diff: SMALL_DIFF },
  };
}

/** A small pull request: a one-line fix in one Python file. */
export const SMALL_DIFF = [
  'diff --git a/app/http/retry.py b/app/http/retry.py',
  'index 3f2a1b0..8c4d9e2 100644',
  '--- a/app/http/retry.py',
  '+++ b/app/http/retry.py',
  '@@ -10,7 +10,7 @@ def backoff(attempt):',
  '     delay = BASE_DELAY * (2 ** attempt)',
  '     if delay > MAX_DELAY:',
  '         delay = MAX_DELAY',
  '-    return delay + random.uniform(0, 0.1)',
  '+    return delay + random.uniform(0, 0.5)',
  ' ',
  ' ',
  ' def should_retry(status):',
  '',
].join('\n');

/** A large pull request: `files` new migrations, each dropping a table on line 10. */
export function bigDiff(files) {
  const out = [];
  for (let i = 0; i < files; i++) {
    const p = `db/migrations/${String(i).padStart(4, '0')}_cleanup.sql`;
    const lines = [];
    for (let k = 1; k <= 20; k++) lines.push(k === 10 ? `+DROP TABLE legacy_${i};` : `+-- step ${k} of migration ${i}: keep the audit trail intact`);
    out.push(`diff --git a/${p} b/${p}`, 'new file mode 100644', 'index 0000000..1234567', '--- /dev/null', `+++ b/${p}`, '@@ -0,0 +1,20 @@', ...lines);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Base and head texts of every modified file, rebuilt from the diff: the
 * lines the diff shows at their line numbers, blank lines in between (the
 * engine checks exactly the lines the diff shows).
 */
export function sidesOf(diff) {
  const out = {};
  let cur = null;
  let o = 0;
  let n = 0;
  for (const line of diff.split('\n')) {
    const g = /^diff --git a\/(\S+) b\/(\S+)$/.exec(line);
    if (g) {
      cur = { old: g[1], path: g[2], base: [], head: [], modified: true };
      out[g[2]] = cur;
      continue;
    }
    if (!cur) continue;
    if (/^(new|deleted) file mode/.test(line)) cur.modified = false;
    const h = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (h) {
      o = Number(h[1]);
      n = Number(h[2]);
      while (cur.base.length < o - 1) cur.base.push('');
      while (cur.head.length < n - 1) cur.head.push('');
      continue;
    }
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith(' ')) {
      cur.base.push(line.slice(1));
      cur.head.push(line.slice(1));
    } else if (line.startsWith('-')) cur.base.push(line.slice(1));
    else if (line.startsWith('+')) cur.head.push(line.slice(1));
  }
  return Object.values(out).filter((f) => f.modified);
}

/**
 * A raw file request's answer from `files[ref][path]`, given `<ref>/<path>`:
 * like the hosts, a branch name may hold slashes, so the known refs are
 * matched. Returns {file, res} (`res` null when there is no such file).
 */
function fileAt(files, refAndPath) {
  const ref = Object.keys(files).find((r) => refAndPath.startsWith(`${r}/`));
  const file = ref !== undefined ? refAndPath.slice(ref.length + 1) : '';
  const text = ref !== undefined ? files[ref][file] : undefined;
  return { file, res: typeof text === 'string' ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text } : null };
}

/**
 * A GitHub commits feed (Atom) of `entries` = [[who, days ago, sha?], …],
 * newest first; an entry's id is its sha, else the days.
 */
export const atomFeed = (entries) => `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n${entries.map(([who, days, sha]) =>
  `  <entry>\n    <id>tag:github.com,2008:Grit::Commit/${sha ?? days}</id>\n    <title>change</title>\n    <updated>${new Date(Date.now() - days * 86400e3).toISOString()}</updated>\n    <author>\n      <name>${who}</name>\n      <uri>https://github.com/${who}</uri>\n    </author>\n  </entry>`).join('\n')}\n</feed>\n`;

// github.com's host names; a GitHub Enterprise Server serves its diffs
// itself (`patch: null`) and raw files from `raw.<host>`.
const GITHUB_NAMES = { web: 'github.com', patch: 'patch-diff.githubusercontent.com', raw: 'raw.githubusercontent.com' };

/**
 * The fake code host: PR pages on github.com, .diff/.patch redirected to
 * patch-diff, raw files (`/o/r/raw/<ref>/<path>`) redirected to
 * raw.githubusercontent.com and served from `files[ref][path]`, commit feeds
 * of a path from `feeds[ref][path]`. A PR is
 * {title, diff, patch?, author?, baseRef?, headRef?, labels?, description?,
 * reviews?, sidebar?} (the last three on its conversation tab, see github-fixture.mjs;
 * `pageDelay` ms before that tab is served).
 * `fileDelay(path)` gives milliseconds to wait before serving a raw file
 * (a slow host).
 */
export function githubHandler(prs, owner = 'acme', repo = 'shop', files = {}, feeds = {}, fileDelay = () => 0, names = GITHUB_NAMES, commits = {}, compares = {}) {
  return ({ host, path }) => {
    const [pathname, query = ''] = path.split('?');
    const html = (body) => ({ headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GITHUB_CSP }, body });
    if (host === names.web) {
      if (pathname === '/assets/soft-nav.js') return { headers: { 'content-type': 'text/javascript' }, body: SOFT_NAV_JS };
      // Commit feeds of a path at a ref (`/o/r/commits/<ref>/<path>.atom`), from
      // `feeds[ref][path]`, and at a ref alone (`/o/r/commits/<ref>.atom`) from `feeds[ref]`.
      const feed = new RegExp(`^/${owner}/${repo}/commits/(.+)\\.atom$`).exec(pathname);
      if (feed) {
        const rest = decodeURIComponent(feed[1]);
        if (typeof feeds[rest] === 'string') return { headers: { 'content-type': 'application/atom+xml; charset=utf-8' }, body: feeds[rest] };
        const ref = Object.keys(feeds).find((r) => rest.startsWith(`${r}/`));
        const text = ref !== undefined ? feeds[ref][rest.slice(ref.length + 1)] : undefined;
        return typeof text === 'string' ? { headers: { 'content-type': 'application/atom+xml; charset=utf-8' }, body: text } : null;
      }
      const raw = new RegExp(`^/${owner}/${repo}/raw/(.+)$`).exec(pathname);
      if (raw) return { status: 302, headers: { location: `https://${names.raw}/${owner}/${repo}/${raw[1]}` } };
      // A comparison's page (classic markup), .diff and .patch, from
      // `compares['<base>...<head>']` = {title, diff, patch?}.
      const cmp = new RegExp(`^/${owner}/${repo}/compare/(.+?\\.\\.\\..+?)(\\.diff|\\.patch)?$`).exec(pathname);
      const comparison = cmp && compares[decodeURIComponent(cmp[1])];
      if (comparison) {
        if (cmp[2]) {
          const body = cmp[2] === '.diff' ? comparison.diff : comparison.patch;
          return body ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body } : null;
        }
        const [b, h] = decodeURIComponent(cmp[1]).split('...');
        return html(renderCompare({ owner, repo, base: b, head: h, title: comparison.title, diff: comparison.diff }));
      }
      // A commit's own page, .diff and .patch, from `commits[sha]` = {title, diff, patch?, author?}.
      const c = new RegExp(`^/${owner}/${repo}/commit/([0-9a-f]{7,64})(\\.diff|\\.patch)?$`).exec(pathname);
      const commit = c && commits[c[1]];
      if (commit) {
        if (c[2]) {
          const body = c[2] === '.diff' ? commit.diff : commit.patch;
          return body ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body } : null;
        }
        return html(renderPage({ owner, repo, title: commit.title, diff: commit.diff, author: commit.author, commit: c[1] }));
      }
      const m = new RegExp(`^/${owner}/${repo}/pull/(\\d+)(\\.diff|\\.patch|/changes|/files|)$`).exec(pathname);
      const pr = m && prs[m[1]];
      if (!pr) return null;
      if (!names.patch && (m[2] === '.diff' || m[2] === '.patch')) {
        const body = m[2] === '.diff' ? pr.diff : pr.patch;
        return body ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body } : null;
      }
      if (m[2] === '.diff' || (m[2] === '.patch' && pr.patch)) {
        return { status: 302, headers: { location: `https://${names.patch}/raw/${owner}/${repo}/pull/${m[1]}${m[2]}` } };
      }
      if (m[2] === '.patch') return null;
      const opts = { owner, repo, number: m[1], title: pr.title, diff: pr.diff, author: pr.author, baseRef: pr.baseRef, headRef: pr.headRef, labels: pr.labels, description: pr.description, reviews: pr.reviews, sidebar: pr.sidebar, tab: m[2] ? 'files' : 'conversation', view: /(^|&)diff=split(&|$)/.test(query) ? 'split' : 'unified' };
      if (query.includes('_fragment=1')) return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: renderContent(opts) };
      // `pageDelay`: a conversation tab slow to render.
      if (!m[2] && pr.pageDelay) return new Promise((r) => setTimeout(() => r(html(renderPage(opts))), pr.pageDelay));
      return html(renderPage(opts));
    }
    if (host === names.patch) {
      const m = new RegExp(`^/raw/${owner}/${repo}/pull/(\\d+)\\.(diff|patch)$`).exec(pathname);
      const pr = m && prs[m[1]];
      if (!pr) return null;
      const body = m[2] === 'diff' ? pr.diff : pr.patch;
      return body ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body } : null;
    }
    if (host === names.raw) {
      const { file, res } = fileAt(files, decodeURIComponent(pathname).slice(`/${owner}/${repo}/`.length));
      const ms = fileDelay(file);
      return ms > 0 ? new Promise((r) => setTimeout(() => r(res), ms)) : res;
    }
    return null;
  };
}

/**
 * The fake gitlab.com for one project: merge requests `mrs` (iid ->
 * {title, diff, patch?, api?, approvals?, view?}) with their Changes tab
 * (`/<project>/-/merge_requests/<iid>/diffs`, `?view=parallel` for the
 * parallel Rapid Diffs view, `view: 'legacy'` for the Vue grid), `.diff`
 * and `.patch`, the merge request API (`/api/v4/projects/<id>/merge_requests/<iid>`
 * answers `api`, `…/approvals` answers `approvals`), raw files `/<project>/-/raw/<ref>/<path>` from
 * `files[ref][path]`, and the commits API from `history[ref][path]`.
 */
export function gitlabHandler({ project, mrs = {}, files = {}, history = {}, commits = {} }) {
  const apiPrefix = `/api/v4/projects/${encodeURIComponent(project)}/merge_requests/`;
  return ({ path }) => {
    const [pathname, query = ''] = path.split('?');
    // Commits touching a path at a ref: `history[ref][path]` = [[author name, days ago], …].
    if (pathname === `/api/v4/projects/${encodeURIComponent(project)}/repository/commits`) {
      const q = new URLSearchParams(query);
      const list = history[q.get('ref_name')]?.[q.get('path')];
      if (!list) return null;
      const body = list.slice(0, Number(q.get('per_page')) || 20).map(([who, days], i) => ({
        id: `${i}`.padStart(40, '0'), author_name: who, author_email: `${who}@example.com`,
        committed_date: new Date(Date.now() - days * 86400e3).toISOString(), title: 'change',
      }));
      return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    }
    // A commit (`commits[sha].api`: its parents, author).
    const one = new RegExp(`^/api/v4/projects/${encodeURIComponent(project)}/repository/commits/([0-9a-f]{7,40})$`).exec(pathname);
    if (one) {
      const body = commits[one[1]]?.api;
      return body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : null;
    }
    if (pathname.startsWith(apiPrefix)) {
      const [iid, sub] = pathname.slice(apiPrefix.length).split('/');
      const body = sub === 'approvals' ? mrs[iid]?.approvals : sub === undefined ? mrs[iid]?.api : undefined;
      return body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : null;
    }
    const raw = pathname.startsWith(`/${project}/-/raw/`) ? decodeURIComponent(pathname.slice(`/${project}/-/raw/`.length)) : null;
    if (raw !== null) return fileAt(files, raw).res;
    // Commit pages: `commits[sha]` = {title, diff}; the page and its `.diff`.
    const c = /^\/-\/commit\/([0-9a-f]{7,64})(\.diff)?$/.exec(pathname.slice(project.length + 1));
    const commit = pathname.startsWith(`/${project}/`) && c && commits[c[1]];
    if (commit) {
      if (c[2]) return { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: commit.diff };
      return {
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GITLAB_CSP },
        body: renderMergeRequest({ project, iid: 0, title: commit.title, diff: commit.diff, view: 'rapid-inline', theme: 'light' }),
      };
    }
    const m = /^\/-\/merge_requests\/(\d+)(\.diff|\.patch|\/diffs)$/.exec(pathname.slice(project.length + 1));
    const mr = pathname.startsWith(`/${project}/`) && m && mrs[m[1]];
    if (!mr) return null;
    if (m[2] === '.diff') return { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: mr.diff };
    if (m[2] === '.patch') return mr.patch ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: mr.patch } : null;
    const view = mr.view === 'legacy' ? 'legacy' : /(^|&)view=parallel(&|$)/.test(query) ? 'rapid-parallel' : 'rapid-inline';
    const theme = /(^|&)theme=dark(&|$)/.test(query) ? 'dark' : 'light';
    return {
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GITLAB_CSP },
      body: renderMergeRequest({ project, iid: m[1], title: mr.title, diff: mr.diff, view, theme }),
    };
  };
}

/**
 * A fake Gitea/Forgejo site for one repository: pull requests `pulls`
 * (index -> {title, diff, patch?, api?, reviews?}) with their files tab
 * (`/<o>/<r>/pulls/<n>/files`, `?style=split`, `&theme=dark`), `.diff`,
 * `.patch`, the pull request API (`/api/v1/repos/<o>/<r>/pulls/<n>` answers
 * `api`, `…/reviews` answers `reviews`), raw files (`/<o>/<r>/raw/branch|commit/<ref>/<path>`) from
 * `files[ref][path]`, and the commits API from `history[ref][path]`.
 */
export function giteaHandler({ owner, repo, pulls: prs = {}, commits = {}, files = {}, history = {} }) {
  const root = `/${owner}/${repo}`;
  return ({ path }) => {
    const [pathname, query = ''] = path.split('?');
    // Commits touching a path at a ref: `history[ref][path]` = [[login, days ago], …].
    if (pathname === `/api/v1/repos/${owner}/${repo}/commits`) {
      const q = new URLSearchParams(query);
      const list = history[q.get('sha')]?.[q.get('path')];
      if (!list) return null;
      const body = list.slice(0, Number(q.get('limit')) || 20).map(([who, days], i) => ({
        sha: `${i}`.padStart(40, '0'), author: { login: who },
        commit: { author: { name: `${who} (name)`, date: new Date(Date.now() - days * 86400e3).toISOString() }, message: 'change' },
      }));
      return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    }
    const api = new RegExp(`^/api/v1/repos/${owner}/${repo}/pulls/(\\d+)(/reviews)?$`).exec(pathname);
    if (api) {
      const body = api[2] ? prs[api[1]]?.reviews : prs[api[1]]?.api;
      return body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : null;
    }
    const raw = /^\/raw\/(branch|commit)\/(.+)$/.exec(decodeURIComponent(pathname.slice(root.length)));
    if (pathname.startsWith(`${root}/`) && raw) return fileAt(files, raw[2]).res;
    // A commit (`commits[sha]` = {title, diff, patch?, api?}): its API answer, page, .diff and .patch.
    const capi = new RegExp(`^/api/v1/repos/${owner}/${repo}/git/commits/([0-9a-f]{7,64})$`).exec(pathname);
    if (capi) return commits[capi[1]]?.api ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(commits[capi[1]].api) } : null;
    const c = /^\/commit\/([0-9a-f]{7,64})(\.diff|\.patch)?$/.exec(pathname.slice(root.length));
    const commit = pathname.startsWith(`${root}/`) && c && commits[c[1]];
    if (commit) {
      if (c[2]) {
        const body = c[2] === '.diff' ? commit.diff : commit.patch;
        return body ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body } : null;
      }
      return {
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GITEA_CSP },
        body: renderPull({ owner, repo, number: 0, title: commit.title, diff: commit.diff, split: false, dark: false }),
      };
    }
    const m = /^\/pulls\/(\d+)(\.diff|\.patch|\/files)$/.exec(pathname.slice(root.length));
    const pr = pathname.startsWith(`${root}/`) && m && prs[m[1]];
    if (!pr) return null;
    if (m[2] === '.diff') return { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: pr.diff };
    if (m[2] === '.patch') return pr.patch ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: pr.patch } : null;
    return {
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GITEA_CSP },
      body: renderPull({ owner, repo, number: m[1], title: pr.title, diff: pr.diff, split: /(^|&)style=split(&|$)/.test(query), dark: /(^|&)theme=dark(&|$)/.test(query) }),
    };
  };
}

/**
 * A fake bitbucket.org for one repository: pull requests `pulls` (id ->
 * {title, diff, patch?, api?}) with their page (`/<w>/<r>/pull-requests/<id>`,
 * `?view=side-by-side`, `&theme=dark`), and the REST API 2.0 under
 * `/!api/2.0/repositories/<w>/<r>`: the pull request (`api`), its `/diff`
 * (redirected, as Bitbucket does, to the diff of its two commits) and
 * `/patch`, `/merge-base/<a>..<b>` (answers `mergeBase`), the commits
 * touching a path (`/commits/<ref>?path=…` from `history[ref][path]`), and
 * raw files (`/<w>/<r>/raw/<ref>/<path>`) from `files[ref][path]`.
 */
export function bitbucketHandler({ workspace, repo, pulls: prs = {}, commits = {}, files = {}, history = {}, mergeBase = null }) {
  const root = `/${workspace}/${repo}`;
  const api = `/!api/2.0/repositories/${workspace}/${repo}`;
  const json = (body) => (body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : null);
  const text = (body) => (typeof body === 'string' ? { headers: { 'content-type': 'text/plain; charset=utf-8' }, body } : null);
  return ({ path }) => {
    const [pathname, query = ''] = path.split('?');
    if (pathname.startsWith(`${api}/`)) {
      const rest = pathname.slice(api.length);
      const c = /^\/commits\/([^/]+)$/.exec(rest);
      if (c) {
        const list = history[decodeURIComponent(c[1])]?.[new URLSearchParams(query).get('path')];
        return json(list && { pagelen: 20, values: list.map(([who, days], i) => ({
          hash: `${i}`.padStart(40, '0'), date: new Date(Date.now() - days * 86400e3).toISOString(), message: 'change\n',
          author: { raw: `${who} (name) <${who}@example.com>`, user: { nickname: who, display_name: `${who} (name)` } },
        })) });
      }
      const mb = /^\/merge-base\/([0-9a-f]+)\.\.([0-9a-f]+)$/.exec(rest);
      if (mb) return json(mergeBase && { type: 'commit', hash: mergeBase });
      const d = /^\/diff\/[^/]+\/[^/]+:[0-9a-f]+%0D[0-9a-f]+$/.exec(rest);
      if (d) return text(prs[new URLSearchParams(query).get('from_pullrequest_id')]?.diff);
      // A commit's diff and patch (against its first parent).
      const one = /^\/(diff|patch)\/([0-9a-f]{7,40})$/.exec(rest);
      if (one) return text(commits[one[2]]?.[one[1]]);
      const commit = /^\/commit\/([0-9a-f]{7,40})$/.exec(rest);
      if (commit) return json(commits[commit[1]]?.api);
      const m = /^\/pullrequests\/(\d+)(\/diff|\/patch)?$/.exec(rest);
      const pr = m && prs[m[1]];
      if (!pr) return null;
      if (m[2] === '/patch') return text(pr.patch);
      if (m[2] === '/diff') {
        const spec = `${workspace}/${repo}:${pr.api?.source?.commit?.hash ?? 'a'}%0D${pr.api?.destination?.commit?.hash ?? 'b'}`;
        return { status: 302, headers: { location: `${api}/diff/${spec}?from_pullrequest_id=${m[1]}&topic=true` }, body: '' };
      }
      return json(pr.api);
    }
    const raw = pathname.startsWith(`${root}/raw/`) ? decodeURIComponent(pathname.slice(`${root}/raw/`.length)) : null;
    if (raw !== null) return fileAt(files, raw).res;
    const c = /^\/commits\/([0-9a-f]{7,40})$/.exec(pathname.slice(root.length));
    const commit = pathname.startsWith(`${root}/`) && c && commits[c[1]];
    if (commit) {
      return {
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': BITBUCKET_CSP },
        body: renderPullRequest({ workspace, repo, commit: c[1], title: commit.title, diff: commit.diff }),
      };
    }
    const m = /^\/pull-requests\/(\d+)(?:\/diff)?$/.exec(pathname.slice(root.length));
    const pr = pathname.startsWith(`${root}/`) && m && prs[m[1]];
    if (!pr) return null;
    return {
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': BITBUCKET_CSP },
      body: renderPullRequest({ workspace, repo, number: m[1], title: pr.title, diff: pr.diff, sideBySide: /(^|&)view=side-by-side(&|$)/.test(query), dark: /(^|&)theme=dark(&|$)/.test(query) }),
    };
  };
}

/**
 * Starts the fake code host and Chromium with the extension. Returns
 * {context, server, sw, extensionId, requests, close}. `requests` collects every
 * request of pages and of the extension's service worker.
 */
export async function launchWithExtension({ prs = pulls(), commits = {}, compares = {}, files = {}, feeds = {}, fileDelay, gitlab = null, gitea = {}, bitbucket = null, gitlabSites = {}, githubSites = {}, extDir = EXT_DIR } = {}) {
  const github = githubHandler(prs, 'acme', 'shop', files, feeds, fileDelay, GITHUB_NAMES, commits, compares);
  // Other hosts: gitlab.com, Gitea/Forgejo sites by name ({site: config}),
  // more GitLab and GitHub sites (self-managed instances) by name.
  const others = new Map(Object.entries(gitea).map(([site, cfg]) => [site, giteaHandler(cfg)]));
  if (gitlab) others.set('gitlab.com', gitlabHandler(gitlab));
  for (const [site, cfg] of Object.entries(gitlabSites)) others.set(site, gitlabHandler(cfg));
  for (const [site, cfg] of Object.entries(githubSites)) {
    const h = githubHandler(cfg.prs, 'acme', 'shop', cfg.files ?? {}, cfg.feeds ?? {}, () => 0, { web: site, patch: null, raw: `raw.${site}` });
    others.set(site, h);
    others.set(`raw.${site}`, h);
  }
  if (bitbucket) {
    const h = bitbucketHandler(bitbucket);
    others.set('bitbucket.org', h);
    others.set('api.bitbucket.org', ({ path, ...req }) => h({ ...req, path: `/!api${path}` }));
  }
  const handler = (req) => (others.has(req.host) ? others.get(req.host)(req)
    : ['github.com', 'patch-diff.githubusercontent.com', 'raw.githubusercontent.com'].includes(req.host) ? github(req) : null);
  const server = await startServer({ tls: true, handler });
  const userDataDir = mkdtempSync(join(tmpdir(), 'br-chromium-'));
  const mapped = [...new Set([...CODE_HOSTS, ...others.keys()])];
  const rules = [...mapped.map((h) => `MAP ${h} 127.0.0.1:${server.port}`), 'MAP * ~NOTFOUND'].join(', ');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      ...BASE_ARGS,
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
      `--host-resolver-rules=${rules}`,
      '--ignore-certificate-errors',
    ],
  });
  const requests = [];
  context.on('request', (r) => {
    let sw = null;
    try {
      sw = r.serviceWorker() ? r.serviceWorker().url() : null;
    } catch {
      sw = null;
    }
    requests.push({ url: r.url(), method: r.method(), from: sw ? 'service-worker' : 'page' });
  });
  let sw = context.serviceWorkers()[0];
  if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 15000 });
  const extensionId = new URL(sw.url()).host;
  return {
    context,
    server,
    sw,
    extensionId,
    requests,
    async close() {
      await context.close();
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Requests that went anywhere but the code host or the extension itself. */
export function foreignRequests(requests, extensionId, allowedHosts = CODE_HOSTS) {
  return requests.filter(({ url }) => {
    const u = new URL(url);
    if (u.protocol === 'chrome-extension:') return u.host !== extensionId;
    if (u.protocol === 'data:' || u.protocol === 'blob:') return false;
    return !(u.protocol === 'https:' && allowedHosts.includes(u.hostname) && u.port === '');
  });
}

/** The panel's facts, jump list and counts once a report with located findings is drawn. */
export async function panel(page) {
  await page.waitForFunction(() => {
    const root = document.getElementById('blastradius-panel')?.shadowRoot;
    return root && root.querySelector('[data-fact="syntax"]') && root.querySelectorAll('.jump button[data-located]').length > 0;
  }, null, { timeout: 20000 });
  return page.evaluate(() => {
    const root = document.getElementById('blastradius-panel').shadowRoot;
    const fact = (k) => root.querySelector(`[data-fact="${k}"]`)?.textContent ?? null;
    return {
      approvals: fact('approvals'),
      jump: [...root.querySelectorAll('.jump button')].map((x) => ({
        path: x.dataset.path, line: Number(x.dataset.line), side: x.dataset.side, located: x.dataset.located, text: x.textContent,
      })),
      counts: Object.fromEntries([...root.querySelectorAll('[data-severity]')].map((li) => [li.dataset.severity, Number(li.querySelector('.n').textContent)])),
      policy: fact('policy'),
      history: fact('history'),
      syntax: fact('syntax'),
      authorship: fact('authorship'),
      problems: [...root.querySelectorAll('[data-fact="config-problems"] li')].map((li) => li.textContent),
    };
  });
}

/**
 * For every jump entry: its marker's box, the code cell of its line as the
 * fixture renders it (found here independently of the extension's host
 * adapters; `view`: 'inline', 'parallel' or 'legacy' for GitLab, 'gitea',
 * 'bitbucket', 'classic' for GitHub's classic markup),
 * and the marker's colour.
 */
export function geometry(page, view, jump) {
  return page.evaluate(({ view, jump }) => {
    const root = document.getElementById('blastradius-markers')?.shadowRoot;
    const markers = root ? [...root.querySelectorAll('button.marker')] : [];
    const box = (e) => (e ? (({ top, bottom, left, right }) => ({ top, bottom, left, right }))(e.getBoundingClientRect()) : null);
    const cellOf = (j) => {
      if (view === 'bitbucket') {
        const file = [...document.querySelectorAll('.file[data-test-path]')].find((f) => f.getAttribute('data-test-path') === j.path);
        const label = `${j.side === 'old' ? 'From' : 'To'} line ${j.line}`;
        return file?.querySelector(`a[aria-label="${label}"]`)?.closest('.line-wrapper')?.querySelector('.code-component') ?? null;
      }
      if (view === 'gitea') {
        const file = [...document.querySelectorAll('.diff-file-box')].find((f) => f.getAttribute('data-new-filename') === j.path);
        const row = file?.querySelector(`td.lines-num-${j.side}[data-line-num="${j.line}"]`)?.closest('tr');
        return row?.querySelector(`td.lines-code-${j.side}`) ?? row?.querySelector('td.lines-code') ?? null;
      }
      if (view === 'classic') {
        const file = [...document.querySelectorAll('.file[data-tagsearch-path]')].find((f) => f.getAttribute('data-tagsearch-path') === j.path);
        return file?.querySelector(`td.blob-num[data-line-number="${j.line}"][id$="${j.side === 'old' ? 'L' : 'R'}${j.line}"]`)?.closest('tr')?.querySelector('td.blob-code') ?? null;
      }
      if (view === 'legacy') {
        const file = [...document.querySelectorAll('.diff-file[data-path]')].find((f) => f.getAttribute('data-path') === j.path);
        return file?.querySelector(`[data-interop-${j.side}-line="${j.line}"] .line_content`) ?? null;
      }
      const file = [...document.querySelectorAll('diff-file')].find((f) => JSON.parse(f.dataset.fileData).new_path === j.path);
      const row = file?.querySelector(`td.rd-line-number[data-position="${j.side}"] a[data-line-number="${j.line}"]`)?.closest('tr');
      if (!row) return null;
      return view === 'parallel' ? row.querySelector(`td.rd-line-content[data-position="${j.side}"]`) : row.querySelector('td.rd-line-content');
    };
    return jump.map((j) => {
      const m = markers.find((x) => x.dataset.side === j.side && x.dataset.path === j.path && Number(x.dataset.line) === j.line);
      return { key: `${j.side}|${j.path}|${j.line}`, marker: box(m), cell: box(cellOf(j)), color: m ? getComputedStyle(m).borderTopColor : null, severity: m?.className ?? '' };
    });
  }, { view, jump });
}

/** Each marker sits on its line's code cell, just left of it. */
export function assertOnLines(geo) {
  for (const g of geo) {
    assert.ok(g.cell, `fixture has no cell for ${g.key}`);
    assert.ok(g.marker, `no marker for ${g.key}`);
    const cy = (g.marker.top + g.marker.bottom) / 2;
    assert.ok(cy >= g.cell.top && cy <= g.cell.bottom, `marker ${g.key} at y=${cy}, line spans ${g.cell.top}..${g.cell.bottom}`);
    assert.ok(g.marker.right <= g.cell.left + 4 && g.marker.right >= g.cell.left - 30, `marker ${g.key} x=${g.marker.left}..${g.marker.right}, code cell starts at ${g.cell.left}`);
  }
}

/** The text of the card that the jump entry naming `where` (e.g. `a.py:1`) opens; the card is closed again. */
export async function cardText(page, where) {
  await page.locator('#blastradius-panel .jump button', { hasText: where }).first().click();
  const card = page.locator('#blastradius-markers .card');
  await card.waitFor({ state: 'visible' });
  const text = await card.textContent();
  await page.keyboard.press('Escape');
  return text;
}

/**
 * The repository behind the example pull request on a fake host, for a diff
 * taken between revisions `base` and `head`: the policy and its rule pack at
 * `release/2.0` (main's policy would disable destructive-sql), the modified
 * files whole at both revisions, and history at `base`: `hot` (the first
 * parsed modified file) changed 12 times in 60 days by `people`, `owned`
 * (the second) last changed by `author`. `history[base][path]` lists
 * `[who, days ago]`.
 */
export function exampleRepo(diff, { base, head, people = ['ann', 'bob', 'dan'], author = 'octocat' }) {
  const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
  const modified = sidesOf(diff);
  const files = {
    'release/2.0': {
      '.blastradius.toml': read('tests', 'browser', 'fixtures', 'repo', 'policy.toml'),
      '.blastradius/rules/team.toml': read('tests', 'browser', 'fixtures', 'repo', 'team.toml'),
    },
    main: { '.blastradius.toml': '[rules]\ndisable = ["destructive-sql"]\n' },
    [base]: Object.fromEntries(modified.map((f) => [f.old, `${f.base.join('\n')}\n`])),
    [head]: Object.fromEntries(modified.map((f) => [f.path, `${f.head.join('\n')}\n`])),
  };
  const [hot, owned] = modified.filter((f) => f.path.match(/\.(py|rs|ts)$/));
  const history = {
    [base]: {
      [hot.old]: Array.from({ length: 12 }, (_, i) => [people[i % 3], 5 * i + 1]),
      [owned.old]: [[author, 200]],
    },
  };
  return { modified, files, history, hot, owned };
}

/**
 * What the panel shows for the example pull request read with everything
 * its host offers (see exampleRepo): the policy at release/2.0 applied (its
 * pack's rule fired, a rule it disables did not), the .patch's Claude
 * trailer counted, no configuration problem; who approved (`approvedBy`,
 * none by default) while alice's sign-off is still asked for; whole files
 * for all `parsedFiles`; `hot` a hotspot new to the author.
 */
export async function assertExampleReport(page, p, { approvedBy = null, parsedFiles, hot }) {
  assert.equal(p.policy, 'Policy: .blastradius.toml at release/2.0');
  assert.ok(p.jump.some((j) => j.text.includes('Row count returned from a purge')), 'the pack the policy names fired');
  assert.ok(!p.jump.some((j) => j.text.includes('TLS')), 'the policy disabled a built-in rule');
  assert.match(p.authorship, /AI authorship: confirmed .*claude-code/);
  assert.deepEqual(p.problems, []);
  assert.equal(p.approvals, approvedBy ? `Approved by: @${approvedBy}` : null);
  assert.ok((await cardText(page, 'app/billing/retention.py:1')).includes('needs sign-off from @alice'), 'sign-off finding');
  assert.equal(p.syntax, `Syntax: whole files for all ${parsedFiles} parsed files`);
  assert.equal(p.history, `History: ${hot.path} changed 12 times in 90 days by 3 authors (hotspot); new to the author: ${hot.path}`);
}

/**
 * Opens `url` in a new page of `b` and waits for its report: every finding
 * of the jump list located on the page, its marker drawn and sitting on its
 * line (`view` as for `geometry`). Returns {page, p (the panel), geo}.
 */
export async function openReport(b, url, view) {
  const page = await b.context.newPage();
  await page.goto(url);
  const p = await panel(page);
  assert.ok(p.jump.every((j) => j.located === 'true'), JSON.stringify(p.jump));
  await drawn(page, p.jump.length);
  const geo = await geometry(page, view, p.jump);
  assertOnLines(geo);
  return { page, p, geo };
}

/** Waits until `n` markers are drawn. */
export async function drawn(page, n) {
  await page.waitForFunction((n) => document.getElementById('blastradius-markers')?.shadowRoot.querySelectorAll('button.marker').length === n, n, { timeout: 20000 });
}

export { chromium, BASE_ARGS };
