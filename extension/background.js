// Blast Radius background (MV3 service worker in Chromium, module event page in
// Firefox). It is the only place that touches the network or the wasm engine:
// the content script sends a description of the page, this script builds the
// code host's own `.diff` URL, fetches it with the user's session, runs the
// analysis in wasm (off the page's main thread) and returns the JSON report.
// Besides the `.diff` it reads, from the same host: the `.patch` (commit
// metadata: authors and trailers for the AI-authorship markers) and the
// repository policy `.blastradius.toml` (plus the rule packs it names) at the
// pull request's base branch, so a pull request cannot relax its own policy;
// and, unless turned off in the options, the full base and head contents of
// the most changed source files (raw files at the base branch and the head
// commit), so the syntax layer parses whole files instead of hunks (the
// engine checks each file against the diff and ignores one that disagrees),
// and their recent commits from the host's commit feeds at the base branch
// (churn and ownership for the risk score).

import initCore, * as coreApi from './pkg-core/blastradius.js';
import initFull, * as fullApi from './pkg/blastradius.js';
import { INSTANCE_KINDS, checkInstance, instanceHosts } from './instances.js';

const SEVERITIES = ['info', 'warning', 'high', 'critical'];
const DEFAULT_OPTIONS = { minSeverity: 'info', disabledRepos: [], userPacks: '', fallbackPolicy: '', fullFiles: true };
// The code hosts and the hosts each may send a request to: github.com
// redirects .diff/.patch to patch-diff and raw files to
// raw.githubusercontent.com; gitlab.com, the Gitea/Forgejo sites and
// bitbucket.org serve everything themselves. A request to one code host may only end on that
// host's own list.
const CODE_HOSTS = {
  github: { origin: 'https://github.com', hosts: new Set(['github.com', 'patch-diff.githubusercontent.com', 'raw.githubusercontent.com']) },
  gitlab: { origin: 'https://gitlab.com', hosts: new Set(['gitlab.com']) },
  codeberg: { origin: 'https://codeberg.org', hosts: new Set(['codeberg.org']) },
  giteacom: { origin: 'https://gitea.com', hosts: new Set(['gitea.com']) },
  // Bitbucket Cloud: the web app's own API proxy on bitbucket.org; its public
  // API host answers the same paths.
  bitbucket: { origin: 'https://bitbucket.org', hosts: new Set(['bitbucket.org', 'api.bitbucket.org']) },
};
// The public sites of each kind of page, by the page's `site` (GitHub's and
// GitLab's pages may name none).
const PUBLIC_SITES_OF = {
  github: new Map([[undefined, CODE_HOSTS.github], ['github.com', CODE_HOSTS.github]]),
  gitlab: new Map([[undefined, CODE_HOSTS.gitlab], ['gitlab.com', CODE_HOSTS.gitlab]]),
  gitea: new Map([['codeberg.org', CODE_HOSTS.codeberg], ['gitea.com', CODE_HOSTS.giteacom]]),
};
// Self-managed GitHub Enterprise, GitLab, Gitea and Forgejo instances the
// user added in the options (and granted the extension access to):
// hostname -> {origin, kind, hosts}. Each serves everything itself, so its
// list is its own name (and, for GitHub Enterprise, `raw.<host>`).
let instances = new Map();

/**
 * The valid entries of the options' `instances` list ({origin, kind}), as
 * the options page checks them (instances.js; a stored origin must be the
 * page's normalised one); duplicates dropped. At most 50.
 */
export function readInstances(list) {
  const out = new Map();
  for (const i of Array.isArray(list) ? list.slice(0, 50) : []) {
    const { instance } = checkInstance(i?.kind, i?.origin);
    if (!instance || instance.origin !== i.origin) continue;
    const hosts = instanceHosts(instance);
    if (!out.has(hosts[0])) out.set(hosts[0], { origin: instance.origin, kind: INSTANCE_KINDS[instance.kind], hosts: new Set(hosts) });
  }
  return out;
}
/** Replaces the known instances (from the options' list). */
export function setInstances(list) {
  instances = readInstances(list);
  return instances;
}
async function loadInstances() {
  const o = await chrome.storage.local.get({ instances: [] });
  return setInstances(o.instances);
}
/** The instance on `site` of `kind` ('github', 'gitlab' or 'gitea'), or null. */
const instanceOf = (site, kind) => {
  const i = typeof site === 'string' ? instances.get(site) : null;
  return i && i.kind === kind ? i : null;
};

/**
 * The origin of a page of `kind` ('github', 'gitlab' or 'gitea'): one of the
 * kind's public sites or an instance of that kind the user added; throws
 * `refusal` for any other site.
 */
const siteOrInstance = (kind, refusal) => (page) => {
  const o = PUBLIC_SITES_OF[kind].get(page.site) ?? instanceOf(page.site, kind);
  if (!o) throw new Error(refusal);
  return o;
};

/** The hosts a request to `url` may end on (empty for a host we do not read). */
function allowedFor(url) {
  const h = new URL(url).hostname;
  return Object.values(CODE_HOSTS).find((c) => c.hosts.has(h))?.hosts
    ?? [...instances.values()].find((i) => i.hosts.has(h))?.hosts ?? new Set();
}
// A host API answer (pull request metadata, approvals).
const MAX_API_BYTES = 1024 * 1024;
// A pull request's web page read for its metadata (GitHub's conversation tab),
// and how long after the diff has arrived the analysis waits for it.
const MAX_PAGE_BYTES = 8 * 1024 * 1024;
const PAGE_WAIT_MS = 3000;
const MAX_DIFF_BYTES = 32 * 1024 * 1024;
const MAX_CONFIG_BYTES = 256 * 1024;
const MAX_POLICY_PACKS = 10;
const CACHE_MS = 60 * 1000;
// Full files: how many changed files, how large, how many requests at once,
// and how long the analysis waits for them (what has not arrived by then is
// analysed from its hunks).
const MAX_FULL_FILES = 40;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FULL_FILES_BYTES = 16 * 1024 * 1024;
const FILE_CONCURRENCY = 6;
const FULL_FILES_DEADLINE_MS = 5000;
// Changed lines from which a diff whose files are read whole is first
// analysed from its hunks while they download (an early report).
const EARLY_REPORT_LINES = 1000;
// History: the host's feed of the latest commits touching each of the most
// changed files, at the base branch (churn and ownership for the risk score).
const MAX_HISTORY_FILES = 20;
const MAX_FEED_BYTES = 512 * 1024;

