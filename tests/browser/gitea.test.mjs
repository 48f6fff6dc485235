// End to end on Gitea and Forgejo: the built Chromium extension on fixtures
// of a pull request's files tab as Gitea's templates render it, served as
// https://codeberg.org/… (Forgejo) and https://gitea.com/… by the local HTTPS
// server. The extension reads the .diff, the .patch, the site's pull request
// API (branches, merge base, head commit), the policy at the base branch and
// whole files at the merge base and the head commit, from that site only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OUT, ROOT, foreignRequests, launchWithExtension, cardText, panel, exampleRepo, assertExampleReport, openReport } from './harness.mjs';
import { cli } from '../wasm/helpers.mjs';

const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
const DIFF = read('examples', 'pr-account-cleanup.diff');
const PATCH = read('tests', 'fixtures', 'ai', 'claude_trailer.patch');
const MERGE_BASE = 'd'.repeat(40);
const HEAD_SHA = 'e'.repeat(40);

const api = {
  number: 3,
  title: 'Purge archived invoices',
  body: 'Deletes invoices older than the retention window.',
  user: { login: 'octocat' },
  labels: [{ name: 'billing' }],
  base: { ref: 'release/2.0', sha: 'f'.repeat(40) },
  head: { ref: 'claude/purge-invoices', sha: HEAD_SHA },
  merge_base: MERGE_BASE,
};
const { modified, files, history, hot } = exampleRepo(DIFF, { base: MERGE_BASE, head: HEAD_SHA });
// The same change as one commit whose first parent is the merge base.
const commits = { [HEAD_SHA]: { title: api.title, diff: DIFF, patch: PATCH, api: {
  sha: HEAD_SHA, author: { login: 'octocat' }, commit: { message: 'Purge archived invoices\n', author: { name: 'Octo Cat' } }, parents: [{ sha: MERGE_BASE }],
} } };
const site = (owner, repo, reviews) => ({ owner, repo, pulls: { 3: { title: api.title, diff: DIFF, patch: PATCH, api, reviews } }, commits, files, history });
// codeberg.org: alice's approval went stale with a later push, carol's was
// dismissed, bob (not a required reviewer) approved; gitea.com: alice approved.
const REVIEWS = [
  { state: 'APPROVED', user: { login: 'alice' }, stale: true },
  { state: 'APPROVED', user: { login: 'carol' }, dismissed: true },
  { state: 'REQUEST_CHANGES', user: { login: 'dave' } },
  { state: 'APPROVED', user: { login: 'bob' } },
];
const native = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], DIFF).stdout);
const parsed = native.syntax.filter((s) => s.source === 'full' || s.source === 'hunks').map((s) => s.path);

let b;
before(async () => {
  b = await launchWithExtension({ gitea: {
    'codeberg.org': site('acme', 'shop', REVIEWS),
    'gitea.com': site('acme', 'shop', [{ state: 'APPROVED', user: { login: 'alice' } }]),
  } });
});
after(async () => {
  await b?.close();
});

test('Forgejo on codeberg.org: markers on the flagged lines; API, policy at the base branch and whole files from the site only', async () => {
  const from = b.requests.length;
  const { page, p } = await openReport(b, 'https://codeberg.org/acme/shop/pulls/3/files', 'gitea');
  assert.ok(p.jump.length >= 5, JSON.stringify(p.jump));
  await page.screenshot({ path: join(OUT, 'gitea-pr.png') });

  // Only bob's approval counts (alice's is stale): sign-off from @alice still needed.
  await assertExampleReport(page, p, { approvedBy: 'bob', parsedFiles: parsed.length, hot });

  const urls = b.requests.slice(from).map((r) => r.url);
  for (const u of [
    'https://codeberg.org/acme/shop/pulls/3.diff',
    'https://codeberg.org/acme/shop/pulls/3.patch',
    'https://codeberg.org/api/v1/repos/acme/shop/pulls/3',
    'https://codeberg.org/api/v1/repos/acme/shop/pulls/3/reviews',
    'https://codeberg.org/acme/shop/raw/branch/release/2.0/.blastradius.toml',
    `https://codeberg.org/api/v1/repos/acme/shop/commits?sha=${MERGE_BASE}&path=${encodeURIComponent(hot.old)}&limit=20&stat=false&verification=false&files=false`,
  ]) assert.ok(urls.includes(u), `${u} not requested\n${urls.join('\n')}`);
  for (const f of modified.filter((m) => parsed.includes(m.path))) {
    assert.ok(urls.includes(`https://codeberg.org/acme/shop/raw/commit/${MERGE_BASE}/${f.old}`), `${f.old} at the merge base`);
    assert.ok(urls.includes(`https://codeberg.org/acme/shop/raw/commit/${HEAD_SHA}/${f.path}`), `${f.path} at head`);
  }
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['codeberg.org']), []);
  await page.close();
});

