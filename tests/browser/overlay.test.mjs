// The overlay (extension/content/overlay.js + the GitHub selector table) on
// the fixture page, fed reports directly: fields other helpers add to the
// report (risk, critical_lines, authorship) are drawn when present, and odd or
// missing fields never break the drawing of findings.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../../tools/fixture-server.mjs';
import { cli } from '../wasm/helpers.mjs';
import { pathHash, renderPage } from './github-fixture.mjs';
import { BASE_ARGS, CHROMIUM, OUT, ROOT } from './harness.mjs';

const EXAMPLE = join(ROOT, 'examples', 'pr-account-cleanup.diff');
const base = JSON.parse(cli(['check', EXAMPLE, '--format', 'json', '--fail-on', 'critical']).stdout);
const diff = readFileSync(EXAMPLE, 'utf8');

let server;
let browser;
let dir;
before(async () => {
  server = await startServer({
    tls: false,
    handler: ({ path }) => {
      if (path === '/pr') return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: renderPage({ owner: 'acme', repo: 'shop', number: 7, title: 'Add account cleanup job', diff }) };
      const m = /^\/ext\/(hosts\/(?:common|github)\.js|content\/overlay\.js)$/.exec(path);
      if (m) return { headers: { 'content-type': 'text/javascript' }, body: readFileSync(join(ROOT, 'extension', m[1])) };
      return null;
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'br-overlay-'));
  browser = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
    args: [...BASE_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function draw(report) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.port}/pr`);
  await page.addScriptTag({ url: '/ext/hosts/common.js' });
  await page.addScriptTag({ url: '/ext/hosts/github.js' });
  await page.addScriptTag({ url: '/ext/content/overlay.js' });
  await page.evaluate(async (report) => {
    window.__overlay = new window.BlastRadiusOverlay(window.BlastRadiusHosts.github);
    await window.__overlay.setReport(report);
  }, report);
  await page.waitForTimeout(150); // one animation frame for placement
  return { page, errors };
}

const box = (page, sel, anchor) => page.evaluate(([sel, anchor]) => {
  const r = (e) => e && (({ top, bottom, left, right }) => ({ top, bottom, left, right }))(e.getBoundingClientRect());
  return {
    marker: r(document.getElementById('blastradius-markers').shadowRoot.querySelector(sel)),
    cell: r(document.querySelector(`td.diff-text-cell[data-line-anchor="${anchor}"]`)),
  };
}, [sel, anchor]);

test('risk, critical lines and AI-attributed lines are drawn when the report has them', async () => {
  const report = structuredClone(base);
  report.risk = { score: 0.83, tier: 'high', factors: [
    { name: 'destructive', description: 'destructive database statements', value: 2, weight: 1.2, contribution: 2.4 },
    { name: 'tests_deleted', description: 'tests deleted', value: 2, weight: 0.5, contribution: 1.0 },
    { name: 'size', description: 'small change', value: 31, weight: -0.1, contribution: -0.3 },
  ] };
  report.critical_lines = [
    { rank: 1, path: 'migrations/0042_drop_legacy_sessions.sql', line: 3, score: 0.91, reasons: ['destructive statement', 'no WHERE clause'], hunk: '@@ -0,0 +1,3 @@', text: 'DELETE FROM audit_log;' },
    { rank: 2, path: 'app/billing/retention.py', line: 7, score: 0.55, reasons: ['<b>raw SQL</b>'], hunk: '', text: 'cur = conn.execute(...)' },
  ];
  report.authorship = { ...(report.authorship || {}), verdict: 'confirmed', basis: 'line-attribution', agents: ['Claude Code'], ai_lines: 2,
    lines: [{ path: 'web/src/api/client.ts', start: 6, end: 7, tool: 'claude-code', model: 'claude-opus', source: 'git-ai', commit: null }] };
  const { page, errors } = await draw(report);
  const facts = await page.evaluate(() => Object.fromEntries([...document.getElementById('blastradius-panel').shadowRoot.querySelectorAll('[data-fact]')].map((p) => [p.dataset.fact, p.textContent])));
  assert.match(facts.risk, /^Risk: high \(score 0\.83\) — destructive database statements; tests deleted$/);
  assert.match(facts.authorship, /^AI authorship: confirmed \(from line-attribution · Claude Code · 2 attributed lines\)$/);
  const crit = await page.evaluate(() => [...document.getElementById('blastradius-panel').shadowRoot.querySelectorAll('.crit-list button')].map((b) => b.textContent));
  assert.equal(crit.length, 3);
  assert.ok(crit[0].startsWith('#1migrations/0042_drop_legacy_sessions.sql:3'), crit[0]);
  assert.ok(crit[1].includes('<b>raw SQL</b>'), crit[1]); // text, not markup
  for (const [sel, anchor] of [
    ['.crit-marker[data-kind="critical"][data-line="3"]', `diff-${pathHash('migrations/0042_drop_legacy_sessions.sql')}R3`],
    ['.crit-marker[data-kind="ai"]', `diff-${pathHash('web/src/api/client.ts')}R6`],
  ]) {
    const g = await box(page, sel, anchor);
    assert.ok(g.marker && g.cell, `${sel}: ${JSON.stringify(g)}`);
    const cy = (g.marker.top + g.marker.bottom) / 2;
    assert.ok(cy >= g.cell.top && cy <= g.cell.bottom && g.marker.left > g.cell.left && g.marker.right <= g.cell.right, `${sel}: ${JSON.stringify(g)}`);
  }
  // Findings are still all drawn next to them.
  assert.equal(await page.evaluate(() => document.getElementById('blastradius-markers').shadowRoot.querySelectorAll('button.marker').length), base.findings.length);
  await page.screenshot({ path: join(OUT, 'overlay-extras.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('odd or missing report fields degrade gracefully', async () => {
  for (const mutate of [
    (r) => { delete r.authorship; delete r.summary; },
    (r) => { r.risk = 'very'; r.critical_lines = [null, { path: 5 }, { path: 'x', line: -1 }]; r.authorship = { lines: 'no' }; },
    (r) => { r.findings.push({ path: 'not/in/page.rs', line: 1, side: 'new', severity: 'bogus', message: 'm' }, null); },
  ]) {
    const report = structuredClone(base);
    mutate(report);
    const { page, errors } = await draw(report);
    const n = await page.evaluate(() => document.getElementById('blastradius-markers').shadowRoot.querySelectorAll('button.marker').length);
    assert.equal(n, base.findings.length);
    const missing = await page.evaluate(() => [...document.getElementById('blastradius-panel').shadowRoot.querySelectorAll('.jump button[data-located="false"]')].map((b) => b.textContent));
    assert.ok(missing.every((t) => t.includes('file not shown')), missing.join('|'));
    assert.deepEqual(errors, []);
    await page.close();
  }
});
