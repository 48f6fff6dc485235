// End to end: what the extension reads besides the .diff, from the code host
// only: the pull request's .patch (commit trailers for AI authorship), the
// page's PR metadata, the repository policy and the rule packs it names at
// the PR's base branch, and the user's own packs and fallback policy from
// the options page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OUT, ROOT, atomFeed, exampleRepo, foreignRequests, launchWithExtension, openReport } from './harness.mjs';
import { cli } from '../wasm/helpers.mjs';

const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
const DIFF = read('examples', 'pr-account-cleanup.diff');
const PATCH = read('tests', 'fixtures', 'ai', 'claude_trailer.patch');
const POLICY = read('tests', 'browser', 'fixtures', 'repo', 'policy.toml');
const PACK = read('tests', 'browser', 'fixtures', 'repo', 'team.toml');

// The conversation tab's sidebar: every state and both markups of a review.
const REVIEWS = [
  { login: 'alice', state: 'commented' }, // the policy's required reviewer, no approval
  { login: 'bob', state: 'approved' },
  { login: 'carol', state: 'approved', form: 'aria' },
  { login: 'dave', state: 'pending' },
  { login: 'erin', state: 'changes', form: 'aria' },
  { login: 'frank', state: 'approved', form: 'bare' },
  { login: 'gina', state: 'approved', form: 'unlinked' },
  { login: 'hank', state: 'changes', form: 'unlinked' },
  { login: '<img src=x onerror=alert(1)>', state: 'approved', form: 'bare' },
];
const FOOTER = 'Drops invoices archived for 7 years.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)';
const prs = {
  11: { title: 'Purge archived invoices', diff: DIFF, patch: PATCH, author: 'octocat', baseRef: 'release/2.0', headRef: 'claude/purge-invoices', description: 'Purges invoices.', reviews: REVIEWS },
  12: { title: 'Purge archived invoices', diff: DIFF, baseRef: 'broken' },
  13: { title: 'Purge archived invoices', diff: DIFF, baseRef: 'nopolicy' },
  // AI-assisted by the description's footer alone (no .patch, a plain branch).
  // The reviewers partial alone (no #partial-discussion-sidebar around it).
  14: { title: 'Purge archived invoices', diff: DIFF, baseRef: 'release/2.0', description: FOOTER, reviews: [{ login: 'alice', state: 'approved', form: 'bare' }], sidebar: 'partial' },
  15: { title: 'Purge archived invoices', diff: DIFF, baseRef: 'release/2.0', description: FOOTER, reviews: [{ login: 'alice', state: 'changes' }] },
  16: { title: 'Purge archived invoices', diff: DIFF, baseRef: 'release/2.0', description: FOOTER, reviews: [{ login: 'alice', state: 'approved' }], pageDelay: 6000 },
};
const files = {
  // The base branch's policy; `main` has another one that must not be used.
  'release/2.0': { '.blastradius.toml': POLICY, '.blastradius/rules/team.toml': PACK },
  main: { '.blastradius.toml': '[rules]\ndisable = ["destructive-sql"]\n' },
  broken: { '.blastradius.toml': '[rules]\ndisable = ["todo-added"\n[signoff]\n' },
};

// A commit's own page (outside any pull request), by octocat; its feed
// names the parent, where the files and their history are read.
const COMMIT = '06af34240f25'.padEnd(40, '7');
const PARENT = '5'.repeat(40);
const repo = exampleRepo(DIFF, { base: PARENT, head: COMMIT });
Object.assign(files, { [PARENT]: repo.files[PARENT], [COMMIT]: repo.files[COMMIT] });
const feeds = {
  [COMMIT]: atomFeed([['octocat', 1, COMMIT], ['ann', 2, PARENT], ['bob', 3, '4'.repeat(40)]]),
  [PARENT]: Object.fromEntries(Object.entries(repo.history[PARENT]).map(([path, list]) => [path, atomFeed(list)])),
};

// A comparison of two branches (classic markup): the base branch's files
// and policy, the head branch's files.
const HEAD_BRANCH = 'claude/purge-invoices';
const cmpRepo = exampleRepo(DIFF, { base: 'release/2.0', head: HEAD_BRANCH });
Object.assign(files['release/2.0'], cmpRepo.files['release/2.0']);
files[HEAD_BRANCH] = cmpRepo.files[HEAD_BRANCH];
const compares = { [`release/2.0...${HEAD_BRANCH}`]: { title: 'Purge archived invoices', diff: DIFF, patch: PATCH } };

let b;
before(async () => {
  b = await launchWithExtension({ prs, files, feeds, compares, commits: { [COMMIT]: { title: 'Purge archived invoices', diff: DIFF, patch: PATCH } } });
});
after(async () => {
  await b?.close();
});

