// Unit tests of the host adapters' page detection (extension/hosts/*.js),
// run in Node: which URLs are a pull request's diff page, what the page
// description says, and that odd or hostile URLs are refused, never thrown on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import vm from 'node:vm';
import { ROOT } from './harness.mjs';

const sandbox = { URL, crypto: globalThis.crypto, TextEncoder };
sandbox.globalThis = sandbox;
vm.createContext(sandbox);
for (const f of ['common.js', 'github.js', 'gitlab.js', 'gitea.js', 'bitbucket.js']) vm.runInContext(readFileSync(join(ROOT, 'extension', 'hosts', f), 'utf8'), sandbox);
const { github, gitlab, gitea, bitbucket } = sandbox.BlastRadiusHosts;
const plain = (v) => (v === null ? null : JSON.parse(JSON.stringify(v)));

test('every adapter names its own host names, and only those', () => {
  assert.deepEqual([...github.hostnames], ['github.com']);
  assert.deepEqual([...gitlab.hostnames], ['gitlab.com']);
  assert.deepEqual([...gitea.hostnames], ['codeberg.org', 'gitea.com']);
  assert.deepEqual([...bitbucket.hostnames], ['bitbucket.org']);
  for (const h of [github, gitlab, gitea, bitbucket]) {
    // `findFile` (a lookup beyond `indexFiles`) only where the index can miss a file.
    for (const f of ['detect', 'indexFiles', 'findLine', 'pageMeta']) assert.equal(typeof h[f], 'function', `${h.name}.${f}`);
  }
});

test('GitLab: merge request Changes tabs (nested groups) and commit pages', () => {
  assert.deepEqual(plain(gitlab.detect('https://gitlab.com/acme/shop/-/merge_requests/7/diffs')),
    { host: 'gitlab', site: 'gitlab.com', project: 'acme/shop', number: '7', kind: 'pull', key: 'gitlab:acme/shop!7' });
  assert.deepEqual(plain(gitlab.detect('https://gitlab.com/a/b/c/proj.x/-/merge_requests/12/diffs/?view=parallel#note_1')),
    { host: 'gitlab', site: 'gitlab.com', project: 'a/b/c/proj.x', number: '12', kind: 'pull', key: 'gitlab:a/b/c/proj.x!12' });
  assert.deepEqual(plain(gitlab.detect(`https://gitlab.com/acme/shop/-/commit/${'a'.repeat(40)}`)),
    { host: 'gitlab', site: 'gitlab.com', project: 'acme/shop', kind: 'commit', sha: 'a'.repeat(40), key: `gitlab:acme/shop@${'a'.repeat(40)}` });
  for (const url of [
    'https://gitlab.com/acme/shop/-/merge_requests/7', // overview tab
    'https://gitlab.com/acme/shop/-/merge_requests/7/commits',
    'https://gitlab.com/acme/shop/-/merge_requests/7/pipelines',
    'https://gitlab.com/shop/-/merge_requests/7/diffs', // no group
    'https://gitlab.com/acme/../shop/-/merge_requests/7/diffs',
    'https://gitlab.com/acme/%2E%2E/-/merge_requests/7/diffs',
    'https://gitlab.com/-acme/shop/-/merge_requests/7/diffs',
    'http://gitlab.com/acme/shop/-/merge_requests/7/diffs',
    'https://gitlab.example.com/acme/shop/-/merge_requests/7/diffs',
    'https://github.com/acme/shop/pull/7/changes',
    'https://gitlab.com/acme/shop/-/merge_requests/1234567890/diffs',
    'not a url',
  ]) assert.equal(gitlab.detect(url), null, url);
});

