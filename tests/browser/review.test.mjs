// End to end: a reviewer dismisses a finding with a reason; it disappears
// from the markers, counts and jump list, stays dismissed after a reload
// (chrome.storage.local, per repository, nothing sent anywhere), can be
// restored from the panel, and the options page counts and forgets them;
// and the keyboard walks the flagged lines.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cli } from '../wasm/helpers.mjs';
import { OUT, ROOT, foreignRequests, launchWithExtension, panel } from './harness.mjs';

const PR7 = 'https://github.com/acme/shop/pull/7/changes';
const example = JSON.parse(cli(['check', join(ROOT, 'examples', 'pr-account-cleanup.diff'), '--format', 'json', '--fail-on', 'critical']).stdout);
// A finding alone on its line, so its jump entry goes away with it.
const alone = example.findings.find((f) => example.findings.filter((g) => g.path === f.path && g.line === f.line && g.side === f.side).length === 1);
const where = `${alone.path}:${alone.line}`;

let b;
before(async () => {
  b = await launchWithExtension();
});
after(async () => {
  await b?.close();
});

const dismissedText = (page) => page.evaluate(() => {
  const box = document.getElementById('blastradius-panel').shadowRoot.querySelector('[data-fact="dismissed"]');
  return box && !box.hidden ? box.innerText.replace(/\s+/g, ' ').trim() : null;
});
const markerAt = (page) => page.evaluate(({ path, line, side }) => [...document.getElementById('blastradius-markers').shadowRoot.querySelectorAll('button.marker')]
  .some((m) => m.dataset.path === path && Number(m.dataset.line) === line && m.dataset.side === side), alone);

test('a dismissed finding is hidden with its reason, stays hidden after a reload, and can be restored', async () => {
  assert.ok(alone, 'the example has a finding alone on its line');
  const page = await b.context.newPage();
  await page.goto(PR7);
  const before = await panel(page);
  assert.equal(before.jump.length, new Set(example.findings.map((f) => `${f.side}|${f.path}|${f.line}`)).size);
  assert.deepEqual(before.counts, example.summary.findings);
  const analyses = await b.sw.evaluate(() => globalThis.blastRadiusLastRun?.sinceWakeMs);

  await page.locator('#blastradius-panel .jump button', { hasText: where }).first().click();
  const card = page.locator('#blastradius-markers .card');
  await card.waitFor({ state: 'visible' });
  await card.locator('select').first().selectOption('Accepted risk');
  await card.getByRole('button', { name: `Dismiss: ${alone.message}` }).click();
  await page.waitForFunction(() => document.getElementById('blastradius-panel').shadowRoot.querySelector('[data-fact="dismissed"]')?.hidden === false);

  const after1 = await panel(page);
  assert.equal(after1.jump.length, before.jump.length - 1);
  assert.ok(!after1.jump.some((j) => j.path === alone.path && j.line === alone.line && j.side === alone.side));
  assert.equal(after1.counts[alone.severity], before.counts[alone.severity] - 1);
  assert.equal(await markerAt(page), false);
  assert.equal(await dismissedText(page), '1 dismissed finding hidden Show');
  // Dismissing redraws; it does not analyse the diff again.
  assert.equal(await b.sw.evaluate(() => globalThis.blastRadiusLastRun?.sinceWakeMs), analyses);
  // Kept in the extension's local storage, under this repository.
  const stored = await b.sw.evaluate(() => chrome.storage.local.get('dismissed:github.com:acme/shop'));
  const entries = Object.values(stored['dismissed:github.com:acme/shop'] ?? {});
  assert.equal(entries.length, 1);
  assert.equal(entries[0].rule, alone.rule_id);
  assert.equal(entries[0].reason, 'Accepted risk');
  await page.screenshot({ path: join(OUT, 'pr-dismissed.png') });

  // A reload: still dismissed.
  await page.reload();
  const after2 = await panel(page);
  assert.equal(after2.jump.length, before.jump.length - 1);
  assert.match(await dismissedText(page), /^1 dismissed finding hidden/);

  // Show the list (with the reason), restore: it is back everywhere.
  const box = page.locator('#blastradius-panel [data-fact="dismissed"]');
  await box.getByRole('button', { name: 'Show' }).click();
  assert.ok((await box.textContent()).includes(`${where} ${alone.message} (Accepted risk)`), await box.textContent());
  await box.getByRole('button', { name: `Restore: ${alone.message} at ${where}` }).click();
  await page.waitForFunction((n) => document.getElementById('blastradius-panel').shadowRoot.querySelectorAll('.jump button').length === n, before.jump.length);
  assert.deepEqual((await panel(page)).counts, example.summary.findings);
  assert.equal(await dismissedText(page), null);
  assert.deepEqual(await b.sw.evaluate(() => chrome.storage.local.get('dismissed:github.com:acme/shop')), {});
  assert.deepEqual(foreignRequests(b.requests, b.extensionId), []);
  await page.close();
});

