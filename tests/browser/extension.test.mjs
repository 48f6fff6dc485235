// End to end: the built Chromium extension (dist/chrome) on a fixture of
// GitHub's React "Files changed" view, served as https://github.com/… by a
// local HTTPS server (Chromium --host-resolver-rules + a self-signed cert), so
// the extension runs through its real match patterns and host permissions.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cli } from '../wasm/helpers.mjs';
import { pathHash } from './github-fixture.mjs';
import { OUT, ROOT, bigDiff, foreignRequests, launchWithExtension } from './harness.mjs';

const PR7 = "https://github.com/acme/shop/pull/7/changes";
const PR8 = 'https://github.com/acme/shop/pull/8/changes';
const expected = (file) => {
  const r = cli(['check', file, '--format', 'json', '--fail-on', 'critical']);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout);
};
const example = expected(join(ROOT, 'examples', 'pr-account-cleanup.diff'));
const hostile = expected(join(ROOT, 'tests', 'browser', 'fixtures', 'hostile.diff'));

let b; // the browser session
before(async () => {
  b = await launchWithExtension();
});
after(async () => {
  await b?.close();
});

// Panel state, read from its (open) shadow root.
async function panelState(page) {
  return page.evaluate(() => {
    const root = document.getElementById('blastradius-panel')?.shadowRoot;
    if (!root) return null;
    const counts = {};
    for (const li of root.querySelectorAll('[data-severity]')) counts[li.dataset.severity] = Number(li.querySelector('.n').textContent);
    const jump = [...root.querySelectorAll('.jump button')].map((x) => ({
      path: x.dataset.path, line: Number(x.dataset.line), side: x.dataset.side, located: x.dataset.located, text: x.textContent,
    }));
    return { counts, jump, status: root.querySelector('.status')?.textContent ?? '', text: root.textContent };
  });
}

async function waitForReport(page, n) {
  await page.waitForFunction((want) => {
    const root = document.getElementById('blastradius-panel')?.shadowRoot;
    return root && root.querySelectorAll('.jump button[data-located]').length === want;
  }, n, { timeout: 20000 });
}

// Marker boxes and the code cell each finding points at.
async function markerGeometry(page, findings) {
  const targets = findings.map((f) => ({
    key: `${f.side}|${f.path}|${f.line}`,
    anchor: `diff-${pathHashOf(f.path)}${f.side === 'old' ? 'L' : 'R'}${f.line}`,
    path: f.path,
  }));
  return page.evaluate((targets) => {
    const root = document.getElementById('blastradius-markers')?.shadowRoot;
    const markers = root ? [...root.querySelectorAll('button.marker')] : [];
    return targets.map((t) => {
      const m = markers.find((x) => `${x.dataset.side}|${x.dataset.path}|${x.dataset.line}` === t.key);
      const cell = document.querySelector(`td.diff-text-cell[data-line-anchor="${t.anchor}"]`);
      const table = cell?.closest('table');
      const box = (e) => (e ? (({ top, bottom, left, right }) => ({ top, bottom, left, right }))(e.getBoundingClientRect()) : null);
      return { key: t.key, marker: box(m), cell: box(cell), table: table?.getAttribute('aria-label') ?? null, label: m?.getAttribute('aria-label') ?? null };
    });
  }, targets);
}
const pathHashOf = (p) => pathHash(p);

function assertMarkersOnLines(geo, findings) {
  for (const [i, g] of geo.entries()) {
    const f = findings[i];
    assert.ok(g.cell, `fixture has no cell for ${g.key}`);
    assert.equal(g.table, `Diff for: ${f.path}`, `cell of ${g.key} is in the wrong table`);
    assert.ok(g.marker, `no marker for ${g.key}`);
    const cy = (g.marker.top + g.marker.bottom) / 2;
    assert.ok(cy >= g.cell.top && cy <= g.cell.bottom, `marker ${g.key} at y=${cy}, line spans ${g.cell.top}..${g.cell.bottom}`);
    assert.ok(g.marker.right <= g.cell.left + 4 && g.marker.right >= g.cell.left - 30, `marker ${g.key} x=${g.marker.left}..${g.marker.right}, code cell starts at ${g.cell.left}`);
    assert.ok(g.label.includes(f.message), `aria-label "${g.label}" lacks "${f.message}"`);
  }
}