// Two builds of the same engine: `core` (every grammar but C++, C#, Ruby and
// PHP, the four largest) starts fast; `full` is loaded only for a diff with a
// file in one of those languages. Both give the same results on what they
// can both parse (tests/wasm).
const builds = {
  core: { init: initCore, api: coreApi, wasm: './pkg-core/blastradius_bg.wasm', ready: null, initMs: 0, warmMs: 0 },
  full: { init: initFull, api: fullApi, wasm: './pkg/blastradius_bg.wasm', ready: null, initMs: 0 },
};
/** The named build, compiled and instantiated once; resolves to its API. */
function ready(name = 'core') {
  const b = builds[name];
  if (!b.ready) {
    const t0 = performance.now();
    b.ready = b.init({ module_or_path: new URL(b.wasm, import.meta.url) }).then(() => {
      b.initMs = performance.now() - t0;
      return b.api;
    });
    b.ready.catch(() => {
      b.ready = null;
    });
  }
  return b.ready;
}

// The engine's first analysis pays one-off initialisation: V8 compiling the
// functions it runs for the first time, rule tables, and per language the
// parser and the rule queries. Doing it on a small diff in the most common
// languages while the real diff is still downloading hides that cost
// (measured in the browser test's report line). When the real diff is
// already here once the engine is compiled, the warm-up would only delay
// it: the real analysis then pays those costs itself.
const WARM_UP_DIFF = [
  ['a.txt', 'a', 'b'],
  ['a.py', 'x = 1', 'x = 2'],
  ['a.ts', 'const x = 1;', 'const x = 2;'],
  ['a.js', 'const x = 1;', 'const x = 2;'],
  ['a.go', 'var x = 1', 'var x = 2'],
  ['a.rs', 'const X: u8 = 1;', 'const X: u8 = 2;'],
].map(([f, a, b]) => `diff --git a/${f} b/${f}\n--- a/${f}\n+++ b/${f}\n@@ -1 +1 @@\n-${a}\n+${b}\n`).join('');
let warmed = null;
/** The core build, warmed up unless `skip()` says the real diff has arrived. */
function warmUp(skip = () => false) {
  if (!warmed) {
    warmed = ready('core').then((api) => {
      if (skip()) return api;
      const t0 = performance.now();
      try {
        api.analyze(WARM_UP_DIFF, {});
      } catch {
        // A failure here shows up again, with its message, on the real diff.
      }
      builds.core.warmMs = performance.now() - t0;
      return api;
    });
    warmed.catch(() => {
      warmed = null;
    });
  }
  return warmed;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const SHA = /^[0-9a-f]{7,64}$/;
const NUMBER = /^[0-9]{1,9}$/;
// A branch name as git allows it (no `..`, no leading `/` or `-`).
const REF = /^(?!.*\.\.)(?![/-])[A-Za-z0-9._/-]{1,200}$/;
// A repository path for a rule pack: relative, no `..`, TOML.
const PACK_PATH = /^(?!.*\.\.)(?!\/)[A-Za-z0-9._/-]{1,200}\.toml$/;
// A GitLab project path: group[/subgroup…]/project, no `.`/`..` segment.
const PROJECT = /^(?:[A-Za-z0-9_.-]{1,100}\/){1,20}[A-Za-z0-9_.-]{1,100}$/;
const goodProject = (p) => typeof p === 'string' && PROJECT.test(p) && p.split('/').every((s) => s !== '.' && s !== '..' && !s.startsWith('-'));
const goodName = (x) => NAME.test(x ?? '') && x !== '.' && x !== '..';
const isPull = (page) => page?.kind === 'pull' && NUMBER.test(String(page.number));
const isCommit = (page) => page?.kind === 'commit' && SHA.test(page.sha ?? '');

/** A JSON text (or an already parsed value) read; undefined when it is not JSON. */
function readJson(json) {
  try {
    return typeof json === 'string' ? JSON.parse(json) : json;
  } catch {
    return undefined;
  }
}
/** The same when it is a JSON object; null otherwise. */
const parseJson = (json) => {
  const v = readJson(json);
  return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
};
const jsonStr = (x, max) => (typeof x === 'string' && x.trim() ? x.slice(0, max) : undefined);
const jsonSha = (x) => (typeof x === 'string' && SHA.test(x) ? x : undefined);
const jsonLabels = (v) => (Array.isArray(v)
  ? v.map((l) => jsonStr(typeof l === 'string' ? l : l?.name ?? l?.title, 100)).filter(Boolean).slice(0, 50)
  : undefined);
/** `meta` without the fields that came out empty or of the wrong type. */
function compact(meta) {
  for (const k of Object.keys(meta)) if (meta[k] === undefined || (Array.isArray(meta[k]) && !meta[k].length)) delete meta[k];
  return meta;
}
const login = (x) => (typeof x === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(x) ? x : null);
const logins = (list) => [...new Set(list.filter(Boolean))].slice(0, 100);
/** `<web root>/<view>/<ref>/<path>`, ref checked, segments encoded. */
function refPathUrl(root, view, ref, path) {
  if (!REF.test(ref)) throw new Error('bad branch name');
  const seg = (s) => s.split('/').map(encodeURIComponent).join('/');
  return `${root}/${view}/${seg(ref)}/${seg(path)}`;
}
/** A ref as URL path segments (its slashes kept). */
const refSeg = (ref) => ref.split('/').map(encodeURIComponent).join('/');
const query = (pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
/**
 * A commit list from a host's commits API as `[{author, time}]` (time in
 * seconds), `who(c)` and `when(c)` reading one commit. At most 200; anything
 * unexpected is skipped.
 */
function commitList(list, who, when) {
  const out = [];
  for (const c of Array.isArray(list) ? list.slice(0, 200) : []) {
    if (!c || typeof c !== 'object') continue;
    const name = who(c);
    const w = when(c);
    const t = Date.parse(typeof w === 'string' ? w : '');
    if (typeof name !== 'string' || !name.trim() || !Number.isFinite(t)) continue;
    out.push({ author: name.trim().slice(0, 200), time: Math.floor(t / 1000) });
  }
  return out;
}

// What the background needs of each code host, in one table keyed by the
// page description's `host` (GitHub's pages carry none). Every URL builder
// checks the names it puts into the URL and throws on anything else.
//   origin(page)         the site the page is on (its CODE_HOSTS entry)
//   root(page)           the repository's web root
//   repoKey(page)        the names the options' "disabled repositories" match
//   diff(page, root)     the change's unified diff; patch(page): its commits as a
//                        patch (by default the diff's URL with `.patch` for `.diff`)
//   prApi(page)          pull request metadata, read by meta(json); null where none is read
//   readInTab            prApi answers a web page (GitHub's conversation tab): the
//                        tab's adapter reads it, meta() and approvals() get what it read
//   commitApi(page)      on a commit page, the commit (parent, author), read by commitMeta(json)
//   approvalsApi(page)   who approved, read by approvals(json); null where none is read
//   raw(page, ref, path) a file at a revision
//   commits(page, ref, path) the latest 20 commits touching a path, read by readCommits(text)
//   historyAuthor(meta)  the pull request's author as the commit list names people
const HOSTS = {
  github: {
    // github.com, or a GitHub Enterprise Server the user added.
    origin: siteOrInstance('github', 'not github.com or a GitHub Enterprise Server added in the options'),
    root: (page) => `${HOSTS.github.origin(page).origin}/${page.owner}/${page.repo}`,
    repoKey: (page) => [`${page.owner}/${page.repo}`, `${String(page.site ?? 'github.com')}/${page.owner}/${page.repo}`],
    diff(page, root) {
      if (isPull(page)) return `${root}/pull/${page.number}.diff`;
      if (isCommit(page)) return `${root}/commit/${page.sha}.diff`;
      if (page.kind === 'range' && SHA.test(page.base ?? '') && SHA.test(page.head ?? '')) return `${root}/compare/${page.base}..${page.head}.diff`;
      // A comparison page: the diff from the refs' merge base, as the page shows it.
      if (page.kind === 'compare' && REF.test(page.base ?? '') && REF.test(page.head ?? '')) return `${root}/compare/${refSeg(page.base)}...${refSeg(page.head)}.diff`;
      throw new Error('not a diff page');
    },
    // The conversation tab (description, labels, the reviewers' sidebar),
    // read by the adapter in the tab that asked: a service worker has no
    // DOMParser. It also lists who approved: one request, not cached.
    prApi: (page) => conversationUrl(page),
    readInTab: true,
    meta: (v) => githubPageMeta(v),
    // A commit's own page: the commit feed at the commit (it, then its
    // parent); a pull request's commit view reads the conversation tab.
    commitApi: (page) => (page?.number === undefined ? `${repoRoot(page)}/commits/${page.sha}.atom` : null),
    commitMeta: (text) => githubCommitFeedMeta(text),
    approvalsApi: (page) => conversationUrl(page),
    approvals: (v) => (Array.isArray(v?.approvals) ? v.approvals.map(login) : []),
    // Redirects to raw.githubusercontent.com.
    raw: (page, ref, path) => refPathUrl(repoRoot(page), 'raw', ref, path),
    // The Atom feed `…/commits/<ref>/<path>.atom`.
    commits: (page, ref, path) => `${refPathUrl(repoRoot(page), 'commits', ref, path)}.atom`,
    readCommits: (text) => parseCommitsFeed(text),
    historyAuthor: (meta) => meta?.author,
  },
  gitlab: {
    // gitlab.com, or a self-managed instance the user added.
    origin: siteOrInstance('gitlab', 'not gitlab.com or a GitLab instance added in the options'),
    root(page) {
      if (!goodProject(page.project)) throw new Error('bad project path');
      return `${HOSTS.gitlab.origin(page).origin}/${page.project}`;
    },
    repoKey: (page) => [String(page.project), `${String(page.site ?? 'gitlab.com')}/${page.project}`],
    diff(page, root) {
      if (isPull(page)) return `${root}/-/merge_requests/${page.number}.diff`;
      if (isCommit(page)) return `${root}/-/commit/${page.sha}.diff`;
      throw new Error('not a diff page');
    },
    prApi: (page) => (isPull(page) ? mergeRequestApiUrl(page) : null),
    meta: (json) => gitlabMeta(json),
    // A commit page: the commit (its first parent is the diff's base).
    commitApi: (page) => `${new URL(repoRoot(page)).origin}/api/v4/projects/${encodeURIComponent(page.project)}/repository/commits/${page.sha}`,
    commitMeta: (json) => gitlabCommitMeta(json),
    approvalsApi: (page) => (isPull(page) ? `${mergeRequestApiUrl(page)}/approvals` : null),
    approvals: (v) => (Array.isArray(v?.approved_by) ? v.approved_by.map((a) => login(a?.user?.username)) : []),
    raw: (page, ref, path) => refPathUrl(repoRoot(page), '-/raw', ref, path),
    commits(page, ref, path) {
      return `${new URL(repoRoot(page)).origin}/api/v4/projects/${encodeURIComponent(page.project)}/repository/commits?${query([['ref_name', ref], ['path', path]])}&per_page=20`;
    },
    readCommits: (text) => commitList(readJson(text), (c) => c.author_name, (c) => c.committed_date ?? c.authored_date),
    // GitLab's commits carry git author names, so the author is matched by name.
    historyAuthor: (meta) => meta?.authorName ?? meta?.author,
  },
  gitea: {
    // codeberg.org, gitea.com, or a self-managed instance the user added.
    origin: siteOrInstance('gitea', 'not a supported Gitea or Forgejo site'),
    root: (page) => `${HOSTS.gitea.origin(page).origin}/${page.owner}/${page.repo}`,
    // Repositories are named per site: a Gitea repository is `site/owner/repo` too.
    repoKey: (page) => [`${page.owner}/${page.repo}`, `${String(page.site)}/${page.owner}/${page.repo}`],
    diff(page, root) {
      if (isPull(page)) return `${root}/pulls/${page.number}.diff`;
      if (isCommit(page)) return `${root}/commit/${page.sha}.diff`;
      throw new Error('not a diff page');
    },
    prApi: (page) => (isPull(page) ? giteaPullApiUrl(page) : null),
    meta: (json) => giteaMeta(json),
    commitApi: (page) => `${new URL(repoRoot(page)).origin}/api/v1/repos/${page.owner}/${page.repo}/git/commits/${page.sha}?stat=false&verification=false&files=false`,
    commitMeta: (json) => giteaCommitMeta(json),
    approvalsApi: (page) => (isPull(page) ? `${giteaPullApiUrl(page)}/reviews` : null),
    // Reviews in state APPROVED that were neither dismissed nor made stale by later commits.
    approvals: (v) => (Array.isArray(v)
      ? v.filter((r) => r && r.state === 'APPROVED' && r.dismissed !== true && r.stale !== true).map((r) => login(r.user?.login))
      : []),
    // `/raw/commit/<sha>/<path>` or `/raw/branch/<branch>/<path>`.
    raw: (page, ref, path) => refPathUrl(repoRoot(page), SHA.test(ref ?? '') && (ref.length === 40 || ref.length === 64) ? 'raw/commit' : 'raw/branch', ref, path),
    commits(page, ref, path) {
      return `${new URL(repoRoot(page)).origin}/api/v1/repos/${page.owner}/${page.repo}/commits?${query([['sha', ref], ['path', path]])}&limit=20&stat=false&verification=false&files=false`;
    },
    // The account's login; the commit's author name when it is not linked to one.
    readCommits: (text) => commitList(readJson(text), (c) => c.author?.login || c.commit?.author?.name, (c) => c.commit?.author?.date),
    historyAuthor: (meta) => meta?.author,
  },
  bitbucket: {
    origin: () => CODE_HOSTS.bitbucket,
    root: (page) => `${CODE_HOSTS.bitbucket.origin}/${page.owner}/${page.repo}`,
    repoKey: (page) => [`${page.owner}/${page.repo}`],
    // Bitbucket Cloud serves diffs and patches from its API only; the web
    // app reads that API on its own origin under `/!api/2.0/`.
    // A commit's diff and patch are against its first parent.
    diff(page) {
      if (isPull(page)) return `${bitbucketApiRoot(page)}/pullrequests/${page.number}/diff`;
      if (isCommit(page)) return `${bitbucketApiRoot(page)}/diff/${page.sha}`;
      throw new Error('not a diff page');
    },
    patch(page) {
      if (isCommit(page)) return `${bitbucketApiRoot(page)}/patch/${page.sha}`;
      return HOSTS.bitbucket.diff(page).replace(/\/diff$/, '/patch');
    },
    prApi: (page) => (isPull(page) ? `${bitbucketApiRoot(page)}/pullrequests/${page.number}` : null),
    meta: (json) => bitbucketMeta(json),
    commitApi: (page) => `${bitbucketApiRoot(page)}/commit/${page.sha}`,
    commitMeta: (json) => bitbucketCommitMeta(json),
    // The pull request itself lists its participants and who approved.
    approvalsApi: (page) => HOSTS.bitbucket.prApi(page),
    approvals: (v) => (Array.isArray(v?.participants)
      ? v.participants.filter((p) => p && p.approved === true).map((p) => login(p.user?.nickname))
      : []),
    // Its diff is taken from the merge base of the two tips the pull request
    // names: ask for it (the destination's tip stands in when that fails).
    async settleMeta(page, m) {
      if (!m.baseSha || !m.headSha) return m;
      try {
        const t = await fetchFromHost(bitbucketMergeBaseUrl(page, m.headSha, m.baseSha), { what: 'merge base', maxBytes: MAX_API_BYTES, optional: true });
        const hash = jsonSha(parseJson(t)?.hash);
        return hash ? { ...m, baseSha: hash } : m;
      } catch {
        return m;
      }
    },
    raw: (page, ref, path) => refPathUrl(repoRoot(page), 'raw', ref, path),
    commits: (page, ref, path) => `${bitbucketApiRoot(page)}/commits/${encodeURIComponent(ref)}?${query([['path', path]])}&pagelen=20`,
    // The linked account's nickname; the git author name otherwise.
    readCommits: (text) => commitList(readJson(text)?.values,
      (c) => c.author?.user?.nickname || /^([^<]*)/.exec(typeof c.author?.raw === 'string' ? c.author.raw : '')?.[1],
      (c) => c.date),
    historyAuthor: (meta) => meta?.author,
  },
};
const hostOf = (page) => HOSTS[page?.host] ?? (page?.host === undefined ? HOSTS.github : null);
/** The page's host entry, or throws. */
function hostFor(page) {
  if (!page || typeof page !== 'object') throw new Error('no page');
  const h = hostOf(page);
  if (!h) throw new Error('not a supported code host');
  return h;
}

/** The repository's web root (`https://github.com/o/r`, `https://gitlab.com/g/p`), names checked, or throws. */
export function repoRoot(page) {
  const h = hostFor(page);
  if (page.host !== 'gitlab' && (!goodName(page.owner) || !goodName(page.repo))) throw new Error('bad repository name');
  return h.root(page);
}

/** Builds the `.diff` URL for a page description, or throws. */
export function diffUrl(page) {
  return hostFor(page).diff(page, repoRoot(page));
}

/** The URL of the change's commits as a patch (authors, messages, trailers), or throws. */
export function patchUrl(page) {
  const h = hostFor(page);
  return h.patch ? h.patch(page) : diffUrl(page).replace(/\.diff$/, '.patch');
}

/**
 * GitLab's merge request API on gitlab.com itself (sent with the user's
 * cookies; GitLab documents session authentication for it): title, description, author,
 * branches, labels and the diff's base and head commits.
 */
export function mergeRequestApiUrl(page) {
  if (page?.host !== 'gitlab' || !isPull(page)) throw new Error('not a merge request');
  repoRoot(page);
  return `${HOSTS.gitlab.origin(page).origin}/api/v4/projects/${encodeURIComponent(page.project)}/merge_requests/${page.number}`;
}

/**
 * Gitea's and Forgejo's pull request API on the site itself (sent with the
 * user's cookies): title, body, author, branches, labels, the
 * merge base and the head commit.
 */
export function giteaPullApiUrl(page) {
  if (page?.host !== 'gitea' || !isPull(page)) throw new Error('not a pull request');
  repoRoot(page);
  return `${HOSTS.gitea.origin(page).origin}/api/v1/repos/${page.owner}/${page.repo}/pulls/${page.number}`;
}

/**
 * Bitbucket Cloud's REST API 2.0 for the repository as its web app reads it,
 * on bitbucket.org itself with the user's session:
 * `https://bitbucket.org/!api/2.0/repositories/<workspace>/<repo>`.
 */
export function bitbucketApiRoot(page) {
  if (page?.host !== 'bitbucket') throw new Error('not a Bitbucket page');
  repoRoot(page);
  return `${CODE_HOSTS.bitbucket.origin}/!api/2.0/repositories/${page.owner}/${page.repo}`;
}

/**
 * Bitbucket's merge base of two commits (`…/merge-base/<a>..<b>`): the
 * revision its pull request diff is taken from.
 */
export function bitbucketMergeBaseUrl(page, a, b) {
  if (!SHA.test(a ?? '') || !SHA.test(b ?? '')) throw new Error('bad commit');
  return `${bitbucketApiRoot(page)}/merge-base/${a}..${b}`;
}

/**
 * A GitHub pull request's conversation tab (`/<o>/<r>/pull/<n>`), for any
 * page of the pull request: the files tab shows neither its description
 * nor who approved.
 */
function conversationUrl(page) {
  if (!NUMBER.test(String(page?.number))) return null;
  return `${HOSTS.github.root(page)}/pull/${page.number}`;
}

/**
 * The host's source of pull request metadata, or null: an API on the same
 * origin (GitLab, Gitea/Forgejo, Bitbucket) or, on GitHub, the conversation
 * tab.
 */
export function pullApiUrl(page) {
  const h = hostOf(page);
  return h ? h.prApi(page) : null;
}

/**
 * Who approved the pull request, from the host's API on the same origin
 * (GitLab: the merge request's approvals; Gitea/Forgejo: its reviews;
 * Bitbucket: the pull request's participants), for the policy's sign-off
 * rule. Null where the host has no such API we read.
 */
export function approvalsApiUrl(page) {
  const h = hostOf(page);
  return h ? h.approvalsApi(page) : null;
}

/**
 * The logins that approved, from an approvals API response: GitLab's
 * `approved_by[].user.username`; Gitea's reviews in state APPROVED that
 * were neither dismissed nor made stale by later commits; Bitbucket's
 * participants with `approved: true` (by nickname).
 */
export function approvalsFrom(page, json) {
  const h = hostOf(page);
  return h?.approvals ? logins(h.approvals(readJson(json))) : [];
}

/**
 * A reader of a host API's pull request into the page metadata (`meta` as
 * the content script sends it): `pick(v)` names the raw fields; each is
 * checked (text cut to size, commits by form, labels by name) and a field
 * of the wrong type is left out.
 */
const metaReader = (pick) => (json) => {
  const v = parseJson(json);
  if (!v) return {};
  const r = pick(v);
  return compact({
    title: jsonStr(r.title, 1000),
    body: jsonStr(r.body, 65536),
    author: jsonStr(r.author, 100),
    authorName: jsonStr(r.authorName, 100),
    baseRef: jsonStr(r.baseRef, 250),
    headRef: jsonStr(r.headRef, 250),
    baseSha: jsonSha(r.baseSha),
    headSha: jsonSha(r.headSha),
    labels: jsonLabels(r.labels),
  });
};

/** GitLab's merge request: its diff's exact base and head commits. */
export const gitlabMeta = metaReader((v) => ({
  title: v.title,
  body: v.description,
  author: v.author?.username,
  authorName: v.author?.name,
  baseRef: v.target_branch,
  headRef: v.source_branch,
  baseSha: v.diff_refs?.base_sha,
  headSha: v.diff_refs?.head_sha,
  labels: v.labels,
}));

/**
 * What the adapter read from GitHub's conversation tab in the tab (the
 * fields the content script sends for a page), checked like an API's.
 */
export const githubPageMeta = metaReader((v) => ({
  title: v.meta?.title,
  body: v.meta?.body,
  author: login(v.meta?.author) ?? undefined,
  baseRef: v.meta?.baseRef,
  headRef: v.meta?.headRef,
  labels: v.meta?.labels,
}));

/**
 * Gitea's and Forgejo's pull request: the diff's base is the merge base (the
 * base branch's tip may have moved on).
 */
export const giteaMeta = metaReader((v) => ({
  title: v.title,
  body: v.body,
  author: v.user?.login,
  baseRef: v.base?.ref,
  headRef: v.head?.ref,
  baseSha: v.merge_base,
  headSha: v.head?.sha,
  labels: v.labels,
}));

/**
 * A commit's own feed (`/<o>/<r>/commits/<sha>.atom`: the commit, then the
 * commits before it, newest first): its first entry is the commit, the
 * second its parent unless the commit is a merge or commit dates are out
 * of order; the first entry's
 * author is the commit's (the feeds name people as the history's feeds
 * do). A wrong guess costs nothing: a base file that disagrees with the
 * diff is not used.
 */
export function githubCommitFeedMeta(xml) {
  if (typeof xml !== 'string') return {};
  const entries = xml.split('<entry>').slice(1, 3);
  const shas = entries.map((e) => /<id>tag:[^<]{0,100}Commit\/([0-9a-f]{40})<\/id>/.exec(e)?.[1]);
  if (!shas[0]) return {};
  const name = /<author>\s*<name>([^<]{1,100})<\/name>/.exec(entries[0])?.[1];
  return compact({
    headSha: shas[0],
    baseSha: shas[1],
    author: login(name ? decodeXml(name.trim()) : undefined) ?? undefined,
  });
}

/** The subject line of a commit message. */
const subject = (m) => (typeof m === 'string' ? m.split('\n', 1)[0] : undefined);

/** GitLab's commit (a commit page): the diff is taken against its first parent. */
export const gitlabCommitMeta = metaReader((v) => ({
  title: v.title ?? subject(v.message),
  authorName: v.author_name,
  baseSha: Array.isArray(v.parent_ids) ? v.parent_ids[0] : undefined,
  headSha: v.id,
}));

/** Gitea's and Forgejo's commit (a commit page): the diff is taken against its first parent. */
export const giteaCommitMeta = metaReader((v) => ({
  title: subject(v.commit?.message),
  author: login(v.author?.login) ?? undefined,
  authorName: v.commit?.author?.name,
  baseSha: Array.isArray(v.parents) ? v.parents[0]?.sha : undefined,
  headSha: v.sha,
}));

/** Bitbucket Cloud's commit (a commit page): the diff is taken against its first parent. */
export const bitbucketCommitMeta = metaReader((v) => ({
  title: subject(v.message),
  author: login(v.author?.user?.nickname) ?? undefined,
  baseSha: Array.isArray(v.parents) ? v.parents[0]?.hash : undefined,
  headSha: v.hash,
}));

/**
 * Bitbucket Cloud's pull request: its commits are the source and
 * destination branches' tips as the pull request last saw them
 * (abbreviated); the background asks for their merge base. No labels.
 */
export const bitbucketMeta = metaReader((v) => ({
  title: v.title,
  body: v.description,
  author: login(v.author?.nickname) ?? undefined,
  authorName: v.author?.display_name,
  baseRef: v.destination?.branch?.name,
  headRef: v.source?.branch?.name,
  baseSha: v.destination?.commit?.hash,
  headSha: v.source?.commit?.hash,
}));


async function getOptions() {
  const o = await chrome.storage.local.get(DEFAULT_OPTIONS);
  const text = (v) => (typeof v === 'string' ? v.slice(0, MAX_CONFIG_BYTES) : '');
  return {
    minSeverity: SEVERITIES.includes(o.minSeverity) ? o.minSeverity : 'info',
    disabledRepos: Array.isArray(o.disabledRepos) ? o.disabledRepos.map(String) : [],
    userPacks: text(o.userPacks),
    fallbackPolicy: text(o.fallbackPolicy),
    fullFiles: o.fullFiles !== false,
  };
}

const cache = new Map(); // url -> {at, text}

/**
 * GETs `url` from the code host with the user's session. Returns the text,
 * or null for a 404 when `optional`; throws on anything else.
 */
async function fetchFromHost(url, { what, maxBytes, optional = false, signal, keep = true }) {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.text;
  const res = await fetch(url, { credentials: 'include', redirect: 'follow', cache: 'no-store', signal });
  const finalHost = new URL(res.url || url).hostname;
  if (!allowedFor(url).has(finalHost)) throw new Error(`${what} redirected to an unexpected host: ${finalHost}`);
  let text = null;
  if (res.status === 404 && optional) {
    text = null;
  } else if (!res.ok) {
    throw new Error(`could not fetch the ${what}: HTTP ${res.status}`);
  } else {
    const len = Number(res.headers.get('content-length') || 0);
    if (len > maxBytes) throw new Error(`${what} too large to analyse (${len} bytes)`);
    text = await res.text();
    if (text.length > maxBytes) throw new Error(`${what} too large to analyse (${text.length} characters)`);
  }
  if (keep) {
    cache.set(url, { at: Date.now(), text });
    while (cache.size > 24) cache.delete(cache.keys().next().value);
  }
  return text;
}

const fetchDiff = (url) => fetchFromHost(url, { what: 'diff', maxBytes: MAX_DIFF_BYTES });

/** A file at a revision on the page's code host (`…/raw/<ref>/<path>` and the like). */
export const rawUrl = (page, ref, path) => hostFor(page).raw(page, ref, path);

/**
 * The repository policy at the pull request's base branch (the page names
 * it; `HEAD` = the default branch otherwise) and the rule packs it names.
 * Returns {policy, packs, source, problems}: a missing policy is not a
 * problem; an unreachable one is reported and the defaults apply.
 */
async function repoConfig(page) {
  // The base branch the page (or the host) names; a comparison's base ref.
  const named = [page?.meta?.baseRef, page?.kind === 'compare' ? page.base : null];
  const ref = named.find((r) => typeof r === 'string' && REF.test(r)) ?? 'HEAD';
  const out = { policy: null, packs: [], source: null, problems: [] };
  try {
    out.policy = await fetchFromHost(rawUrl(page, ref, '.blastradius.toml'), { what: 'policy', maxBytes: MAX_CONFIG_BYTES, optional: true });
  } catch (e) {
    out.problems.push(`.blastradius.toml at ${ref}: ${e.message}`);
    return out;
  }
  if (out.policy === null) return out;
  out.source = `.blastradius.toml at ${ref === 'HEAD' ? 'the default branch' : ref}`;
  let paths = [];
  try {
    paths = coreApi.policyRulePacks(out.policy);
  } catch {
    paths = [];
  }
  for (const p of paths.slice(0, MAX_POLICY_PACKS)) {
    if (!PACK_PATH.test(p)) {
      out.problems.push(`rule pack ${p}: not a relative .toml path in the repository`);
      continue;
    }
    try {
      const text = await fetchFromHost(rawUrl(page, ref, p), { what: `rule pack ${p}`, maxBytes: MAX_CONFIG_BYTES, optional: true });
      if (text === null) out.problems.push(`rule pack ${p}: not found at ${ref}`);
      else out.packs.push({ name: p, text });
    } catch (e) {
      out.problems.push(`rule pack ${p}: ${e.message}`);
    }
  }
  return out;
}

/**
 * The revisions to read full files at, `{base, head}` (either may be null):
 * for a pull request the base branch the page names and the last commit of
 * its `.patch` (a sha, so a fork's head is found in the base repository too);
 * for a commit its sha (head only); for a range its two ends.
 */
export function revisions(page, commitsPatch) {
  const ok = (r) => (typeof r === 'string' && REF.test(r) ? r : null);
  const sha = (r) => (typeof r === 'string' && SHA.test(r) ? r : null);
  if (page?.kind === 'pull') {
    const shas = typeof commitsPatch === 'string' ? [...commitsPatch.matchAll(/^From ([0-9a-f]{40}) /gm)].map((m) => m[1]) : [];
    // GitLab's API names the diff's exact base and head commits.
    return {
      base: sha(page.meta?.baseSha) ?? ok(page.meta?.baseRef),
      head: sha(page.meta?.headSha) ?? (shas.length ? shas[shas.length - 1] : null),
    };
  }
  // The host's commit API names the first parent (none for a root commit),
  // when it answered for this commit.
  if (page?.kind === 'commit') {
    const head = SHA.test(page.sha ?? '') ? page.sha : null;
    const said = sha(page.meta?.headSha);
    const same = head && (!said || said.startsWith(head) || head.startsWith(said));
    return { base: same ? sha(page.meta?.baseSha) : null, head };
  }
  if (page?.kind === 'range') {
    return { base: SHA.test(page.base ?? '') ? page.base : null, head: SHA.test(page.head ?? '') ? page.head : null };
  }
  // A comparison: the base ref's tip stands in for the merge base (a file
  // that moved on since disagrees with the diff and is not used).
  if (page?.kind === 'compare') return { base: ok(page.base), head: ok(page.head) };
  return { base: null, head: null };
}

/**
 * Runs `fn(job, signal)` over `jobs`, FILE_CONCURRENCY at a time, until all
 * are done or FULL_FILES_DEADLINE_MS has passed (then the requests in flight
 * are aborted). Returns how many jobs were started.
 */
async function withinBudget(jobs, fn) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), FULL_FILES_DEADLINE_MS);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !abort.signal.aborted) {
      await fn(jobs[next++], abort.signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILE_CONCURRENCY, jobs.length) }, worker));
  clearTimeout(timer);
  return next;
}