test('the options page counts dismissed findings and forgets them all', async () => {
  const page = await b.context.newPage();
  await page.goto(PR7);
  await panel(page);
  await page.locator('#blastradius-panel .jump button', { hasText: where }).first().click();
  await page.locator('#blastradius-markers .card').getByRole('button', { name: `Dismiss: ${alone.message}` }).click();
  await page.waitForFunction(() => document.getElementById('blastradius-panel').shadowRoot.querySelector('[data-fact="dismissed"]')?.hidden === false);

  const options = await b.context.newPage();
  await options.goto(`chrome-extension://${b.extensionId}/options/options.html`);
  await options.waitForFunction(() => document.getElementById('dismissedCount').textContent.startsWith('1 '));
  assert.equal(await options.locator('#dismissedCount').textContent(), '1 dismissed finding in 1 repository.');
  await options.locator('#forgetDismissed').click();
  await options.waitForFunction(() => document.getElementById('dismissedCount').textContent === 'No dismissed findings.');
  await options.close();

  await page.reload();
  const p = await panel(page);
  assert.deepEqual(p.counts, example.summary.findings);
  assert.equal(await dismissedText(page), null);
  await page.close();
});

test('keyboard: Alt+Shift+Down and Up walk the flagged lines in the jump list\'s order', async () => {
  const page = await b.context.newPage();
  await page.goto(PR7);
  const p = await panel(page);
  const order = p.jump.map((j) => `${j.path}:${j.line}`);
  const openCard = () => page.evaluate(() => document.getElementById('blastradius-markers').shadowRoot.querySelector('.card')?.getAttribute('aria-label') ?? null);
  const focused = () => page.evaluate(() => {
    const a = document.getElementById('blastradius-markers').shadowRoot.activeElement;
    return a ? `${a.dataset.path}:${a.dataset.line}` : null;
  });
  await page.keyboard.press('Alt+Shift+ArrowDown');
  assert.equal(await openCard(), `Blast Radius: ${order[0]}`);
  assert.equal(await focused(), order[0]);
  await page.keyboard.press('Alt+Shift+ArrowDown');
  assert.equal(await openCard(), `Blast Radius: ${order[1]}`);
  await page.keyboard.press('Alt+Shift+ArrowUp');
  assert.equal(await openCard(), `Blast Radius: ${order[0]}`);
  // Wraps around from the first to the last.
  await page.keyboard.press('Alt+Shift+ArrowUp');
  assert.equal(await openCard(), `Blast Radius: ${order[order.length - 1]}`);
  // Typing in the page's own field is left alone.
  await page.keyboard.press('Escape');
  await page.evaluate(() => {
    const t = document.createElement('textarea');
    t.id = 'comment';
    document.body.prepend(t);
    t.focus();
  });
  await page.keyboard.press('Alt+Shift+ArrowDown');
  assert.equal(await openCard(), null);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'comment');
  await page.close();
});
