// Self-managed instances: the user adds a GitLab instance and a Forgejo
// instance in the options; the service worker registers content scripts for
// them and reads their diffs, APIs, policies and files from those sites only.
// The browser's permission prompt cannot be answered in headless Chromium,
// so the extension under test is a copy of dist/chrome whose manifest already
// grants the two origins: `chrome.permissions.request` then resolves at once,
// and everything after it (registration, detection, analysis) is the
// shipped code.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EXT_DIR, ROOT, assertOnLines, drawn, foreignRequests, geometry, launchWithExtension, panel } from './harness.mjs';

const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
const DIFF = read('examples', 'pr-account-cleanup.diff');
const POLICY = read('tests', 'browser', 'fixtures', 'repo', 'policy.toml');
const PACK = read('tests', 'browser', 'fixtures', 'repo', 'team.toml');
const GITLAB = 'git.example.com';
const FORGEJO = 'forge.example.org';
const OTHER = 'other.example.net';
const GHE = 'ghe.example.com';
const files = { 'release/2.0': { '.blastradius.toml': POLICY, '.blastradius/rules/team.toml': PACK } };
const mr = { title: 'Purge archived invoices', diff: DIFF, api: { iid: 7, title: 'Purge archived invoices', target_branch: 'release/2.0', author: { username: 'octocat' } } };
const pull = { title: 'Purge archived invoices', diff: DIFF, api: { number: 3, title: 'Purge archived invoices', base: { ref: 'release/2.0' }, user: { login: 'octocat' } } };

let b;
let ext;
before(async () => {
  ext = mkdtempSync(join(tmpdir(), 'br-ext-'));
  cpSync(EXT_DIR, ext, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(ext, 'manifest.json'), 'utf8'));
  manifest.host_permissions.push(`https://${GITLAB}/*`, `https://${FORGEJO}/*`, `https://${GHE}/*`, `https://raw.${GHE}/*`);
  writeFileSync(join(ext, 'manifest.json'), JSON.stringify(manifest, null, 2));
  b = await launchWithExtension({
    extDir: ext,
    gitlabSites: { [GITLAB]: { project: 'acme/shop', mrs: { 7: mr }, files }, [OTHER]: { project: 'acme/shop', mrs: { 7: mr }, files } },
    gitea: { [FORGEJO]: { owner: 'acme', repo: 'shop', pulls: { 3: pull }, files } },
    githubSites: { [GHE]: { prs: { 7: { title: 'Purge archived invoices', diff: DIFF, baseRef: 'release/2.0', headRef: 'purge' } }, files } },
  });
});
after(async () => {
  await b?.close();
  if (ext) rmSync(ext, { recursive: true, force: true });
});