/**
 * Full base/head contents of the files `plan` names, read from the code
 * host's raw file URLs, a few at a time, within a size and time budget.
 * Returns `{files, stats}`: `files` maps each path to `{base, head}` for
 * the options' `files`; a missing or oversized file is simply left out.
 */
async function fetchFullFiles(page, plan, revs) {
  const stats = { planned: 0, fetched: 0, missing: 0, skipped: 0, bytes: 0, ms: 0 };
  const files = {};
  const jobs = [];
  for (const w of plan) {
    for (const [side, rev, path] of [['base', revs.base, w.base_path], ['head', revs.head, w.head_path]]) {
      if (!rev || typeof path !== 'string') continue;
      let url;
      try {
        url = rawUrl(page, rev, path);
      } catch {
        continue;
      }
      jobs.push({ key: w.path, side, url });
    }
  }
  stats.planned = jobs.length;
  if (!jobs.length) return { files, stats };
  const t0 = performance.now();
  const started = await withinBudget(jobs, async (job, signal) => {
    if (stats.bytes >= MAX_FULL_FILES_BYTES) {
      stats.skipped++;
      return;
    }
    try {
      const text = await fetchFromHost(job.url, { what: 'file', maxBytes: MAX_FILE_BYTES, optional: true, signal, keep: false });
      if (text === null) {
        stats.missing++;
      } else {
        stats.fetched++;
        stats.bytes += text.length;
        (files[job.key] ??= { base: null, head: null })[job.side] = text;
      }
    } catch {
      stats.skipped++;
    }
  });
  stats.skipped += Math.max(0, jobs.length - started);
  stats.ms = performance.now() - t0;
  return { files, stats };
}