test('markers sit on the flagged lines, the panel counts match the CLI, only the code host is contacted', async () => {
  assert.ok(example.findings.length >= 5);
  const page = await b.context.newPage();
  const t0 = Date.now();
  await page.goto(PR7);
  await waitForReport(page, example.findings.length);
  const firstDrawMs = Date.now() - t0;

  const st = await panelState(page);
  assert.deepEqual(st.counts, example.summary.findings);
  assert.equal(st.jump.length, example.findings.length);
  assert.ok(st.jump.every((j) => j.located === 'true'), JSON.stringify(st.jump));
  // Highest severity first.
  const order = ['critical', 'high', 'warning', 'info'];
  const sevs = st.jump.map((j) => example.findings.find((f) => f.path === j.path && f.line === j.line && f.side === j.side).severity);
  assert.deepEqual(sevs, [...sevs].sort((a, c) => order.indexOf(a) - order.indexOf(c)));

  await page.waitForFunction((n) => document.getElementById('blastradius-markers')?.shadowRoot.querySelectorAll('button.marker').length === n, example.findings.length);
  assertMarkersOnLines(await markerGeometry(page, example.findings), example.findings);

  // No focus was taken from the page.
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true);

  // The overlay does not move GitHub's layout: table boxes are the same with and without it.
  const layout = () => page.evaluate(() => [...document.querySelectorAll('table[aria-label]')].map((t) => JSON.stringify(t.getBoundingClientRect())));
  const withOverlay = await layout();

  // Keyboard: the first jump-list entry opens the card on its line.
  const first = example.findings.find((f) => f.severity === 'high');
  const jumpButton = page.locator('#blastradius-panel .jump button').first();
  await jumpButton.focus();
  await page.keyboard.press('Enter');
  const card = page.locator('#blastradius-markers .card');
  await card.waitFor({ state: 'visible' });
  const cardText = await card.textContent();
  assert.ok(cardText.includes(first.message) && cardText.includes(first.explanation.slice(0, 40)), cardText);
  await page.keyboard.press('Escape');
  await card.waitFor({ state: 'detached' });

  // Screenshot with one card open on the migration.
  await page.evaluate(() => window.scrollTo(0, 120));
  const sqlMarker = page.locator('#blastradius-markers button.marker[data-path$=".sql"]').first();
  await sqlMarker.click();
  await card.waitFor({ state: 'visible' });
  await page.waitForTimeout(100);
  const shot = join(OUT, 'pr-files.png');
  await page.screenshot({ path: shot });
  await page.screenshot({ path: join(OUT, 'pr-files-full.png'), fullPage: true });
  const docsShot = join(ROOT, 'docs', 'screenshot.png');
  if (process.env.UPDATE_SCREENSHOT || !existsSync(docsShot)) {
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    copyFileSync(shot, docsShot);
  }
  await page.keyboard.press('Escape');

  const withoutOverlay = await page.evaluate(() => {
    window.scrollTo(0, 0);
    for (const e of document.querySelectorAll('[data-blastradius]')) e.remove();
    return [...document.querySelectorAll('table[aria-label]')].map((t) => JSON.stringify(t.getBoundingClientRect()));
  });
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.deepEqual(withoutOverlay, await page.evaluate(() => [...document.querySelectorAll('table[aria-label]')].map((t) => JSON.stringify(t.getBoundingClientRect()))));
  assert.equal(withOverlay.length, example.summary.files);

  // Network: the diff was fetched by the extension (through the redirect), and
  // nothing went anywhere but the code host and the extension's own files.
  const diffReqs = b.requests.filter((r) => r.url === 'https://github.com/acme/shop/pull/7.diff');
  assert.ok(diffReqs.length >= 1, `the .diff request was not recorded: ${JSON.stringify(b.requests)}`);
  assert.ok(b.server.log.some((r) => r.host === 'patch-diff.githubusercontent.com' && r.path === '/raw/acme/shop/pull/7.diff'), 'redirect not followed');
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  const run = await b.sw.evaluate(() => globalThis.blastRadiusLastRun);
  console.log(`# example PR: panel drawn ${firstDrawMs} ms after navigation (cold service worker); wasm init ${run.initMs.toFixed(0)} ms, ` +
    `fetch ${run.fetchMs.toFixed(0)} ms, then waited ${run.warmWaitMs.toFixed(0)} ms for the engine warm-up, .patch and policy, ` +
    `(warm-up itself ${run.warmUpMs.toFixed(0)} ms), ${run.filesMs.toFixed(0)} ms for full files (${JSON.stringify(run.fullFiles)}), ${run.build} build, analysis ${run.analyzeMs.toFixed(0)} ms; requests recorded: ${b.requests.length}`);
  await page.close();
});