async function saveInstances(text) {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/options/options.html`);
  await page.fill('#instances', text);
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('saved').textContent === 'Saved.' || !document.getElementById('problems').hidden);
  const problems = await page.locator('#problemList li').allTextContents();
  const shown = await page.inputValue('#instances');
  await page.close();
  return { problems, shown };
}

const registered = () => b.sw.evaluate(() => chrome.scripting.getRegisteredContentScripts().then((l) => l.map((c) => ({ id: c.id, matches: c.matches, js: c.js }))));
const panelOn = async (url) => {
  const page = await b.context.newPage();
  await page.goto(url);
  await page.waitForTimeout(800);
  const has = await page.evaluate(() => document.getElementById('blastradius-panel') !== null);
  await page.close();
  return has;
};

test('options: bad instance lines are refused with their line; public sites are not instances', async () => {
  const { problems } = await saveInstances('gitlab http://git.example.com\nbitbucket https://x.example.com\ngitea https://gitea.com\ngitlab https://git.example.com/group');
  assert.deepEqual(problems, [
    'instances:1: http://git.example.com is not an https site address (no path, port or login)',
    'instances:2: expected "github", "gitlab", "gitea" or "forgejo" and an https address',
    'instances:3: gitea.com is read without adding it',
    'instances:4: https://git.example.com/group is not an https site address (no path, port or login)',
  ]);
  assert.deepEqual(await b.sw.evaluate(() => chrome.storage.local.get('instances')), {});
  assert.deepEqual(await registered(), []);
});

test('a GitLab, a Forgejo and a GitHub Enterprise instance added in the options are analysed like the public sites, from their own origin only', async () => {
  const { problems, shown } = await saveInstances(`gitlab https://${GITLAB}/\n\nforgejo https://${FORGEJO}\ngitlab https://${GITLAB}\ngithub https://${GHE}`);
  assert.deepEqual(problems, []);
  assert.equal(shown, `gitlab https://${GITLAB}\nforgejo https://${FORGEJO}\ngithub https://${GHE}`);
  const js = (adapter) => ['hosts/common.js', `hosts/${adapter}.js`, 'content/overlay.js', 'content/main.js'];
  assert.deepEqual(await registered(), [
    { id: 'br-instance-gitlab', matches: [`https://${GITLAB}/*`], js: js('gitlab') },
    { id: 'br-instance-gitea', matches: [`https://${FORGEJO}/*`], js: js('gitea') },
    { id: 'br-instance-github', matches: [`https://${GHE}/*`], js: js('github') },
  ]);

  for (const [url, view, site] of [
    [`https://${GITLAB}/acme/shop/-/merge_requests/7/diffs`, 'inline', GITLAB],
    [`https://${FORGEJO}/acme/shop/pulls/3/files`, 'gitea', FORGEJO],
  ]) {
    const from = b.requests.length;
    const page = await b.context.newPage();
    await page.goto(url);
    const p = await panel(page);
    assert.ok(p.jump.length >= 5 && p.jump.every((j) => j.located === 'true'), JSON.stringify(p.jump));
    await drawn(page, p.jump.length);
    assertOnLines(await geometry(page, view, p.jump));
    // The policy at the base branch named by the instance's API, with its pack.
    assert.equal(p.policy, 'Policy: .blastradius.toml at release/2.0', url);
    assert.ok(p.jump.some((j) => j.text.includes('Row count returned from a purge')), url);
    const urls = b.requests.slice(from).map((r) => r.url);
    assert.ok(urls.some((u) => u.startsWith(`https://${site}/`) && (u.endsWith('.diff'))), urls.join('\n'));
    assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, [site]), [], url);
    await page.close();
  }
  // GitHub Enterprise: the diff from the server itself, the policy at the
  // base branch the page names, its raw file from raw.<host>.
  const from = b.requests.length;
  const page = await b.context.newPage();
  await page.goto(`https://${GHE}/acme/shop/pull/7/files`);
  const p = await panel(page);
  assert.ok(p.jump.length >= 5 && p.jump.every((j) => j.located === 'true'), JSON.stringify(p.jump));
  await drawn(page, p.jump.length);
  assert.equal(p.policy, 'Policy: .blastradius.toml at release/2.0');
  const urls = b.requests.slice(from).map((r) => r.url);
  for (const u of [`https://${GHE}/acme/shop/pull/7.diff`, `https://raw.${GHE}/acme/shop/release/2.0/.blastradius.toml`]) {
    assert.ok(urls.includes(u), `${u} not requested\n${urls.join('\n')}`);
  }
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, [GHE, `raw.${GHE}`]), []);
  await page.close();
  // A site that was not added gets nothing, even with the same markup.
  assert.equal(await panelOn(`https://${OTHER}/acme/shop/-/merge_requests/7/diffs`), false);
});

test('an instance removed from the options is no longer read', async () => {
  await saveInstances(`forgejo https://${FORGEJO}`);
  assert.deepEqual((await registered()).map((c) => c.id), ['br-instance-gitea']);
  assert.equal(await panelOn(`https://${GITLAB}/acme/shop/-/merge_requests/7/diffs`), false);
  assert.equal(await panelOn(`https://${GHE}/acme/shop/pull/7/files`), false);
  assert.equal(await panelOn(`https://${FORGEJO}/acme/shop/pulls/3/files`), true);
  await saveInstances('');
  assert.deepEqual(await registered(), []);
  assert.equal(await panelOn(`https://${FORGEJO}/acme/shop/pulls/3/files`), false);
});
