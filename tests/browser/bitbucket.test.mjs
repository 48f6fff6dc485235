// End to end on Bitbucket Cloud: the built Chromium extension on fixtures of
// a pull request's diff as the Bitbucket adapter expects it (see
// bitbucket-fixture.mjs), served as https://bitbucket.org/… by the local
// HTTPS server. The extension reads, from bitbucket.org's REST API under
// `/!api/2.0/`: the diff (redirected, as Bitbucket does), the patch, the pull
// request (branches, tips, participants), the merge base, the commits of the
// most changed files; the policy at the destination branch and whole files at
// the merge base and the source tip from `/raw/`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OUT, ROOT, assertOnLines, drawn, foreignRequests, geometry, launchWithExtension, cardText, panel, exampleRepo, assertExampleReport, openReport } from './harness.mjs';
import { cli } from '../wasm/helpers.mjs';

const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
const DIFF = read('examples', 'pr-account-cleanup.diff');
const PATCH = read('tests', 'fixtures', 'ai', 'claude_trailer.patch');
const HOSTILE = read('tests', 'browser', 'fixtures', 'hostile.diff');
// The pull request names abbreviated tips; the merge base is a full sha.
const DEST_TIP = 'f'.repeat(12);
const SOURCE_TIP = 'e'.repeat(12);
const MERGE_BASE = 'd'.repeat(40);
// A file moved to another directory with a TLS check turned off.
const RENAME = [
  'diff --git a/app/net/client.py b/app/http/client.py',
  'similarity index 80%',
  'rename from app/net/client.py',
  'rename to app/http/client.py',
  'index 1111111..2222222 100644',
  '--- a/app/net/client.py',
  '+++ b/app/http/client.py',
  '@@ -1,4 +1,4 @@',
  ' import requests',
  ' ',
  ' def fetch(url):',
  '-    return requests.get(url, timeout=5)',
  '+    return requests.get(url, timeout=5, verify=False)',
  '',
].join('\n');

const api = (id, participants) => ({
  id,
  type: 'pullrequest',
  title: 'Purge archived invoices',
  description: 'Deletes invoices older than the retention window.',
  author: { display_name: 'Octo Cat', nickname: 'octocat', account_id: '1:abc' },
  source: { branch: { name: 'claude/purge-invoices' }, commit: { hash: SOURCE_TIP } },
  destination: { branch: { name: 'release/2.0' }, commit: { hash: DEST_TIP } },
  participants,
});
const { modified, files, history, hot } = exampleRepo(DIFF, { base: MERGE_BASE, head: SOURCE_TIP });
const pulls = {
  // bob approved; alice (the policy's required reviewer) only commented; a
  // participant with a nickname that is no login is ignored.
  7: { title: 'Purge archived invoices', diff: DIFF, patch: PATCH, api: api(7, [
    { role: 'REVIEWER', approved: true, state: 'approved', user: { nickname: 'bob' } },
    { role: 'PARTICIPANT', approved: false, state: null, user: { nickname: 'alice' } },
    { role: 'REVIEWER', approved: true, state: 'approved', user: { nickname: '<img src=x>' } },
  ]) },
  8: { title: 'Purge archived invoices', diff: DIFF, patch: PATCH, api: api(8, [
    { role: 'REVIEWER', approved: true, state: 'approved', user: { nickname: 'alice' } },
  ]) },
  9: { title: 'Fetch the bundle', diff: HOSTILE },
  10: { title: 'Move the HTTP client', diff: RENAME },
};
// A commit page: the same change as one commit, whose head files are served at its sha.
const COMMIT = SOURCE_TIP;
const commits = { [COMMIT]: { title: 'Purge archived invoices', diff: DIFF, patch: PATCH, api: {
  type: 'commit', hash: COMMIT, message: 'Purge archived invoices\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n',
  author: { raw: 'Octo Cat <octocat@example.com>', user: { nickname: 'octocat' } }, parents: [{ hash: MERGE_BASE }],
} } };
const native = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], DIFF).stdout);
const parsed = native.syntax.filter((s) => s.source === 'full' || s.source === 'hunks').map((s) => s.path);
const ROOT_URL = 'https://bitbucket.org/acme/shop';
const API = `${ROOT_URL.replace('/acme/shop', '')}/!api/2.0/repositories/acme/shop`;
const HOSTS = ['bitbucket.org', 'api.bitbucket.org'];

