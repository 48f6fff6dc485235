// End to end: the extension reads the full base and head files of the changed
// source files from the code host's raw URLs (base branch and head commit),
// the engine parses them whole when they agree with the diff, and the panel
// says how much of the change was seen whole.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OUT, ROOT, atomFeed as atom, foreignRequests, launchWithExtension, sidesOf } from './harness.mjs';
import { cli } from '../wasm/helpers.mjs';

const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
const DIFF = read('examples', 'pr-account-cleanup.diff');
const PATCH = read('tests', 'fixtures', 'ai', 'claude_trailer.patch');
const HEAD_SHA = /^From ([0-9a-f]{40}) /m.exec(PATCH)[1];

const modified = sidesOf(DIFF);
const base = {};
const head = {};
for (const f of modified) {
  base[f.old] = `${f.base.join('\n')}\n`;
  head[f.path] = `${f.head.join('\n')}\n`;
}
// A base branch that moved on: one file there no longer matches the diff.
const tampered = modified.find((f) => f.path.endsWith('.py'));
const moved = { ...base, [tampered.old]: `# rewritten on the base branch since\n${base[tampered.old]}` };

// Commit feeds at the base branch: the first parsed modified file is a churn
// hotspot (12 commits in 60 days by three people, none the PR's author); the
// second was last changed by the PR's author.
const [hot, owned] = modified.filter((f) => f.path.match(/\.(py|rs|ts)$/));
const feeds = {
  'release/3.0': {
    [hot.old]: atom(Array.from({ length: 12 }, (_, i) => [['ann', 'bob', 'dan'][i % 3], 5 * i + 1])),
    [owned.old]: atom([['octocat', 200]]),
  },
};

// A big diff (1,600 changed lines: each of 800 functions of one Python file
// returns something else) on a slow host: its whole files take 3 s.
const BIG_PATH = 'shop/pricing_rules.py';
const SLOW_MS = 3000;
const rule = (i, op) => [`def rule_${i}(x):`, `    return x ${op} ${i}`];
const bigBase = Array.from({ length: 800 }, (_, i) => rule(i, '+')).flat();
const bigHead = Array.from({ length: 800 }, (_, i) => rule(i, '*')).flat();
const BIG_DIFF = `diff --git a/${BIG_PATH} b/${BIG_PATH}\nindex 1111111..2222222 100644\n--- a/${BIG_PATH}\n+++ b/${BIG_PATH}\n` +
  `@@ -1,1600 +1,1600 @@\n${Array.from({ length: 800 }, (_, i) => ` ${bigBase[2 * i]}\n-${bigBase[2 * i + 1]}\n+${bigHead[2 * i + 1]}\n`).join('')}`;

const prs = {
  21: { title: 'Purge archived invoices', diff: DIFF, patch: PATCH, baseRef: 'release/3.0', author: 'octocat' },
  22: { title: 'Purge archived invoices', diff: DIFF, patch: PATCH, baseRef: 'moved' },
  23: { title: 'Reprice every rule', diff: BIG_DIFF, patch: PATCH, baseRef: 'release/3.0', author: 'octocat' },
};
const files = {
  'release/3.0': { ...base, [BIG_PATH]: `${bigBase.join('\n')}\n` },
  moved,
  [HEAD_SHA]: { ...head, [BIG_PATH]: `${bigHead.join('\n')}\n` },
};
const fileDelay = (path) => (path === BIG_PATH ? SLOW_MS : 0);

// What the engine parses at all (a grammar, text), from the CLI on the same diff.
const native = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], DIFF).stdout);
const parsed = native.syntax.filter((s) => s.source === 'full' || s.source === 'hunks').map((s) => s.path);
const statusOf = new Map(native.files.map((f) => [f.path, f.status]));
const wholeWithoutFiles = parsed.filter((p) => ['added', 'deleted'].includes(statusOf.get(p))).length;

let b;
before(async () => {
  b = await launchWithExtension({ prs, files, feeds, fileDelay });
});
after(async () => {
  await b?.close();
});

async function syntaxFact(page) {
  await page.waitForFunction(() => {
    const root = document.getElementById('blastradius-panel')?.shadowRoot;
    return root && root.querySelector('[data-fact="syntax"]');
  }, null, { timeout: 20000 });
  return page.evaluate(() => document.getElementById('blastradius-panel').shadowRoot.querySelector('[data-fact="syntax"]').textContent);
}