test('options: minimum severity and per-repository opt-out apply to an open page', async () => {
  const page = await b.context.newPage();
  await page.goto(PR7);
  await waitForReport(page, example.findings.length);
  await b.sw.evaluate(() => chrome.storage.local.set({ minSeverity: 'high' }));
  const high = example.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
  assert.ok(high.length > 0 && high.length < example.findings.length);
  await waitForReport(page, high.length);
  const st = await panelState(page);
  assert.equal(st.counts.warning, 0);
  assert.equal(st.counts.high, example.summary.findings.high);
  assert.equal(await page.evaluate(() => document.getElementById('blastradius-markers').shadowRoot.querySelectorAll('button.marker[data-severity="warning"]').length), 0);

  await b.sw.evaluate(() => chrome.storage.local.set({ disabledRepos: ['ACME/shop'] }));
  await page.waitForFunction(() => !document.getElementById('blastradius-panel'));
  await b.sw.evaluate(() => chrome.storage.local.set({ minSeverity: 'info', disabledRepos: [] }));
  await waitForReport(page, example.findings.length);
  await page.close();
});

test('the options page saves settings to storage', async () => {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/options/options.html`);
  await page.selectOption('#minSeverity', 'warning');
  await page.fill('#disabledRepos', 'octo/private\nnot a repo\nocto/private');
  assert.equal(await page.isChecked('#fullFiles'), true);
  await page.uncheck('#fullFiles');
  await page.click('#save');
  await page.locator('#saved').filter({ hasText: 'Saved' }).waitFor();
  assert.deepEqual(await b.sw.evaluate(() => chrome.storage.local.get(null)),
    { minSeverity: 'warning', disabledRepos: ['octo/private'], userPacks: '', fallbackPolicy: '', fullFiles: false, instances: [] });
  await b.sw.evaluate(() => chrome.storage.local.clear());
  await page.close();
});

test('soft navigation from the conversation tab to the files tab draws the markers', async () => {
  const page = await b.context.newPage();
  await page.goto('https://github.com/acme/shop/pull/7');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.getElementById('blastradius-panel')), null);
  await page.click('a[data-soft-nav="files"]');
  await page.waitForURL(PR7);
  await waitForReport(page, example.findings.length);
  assert.deepEqual((await panelState(page)).counts, example.summary.findings);
  await page.waitForFunction((n) => document.getElementById('blastradius-markers')?.shadowRoot.querySelectorAll('button.marker').length === n, example.findings.length);
  assertMarkersOnLines(await markerGeometry(page, example.findings), example.findings);
  // And back: the overlay is removed.
  await page.click('a[data-soft-nav="conversation"]');
  await page.waitForFunction(() => !document.getElementById('blastradius-panel'));
  await page.close();
});

test('split view: markers sit on the flagged line of the right side', async () => {
  const page = await b.context.newPage();
  await page.goto(`${PR7}?diff=split`);
  assert.equal(await page.evaluate(() => document.querySelector('table[role="grid"] colgroup').children.length), 4);
  await waitForReport(page, example.findings.length);
  await page.waitForFunction((n) => document.getElementById('blastradius-markers')?.shadowRoot.querySelectorAll('button.marker').length === n, example.findings.length);
  const geo = await markerGeometry(page, example.findings);
  assertMarkersOnLines(geo, example.findings);
  // Old-side findings are on the left half, new-side ones on the right half.
  for (const [i, f] of example.findings.entries()) {
    const cls = await page.evaluate((a) => document.querySelector(`td[data-line-anchor="${a}"]`).className, `diff-${pathHashOf(f.path)}${f.side === 'old' ? 'L' : 'R'}${f.line}`);
    assert.ok(cls.includes(f.side === 'old' ? 'left-side-diff-cell' : 'right-side-diff-cell'), `${geo[i].key}: ${cls}`);
  }
  await page.screenshot({ path: join(OUT, 'pr-files-split.png') });
  await page.close();
});

test('hostile file names and code lines are shown as text, never as HTML', async () => {
  const page = await b.context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto(PR8);
  await waitForReport(page, hostile.findings.length);
  const st = await panelState(page);
  assert.deepEqual(st.counts, hostile.summary.findings);
  assert.ok(st.text.includes(hostile.findings[0].path), st.text);
  await page.waitForFunction((n) => document.getElementById('blastradius-markers')?.shadowRoot.querySelectorAll('button.marker').length === n, hostile.findings.length);
  assertMarkersOnLines(await markerGeometry(page, hostile.findings), hostile.findings);
  for (const m of await page.locator('#blastradius-markers button.marker').all()) {
    await m.click();
    const text = await page.locator('#blastradius-markers .card').textContent();
    assert.ok(text.includes('<img src=x onerror='), text);
  }
  const imgs = await page.evaluate(() => ['blastradius-markers', 'blastradius-panel'].map((id) => document.getElementById(id).shadowRoot.querySelectorAll('img, script, iframe, [onerror]').length));
  assert.deepEqual(imgs, [0, 0]);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

test('a 300-file pull request: every finding listed, markers drawn only near the viewport', async () => {
  const page = await b.context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  });
  const t0 = Date.now();
  await page.goto('https://github.com/acme/shop/pull/9/changes');
  await page.waitForLoadState('load');
  const loaded = Date.now() - t0;
  // Every finding the native CLI reports for the same diff: the 300 DROP
  // TABLE lines plus whatever else fires (e.g. an info-level content signal).
  const native = cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], bigDiff(300));
  assert.equal(native.status, 0, native.stderr);
  const nativeReport = JSON.parse(native.stdout);
  await waitForReport(page, nativeReport.findings.length);
  const drawn = Date.now() - t0;
  const st = await panelState(page);
  assert.equal(st.counts.high, 300);
  assert.deepEqual(st.counts, nativeReport.summary.findings);
  const markers = () => page.evaluate(() => [...document.getElementById('blastradius-markers').shadowRoot.querySelectorAll('button.marker')].map((m) => m.dataset.path));
  const first = await markers();
  assert.ok(first.length >= 1 && first.length < 60, `${first.length} markers drawn at the top of a 300-file page`);
  assert.ok(first.includes('db/migrations/0000_cleanup.sql'));
  // Scroll to the last file: its marker appears on its line, the first file's goes away.
  await page.evaluate(() => document.querySelector('table[aria-label="Diff for: db/migrations/0299_cleanup.sql"]').scrollIntoView());
  await page.waitForFunction(() => [...document.getElementById('blastradius-markers').shadowRoot.querySelectorAll('button.marker')].some((m) => m.dataset.path === 'db/migrations/0299_cleanup.sql'));
  const last = { path: 'db/migrations/0299_cleanup.sql', side: 'new', line: 10, message: 'Destructive SQL' };
  assertMarkersOnLines(await markerGeometry(page, [last]), [last]);
  assert.ok(!(await markers()).includes('db/migrations/0000_cleanup.sql'));
  const run = await b.sw.evaluate(() => globalThis.blastRadiusLastRun);
  const longTasks = await page.evaluate(() => window.__longTasks);
  console.log(`# 300-file PR (${run.bytes} bytes of diff): page load ${loaded} ms, panel drawn ${drawn} ms after navigation; ` +
    `service worker: wasm init ${run.initMs.toFixed(0)} ms (0 when warm), fetch ${run.fetchMs.toFixed(0)} ms, analysis ${run.analyzeMs.toFixed(0)} ms; ` +
    `page long tasks: ${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms`);
  assert.equal(bigDiff(300).split('DROP TABLE').length - 1, 300);
  await page.close();
});