/**
 * The latest 20 commits touching a path at a revision, from the host itself:
 * GitHub's feed `https://github.com/<o>/<r>/commits/<ref>/<path>.atom`,
 * GitLab's commits API (`/api/v4/projects/<id>/repository/commits?ref_name=…&path=…`),
 * Gitea's and Forgejo's (`/api/v1/repos/<o>/<r>/commits?sha=…&path=…`),
 * Bitbucket's (`/!api/2.0/repositories/<w>/<r>/commits/<ref>?path=…`).
 */
export function commitsFeedUrl(page, ref, path) {
  if (!REF.test(ref ?? '')) throw new Error('bad branch name');
  return hostFor(page).commits(page, ref, path);
}

/**
 * A commit list from the page's host (its feed or commits API) as
 * `[{author, time}]` (time in seconds): GitLab's `author_name` and
 * `committed_date`; Gitea's account login (the commit's author name when the
 * commit is not linked to one) and `commit.author.date`; Bitbucket's
 * account nickname (the git author name otherwise) and `date`. At most 200;
 * anything unexpected is skipped.
 */
export const parseCommitsApi = (page, text) => hostOf(page)?.readCommits(text) ?? [];

const XML_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeXml = (s) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => XML_ENTITIES[e]);

/**
 * The entries of a commits feed as `[{author, time}]` (time in seconds). A
 * service worker has no DOMParser; the feed's `<entry>` elements are read
 * field by field, and anything unexpected is skipped.
 */