test("Gitea's split view in its dark theme: each side in its own column, in the theme's colours", async () => {
  const from = b.requests.length;
  const { page, p, geo } = await openReport(b, 'https://gitea.com/acme/shop/pulls/3/files?style=split&theme=dark', 'gitea');
  assert.ok(p.jump.some((j) => j.side === 'old') && p.jump.some((j) => j.side === 'new'), 'findings on both sides');
  const oldLeft = Math.max(...geo.filter((g) => g.key.startsWith('old|')).map((g) => g.cell.left));
  const newLeft = Math.min(...geo.filter((g) => g.key.startsWith('new|')).map((g) => g.cell.left));
  assert.ok(oldLeft < newLeft, `old column at ${oldLeft}, new at ${newLeft}`);
  const panelBg = await page.evaluate(() => getComputedStyle(document.getElementById('blastradius-panel').shadowRoot.querySelector('.panel')).backgroundColor);
  assert.equal(panelBg, 'rgb(34, 37, 44)', "the panel takes Gitea's dark box colour");
  // alice approved on this site: the sign-off is satisfied.
  assert.equal(p.approvals, 'Approved by: @alice');
  const card = await cardText(page, 'app/billing/retention.py:1');
  assert.ok(!card.includes('needs sign-off') && card.includes('Load-bearing code changed'), card);
  await page.screenshot({ path: join(OUT, 'gitea-pr-dark-split.png') });
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['gitea.com']), []);
  await page.close();
});

test("Forgejo: a commit's page, with whole files at its first parent (from the API) and at the commit", async () => {
  const from = b.requests.length;
  const { page, p } = await openReport(b, `https://codeberg.org/acme/shop/commit/${HEAD_SHA}`, 'gitea');
  assert.ok(p.jump.length >= 5, JSON.stringify(p.jump));
  assert.match(p.authorship, /AI authorship: confirmed .*claude-code/, "the .patch's trailer was read");
  assert.equal(p.syntax, `Syntax: whole files for all ${parsed.length} parsed files`);
  assert.equal(p.history, `History: ${hot.path} changed 12 times in 90 days by 3 authors (hotspot); new to the author: ${hot.path}`);
  const urls = b.requests.slice(from).map((r) => r.url);
  for (const u of [
    `https://codeberg.org/acme/shop/commit/${HEAD_SHA}.diff`,
    `https://codeberg.org/acme/shop/commit/${HEAD_SHA}.patch`,
    `https://codeberg.org/api/v1/repos/acme/shop/git/commits/${HEAD_SHA}?stat=false&verification=false&files=false`,
  ]) assert.ok(urls.includes(u), `${u} not requested\n${urls.join('\n')}`);
  for (const f of modified.filter((m) => parsed.includes(m.path))) {
    assert.ok(urls.includes(`https://codeberg.org/acme/shop/raw/commit/${MERGE_BASE}/${f.old}`), `${f.old} at the parent`);
    assert.ok(urls.includes(`https://codeberg.org/acme/shop/raw/commit/${HEAD_SHA}/${f.path}`), `${f.path} at the commit`);
  }
  assert.ok(!urls.some((u) => u.includes('/pulls/')), urls.join('\n'));
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['codeberg.org']), []);
  await page.close();
});

test('Gitea: other pages and other sites get nothing', async () => {
  for (const url of ['https://codeberg.org/acme/shop/pulls/3', 'https://codeberg.org/acme/shop/pulls/3/commits', 'https://codeberg.org/explore/repos']) {
    const page = await b.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => document.getElementById('blastradius-panel')), null, url);
    await page.close();
  }
});