let b;
before(async () => {
  b = await launchWithExtension({ bitbucket: { workspace: 'acme', repo: 'shop', pulls, commits, files, history, mergeBase: MERGE_BASE } });
});
after(async () => {
  await b?.close();
});

test('Bitbucket: markers on the flagged lines; API, policy at the destination branch and whole files at the merge base from bitbucket.org only', async () => {
  const from = b.requests.length;
  const { page, p } = await openReport(b, `${ROOT_URL}/pull-requests/7`, 'bitbucket');
  assert.ok(p.jump.length >= 5, JSON.stringify(p.jump));
  await page.screenshot({ path: join(OUT, 'bitbucket-pr.png') });

  // The destination branch (from the API; the page shows none) gave the policy.
  // bob approved; alice did not: her sign-off is still needed.
  await assertExampleReport(page, p, { approvedBy: 'bob', parsedFiles: parsed.length, hot });

  const urls = b.requests.slice(from).map((r) => r.url);
  for (const u of [
    `${API}/pullrequests/7/diff`,
    `${API}/diff/acme/shop:${SOURCE_TIP}%0D${DEST_TIP}?from_pullrequest_id=7&topic=true`,
    `${API}/pullrequests/7/patch`,
    `${API}/pullrequests/7`,
    `${API}/merge-base/${SOURCE_TIP}..${DEST_TIP}`,
    `${ROOT_URL}/raw/release/2.0/.blastradius.toml`,
    `${API}/commits/${MERGE_BASE}?path=${encodeURIComponent(hot.old)}&pagelen=20`,
  ]) assert.ok(urls.includes(u), `${u} not requested\n${urls.join('\n')}`);
  // The pull request is read once (its participants are the approvals).
  assert.equal(urls.filter((u) => u === `${API}/pullrequests/7`).length, 1);
  for (const f of modified.filter((m) => parsed.includes(m.path))) {
    assert.ok(urls.includes(`${ROOT_URL}/raw/${MERGE_BASE}/${f.old}`), `${f.old} at the merge base`);
    assert.ok(urls.includes(`${ROOT_URL}/raw/${SOURCE_TIP}/${f.path}`), `${f.path} at the source tip`);
  }
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['bitbucket.org']), []);
  await page.close();
});

test("Bitbucket's side-by-side view in its dark theme: each side in its own column, in the Atlassian tokens' colours", async () => {
  const from = b.requests.length;
  const { page, p, geo } = await openReport(b, `${ROOT_URL}/pull-requests/8/diff?view=side-by-side&theme=dark`, 'bitbucket');
  assert.ok(p.jump.some((j) => j.side === 'old') && p.jump.some((j) => j.side === 'new'), 'findings on both sides');
  const oldLeft = Math.max(...geo.filter((g) => g.key.startsWith('old|')).map((g) => g.cell.left));
  const newLeft = Math.min(...geo.filter((g) => g.key.startsWith('new|')).map((g) => g.cell.left));
  assert.ok(oldLeft < newLeft, `old column at ${oldLeft}, new at ${newLeft}`);
  const panelBg = await page.evaluate(() => getComputedStyle(document.getElementById('blastradius-panel').shadowRoot.querySelector('.panel')).backgroundColor);
  assert.equal(panelBg, 'rgb(40, 46, 51)', "the panel takes the dark theme's overlay surface");
  const warning = geo.find((g) => g.severity.includes('sev-warning'));
  assert.ok(warning, JSON.stringify(geo));
  assert.equal(warning.color, 'rgb(254, 193, 149)', "a warning marker takes the dark theme's warning text colour");
  // alice approved this one: the sign-off is satisfied.
  assert.equal(p.approvals, 'Approved by: @alice');
  const card = await cardText(page, 'app/billing/retention.py:1');
  assert.ok(!card.includes('needs sign-off') && card.includes('Load-bearing code changed'), card);
  await page.screenshot({ path: join(OUT, 'bitbucket-pr-dark-side-by-side.png') });
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['bitbucket.org']), []);
  await page.close();
});