export function parseCommitsFeed(xml) {
  const out = [];
  if (typeof xml !== 'string') return out;
  for (const entry of xml.split('<entry>').slice(1, 201)) {
    const updated = /<updated>([^<]{1,40})<\/updated>/.exec(entry)?.[1];
    const name = /<author>\s*<name>([^<]{1,200})<\/name>/.exec(entry)?.[1];
    const t = Date.parse(updated ?? '');
    if (!name || !Number.isFinite(t)) continue;
    out.push({ author: decodeXml(name.trim()), time: Math.floor(t / 1000) });
  }
  return out;
}

/**
 * History of the planned files before the change, from the host's commit
 * feeds at the base branch: the engine's `history` option, or null when
 * there is no base branch or no feed could be read.
 */
async function fetchHistory(page, plan, base) {
  if (!base || !plan.length) return null;
  const files = {};
  let truncated = false;
  let read = 0;
  const jobs = plan.slice(0, MAX_HISTORY_FILES).filter((w) => typeof w.base_path === 'string');
  await withinBudget(jobs, async (w, signal) => {
    try {
      const text = await fetchFromHost(commitsFeedUrl(page, base, w.base_path), { what: 'commit history', maxBytes: MAX_FEED_BYTES, optional: true, signal, keep: false });
      if (text === null) return;
      read++;
      const touches = parseCommitsApi(page, text);
      // A feed holds the latest commits only: counts are lower bounds when it is full.
      if (touches.length >= 20) truncated = true;
      files[w.base_path] = touches;
    } catch {
      // No history for this file.
    }
  });
  if (!read) return null;
  const who = hostOf(page)?.historyAuthor(page?.meta);
  const author = typeof who === 'string' && who.trim() ? who.trim().slice(0, 100) : null;
  return { now: Math.floor(Date.now() / 1000), author, files, truncated };
}