test('full base and head files are read from the base branch and the head commit and parsed whole', async () => {
  assert.ok(parsed.length >= 4 && wholeWithoutFiles < parsed.length, `${parsed.length} parsed, ${wholeWithoutFiles} added/deleted`);
  const page = await b.context.newPage();
  const from = b.requests.length;
  await page.goto('https://github.com/acme/shop/pull/21/changes');
  assert.equal(await syntaxFact(page), `Syntax: whole files for all ${parsed.length} parsed files`);
  await page.screenshot({ path: join(OUT, 'pr-full-files.png') });
  const urls = b.requests.slice(from).map((r) => r.url);
  for (const f of modified.filter((m) => parsed.includes(m.path))) {
    assert.ok(urls.includes(`https://raw.githubusercontent.com/acme/shop/${HEAD_SHA}/${f.path}`), `${f.path} at head\n${urls.join('\n')}`);
    assert.ok(urls.includes(`https://raw.githubusercontent.com/acme/shop/release/3.0/${f.old}`), `${f.old} at base\n${urls.join('\n')}`);
  }
  const run = await b.sw.evaluate(() => globalThis.blastRadiusLastRun);
  assert.equal(run.fullFiles.fetched, 2 * modified.filter((m) => parsed.includes(m.path)).length, JSON.stringify(run.fullFiles));
  // History from the base branch's commit feeds: the hotspot and who is new to it.
  const history = await page.evaluate(() => document.getElementById('blastradius-panel').shadowRoot.querySelector('[data-fact="history"]')?.textContent);
  assert.equal(history, `History: ${hot.path} changed 12 times in 90 days by 3 authors (hotspot); new to the author: ${hot.path}`);
  assert.ok(urls.includes(`https://github.com/acme/shop/commits/release/3.0/${hot.old}.atom`), urls.join('\n'));
  assert.equal(run.historyFiles, 2);
  // A small diff gets no early report.
  assert.equal(run.earlyMs, 0);
  console.log(`# full files: ${JSON.stringify(run.fullFiles)}`);
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

test('a big diff is first shown from its hunks while its whole files download, then from the files', async () => {
  const page = await b.context.newPage();
  const t0 = Date.now();
  await page.goto('https://github.com/acme/shop/pull/23/changes');
  const status = () => page.evaluate(() => document.getElementById('blastradius-panel')?.shadowRoot?.querySelector('[role="status"], .status')?.textContent ?? '');
  await page.waitForFunction(() => /Early report from the diff's hunks; reading 1 whole file…/
    .test(document.getElementById('blastradius-panel')?.shadowRoot?.textContent ?? ''), null, { timeout: 20000 });
  const earlyAt = Date.now() - t0;
  // Drawn before the files could have arrived, and saying it is partial.
  assert.ok(earlyAt < SLOW_MS, `early report drawn ${earlyAt} ms after navigation`);
  assert.match(await syntaxFact(page), /from the diff's hunks only \(partial\)/);
  await page.screenshot({ path: join(OUT, 'pr-early-report.png') });
  // Then the final report from the whole files replaces it.
  await page.waitForFunction(() => /Syntax: whole files for the parsed file/
    .test(document.getElementById('blastradius-panel')?.shadowRoot?.textContent ?? ''), null, { timeout: 20000 });
  const finalAt = Date.now() - t0;
  assert.ok(finalAt >= SLOW_MS, `final report at ${finalAt} ms`);
  assert.doesNotMatch(await status(), /Early report/);
  const run = await b.sw.evaluate(() => globalThis.blastRadiusLastRun);
  assert.equal(run.changedLines, 1600);
  assert.ok(run.earlyMs > 0, JSON.stringify(run));
  console.log(`# big diff (1,600 changed lines, files served after ${SLOW_MS} ms): early report drawn ${earlyAt} ms after navigation ` +
    `(its analysis ${run.earlyMs.toFixed(0)} ms), final ${finalAt} ms (analysis ${run.analyzeMs.toFixed(0)} ms)`);
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

test('a base file that no longer matches the diff is not used: that file is analysed from its hunks', async () => {
  const page = await b.context.newPage();
  await page.goto('https://github.com/acme/shop/pull/22/changes');
  assert.equal(await syntaxFact(page),
    `Syntax: whole files for ${parsed.length - 1} of ${parsed.length} parsed files; 1 from the diff's hunks only (partial)`);
  await page.close();
});

test('with full files turned off in the options, no file is read and the panel says the rest is partial', async () => {
  await b.sw.evaluate(() => chrome.storage.local.set({ fullFiles: false }));
  const page = await b.context.newPage();
  const from = b.requests.length;
  await page.goto('https://github.com/acme/shop/pull/21/changes');
  const n = parsed.length;
  assert.equal(await syntaxFact(page),
    `Syntax: whole files for ${wholeWithoutFiles} of ${n} parsed files; ${n - wholeWithoutFiles} from the diff's hunks only (partial)`);
  const urls = b.requests.slice(from).map((r) => r.url);
  assert.ok(!urls.some((u) => u.includes(HEAD_SHA)), urls.join('\n'));
  await b.sw.evaluate(() => chrome.storage.local.remove('fullFiles'));
  await page.close();
});
