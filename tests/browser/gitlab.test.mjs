// End to end on GitLab: the built Chromium extension on fixtures of
// gitlab.com's merge request Changes tab (Rapid Diffs inline and parallel,
// and the older Vue diff grid), served as https://gitlab.com/… by the local
// HTTPS server. The extension reads the .diff, the .patch, the merge request
// API (branches, diff base and head commits), the policy at the target branch
// and whole files at the diff's base and head commits, all from gitlab.com.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OUT, ROOT, assertOnLines, drawn, foreignRequests, geometry, launchWithExtension, cardText, panel, exampleRepo, assertExampleReport, openReport } from './harness.mjs';
import { cli } from '../wasm/helpers.mjs';

const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
const DIFF = read('examples', 'pr-account-cleanup.diff');
const PATCH = read('tests', 'fixtures', 'ai', 'claude_trailer.patch');
const PROJECT = 'acme/platform/shop';
const BASE_SHA = 'b'.repeat(40);
const HEAD_SHA = 'c'.repeat(40);
const ROOT_URL = `https://gitlab.com/${PROJECT}`;
const COMMIT = '9'.repeat(40);

const api = {
  iid: 7,
  title: 'Purge archived invoices',
  description: 'Deletes invoices older than the retention window.',
  author: { username: 'octocat', name: 'Octo Cat' },
  target_branch: 'release/2.0',
  source_branch: 'claude/purge-invoices',
  labels: ['billing'],
  diff_refs: { base_sha: BASE_SHA, head_sha: HEAD_SHA, start_sha: BASE_SHA },
};
const { modified, files, history, hot } = exampleRepo(DIFF, { base: BASE_SHA, head: HEAD_SHA, people: ['Ann', 'Bob', 'Dan'], author: 'Octo Cat' });
const mrs = {
  7: { title: api.title, diff: DIFF, patch: PATCH, api },
  8: { title: api.title, diff: DIFF, patch: PATCH, api: { ...api, iid: 8 }, view: 'legacy', approvals: { approved_by: [{ user: { username: 'alice' } }, { user: { username: '<img>' } }] } },
  9: { title: 'Fix retry limit', diff: read('tests', 'browser', 'fixtures', 'hostile.diff'), api: { iid: 9, target_branch: 'nopolicy' } },
};
// What the engine parses at all, from the CLI on the same diff.
const native = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], DIFF).stdout);
const parsed = native.syntax.filter((s) => s.source === 'full' || s.source === 'hunks').map((s) => s.path);

let b;
before(async () => {
  b = await launchWithExtension({ gitlab: { project: PROJECT, mrs, files, history, commits: {
    [COMMIT]: { title: 'Fix retry limit', diff: read('tests', 'browser', 'fixtures', 'hostile.diff') },
    // The example change as one commit whose first parent is BASE_SHA.
    [HEAD_SHA]: { title: api.title, diff: DIFF, api: { id: HEAD_SHA, title: api.title, author_name: 'Octo Cat', parent_ids: [BASE_SHA, 'a'.repeat(40)] } },
  } } });
});
after(async () => {
  await b?.close();
});