const str = (v, max) => (typeof v === 'string' && v.trim() ? v.slice(0, max) : null);

/** Pull-request metadata the content script read from the page, checked. */
export function prMeta(meta) {
  if (!meta || typeof meta !== 'object') return null;
  const pr = {
    author: str(meta.author, 100),
    head_ref: str(meta.headRef, 250),
    title: str(meta.title, 1000),
    body: str(meta.body, 65536),
    labels: Array.isArray(meta.labels) ? meta.labels.map((l) => str(l, 100)).filter(Boolean).slice(0, 50) : [],
  };
  return pr.author || pr.head_ref || pr.title || pr.body || pr.labels.length ? pr : null;
}

let analysedSinceWake = false;

/**
 * Analyses the page the content script describes. `early(message)` sends a
 * big diff's early report to the tab; `readPage(html)` has the tab's
 * adapter read a page of the pull request (GitHub's conversation tab) and
 * resolves to what it read, or null.
 */
async function handleAnalyze(page, early = null, readPage = null) {
  const opts = await getOptions();
  await loadInstances();
  const host = hostFor(page);
  const repoKeys = host.repoKey(page).map((k) => k.toLowerCase());
  if (opts.disabledRepos.some((r) => repoKeys.includes(r.trim().toLowerCase()))) {
    return { ok: true, disabled: true, options: opts };
  }
  const url = diffUrl(page);
  const t0 = performance.now();
  let diffHere = false;
  const warm = warmUp(() => diffHere);
  const diffText = fetchDiff(url);
  // The .patch and the policy are extras: their failure never stops the analysis.
  const patchText = fetchFromHost(patchUrl(page), { what: 'patch', maxBytes: MAX_DIFF_BYTES, optional: true })
    .catch(() => null);
  // GitLab, Gitea, Forgejo, Bitbucket: what the host's API says fills what
  // the page does not show (the policy is then read at the target branch),
  // and who approved (never cached: a new approval counts on the next load).
  // GitHub: its conversation tab, read by the adapter in the tab. Extras
  // too: `fallback` when absent or unreadable.
  const fromApi = (apiUrl, what, read, fallback, keep = true, maxBytes = MAX_API_BYTES) => (apiUrl
    ? fetchFromHost(apiUrl, { what, maxBytes, optional: true, keep })
      .then((t) => (t === null ? fallback : read(t)))
      .catch(() => fallback)
    : Promise.resolve(fallback));
  // A commit page reads the commit (its parent is the diff's base) where the
  // host has an API for it.
  const commitUrl = isCommit(page) && typeof host.commitApi === 'function' ? host.commitApi(page) : null;
  const commitPage = commitUrl !== null;
  const metaUrl = commitPage ? commitUrl : host.prApi(page);
  const readMeta = commitPage ? host.commitMeta : host.meta;
  const inTab = host.readInTab && !commitPage;
  const approvalsUrl = approvalsApiUrl(page);
  // Bitbucket's pull request and GitHub's conversation tab list the
  // approvals themselves: one request, not cached.
  const shared = metaUrl !== null && metaUrl === approvalsUrl;
  // A page read in the tab is fetched only when there is a tab to read it,
  // and waited for only so long after the diff is here (GitHub's
  // conversation tab can be slow on a long discussion): then it is `LATE`.
  const LATE = Symbol('late');
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const read = inTab
    ? Promise.race([
      fromApi(readPage ? metaUrl : null, 'pull request page', readPage, null, false, MAX_PAGE_BYTES),
      diffText.catch(() => {}).then(() => sleep(PAGE_WAIT_MS)).then(() => LATE),
    ])
    : fromApi(metaUrl, 'pull request metadata', (t) => t, null, !shared);
  const prData = read.then((t) => (t === LATE ? null : t));
  const mr = prData.then((t) => (t === null ? null : readMeta(t)))
    .then((m) => (m && !commitPage && host.settleMeta ? host.settleMeta(page, m) : m))
    .catch(() => null);
  const approved = shared
    ? prData.then((t) => (t === null ? [] : approvalsFrom(page, t)))
    : fromApi(approvalsUrl, 'approvals', (t) => approvalsFrom(page, t), [], false);
  // What the page shows wins over what the API or the other tab says.
  const merged = mr.then((m) => {
    if (m) page = { ...page, meta: { ...m, ...(page.meta && typeof page.meta === 'object' ? page.meta : {}) } };
  });
  // The policy is read at the base branch: wait for the metadata only when
  // the page does not name it.
  const baseKnown = typeof page?.meta?.baseRef === 'string';
  const config = Promise.all([warm, baseKnown ? null : merged]).then(() => repoConfig(page));
  const text = await diffText;
  diffHere = true;
  const t1 = performance.now();
  const core = await warm;
  // One read of the diff says which grammars core lacks (then the full build
  // analyses it) and which files are worth reading whole.
  let plan = { grammars_left_out: [], files: [] };
  try {
    plan = core.analysisPlan(text, MAX_FULL_FILES);
  } catch {
    // Analysed with core, from the hunks.
  }
  const left = plan.grammars_left_out;
  let buildName = left.length ? 'full' : 'core';
  // Should the full build fail to load, core still analyses everything (the
  // languages it lacks at text level) rather than nothing.
  const enginePromise = buildName === 'full'
    ? ready('full').catch(() => {
      buildName = 'core';
      return core;
    })
    : Promise.resolve(core);
  const cfg = await config;
  await merged;
  const approvals = await approved;
  if ((await read) === LATE) cfg.problems.push(`the pull request's page (${metaUrl}) did not arrive within ${PAGE_WAIT_MS / 1000} s of the diff: its description, labels and approvals were not used`);
  const commitsPatch = await patchText;
  const tc = performance.now();
  const rulePacks = [...cfg.packs];
  if (opts.userPacks.trim()) rulePacks.push({ name: 'extension settings', text: opts.userPacks });
  const policy = cfg.policy ?? (opts.fallbackPolicy.trim() ? opts.fallbackPolicy : null);
  const policySource = cfg.policy !== null ? cfg.source : policy ? 'fallback policy from the extension settings' : null;
  const options = {
    min_severity: opts.minSeverity,
    pr: prMeta(page.meta),
    policy,
    rule_packs: rulePacks,
    approvals,
    commits_patch: commitsPatch,
  };
  let full = { files: {}, stats: null };
  let history = null;
  let earlyMs = 0;
  if (opts.fullFiles) {
    const revs = revisions(page, commitsPatch);
    const reading = Promise.all([fetchFullFiles(page, plan.files, revs), fetchHistory(page, plan.files, revs.base)]);
    if (early && plan.files.length > 0 && (plan.changed_lines ?? 0) >= EARLY_REPORT_LINES) {
      // While the whole files download, analyse the diff's hunks and send
      // that report ahead: the page shows findings sooner, and the engine's
      // one-off first-run costs (V8 compiling and optimising its code) are
      // paid here instead of on the final analysis.
      const api = await enginePromise;
      const e0 = performance.now();
      try {
        const report = api.analyze(text, options);
        earlyMs = performance.now() - e0;
        early({ type: 'br:early-report', key: page.key, report, policySource, configProblems: cfg.problems, approvals, filesPlanned: plan.files.length });
      } catch {
        // The final analysis reports any error.
      }
    }
    [full, history] = await reading;
  }
  const api = await enginePromise;
  const tw = performance.now();
  const report = api.analyze(text, { ...options, files: full.files, history });
  const t2 = performance.now();
  const timings = {
    fetchMs: t1 - t0, warmWaitMs: tc - t1, filesMs: tw - tc, analyzeMs: t2 - tw, bytes: text.length,
    build: buildName, grammarsLeftOut: left, changedLines: plan.changed_lines ?? 0, earlyMs, initMs: builds[buildName].initMs, coreInitMs: builds.core.initMs, warmUpMs: builds.core.warmMs,
    // Since the worker started: on the first analysis after a wake, the
    // cold start (wake, compile, instantiate, fetch, warm-up, analysis).
    sinceWakeMs: t2, firstSinceWake: !analysedSinceWake,
    fullFiles: full.stats,
    historyFiles: history ? Object.keys(history.files).length : 0,
  };
  analysedSinceWake = true;
  // Last run's figures, for the browser tests' report (never sent anywhere).
  globalThis.blastRadiusLastRun = timings;
  return {
    ok: true,
    url,
    report,
    options: opts,
    engine: api.version(),
    policySource,
    configProblems: cfg.problems,
    approvals,
    timings,
  };
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.type !== 'br:analyze') return false;
  // Only our own content scripts (in a tab) may ask.
  if (sender.id !== chrome.runtime.id) return false;
  // A big diff's early report from its hunks, and a page of the pull request
  // to read, go back to the same frame.
  const toTab = sender.tab && typeof chrome.tabs?.sendMessage === 'function'
    ? (m) => chrome.tabs.sendMessage(sender.tab.id, m, { frameId: sender.frameId ?? 0 })
    : null;
  const early = toTab ? (m) => toTab(m).catch(() => {}) : null;
  const readPage = toTab ? (html) => toTab({ type: 'br:read-page', html }).catch(() => null) : null;
  handleAnalyze(msg.page, early, readPage)
    .then(sendResponse)
    .catch((e) => sendResponse({ ok: false, error: String(e && e.message ? e.message : e) }));
  return true;
});