test('Gitea/Forgejo: the files tab on codeberg.org and gitea.com only', () => {
  assert.deepEqual(plain(gitea.detect('https://codeberg.org/acme/shop/pulls/3/files')),
    { host: 'gitea', site: 'codeberg.org', owner: 'acme', repo: 'shop', number: '3', kind: 'pull', key: 'codeberg.org:acme/shop#3' });
  assert.deepEqual(plain(gitea.detect('https://gitea.com/a.b/c_d/pulls/42/files/?style=split')),
    { host: 'gitea', site: 'gitea.com', owner: 'a.b', repo: 'c_d', number: '42', kind: 'pull', key: 'gitea.com:a.b/c_d#42' });
  for (const url of [
    'https://codeberg.org/acme/shop/pulls/3',
    'https://codeberg.org/acme/shop/pulls/3/commits',
    'https://codeberg.org/acme/shop/pulls/3/files/extra',
    'https://codeberg.org/../shop/pulls/3/files',
    'https://codeberg.org/acme/../pulls/3/files',
    'https://try.gitea.io/acme/shop/pulls/3/files',
    'http://codeberg.org/acme/shop/pulls/3/files',
    'https://codeberg.org/acme/shop/pull/3/files',
  ]) assert.equal(gitea.detect(url), null, url);
});

test('Bitbucket: a pull request and its diff tab on bitbucket.org only', () => {
  const page = (owner, repo, number) => ({ host: 'bitbucket', owner, repo, number, kind: 'pull', key: `bitbucket:${owner}/${repo}#${number}` });
  for (const url of [
    'https://bitbucket.org/acme/shop/pull-requests/7',
    'https://bitbucket.org/acme/shop/pull-requests/7/',
    'https://bitbucket.org/acme/shop/pull-requests/7/diff',
    'https://bitbucket.org/acme/shop/pull-requests/7/_/diff#comment-1',
    'https://bitbucket.org/acme/shop/pull-requests/7/purge-archived-invoices/diff',
    'https://bitbucket.org/acme/shop/pull-requests/7/overview?w=1',
  ]) assert.deepEqual(plain(bitbucket.detect(url)), page('acme', 'shop', '7'), url);
  assert.deepEqual(plain(bitbucket.detect('https://bitbucket.org/a.b/c_d-e/pull-requests/42')), page('a.b', 'c_d-e', '42'));
  for (const url of [
    'https://bitbucket.org/acme/shop/pull-requests/7/commits',
    'https://bitbucket.org/acme/shop/pull-requests/7/activity',
    'https://bitbucket.org/acme/shop/pull-requests/',
    'https://bitbucket.org/acme/shop/pull-requests/new',
    'https://bitbucket.org/acme/../pull-requests/7',
    'https://bitbucket.org/../shop/pull-requests/7',
    'https://bitbucket.org/acme/shop/pull-requests/1234567890',
    'http://bitbucket.org/acme/shop/pull-requests/7',
    'https://api.bitbucket.org/acme/shop/pull-requests/7',
    'https://bitbucket.example.com/acme/shop/pull-requests/7',
    'https://bitbucket.org/!api/2.0/repositories/acme/shop/pullrequests/7',
  ]) assert.equal(bitbucket.detect(url), null, url);
});

test("GitHub: a commit's own page, beside a pull request's files and its commits", () => {
  const sha = 'a1b2c3d'.padEnd(40, '0');
  assert.deepEqual(plain(github.detect(`https://github.com/acme/shop/commit/${sha}`)), { owner: 'acme', repo: 'shop', kind: 'commit', sha, key: `acme/shop@${sha}` });
  assert.deepEqual(plain(github.detect('https://github.com/acme/shop/commit/a1b2c3d/?diff=split#diff-x')), { owner: 'acme', repo: 'shop', kind: 'commit', sha: 'a1b2c3d', key: 'acme/shop@a1b2c3d' });
  assert.deepEqual(plain(github.detect(`https://github.com/acme/shop/pull/4/changes/${sha}`)),
    { owner: 'acme', repo: 'shop', number: '4', kind: 'commit', sha, key: `acme/shop#4:${sha}..` });
  for (const url of [
    'https://github.com/acme/shop/commit/',
    'https://github.com/acme/shop/commit/abc',
    `https://github.com/acme/shop/commits/${sha}`,
    `https://github.com/acme/shop/commit/${sha}/file.py`,
    `https://github.com/acme/shop/commit/${sha}.diff`,
    `https://github.com/../shop/commit/${sha}`,
    `https://gist.github.com/acme/shop/commit/${sha}`,
  ]) assert.equal(github.detect(url), null, url);
});