async function panel(page) {
  await page.waitForFunction(() => {
    const root = document.getElementById('blastradius-panel')?.shadowRoot;
    return root && root.querySelectorAll('.jump button[data-located]').length > 0;
  }, null, { timeout: 20000 });
  return page.evaluate(() => {
    const root = document.getElementById('blastradius-panel').shadowRoot;
    const fact = (k) => root.querySelector(`[data-fact="${k}"]`)?.textContent ?? null;
    return {
      jump: [...root.querySelectorAll('.jump button')].map((x) => x.textContent),
      policy: fact('policy'),
      authorship: fact('authorship'),
      approvals: fact('approvals'),
      syntax: fact('syntax'),
      history: fact('history'),
      problems: [...root.querySelectorAll('[data-fact="config-problems"] li')].map((li) => li.textContent),
      problemsHtml: root.querySelector('[data-fact="config-problems"]')?.innerHTML ?? '',
    };
  });
}
const has = (jump, text) => jump.some((t) => t.includes(text));

test('the base branch policy, its rule pack, the .patch trailers and the page metadata reach the analysis', async () => {
  const page = await b.context.newPage();
  const before = b.requests.length;
  await page.goto('https://github.com/acme/shop/pull/11/changes');
  const p = await panel(page);
  await page.screenshot({ path: join(OUT, 'pr-policy.png') });

  assert.equal(p.policy, 'Policy: .blastradius.toml at release/2.0');
  // The pack named by the policy fired; the policy disabled a built-in rule.
  assert.ok(has(p.jump, 'Row count returned from a purge'), p.jump.join('\n'));
  assert.ok(!has(p.jump, 'TLS'), p.jump.join('\n'));
  // main's policy (which disables destructive-sql) was not used.
  assert.ok(has(p.jump, 'Destructive SQL'), p.jump.join('\n'));
  // Load-bearing path, and the Claude trailer of the .patch makes it AI-assisted: sign-off needed.
  // Load-bearing path, AI-assisted by the .patch's Claude trailer: sign-off needed. These
  // share line 1 of the new file, so they are one jump entry: its card lists all of them.
  await page.locator('#blastradius-panel .jump button', { hasText: 'app/billing/retention.py:1' }).click();
  const card = page.locator('#blastradius-markers .card');
  await card.waitFor({ state: 'visible' });
  const cardText = await card.textContent();
  assert.ok(cardText.includes('Load-bearing code changed: Moves money'), cardText);
  assert.ok(cardText.includes('needs sign-off from @alice'), cardText);
  assert.match(cardText, /commit 06af34240f25 was (authored by an AI agent|written with AI assistance) \(Claude Code\)/);
  assert.ok(cardText.includes('Co-Authored-By: Claude'), cardText);
  await page.keyboard.press('Escape');
  assert.match(p.authorship, /AI authorship: confirmed .*claude-code/);
  assert.deepEqual(p.problems, []);
  // From the conversation tab's sidebar: the approvals in every markup (a
  // tooltip linked or not, an aria-label, a bare check; words first, then
  // checks); alice only commented, others are pending or asked for changes,
  // and a name that is not a login is dropped.
  assert.equal(p.approvals, 'Approved by: @bob, @carol, @gina, @frank');

  const urls = b.requests.slice(before).map((r) => r.url);
  assert.ok(urls.includes('https://github.com/acme/shop/pull/11'), urls.join('\n'));
  assert.ok(urls.includes('https://github.com/acme/shop/pull/11.patch'), urls.join('\n'));
  assert.ok(urls.includes('https://raw.githubusercontent.com/acme/shop/release/2.0/.blastradius.toml'), urls.join('\n'));
  assert.ok(urls.includes('https://raw.githubusercontent.com/acme/shop/release/2.0/.blastradius/rules/team.toml'), urls.join('\n'));
  assert.ok(!urls.some((u) => u.includes('/main/')), urls.join('\n'));
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

/** The card of the retention file's first line, where the policy's findings sit. */
async function retentionCard(page) {
  await page.locator('#blastradius-panel .jump button', { hasText: 'app/billing/retention.py:1' }).click();
  const card = page.locator('#blastradius-markers .card');
  await card.waitFor({ state: 'visible' });
  const text = await card.textContent();
  await page.keyboard.press('Escape');
  return text;
}

test("GitHub's conversation tab: the description's AI footer and the reviewers' approvals reach the policy", async () => {
  const page = await b.context.newPage();
  const from = b.requests.length;
  // The description's "Generated with Claude Code" is the only AI evidence:
  // alice, the required reviewer, asked for changes, so her sign-off is due.
  await page.goto('https://github.com/acme/shop/pull/15/changes');
  let p = await panel(page);
  assert.match(p.authorship, /AI authorship: confirmed .*claude-code/);
  assert.equal(p.approvals, null);
  let card = await retentionCard(page);
  assert.ok(card.includes('needs sign-off from @alice'), card);
  assert.ok(card.includes('Generated with [Claude Code]'), card);
  // alice approved this one: the sign-off is satisfied.
  await page.goto('https://github.com/acme/shop/pull/14/changes');
  p = await panel(page);
  assert.match(p.authorship, /AI authorship: confirmed .*claude-code/);
  assert.equal(p.approvals, 'Approved by: @alice');
  card = await retentionCard(page);
  assert.ok(!card.includes('needs sign-off') && card.includes('Load-bearing code changed'), card);
  assert.deepEqual(p.problems, []);
  const urls = b.requests.slice(from).map((r) => r.url);
  for (const n of [14, 15]) assert.ok(urls.includes(`https://github.com/acme/shop/pull/${n}`), urls.join('\n'));
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

test('a conversation tab slower than the wait is left out, said so, and the analysis goes on', async () => {
  const page = await b.context.newPage();
  await page.goto('https://github.com/acme/shop/pull/16/changes');
  const p = await panel(page);
  assert.equal(p.approvals, null);
  assert.ok(!/claude-code/.test(p.authorship ?? ''), `the footer was not read: ${p.authorship}`);
  assert.equal(p.problems.length, 1, p.problems.join('\n'));
  assert.match(p.problems[0], /^the pull request's page \(https:\/\/github\.com\/acme\/shop\/pull\/16\) did not arrive within 3 s of the diff: its description, labels and approvals were not used$/);
  assert.ok(has(p.jump, 'Destructive SQL'), p.jump.join('\n'));
  assert.equal(p.policy, 'Policy: .blastradius.toml at release/2.0');
  await page.close();
});

test("a commit's own page: its .diff and .patch analysed, its parent from the commit feed (whole files, history), the policy at the default branch, nothing of a pull request asked for", async () => {
  const page = await b.context.newPage();
  const from = b.requests.length;
  await page.goto(`https://github.com/acme/shop/commit/${COMMIT}`);
  const p = await panel(page);
  await page.screenshot({ path: join(OUT, 'github-commit.png') });
  assert.ok(has(p.jump, 'Destructive SQL') && has(p.jump, 'TLS'), p.jump.join('\n'));
  assert.match(p.authorship, /AI authorship: confirmed .*claude-code/, "the .patch's trailer");
  // No policy at the default branch here: none applies, and none is a problem.
  assert.equal(p.policy, null);
  assert.deepEqual(p.problems, []);
  // The feed's second entry is the parent: both sides whole, history there,
  // and octocat (the feed's author of the commit) never touched the hot file.
  const native = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], DIFF).stdout);
  const parsed = native.syntax.filter((x) => x.source === 'full' || x.source === 'hunks').length;
  assert.equal(p.syntax, `Syntax: whole files for all ${parsed} parsed files`);
  assert.equal(p.history, `History: ${repo.hot.path} changed 12 times in 90 days by 3 authors (hotspot); new to the author: ${repo.hot.path}`);
  const urls = b.requests.slice(from).map((r) => r.url);
  for (const u of [
    `https://github.com/acme/shop/commit/${COMMIT}.diff`,
    `https://github.com/acme/shop/commit/${COMMIT}.patch`,
    `https://github.com/acme/shop/commits/${COMMIT}.atom`,
    'https://raw.githubusercontent.com/acme/shop/HEAD/.blastradius.toml',
    `https://raw.githubusercontent.com/acme/shop/${PARENT}/${repo.hot.old}`,
    `https://raw.githubusercontent.com/acme/shop/${COMMIT}/${repo.hot.path}`,
  ]) assert.ok(urls.includes(u), `${u} not requested\n${urls.join('\n')}`);
  assert.ok(!urls.some((u) => u.includes('/pull/')), urls.join('\n'));
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

test("a comparison of two branches in GitHub's classic markup: markers on their lines, the base branch's policy, whole files at both refs", async () => {
  const from = b.requests.length;
  const { page, p } = await openReport(b, `https://github.com/acme/shop/compare/release/2.0...${HEAD_BRANCH}`, 'classic');
  await page.screenshot({ path: join(OUT, 'github-compare-classic.png') });
  assert.ok(p.jump.length >= 5, JSON.stringify(p.jump));
  assert.ok(p.jump.some((j) => j.side === 'old'), 'a finding on a removed line is drawn too');
  assert.equal(p.policy, 'Policy: .blastradius.toml at release/2.0');
  assert.match(p.authorship, /AI authorship: confirmed .*claude-code/, "the .patch's trailer");
  const native = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], DIFF).stdout);
  const parsed = native.syntax.filter((x) => x.source === 'full' || x.source === 'hunks').length;
  assert.equal(p.syntax, `Syntax: whole files for all ${parsed} parsed files`);
  const urls = b.requests.slice(from).map((r) => r.url);
  for (const u of [
    `https://github.com/acme/shop/compare/release/2.0...${HEAD_BRANCH}.diff`,
    `https://github.com/acme/shop/compare/release/2.0...${HEAD_BRANCH}.patch`,
    `https://raw.githubusercontent.com/acme/shop/release/2.0/${cmpRepo.hot.old}`,
    `https://raw.githubusercontent.com/acme/shop/${HEAD_BRANCH}/${cmpRepo.hot.path}`,
  ]) assert.ok(urls.includes(u), `${u} not requested\n${urls.join('\n')}`);
  assert.ok(!urls.some((u) => u.includes('/pull/')), urls.join('\n'));
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

test('a broken policy is reported with line and column, and the built-in rules still apply', async () => {
  const page = await b.context.newPage();
  await page.goto('https://github.com/acme/shop/pull/12/changes');
  const p = await panel(page);
  assert.equal(p.policy, 'Policy: .blastradius.toml at broken');
  assert.equal(p.problems.length, 1, p.problems.join('\n'));
  assert.match(p.problems[0], /^\.blastradius\.toml:\d+:\d+: /);
  // Shown as text.
  assert.ok(!p.problemsHtml.includes('<script'), p.problemsHtml);
  // Defaults: TLS and destructive SQL findings are there.
  assert.ok(has(p.jump, 'TLS') && has(p.jump, 'Destructive SQL'), p.jump.join('\n'));
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

test('options page: rule packs and the fallback policy are checked by the engine, saved, and applied', async () => {
  const opts = await b.context.newPage();
  await opts.goto(`chrome-extension://${b.extensionId}/options/options.html`);
  // A pack with a bad regex: not saved, the engine's error is shown as text.
  await opts.fill('#userPacks', '[[rule]]\nid = "x"\nmessage = "m"\nexplanation = "e"\nseverity = "warning"\nadded = [\'(<img src=x onerror=alert(1)>\']\n');
  await opts.click('#save');
  await opts.waitForSelector('#problems:not([hidden])');
  const bad = await opts.$$eval('#problemList li', (lis) => lis.map((li) => li.textContent));
  assert.equal(bad.length, 1, bad.join('\n'));
  assert.match(bad[0], /^rule packs:\d+:\d+: /);
  assert.equal(await opts.$$eval('#problemList img', (x) => x.length), 0);
  assert.equal(await b.sw.evaluate(() => chrome.storage.local.get('userPacks').then((o) => o.userPacks ?? null)), null);

  // A good pack and a fallback policy: saved.
  await opts.fill('#userPacks', PACK.replace('team-rowcount-returned', 'my-rowcount').replace('Row count returned from a purge', 'My rule: row count returned'));
  await opts.fill('#fallbackPolicy', '[rules]\ndisable = ["destructive-sql"]\n');
  await opts.click('#save');
  await opts.waitForFunction(() => document.getElementById('saved').textContent === 'Saved.');
  assert.equal(await opts.isHidden('#problems'), true);
  await opts.screenshot({ path: join(OUT, 'options.png'), fullPage: true });

  // A repository without a policy: the fallback applies, the user's pack fires.
  const page = await b.context.newPage();
  await page.goto('https://github.com/acme/shop/pull/13/changes');
  const p = await panel(page);
  assert.equal(p.policy, 'Policy: fallback policy from the extension settings');
  assert.ok(has(p.jump, 'My rule: row count returned'), p.jump.join('\n'));
  assert.ok(!has(p.jump, 'Destructive SQL'), p.jump.join('\n'));
  assert.ok(has(p.jump, 'TLS'), p.jump.join('\n'));

  // A repository policy wins over the fallback; the user's pack still applies.
  await page.goto('https://github.com/acme/shop/pull/11/changes');
  const q = await panel(page);
  assert.equal(q.policy, 'Policy: .blastradius.toml at release/2.0');
  assert.ok(has(q.jump, 'Destructive SQL') && has(q.jump, 'My rule: row count returned'), q.jump.join('\n'));

  await b.sw.evaluate(() => chrome.storage.local.clear());
  await page.close();
  await opts.close();
});