/**
 * Content scripts for the self-managed instances: one registration per kind
 * (GitLab's adapter or Gitea's) matching the instances of that kind the
 * extension may read (the options page asked for each origin), replacing
 * the previous ones. Run when the list or the permissions change and when
 * the worker starts.
 */
export async function syncInstanceScripts() {
  if (typeof chrome.scripting?.registerContentScripts !== 'function') return [];
  const list = await loadInstances();
  const granted = new Set((await chrome.permissions.getAll()).origins ?? []);
  const byKind = new Map();
  for (const i of list.values()) {
    if (!granted.has(`${i.origin}/*`)) continue;
    byKind.set(i.kind, [...(byKind.get(i.kind) ?? []), `${i.origin}/*`]);
  }
  const old = (await chrome.scripting.getRegisteredContentScripts()).map((c) => c.id).filter((id) => id.startsWith('br-instance-'));
  if (old.length) await chrome.scripting.unregisterContentScripts({ ids: old });
  const scripts = [...byKind].map(([kind, matches]) => ({
    id: `br-instance-${kind}`,
    matches,
    js: ['hosts/common.js', `hosts/${kind}.js`, 'content/overlay.js', 'content/main.js'],
    runAt: 'document_idle',
    persistAcrossSessions: true,
  }));
  if (scripts.length) await chrome.scripting.registerContentScripts(scripts);
  return scripts;
}
let syncing = Promise.resolve();
const resync = () => {
  syncing = syncing.then(syncInstanceScripts, syncInstanceScripts).catch(() => []);
  return syncing;
};
if (typeof chrome.storage?.onChanged?.addListener === 'function') {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.instances) resync();
  });
}
chrome.permissions?.onAdded?.addListener(resync);
chrome.permissions?.onRemoved?.addListener(resync);
chrome.runtime.onInstalled?.addListener(resync);
chrome.runtime.onStartup?.addListener(resync);
// The options page asks after saving, so its "Saved" means the pages are covered.
chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.type !== 'br:sync-instances' || sender.id !== chrome.runtime.id) return false;
  resync().then((scripts) => sendResponse({ ok: true, kinds: scripts.map((c) => c.id) }));
  return true;
});

// A worker that wakes is almost always about to analyse a page: start
// compiling the core engine now, while the message that woke it is still
// being delivered (the unit test's stub `chrome` has no getURL).
if (typeof chrome.runtime.getURL === 'function') ready('core').catch(() => {});