test('GitHub: a comparison of two refs of the repository', () => {
  const cmp = (base, head) => ({ owner: 'acme', repo: 'shop', kind: 'compare', base, head, key: `acme/shop:${base}...${head}` });
  assert.deepEqual(plain(github.detect('https://github.com/acme/shop/compare/main...feature/x')), cmp('main', 'feature/x'));
  assert.deepEqual(plain(github.detect('https://github.com/acme/shop/compare/release/2.0...claude%2Fpurge?expand=1')), cmp('release/2.0', 'claude/purge'));
  assert.deepEqual(plain(github.detect('https://github.com/acme/shop/compare/v1.0...v1.1/')), cmp('v1.0', 'v1.1'));
  for (const url of [
    'https://github.com/acme/shop/compare',
    'https://github.com/acme/shop/compare/main',
    'https://github.com/acme/shop/compare/main..dev', // two dots: not the compare view read here
    'https://github.com/acme/shop/compare/main...octo:dev', // a fork's branch
    'https://github.com/acme/shop/compare/main...a/../b',
    'https://github.com/acme/shop/compare/main...a//b',
    'https://github.com/acme/shop/compare/-x...dev',
    'https://github.com/acme/shop/compare/main...%E0%A4%A',
    'https://github.com/acme/shop/compare/main...dev.diff',
  ]) assert.equal(github.detect(url), null, url);
});

test('Gitea/Forgejo: a commit page (SHA-1 or SHA-256)', () => {
  const sha = 'a1b2c3d'.padEnd(40, '0');
  assert.deepEqual(plain(gitea.detect(`https://codeberg.org/acme/shop/commit/${sha}`)),
    { host: 'gitea', site: 'codeberg.org', owner: 'acme', repo: 'shop', sha, kind: 'commit', key: `codeberg.org:acme/shop@${sha}` });
  assert.equal(gitea.detect(`https://gitea.com/acme/shop/commit/${'f'.repeat(64)}/`).sha, 'f'.repeat(64));
  for (const url of [
    'https://codeberg.org/acme/shop/commit/',
    'https://codeberg.org/acme/shop/commit/abc',
    `https://codeberg.org/acme/shop/commit/${'f'.repeat(65)}`,
    `https://codeberg.org/acme/shop/commits/${sha}`,
    `https://codeberg.org/acme/shop/commit/${sha}/file.py`,
    `https://codeberg.org/../shop/commit/${sha}`,
    `https://example.org/acme/shop/commit/${sha}`,
  ]) assert.equal(gitea.detect(url), null, url);
});

test('Bitbucket: a commit page on bitbucket.org only', () => {
  const sha = 'a1b2c3d4e5f6'.padEnd(40, '0');
  assert.deepEqual(plain(bitbucket.detect(`https://bitbucket.org/acme/shop/commits/${sha}`)),
    { host: 'bitbucket', owner: 'acme', repo: 'shop', sha, kind: 'commit', key: `bitbucket:acme/shop@${sha}` });
  assert.deepEqual(plain(bitbucket.detect('https://bitbucket.org/acme/shop/commits/a1b2c3d/#chg-app.py')),
    { host: 'bitbucket', owner: 'acme', repo: 'shop', sha: 'a1b2c3d', kind: 'commit', key: 'bitbucket:acme/shop@a1b2c3d' });
  for (const url of [
    'https://bitbucket.org/acme/shop/commits/',
    'https://bitbucket.org/acme/shop/commits/branch/main',
    'https://bitbucket.org/acme/shop/commits/a1b2c3',
    `https://bitbucket.org/acme/shop/commits/${sha}0`,
    'https://bitbucket.org/acme/shop/commits/A1B2C3D4',
    `https://bitbucket.org/acme/shop/commits/${sha}/raw`,
    `https://bitbucket.org/../shop/commits/${sha}`,
    `https://bitbucket.example.com/acme/shop/commits/${sha}`,
  ]) assert.equal(bitbucket.detect(url), null, url);
});