test('GitLab Rapid Diffs: markers on the flagged lines; policy at the target branch, API, .patch and whole files from gitlab.com only', async () => {
  const from = b.requests.length;
  const { page, p } = await openReport(b, `${ROOT_URL}/-/merge_requests/7/diffs`, 'inline');
  assert.ok(p.jump.length >= 5, JSON.stringify(p.jump));
  await page.screenshot({ path: join(OUT, 'gitlab-mr.png') });

  // The target branch (from the API, not shown by the page) gave the policy.
  // AI-assisted change to a load-bearing path, nobody approved: sign-off
  // from @alice needed. Whole files at the diff's base and head commits;
  // history from GitLab's commits API at the diff's base.
  await assertExampleReport(page, p, { parsedFiles: parsed.length, hot });
  assert.ok(p.jump.some((j) => j.text.includes('Destructive SQL')), "main's policy was not used");

  const urls = b.requests.slice(from).map((r) => r.url);
  for (const u of [
    `${ROOT_URL}/-/merge_requests/7.diff`,
    `${ROOT_URL}/-/merge_requests/7.patch`,
    `https://gitlab.com/api/v4/projects/${encodeURIComponent(PROJECT)}/merge_requests/7`,
    `https://gitlab.com/api/v4/projects/${encodeURIComponent(PROJECT)}/merge_requests/7/approvals`,
    `${ROOT_URL}/-/raw/release/2.0/.blastradius.toml`,
    `${ROOT_URL}/-/raw/release/2.0/.blastradius/rules/team.toml`,
  ]) assert.ok(urls.includes(u), `${u} not requested\n${urls.join('\n')}`);
  for (const f of modified.filter((m) => parsed.includes(m.path))) {
    assert.ok(urls.includes(`${ROOT_URL}/-/raw/${BASE_SHA}/${f.old}`), `${f.old} at base`);
    assert.ok(urls.includes(`${ROOT_URL}/-/raw/${HEAD_SHA}/${f.path}`), `${f.path} at head`);
  }
  assert.ok(!urls.some((u) => u.includes('/-/raw/main/')), urls.join('\n'));
  assert.ok(urls.includes(`https://gitlab.com/api/v4/projects/${encodeURIComponent(PROJECT)}/repository/commits?ref_name=${BASE_SHA}&path=${encodeURIComponent(hot.old)}&per_page=20`), urls.join('\n'));
  // Nothing but gitlab.com (and the extension itself).
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['gitlab.com']), []);
  await page.close();
});

test('GitLab parallel view in the dark theme: each side marked in its own column, in GitLab\'s dark colours', async () => {
  const { page, p, geo } = await openReport(b, `${ROOT_URL}/-/merge_requests/7/diffs?view=parallel&theme=dark`, 'parallel');
  assert.ok(p.jump.some((j) => j.side === 'old') && p.jump.some((j) => j.side === 'new'), 'findings on both sides');
  // The left (old) column's cells lie left of the right (new) column's.
  const oldLeft = Math.max(...geo.filter((g) => g.key.startsWith('old|')).map((g) => g.cell.left));
  const newLeft = Math.min(...geo.filter((g) => g.key.startsWith('new|')).map((g) => g.cell.left));
  assert.ok(oldLeft < newLeft, `old column at ${oldLeft}, new at ${newLeft}`);
  // A warning's marker takes GitLab's dark-theme token (the fixture's
  // --gl-feedback-warning-text-color, #f5d9a8), not a GitHub colour.
  const warning = geo.find((g) => /\bsev-warning\b/.test(g.severity));
  assert.ok(warning, 'the example has a warning');
  assert.equal(warning.color, 'rgb(245, 217, 168)');
  const panelBg = await page.evaluate(() => getComputedStyle(document.getElementById('blastradius-panel').shadowRoot.querySelector('.panel')).backgroundColor);
  assert.equal(panelBg, 'rgb(24, 23, 29)', 'the panel takes GitLab\'s dark background');
  await page.screenshot({ path: join(OUT, 'gitlab-mr-dark-parallel.png') });
  await page.close();
});

test('GitLab\'s older diff grid: markers found through its interop line attributes; an approval from the API satisfies the sign-off', async () => {
  const { page, p } = await openReport(b, `${ROOT_URL}/-/merge_requests/8/diffs`, 'legacy');
  assert.ok(p.jump.length >= 5, JSON.stringify(p.jump));
  // alice approved (a login that is not a login is dropped): no sign-off finding.
  assert.equal(p.approvals, 'Approved by: @alice');
  const card = await cardText(page, 'app/billing/retention.py:1');
  assert.ok(!card.includes('needs sign-off'), card);
  assert.ok(card.includes('Load-bearing code changed'), card);
  await page.close();
});

