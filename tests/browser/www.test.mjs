// The offline www/ page (dist/www) in Chromium: a dropped or pasted diff is
// analysed by the same wasm, findings are listed as text, and the page makes
// no request beyond its own files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../../tools/fixture-server.mjs';
import { cli } from '../wasm/helpers.mjs';
import { BASE_ARGS, CHROMIUM, OUT, ROOT } from './harness.mjs';

const WWW = join(ROOT, 'dist', 'www');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
const report = (file) => JSON.parse(cli(['check', file, '--format', 'json', '--fail-on', 'critical']).stdout);
const EXAMPLE = join(ROOT, 'examples', 'pr-account-cleanup.diff');
const HOSTILE = join(ROOT, 'tests', 'browser', 'fixtures', 'hostile.diff');

let server;
let context;
let dir;
const requests = [];
before(async () => {
  server = await startServer({
    tls: false,
    handler: ({ path }) => {
      const rel = normalize(decodeURIComponent(path.split('?')[0])).replace(/^\/+/, '') || 'index.html';
      if (rel.startsWith('..')) return null;
      try {
        return { headers: { 'content-type': TYPES[extname(rel)] || 'application/octet-stream' }, body: readFileSync(join(WWW, rel)) };
      } catch {
        return null;
      }
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'br-www-'));
  context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [...BASE_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  context.on('request', (r) => requests.push(r.url()));
});
after(async () => {
  await context?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openPage() {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(`http://127.0.0.1:${server.port}/index.html`);
  await page.locator('#status').filter({ hasText: 'Ready.' }).waitFor({ timeout: 15000 });
  return { page, errors };
}

const listed = (page) => page.evaluate(() => [...document.querySelectorAll('#findings > li')].map((li) => ({
  rule: li.dataset.rule, text: li.textContent,
})));
const counts = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#counts [data-severity]')].map((li) => [li.dataset.severity, Number(li.querySelector('.n').textContent)])));

test('a dropped .diff is analysed like the CLI does', async () => {
  const expected = report(EXAMPLE);
  const { page, errors } = await openPage();
  const text = readFileSync(EXAMPLE, 'utf8');
  // A real drop event carrying a File, as from the desktop.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'pr-account-cleanup.diff', { type: 'text/x-diff' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.locator('#status').filter({ hasText: 'from pr-account-cleanup.diff' }).waitFor();
  const items = await listed(page);
  assert.deepEqual(items.map((i) => i.rule), expected.findings.map((f) => f.rule_id));
  for (const [i, f] of expected.findings.entries()) {
    assert.ok(items[i].text.includes(`${f.path}:${f.line}`) && items[i].text.includes(f.message), items[i].text);
  }
  assert.deepEqual(await counts(page), expected.summary.findings);
  await page.screenshot({ path: join(OUT, 'www.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a pasted hostile diff is listed as text, never as HTML', async () => {
  const expected = report(HOSTILE);
  const { page, errors } = await openPage();
  await page.fill('#input', readFileSync(HOSTILE, 'utf8'));
  await page.click('#analyze');
  await page.locator('#status').filter({ hasText: 'from the text box' }).waitFor();
  const items = await listed(page);
  assert.equal(items.length, expected.findings.length);
  for (const [i, f] of expected.findings.entries()) {
    assert.ok(items[i].text.includes(f.path), items[i].text);
    assert.ok(items[i].text.includes(f.evidence), items[i].text);
  }
  assert.equal(await page.evaluate(() => document.querySelectorAll('#findings img, #findings script, #findings [onerror]').length), 0);
  // Not a diff: a clear message, no findings.
  await page.fill('#input', 'just some text');
  await page.click('#analyze');
  await page.locator('#status').filter({ hasText: 'Not analysed: the input contains no diff' }).waitFor();
  assert.equal((await listed(page)).length, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a diff in a language the small build lacks loads the full build, and only then', async () => {
  const wasmFull = (u) => u.endsWith('/pkg/blastradius_bg.wasm');
  assert.ok(requests.some((u) => u.endsWith('/pkg-core/blastradius_bg.wasm')));
  assert.ok(!requests.some(wasmFull), 'full build loaded for diffs core can parse');
  const php = 'diff --git a/web/run.php b/web/run.php\n--- a/web/run.php\n+++ b/web/run.php\n@@ -1,3 +1,4 @@\n <?php\n function run($code) {\n+    eval($code);\n }\n';
  const text = php + ['csharp', 'cpp'].map((l) => readFileSync(join(ROOT, 'tests', 'fixtures', 'syntax', l, 'change.diff'), 'utf8')).join('');
  const expected = JSON.parse(cli(['check', '-', '--format', 'json', '--fail-on', 'critical'], text).stdout);
  assert.ok(expected.findings.length >= 1);
  const { page, errors } = await openPage();
  await page.fill('#input', text);
  await page.click('#analyze');
  await page.locator('#status').filter({ hasText: 'from the text box' }).waitFor();
  assert.ok(requests.some(wasmFull));
  const items = await listed(page);
  assert.deepEqual(items.map((i) => i.rule), expected.findings.map((f) => f.rule_id));
  assert.deepEqual(await counts(page), expected.summary.findings);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the report is saved as SARIF, Markdown, HTML and JSON, made in the page and identical to the CLI\'s', async () => {
  const { page, errors } = await openPage();
  assert.equal(await page.locator('#save').isHidden(), true);
  await page.fill('#input', readFileSync(HOSTILE, 'utf8'));
  await page.click('#analyze');
  await page.locator('#status').filter({ hasText: 'from the text box' }).waitFor();
  for (const [format, name] of [['sarif', 'blastradius.sarif'], ['markdown', 'blastradius.md'], ['html', 'blastradius.html'], ['json', 'blastradius.json']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#save-${format}`)]);
    assert.equal(download.suggestedFilename(), name);
    const saved = readFileSync(await download.path(), 'utf8');
    const native = cli(['check', HOSTILE, '--format', format, '--fail-on', 'critical']);
    assert.equal(native.status, 0, native.stderr);
    assert.equal(saved, native.stdout, `${format} differs from the CLI's`);
  }
  // The saved HTML escapes the hostile names and code.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-html')]);
  const html = readFileSync(await download.path(), 'utf8');
  assert.ok(!/<img src=x/i.test(html) && html.includes('&lt;img src=x'), 'hostile text escaped');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page requested nothing but its own files', () => {
  assert.ok(requests.length >= 4, JSON.stringify(requests));
  const origin = `http://127.0.0.1:${server.port}/`;
  // Saved reports are blob: URLs of the page itself.
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith(`blob:${origin}`)), []);
  assert.ok(requests.some((u) => u.endsWith('/pkg-core/blastradius_bg.wasm')));
});