test('Bitbucket: a renamed file is found by its new path; hostile names and code stay text', async () => {
  const page = await b.context.newPage();
  await page.goto(`${ROOT_URL}/pull-requests/10`);
  const p = await panel(page);
  const tls = p.jump.find((j) => j.path === 'app/http/client.py' && j.line === 4);
  assert.ok(tls && tls.located === 'true', JSON.stringify(p.jump));
  await drawn(page, p.jump.length);
  assertOnLines(await geometry(page, 'bitbucket', p.jump));
  await page.close();

  const hostile = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], HOSTILE).stdout);
  const evil = await b.context.newPage();
  const dialogs = [];
  evil.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await evil.goto(`${ROOT_URL}/pull-requests/9`);
  const q = await panel(evil);
  assert.equal(q.jump.length, hostile.findings.length);
  assert.ok(q.jump.every((j) => j.located === 'true'), JSON.stringify(q.jump));
  assert.deepEqual(q.counts, hostile.summary.findings);
  await drawn(evil, q.jump.length);
  for (const m of await evil.locator('#blastradius-markers button.marker').all()) {
    await m.click();
    const text = await evil.locator('#blastradius-markers .card').textContent();
    assert.ok(text.includes('<img src=x onerror='), text);
  }
  const injected = await evil.evaluate(() => ['blastradius-markers', 'blastradius-panel']
    .map((id) => document.getElementById(id).shadowRoot.querySelectorAll('img, script, iframe, [onerror]').length));
  assert.deepEqual(injected, [0, 0]);
  assert.deepEqual(dialogs, []);
  // No pull request API answer, so no metadata: the policy is looked for at the default branch.
  assert.ok(b.requests.some((r) => r.url === `${ROOT_URL}/raw/HEAD/.blastradius.toml`));
  await evil.close();
});

test("Bitbucket: a commit's page, from its diff and patch against its first parent", async () => {
  const from = b.requests.length;
  const { page, p } = await openReport(b, `${ROOT_URL}/commits/${COMMIT}`, 'bitbucket');
  // Every finding of the native report (the diff alone), and the commit's
  // AI authorship from its patch, each located on the page.
  const at = (f) => `${f.path}:${f.line}`;
  const listed = new Set(p.jump.map(at));
  for (const f of native.findings.filter((x) => x.line)) assert.ok(listed.has(at(f)), `${at(f)} (${f.rule}) not listed`);
  assert.equal(p.jump.length, new Set(native.findings.map(at)).size + 1, JSON.stringify(p.jump));
  assert.ok(p.jump.every((j) => j.located === 'true'), JSON.stringify(p.jump));
  assert.match(p.authorship, /AI authorship: confirmed .*claude-code/, 'the patch\'s trailer was read');
  const urls = b.requests.slice(from).map((r) => r.url);
  // (The policy is looked for at the default branch, as for the hostile pull
  // request above, whose answer is still cached.)
  for (const u of [`${API}/diff/${COMMIT}`, `${API}/patch/${COMMIT}`]) {
    assert.ok(urls.includes(u), `${u} not requested\n${urls.join('\n')}`);
  }
  // The commit names its parent: whole files at the parent and the commit,
  // history at the parent; no pull request is asked for.
  assert.ok(urls.includes(`${API}/commit/${COMMIT}`), urls.join('\n'));
  for (const f of modified.filter((m) => parsed.includes(m.path))) {
    assert.ok(urls.includes(`${ROOT_URL}/raw/${MERGE_BASE}/${f.old}`), `${f.old} at the parent`);
    assert.ok(urls.includes(`${ROOT_URL}/raw/${COMMIT}/${f.path}`), `${f.path} at the commit`);
  }
  assert.equal(p.syntax, `Syntax: whole files for all ${parsed.length} parsed files`);
  assert.equal(p.history, `History: ${hot.path} changed 12 times in 90 days by 3 authors (hotspot); new to the author: ${hot.path}`);
  assert.ok(!urls.some((u) => u.includes('/pullrequests/')), urls.join('\n'));
  await page.screenshot({ path: join(OUT, 'bitbucket-commit.png') });
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['bitbucket.org']), []);
  await page.close();
});

test('Bitbucket: other pages get nothing, and nothing is requested beyond bitbucket.org', async () => {
  for (const url of [`${ROOT_URL}/pull-requests/7/commits`, `${ROOT_URL}/pull-requests/`, `${ROOT_URL}/src/main/`, 'https://bitbucket.org/dashboard/overview']) {
    const page = await b.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => document.getElementById('blastradius-panel')), null, url);
    await page.close();
  }
  assert.deepEqual(foreignRequests(b.requests, b.extensionId, HOSTS), []);
});