test('GitLab: hostile file names and code stay text; the overview tab and other pages get nothing', async () => {
  const hostile = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], mrs[9].diff).stdout);
  const page = await b.context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto(`${ROOT_URL}/-/merge_requests/9/diffs`);
  const p = await panel(page);
  assert.equal(p.jump.length, hostile.findings.length);
  assert.ok(p.jump.every((j) => j.located === 'true'), JSON.stringify(p.jump));
  assert.deepEqual(p.counts, hostile.summary.findings);
  await drawn(page, p.jump.length);
  assertOnLines(await geometry(page, 'inline', p.jump));
  for (const m of await page.locator('#blastradius-markers button.marker').all()) {
    await m.click();
    const text = await page.locator('#blastradius-markers .card').textContent();
    assert.ok(text.includes('<img src=x onerror='), text);
  }
  const injected = await page.evaluate(() => ['blastradius-markers', 'blastradius-panel']
    .map((id) => document.getElementById(id).shadowRoot.querySelectorAll('img, script, iframe, [onerror]').length));
  assert.deepEqual(injected, [0, 0]);
  assert.deepEqual(dialogs, []);
  for (const url of [`${ROOT_URL}/-/merge_requests/9`, `${ROOT_URL}/-/merge_requests/9/commits`, 'https://gitlab.com/explore']) {
    const other = await b.context.newPage();
    await other.goto(url);
    await other.waitForTimeout(500);
    assert.equal(await other.evaluate(() => document.getElementById('blastradius-panel')), null, url);
    await other.close();
  }
  assert.deepEqual(foreignRequests(b.requests, b.extensionId, ['gitlab.com']), []);
  await page.close();
});

test('GitLab commit page: its .diff analysed and drawn; the policy read at the default branch (HEAD)', async () => {
  const expected = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], read('tests', 'browser', 'fixtures', 'hostile.diff')).stdout);
  const from = b.requests.length;
  const { page, p } = await openReport(b, `${ROOT_URL}/-/commit/${COMMIT}`, 'inline');
  assert.deepEqual(p.counts, expected.summary.findings);
  const urls = b.requests.slice(from).map((r) => r.url);
  assert.ok(urls.includes(`${ROOT_URL}/-/commit/${COMMIT}.diff`), urls.join('\n'));
  assert.ok(urls.includes(`${ROOT_URL}/-/raw/HEAD/.blastradius.toml`), urls.join('\n'));
  assert.ok(!urls.some((u) => u.includes('/merge_requests/')), 'no merge request API for a commit');
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['gitlab.com']), []);
  await page.close();
});

test("GitLab commit page: the commits API names the first parent, so whole files and history come from the parent and the commit", async () => {
  const from = b.requests.length;
  const { page, p } = await openReport(b, `${ROOT_URL}/-/commit/${HEAD_SHA}`, 'inline');
  assert.equal(p.syntax, `Syntax: whole files for all ${parsed.length} parsed files`);
  // The commit's author (by git author name) is new to the hot file.
  assert.equal(p.history, `History: ${hot.path} changed 12 times in 90 days by 3 authors (hotspot); new to the author: ${hot.path}`);
  const urls = b.requests.slice(from).map((r) => r.url);
  assert.ok(urls.includes(`https://gitlab.com/api/v4/projects/${encodeURIComponent(PROJECT)}/repository/commits/${HEAD_SHA}`), urls.join('\n'));
  for (const f of modified.filter((m) => parsed.includes(m.path))) {
    assert.ok(urls.includes(`${ROOT_URL}/-/raw/${BASE_SHA}/${f.old}`), `${f.old} at the parent`);
    assert.ok(urls.includes(`${ROOT_URL}/-/raw/${HEAD_SHA}/${f.path}`), `${f.path} at the commit`);
  }
  assert.deepEqual(foreignRequests(b.requests.slice(from), b.extensionId, ['gitlab.com']), []);
  await page.close();
});
