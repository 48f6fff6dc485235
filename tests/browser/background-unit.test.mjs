// Unit tests of the background's pure helpers (URL building, feed reading,
// revision choice) on hostile and odd input, importing the built service
// worker module with a stub `chrome` global.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { EXT_DIR, ROOT } from './harness.mjs';

let bg;
let dir;
before(async () => {
  globalThis.chrome = {
    runtime: { id: 'test', onMessage: { addListener() {} } },
    storage: { local: { get: async (d) => d } },
  };
  // The built module as an .mjs next to the ES-module wasm packages.
  dir = mkdtempSync(join(tmpdir(), 'br-bg-'));
  copyFileSync(join(EXT_DIR, 'background.js'), join(dir, 'background.mjs'));
  // The module it imports, as an ES module too.
  copyFileSync(join(EXT_DIR, 'instances.js'), join(dir, 'instances.js'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(ROOT, 'pkg'), join(dir, 'pkg'));
  symlinkSync(join(ROOT, 'pkg-core'), join(dir, 'pkg-core'));
  bg = await import(pathToFileURL(join(dir, 'background.mjs')).href);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('commit feeds are read field by field; entities decoded; junk skipped', () => {
  const xml = `<feed><entry><updated>2026-11-01T10:00:00Z</updated><author>
      <name>A &amp; B &lt;script&gt;</name></author></entry>
    <entry><updated>not a date</updated><author><name>x</name></author></entry>
    <entry><updated>2026-11-02T10:00:00Z</updated></entry>
    <entry><author><name>no date</name></author></entry>
    <entry><updated>2026-11-03T00:00:00Z</updated><author><name>carol</name></author></entry></feed>`;
  assert.deepEqual(bg.parseCommitsFeed(xml), [
    { author: 'A & B <script>', time: Date.parse('2026-11-01T10:00:00Z') / 1000 },
    { author: 'carol', time: Date.parse('2026-11-03T00:00:00Z') / 1000 },
  ]);
  assert.deepEqual(bg.parseCommitsFeed(null), []);
  assert.deepEqual(bg.parseCommitsFeed('<html>login page</html>'), []);
  // Bounded: at most 200 entries are read.
  const many = '<entry><updated>2026-01-01T00:00:00Z</updated><author><name>a</name></author></entry>'.repeat(1000);
  assert.equal(bg.parseCommitsFeed(many).length, 200);
});

test('feed and raw URLs encode paths and refuse bad names and refs', () => {
  const page = { owner: 'acme', repo: 'shop' };
  assert.equal(bg.commitsFeedUrl(page, 'release/3.0', 'app/a b#?.py'),
    'https://github.com/acme/shop/commits/release/3.0/app/a%20b%23%3F.py.atom');
  assert.equal(bg.rawUrl(page, 'main', 'x/y.rs'), 'https://github.com/acme/shop/raw/main/x/y.rs');
  for (const ref of ['../x', '-x', '/x', 'a..b', '', 'a b']) {
    assert.throws(() => bg.commitsFeedUrl(page, ref, 'a.py'), /bad branch name/, ref);
  }
  assert.throws(() => bg.commitsFeedUrl({ owner: 'a/b', repo: 'shop' }, 'main', 'a.py'), /bad repository name/);
});

test('revisions: the base branch and the .patch\'s last commit; nothing for unknown pages', () => {
  const patch = 'From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n\nFrom 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n';
  assert.deepEqual(bg.revisions({ kind: 'pull', meta: { baseRef: 'main' } }, patch), { base: 'main', head: '2222222222222222222222222222222222222222' });
  assert.deepEqual(bg.revisions({ kind: 'pull', meta: { baseRef: '../etc' } }, null), { base: null, head: null });
  assert.deepEqual(bg.revisions({ kind: 'commit', sha: 'abcdef1' }, null), { base: null, head: 'abcdef1' });
  // A commit page whose host's API named the first parent.
  assert.deepEqual(bg.revisions({ kind: 'commit', sha: 'abcdef1', meta: { baseSha: '1234567' } }, null), { base: '1234567', head: 'abcdef1' });
  assert.deepEqual(bg.revisions({ kind: 'commit', sha: 'abcdef1', meta: { baseSha: 'main' } }, null), { base: null, head: 'abcdef1' });
  // An answer about another commit names no parent of this one.
  assert.deepEqual(bg.revisions({ kind: 'commit', sha: 'abcdef1', meta: { headSha: 'abcdef1'.padEnd(40, '0'), baseSha: '1234567' } }, null), { base: '1234567', head: 'abcdef1' });
  assert.deepEqual(bg.revisions({ kind: 'commit', sha: 'abcdef1', meta: { headSha: 'f'.repeat(40), baseSha: '1234567' } }, null), { base: null, head: 'abcdef1' });
  assert.deepEqual(bg.revisions({ kind: 'range', base: 'abcdef1', head: 'zzz' }, null), { base: 'abcdef1', head: null });
  assert.deepEqual(bg.revisions({ kind: 'compare', base: 'release/2.0', head: 'feat/x' }, null), { base: 'release/2.0', head: 'feat/x' });
  assert.deepEqual(bg.revisions({ kind: 'compare', base: '../x', head: 'feat/x' }, null), { base: null, head: 'feat/x' });
  const cmp = { owner: 'acme', repo: 'shop', kind: 'compare', base: 'release/2.0', head: 'feat/a b' };
  assert.throws(() => bg.diffUrl(cmp), /not a diff page/, 'a ref git would refuse');
  assert.equal(bg.diffUrl({ ...cmp, head: 'feat/x' }), 'https://github.com/acme/shop/compare/release/2.0...feat/x.diff');
  assert.equal(bg.patchUrl({ ...cmp, head: 'feat/x' }), 'https://github.com/acme/shop/compare/release/2.0...feat/x.patch');
  assert.equal(bg.pullApiUrl({ ...cmp, head: 'feat/x' }), null);
  assert.deepEqual(bg.revisions(null, null), { base: null, head: null });
});

test('GitLab: URLs from a checked project path; API metadata read field by field', () => {
  const page = { host: 'gitlab', project: 'acme/platform/shop', kind: 'pull', number: '7' };
  assert.equal(bg.diffUrl(page), 'https://gitlab.com/acme/platform/shop/-/merge_requests/7.diff');
  assert.equal(bg.diffUrl({ ...page, kind: 'commit', sha: 'abcdef1' }), 'https://gitlab.com/acme/platform/shop/-/commit/abcdef1.diff');
  assert.equal(bg.mergeRequestApiUrl(page), 'https://gitlab.com/api/v4/projects/acme%2Fplatform%2Fshop/merge_requests/7');
  assert.equal(bg.rawUrl(page, 'release/2.0', 'app/a b#.py'), 'https://gitlab.com/acme/platform/shop/-/raw/release/2.0/app/a%20b%23.py');
  assert.equal(bg.commitsFeedUrl(page, 'release/2.0', 'app/a b.py'),
    'https://gitlab.com/api/v4/projects/acme%2Fplatform%2Fshop/repository/commits?ref_name=release%2F2.0&path=app%2Fa%20b.py&per_page=20');
  assert.throws(() => bg.commitsFeedUrl(page, '../x', 'a.py'), /bad branch name/);
  for (const project of ['shop', '../x/shop', 'a/../b', 'a/./b', 'a//b', 'a/-b', 'a/b c', 'a/b?x=1', '', null]) {
    assert.throws(() => bg.diffUrl({ ...page, project }), /bad project path/, String(project));
  }
  assert.throws(() => bg.diffUrl({ ...page, kind: 'range', base: 'abcdef1', head: 'abcdef2' }), /not a diff page/);
  assert.throws(() => bg.mergeRequestApiUrl({ ...page, number: '7/../8' }), /not a merge request/);

  const sha = 'a'.repeat(40);
  assert.deepEqual(bg.gitlabMeta(JSON.stringify({
    title: 'T', description: 'D', author: { username: 'dev' }, target_branch: 'main', source_branch: 'claude/x',
    labels: ['a', { name: 'b' }, 3], diff_refs: { base_sha: sha, head_sha: 'not-a-sha' },
  })), { title: 'T', body: 'D', author: 'dev', baseRef: 'main', headRef: 'claude/x', baseSha: sha, labels: ['a', 'b'] });
  for (const junk of ['', 'null', '[]', '<html>sign in</html>', '{"title": 5, "author": "x", "labels": "a"}']) {
    assert.deepEqual(bg.gitlabMeta(junk), {}, junk);
  }
  // The API's diff base and head commits win over the branch and the .patch.
  const patch = 'From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n';
  assert.deepEqual(bg.revisions({ kind: 'pull', meta: { baseRef: 'main', baseSha: sha, headSha: 'b'.repeat(40) } }, patch), { base: sha, head: 'b'.repeat(40) });
  assert.deepEqual(bg.revisions({ kind: 'pull', meta: { baseRef: 'main', baseSha: '../x' } }, patch), { base: 'main', head: '1111111111111111111111111111111111111111' });
});

test('Gitea/Forgejo: only the supported sites; raw URLs by commit or branch; API metadata with the merge base', () => {
  const page = { host: 'gitea', site: 'codeberg.org', owner: 'acme', repo: 'shop', kind: 'pull', number: '3' };
  assert.equal(bg.diffUrl(page), 'https://codeberg.org/acme/shop/pulls/3.diff');
  assert.equal(bg.diffUrl({ ...page, site: 'gitea.com' }), 'https://gitea.com/acme/shop/pulls/3.diff');
  assert.equal(bg.giteaPullApiUrl(page), 'https://codeberg.org/api/v1/repos/acme/shop/pulls/3');
  const sha = 'a'.repeat(40);
  assert.equal(bg.rawUrl(page, sha, 'a b.py'), `https://codeberg.org/acme/shop/raw/commit/${sha}/a%20b.py`);
  // A SHA-256 repository's commit.
  assert.equal(bg.rawUrl(page, 'e'.repeat(64), 'a.py'), `https://codeberg.org/acme/shop/raw/commit/${'e'.repeat(64)}/a.py`);
  assert.equal(bg.rawUrl(page, 'release/2.0', 'x/y.rs'), 'https://codeberg.org/acme/shop/raw/branch/release/2.0/x/y.rs');
  assert.equal(bg.commitsFeedUrl(page, sha, 'a&b.py'),
    `https://codeberg.org/api/v1/repos/acme/shop/commits?sha=${sha}&path=a%26b.py&limit=20&stat=false&verification=false&files=false`);
  for (const site of ['evil.example', 'github.com', 'gitlab.com', '', undefined]) {
    assert.throws(() => bg.diffUrl({ ...page, site }), /not a supported Gitea or Forgejo site/, String(site));
  }
  for (const [owner, repo] of [['..', 'shop'], ['acme', '.'], ['a/b', 'shop'], ['acme', 'shop?x']]) {
    assert.throws(() => bg.diffUrl({ ...page, owner, repo }), /bad repository name/, `${owner}/${repo}`);
  }
  assert.throws(() => bg.diffUrl({ ...page, kind: 'commit', sha: 'x' }), /not a diff page/);
  assert.throws(() => bg.giteaPullApiUrl({ ...page, host: 'gitlab' }), /not a pull request/);
  assert.deepEqual(bg.giteaMeta(JSON.stringify({
    title: 'T', body: 'B', user: { login: 'dev' }, labels: [{ name: 'x' }, { id: 3 }],
    base: { ref: 'main', sha: 'f'.repeat(40) }, head: { ref: 'feat', sha }, merge_base: 'b'.repeat(40),
  })), { title: 'T', body: 'B', author: 'dev', baseRef: 'main', headRef: 'feat', baseSha: 'b'.repeat(40), headSha: sha, labels: ['x'] });
  for (const junk of ['', '[]', '{"user": "dev", "base": "main", "merge_base": "zz"}', '<html></html>']) {
    assert.deepEqual(bg.giteaMeta(junk), {}, junk);
  }
});

test('approvals: GitLab approved_by and Gitea reviews (approved, not stale, not dismissed); logins checked', () => {
  const gl = { host: 'gitlab', project: 'a/b', kind: 'pull', number: '7' };
  const gt = { host: 'gitea', site: 'codeberg.org', owner: 'a', repo: 'b', kind: 'pull', number: '3' };
  assert.equal(bg.approvalsApiUrl(gl), 'https://gitlab.com/api/v4/projects/a%2Fb/merge_requests/7/approvals');
  assert.equal(bg.approvalsApiUrl(gt), 'https://codeberg.org/api/v1/repos/a/b/pulls/3/reviews');
  assert.equal(bg.approvalsApiUrl({ ...gl, kind: 'commit', sha: 'abcdef1' }), null);
  assert.deepEqual(bg.approvalsFrom(gl, JSON.stringify({ approved_by: [{ user: { username: 'alice' } }, { user: { username: 'alice' } }, { user: { username: '<b>x' } }, {}, null] })), ['alice']);
  assert.deepEqual(bg.approvalsFrom(gt, JSON.stringify([
    { state: 'APPROVED', user: { login: 'bob' } }, { state: 'APPROVED', user: { login: 'old' }, stale: true },
    { state: 'APPROVED', user: { login: 'gone' }, dismissed: true }, { state: 'COMMENT', user: { login: 'c' } }, 7,
  ])), ['bob']);
  for (const junk of ['', 'null', '{}', '[1,2]', '<html>']) {
    assert.deepEqual(bg.approvalsFrom(gl, junk), [], junk);
    assert.deepEqual(bg.approvalsFrom(gt, junk), [], junk);
  }
  // GitHub: no API; what the adapter read in the tab, checked.
  assert.deepEqual(bg.approvalsFrom({ owner: 'a', repo: 'b' }, '[{"state":"APPROVED","user":{"login":"x"}}]'), []);
});

test('commit pages: GitLab and Bitbucket name the first parent; fields checked', () => {
  const p = 'a'.repeat(40);
  const h = 'b'.repeat(40);
  assert.deepEqual(bg.gitlabCommitMeta(JSON.stringify({ id: h, title: 'Fix it', message: 'Fix it\n\nbody', author_name: 'Ann Lee', parent_ids: [p, 'c'.repeat(40)] })),
    { title: 'Fix it', authorName: 'Ann Lee', baseSha: p, headSha: h });
  assert.deepEqual(bg.gitlabCommitMeta(JSON.stringify({ id: h, message: 'Subject\nmore', parent_ids: [] })), { title: 'Subject', headSha: h });
  assert.deepEqual(bg.bitbucketCommitMeta(JSON.stringify({
    hash: h, message: 'Purge\n\nCo-Authored-By: x', author: { raw: 'Ann <a@x>', user: { nickname: 'ann' } }, parents: [{ hash: p }],
  })), { title: 'Purge', author: 'ann', baseSha: p, headSha: h });
  assert.deepEqual(bg.bitbucketCommitMeta(JSON.stringify({ hash: 'zz', parents: [{ hash: '../x' }], author: { user: { nickname: '<b>' } } })), {});
  assert.deepEqual(bg.giteaCommitMeta(JSON.stringify({
    sha: h, author: { login: 'ann' }, commit: { message: 'Fix\n\nbody', author: { name: 'Ann Lee' } }, parents: [{ sha: p }],
  })), { title: 'Fix', author: 'ann', authorName: 'Ann Lee', baseSha: p, headSha: h });
  const gt = { host: 'gitea', site: 'codeberg.org', owner: 'a', repo: 'b', kind: 'commit', sha: h };
  assert.equal(bg.diffUrl(gt), `https://codeberg.org/a/b/commit/${h}.diff`);
  assert.equal(bg.patchUrl(gt), `https://codeberg.org/a/b/commit/${h}.patch`);
  for (const junk of ['', '[]', 'null', '<html>', '{"parents": 3, "parent_ids": "x"}']) {
    assert.deepEqual(bg.giteaCommitMeta(junk), {}, junk);
    assert.deepEqual(bg.gitlabCommitMeta(junk), {}, junk);
    assert.deepEqual(bg.bitbucketCommitMeta(junk), {}, junk);
  }
});

test("GitHub: a commit's own page reads the commit feed at the commit: it, then its parent", () => {
  const c = 'c'.repeat(40);
  const p = 'a'.repeat(40);
  const page = { owner: 'acme', repo: 'shop', kind: 'commit', sha: c };
  const entry = (sha, who) => `<entry><id>tag:github.com,2008:Grit::Commit/${sha}</id><updated>2026-11-01T10:00:00Z</updated><author><name>${who}</name></author></entry>`;
  assert.deepEqual(bg.githubCommitFeedMeta(`<feed>${entry(c, 'octocat')}${entry(p, 'ann')}${entry('b'.repeat(40), 'bob')}</feed>`), { headSha: c, baseSha: p, author: 'octocat' });
  // A root commit: no parent. A hostile author is dropped.
  assert.deepEqual(bg.githubCommitFeedMeta(`<feed>${entry(c, '&lt;img&gt;')}</feed>`), { headSha: c });
  for (const junk of [null, '', '<feed></feed>', '<entry><id>x</id></entry>', `<entry><id>tag:github.com,2008:Grit::Commit/${'z'.repeat(40)}</id></entry>`]) {
    assert.deepEqual(bg.githubCommitFeedMeta(junk), {}, String(junk));
  }
});

test("GitHub: the conversation tab of any page of a pull request, read in the tab; what comes back is checked", () => {
  const page = { owner: 'acme', repo: 'shop', kind: 'pull', number: '12' };
  const url = 'https://github.com/acme/shop/pull/12';
  assert.equal(bg.pullApiUrl(page), url);
  assert.equal(bg.approvalsApiUrl(page), url);
  assert.equal(bg.pullApiUrl({ ...page, kind: 'commit', sha: 'abcdef1' }), url, "a commit's view of the pull request");
  assert.throws(() => bg.pullApiUrl({ ...page, host: 'github', site: 'ghe.example.com' }), /not github\.com/, 'an Enterprise Server not added');
  for (const number of [undefined, 'x', '1/../2', '']) assert.equal(bg.approvalsApiUrl({ ...page, number }), null, String(number));
  const read = {
    meta: { title: 'T', body: 'B', author: 'octocat', baseRef: 'main', headRef: 'feat', labels: ['bug', 7, ''] },
    approvals: ['alice', 'alice', '<img src=x>', 'bob', null, 3, 'a'.repeat(200)],
  };
  assert.deepEqual(bg.approvalsFrom(page, read), ['alice', 'bob']);
  assert.deepEqual((bg.githubPageMeta(read)), { title: 'T', body: 'B', author: 'octocat', baseRef: 'main', headRef: 'feat', labels: ['bug'] });
  assert.deepEqual((bg.githubPageMeta({ meta: { author: '<b>', title: 5 } })), {});
  for (const junk of [null, undefined, '', 'x', [], { approvals: 'alice' }, { meta: 'x' }]) {
    assert.deepEqual(bg.approvalsFrom(page, junk), [], String(junk));
    assert.deepEqual((bg.githubPageMeta(junk)), {}, String(junk));
  }
});

test('commit history from the GitLab and Gitea APIs: author and time read field by field, junk skipped', () => {
  const gl = { host: 'gitlab', project: 'a/b' };
  const gt = { host: 'gitea', site: 'gitea.com', owner: 'a', repo: 'b' };
  assert.deepEqual(bg.parseCommitsApi(gl, JSON.stringify([
    { author_name: 'Ann Lee', committed_date: '2026-11-01T10:00:00.000+01:00' },
    { author_name: 'No Date' }, { committed_date: '2026-11-01T10:00:00Z' }, null, 'x',
    { author_name: ' Bob ', authored_date: '2026-11-02T00:00:00Z' },
  ])), [
    { author: 'Ann Lee', time: Date.parse('2026-11-01T09:00:00Z') / 1000 },
    { author: 'Bob', time: Date.parse('2026-11-02T00:00:00Z') / 1000 },
  ]);
  assert.deepEqual(bg.parseCommitsApi(gt, JSON.stringify([
    { author: { login: 'ann' }, commit: { author: { name: 'Ann Lee', date: '2026-11-01T10:00:00Z' } } },
    { author: null, commit: { author: { name: 'Unlinked Person', date: '2026-11-03T10:00:00Z' } } },
    { author: { login: 'x' }, commit: { author: { date: 'not a date' } } },
  ])), [
    { author: 'ann', time: Date.parse('2026-11-01T10:00:00Z') / 1000 },
    { author: 'Unlinked Person', time: Date.parse('2026-11-03T10:00:00Z') / 1000 },
  ]);
  for (const junk of ['', '{}', 'null', '<html>', '[1]']) {
    assert.deepEqual(bg.parseCommitsApi(gl, junk), [], junk);
    assert.deepEqual(bg.parseCommitsApi(gt, junk), [], junk);
  }
  assert.equal(bg.parseCommitsApi(gl, JSON.stringify(Array(500).fill({ author_name: 'a', committed_date: '2026-01-01T00:00:00Z' }))).length, 200);
});

test('Bitbucket: REST API 2.0 on bitbucket.org; merge base; participants; commits; names checked', () => {
  const page = { host: 'bitbucket', owner: 'acme', repo: 'shop', kind: 'pull', number: '7' };
  const api = 'https://bitbucket.org/!api/2.0/repositories/acme/shop';
  assert.equal(bg.diffUrl(page), `${api}/pullrequests/7/diff`);
  assert.equal(bg.patchUrl(page), `${api}/pullrequests/7/patch`);
  assert.equal(bg.pullApiUrl(page), `${api}/pullrequests/7`);
  assert.equal(bg.approvalsApiUrl(page), `${api}/pullrequests/7`);
  assert.equal(bg.bitbucketMergeBaseUrl(page, 'abcdef123456', 'f'.repeat(40)), `${api}/merge-base/abcdef123456..${'f'.repeat(40)}`);
  // A commit: its diff and patch against its first parent; no pull request to read.
  const commit = { host: 'bitbucket', owner: 'acme', repo: 'shop', kind: 'commit', sha: 'abcdef1' };
  assert.equal(bg.diffUrl(commit), `${api}/diff/abcdef1`);
  assert.equal(bg.patchUrl(commit), `${api}/patch/abcdef1`);
  assert.equal(bg.pullApiUrl(commit), null);
  assert.equal(bg.approvalsApiUrl(commit), null);
  assert.throws(() => bg.diffUrl({ ...commit, sha: 'abc/../x' }), /not a diff page/);
  assert.throws(() => bg.bitbucketMergeBaseUrl(page, 'main', 'abcdef1'), /bad commit/);
  assert.equal(bg.rawUrl(page, 'release/2.0', 'a b/c.py'), 'https://bitbucket.org/acme/shop/raw/release/2.0/a%20b/c.py');
  assert.equal(bg.commitsFeedUrl(page, 'abcdef123456', 'a&b.py'), `${api}/commits/abcdef123456?path=a%26b.py&pagelen=20`);
  assert.throws(() => bg.commitsFeedUrl(page, '../x', 'a.py'), /bad branch name/);
  for (const [owner, repo] of [['..', 'shop'], ['acme', '.'], ['a/b', 'shop'], ['acme', 'shop?x'], ['acme', '!api']]) {
    assert.throws(() => bg.diffUrl({ ...page, owner, repo }), /bad repository name/, `${owner}/${repo}`);
  }
  assert.throws(() => bg.diffUrl({ ...page, kind: 'range', base: 'a'.repeat(40), head: 'b'.repeat(40) }), /not a diff page/);
  assert.throws(() => bg.diffUrl({ ...page, host: 'evil' }), /not a supported code host/);
  assert.equal(bg.pullApiUrl({ ...page, number: 'x' }), null);
  assert.deepEqual(bg.bitbucketMeta(JSON.stringify({
    title: 'T', description: 'B', author: { nickname: 'dev', display_name: 'Dev Eloper' },
    source: { branch: { name: 'feat' }, commit: { hash: 'abcdef123456' } },
    destination: { branch: { name: 'main' }, commit: { hash: '0123456789ab' } },
  })), { title: 'T', body: 'B', author: 'dev', authorName: 'Dev Eloper', baseRef: 'main', headRef: 'feat', baseSha: '0123456789ab', headSha: 'abcdef123456' });
  for (const junk of ['', '[]', '{"author": "dev", "source": {"commit": {"hash": "zz"}}}', '<html></html>']) {
    assert.deepEqual(bg.bitbucketMeta(junk), {}, junk);
  }
  assert.deepEqual(bg.bitbucketMeta('{"author": {"nickname": "<img src=x>"}}'), {});
  assert.deepEqual(bg.approvalsFrom(page, JSON.stringify({ participants: [
    { approved: true, user: { nickname: 'bob' } }, { approved: false, user: { nickname: 'carol' } },
    { approved: 'yes', user: { nickname: 'dave' } }, { approved: true, user: { nickname: '<b>x' } }, { approved: true }, null,
    { approved: true, user: { nickname: 'bob' } },
  ] })), ['bob']);
  for (const junk of ['', 'null', '{}', '{"participants": 3}', '<html>']) assert.deepEqual(bg.approvalsFrom(page, junk), [], junk);
  assert.deepEqual(bg.parseCommitsApi(page, JSON.stringify({ values: [
    { date: '2026-11-01T10:00:00+00:00', author: { raw: 'Ann Lee <ann@example.com>', user: { nickname: 'ann' } } },
    { date: '2026-11-02T10:00:00+00:00', author: { raw: 'Unlinked Person <u@example.com>' } },
    { date: 'never', author: { raw: 'x <x@example.com>' } },
    { date: '2026-11-02T10:00:00+00:00', author: { raw: '<only@mail>' } },
    7,
  ] })), [
    { author: 'ann', time: Date.parse('2026-11-01T10:00:00Z') / 1000 },
    { author: 'Unlinked Person', time: Date.parse('2026-11-02T10:00:00Z') / 1000 },
  ]);
  for (const junk of ['', '{}', '[]', '{"values": {}}', '<html>']) assert.deepEqual(bg.parseCommitsApi(page, junk), [], junk);
});

test('self-managed instances: only https origins of a known kind, no public site; their pages get their own URLs', () => {
  const list = bg.setInstances([
    { kind: 'gitlab', origin: 'https://git.example.com' },
    { kind: 'forgejo', origin: 'https://forge.example.org' },
    { kind: 'gitlab', origin: 'https://git.example.com' },
    { kind: 'gitlab', origin: 'http://plain.example.com' },
    { kind: 'gitlab', origin: 'https://gitlab.com' },
    { kind: 'gitea', origin: 'https://codeberg.org' },
    { kind: 'bitbucket', origin: 'https://bb.example.com' },
    { kind: 'gitlab', origin: 'https://port.example.com:8443' },
    { kind: 'gitlab', origin: 'https://user:pw@cred.example.com' },
    { kind: 'gitlab', origin: 'https://path.example.com/group' },
    { kind: 'gitlab', origin: 'not a url' },
    null, 7,
  ]);
  assert.deepEqual([...list.keys()], ['git.example.com', 'forge.example.org']);
  assert.equal(list.get('forge.example.org').kind, 'gitea');
  const gl = { host: 'gitlab', site: 'git.example.com', project: 'g/p', kind: 'pull', number: '7' };
  assert.equal(bg.diffUrl(gl), 'https://git.example.com/g/p/-/merge_requests/7.diff');
  assert.equal(bg.mergeRequestApiUrl(gl), 'https://git.example.com/api/v4/projects/g%2Fp/merge_requests/7');
  assert.equal(bg.rawUrl(gl, 'main', 'a.py'), 'https://git.example.com/g/p/-/raw/main/a.py');
  assert.equal(bg.commitsFeedUrl(gl, 'main', 'a.py'), 'https://git.example.com/api/v4/projects/g%2Fp/repository/commits?ref_name=main&path=a.py&per_page=20');
  // gitlab.com pages (with or without `site`) are unchanged.
  assert.equal(bg.diffUrl({ ...gl, site: 'gitlab.com' }), 'https://gitlab.com/g/p/-/merge_requests/7.diff');
  assert.equal(bg.diffUrl({ ...gl, site: undefined }), 'https://gitlab.com/g/p/-/merge_requests/7.diff');
  const fj = { host: 'gitea', site: 'forge.example.org', owner: 'o', repo: 'r', kind: 'pull', number: '3' };
  assert.equal(bg.diffUrl(fj), 'https://forge.example.org/o/r/pulls/3.diff');
  assert.equal(bg.giteaPullApiUrl(fj), 'https://forge.example.org/api/v1/repos/o/r/pulls/3');
  // A site that was not added, or was added as the other kind, is refused.
  assert.throws(() => bg.diffUrl({ ...gl, site: 'evil.example' }), /not gitlab.com or a GitLab instance/);
  assert.throws(() => bg.diffUrl({ ...gl, site: 'forge.example.org' }), /not gitlab.com or a GitLab instance/);
  assert.throws(() => bg.diffUrl({ ...fj, site: 'git.example.com' }), /not a supported Gitea or Forgejo site/);
  // A GitHub Enterprise Server: its own URLs; raw files may come from raw.<host>.
  bg.setInstances([{ kind: 'github', origin: 'https://ghe.example.com' }]);
  const gh = { host: 'github', site: 'ghe.example.com', owner: 'o', repo: 'r', kind: 'pull', number: '7' };
  assert.equal(bg.diffUrl(gh), 'https://ghe.example.com/o/r/pull/7.diff');
  assert.equal(bg.patchUrl(gh), 'https://ghe.example.com/o/r/pull/7.patch');
  assert.equal(bg.rawUrl(gh, 'main', 'a.py'), 'https://ghe.example.com/o/r/raw/main/a.py');
  assert.equal(bg.commitsFeedUrl(gh, 'main', 'a.py'), 'https://ghe.example.com/o/r/commits/main/a.py.atom');
  assert.equal(bg.diffUrl({ owner: 'o', repo: 'r', kind: 'pull', number: '7' }), 'https://github.com/o/r/pull/7.diff');
  assert.throws(() => bg.diffUrl({ ...gh, site: 'evil.example' }), /not github.com or a GitHub Enterprise Server/);
  assert.throws(() => bg.diffUrl({ ...gl, site: 'ghe.example.com' }), /not gitlab.com or a GitLab instance/);
  bg.setInstances([]);
  assert.throws(() => bg.diffUrl(gl), /not gitlab.com or a GitLab instance/);
  assert.throws(() => bg.diffUrl(gh), /not github.com or a GitHub Enterprise Server/);
  assert.throws(() => bg.diffUrl(fj), /not a supported Gitea or Forgejo site/);
});