test('Bitbucket: a file header names its new path, also for a rename', () => {
  const el = (children) => ({ childNodes: children });
  const txt = (t) => ({ nodeType: 3, nodeValue: t });
  const tag = (arrow, children = []) => ({ nodeType: 1, matches: () => arrow, childNodes: children });
  const file = (name) => {
    const container = { querySelector: (s) => (s.includes('bk-file__content') ? { content: true } : null) };
    const header = { parentElement: container, querySelector: () => name };
    return { querySelectorAll: () => [header], header };
  };
  const idx = (name) => [...bitbucket.indexFiles(file(name)).keys()];
  assert.deepEqual(idx(el([txt(' src/app.py ')])), ['src/app.py']);
  assert.deepEqual(idx(el([txt('app/{net/client.py '), tag(true), txt(' http/client.py}')])), ['app/http/client.py']);
  assert.deepEqual(idx(el([txt('{a '), tag(true), txt(' b}/c.py')])), ['b/c.py']);
  assert.deepEqual(idx(el([txt('old.py '), tag(true), txt(' new.py')])), ['new.py']);
  assert.deepEqual(idx(el([tag(false, [txt('lib/<img src=x>.js')])])), ['lib/<img src=x>.js']);
});

test('self-managed instances: GitHub, GitLab and Gitea adapters for a named site; Bitbucket has no such form', () => {
  const gl = sandbox.BlastRadiusForSites(gitlab, ['git.example.com']);
  assert.deepEqual([...gl.hostnames], ['git.example.com']);
  assert.deepEqual(plain(gl.detect('https://git.example.com/g/p/-/merge_requests/7/diffs')),
    { host: 'gitlab', site: 'git.example.com', project: 'g/p', number: '7', kind: 'pull', key: 'gitlab@git.example.com:g/p!7' });
  assert.equal(gl.detect('https://gitlab.com/g/p/-/merge_requests/7/diffs'), null);
  assert.equal(gl.detect('https://other.example.com/g/p/-/merge_requests/7/diffs'), null);
  assert.equal(gl.findLine, gitlab.findLine);
  const fj = sandbox.BlastRadiusForSites(gitea, ['forge.example.org']);
  assert.deepEqual(plain(fj.detect('https://forge.example.org/o/r/pulls/3/files')),
    { host: 'gitea', site: 'forge.example.org', owner: 'o', repo: 'r', number: '3', kind: 'pull', key: 'forge.example.org:o/r#3' });
  assert.equal(fj.detect('https://codeberg.org/o/r/pulls/3/files'), null);
  const ghe = sandbox.BlastRadiusForSites(github, ['ghe.example.com']);
  assert.deepEqual(plain(ghe.detect('https://ghe.example.com/o/r/pull/7/files')),
    { owner: 'o', repo: 'r', number: '7', kind: 'pull', key: 'ghe.example.com:o/r#7:..', host: 'github', site: 'ghe.example.com' });
  assert.equal(ghe.detect('https://github.com/o/r/pull/7/files'), null);
  assert.equal(github.detect('https://ghe.example.com/o/r/pull/7/files'), null);
  assert.equal(sandbox.BlastRadiusForSites(bitbucket, ['bb.example.com']), null);
  // The adapters themselves still claim only their public sites.
  assert.equal(gitlab.detect('https://git.example.com/g/p/-/merge_requests/7/diffs'), null);
});

test('no adapter claims another host\'s page, and none throws on junk', () => {
  const pages = [
    'https://github.com/acme/shop/pull/7/changes',
    'https://gitlab.com/acme/shop/-/merge_requests/7/diffs',
    'https://codeberg.org/acme/shop/pulls/3/files',
    'https://bitbucket.org/acme/shop/pull-requests/7/diff',
  ];
  const adapters = [github, gitlab, gitea, bitbucket];
  for (const [i, url] of pages.entries()) {
    for (const [j, h] of adapters.entries()) assert.equal(h.detect(url) !== null, i === j, `${h.name} on ${url}`);
  }
  // Random URL-ish strings: a page or null, never an exception.
  let seed = 7;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const parts = ['https://', 'http://', 'gitlab.com', 'github.com', 'codeberg.org', 'bitbucket.org', '/', '-', 'merge_requests', 'pulls', 'pull', 'pull-requests', 'files', 'diffs', 'diff',
    '..', '.', '%2F', '%00', '7', '99999999999', 'a', '?', '#', '\u202e', '<img>', '//', ' '];
  for (let k = 0; k < 5000; k++) {
    let u = '';
    for (let m = 1 + rnd(12); m > 0; m--) u += parts[rnd(parts.length)];
    for (const h of adapters) {
      const p = h.detect(u);
      if (p !== null) assert.ok(typeof p.key === 'string' && ['pull', 'commit', 'range'].includes(p.kind), `${h.name}: ${u}`);
    }
  }
});
