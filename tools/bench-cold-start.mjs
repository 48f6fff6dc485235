// Cold start of the extension in Debian's Chromium: the service worker is
// stopped, then a pull request page wakes it; figures come from the worker's
// own clock (performance.now() counts from the worker's start). Run with
// `make bench-cold` (builds dist/ first). Prints per wake and the median,
// and beside each wake the same page analysed again by the warm worker
// (a fresh engine's first run against a later one).
import { launchWithExtension } from '../tests/browser/harness.mjs';

const RUNS = Number(process.env.RUNS || 7);
const PR = process.env.PR || '7';
const url = `https://github.com/acme/shop/pull/${PR}/changes`;
const b = await launchWithExtension();
const first = await b.context.newPage();
const cdp = await b.context.newCDPSession(first);
await cdp.send('ServiceWorker.enable');

/** The report of the worker that served the page: {run, cold} (cold: the
 * page's analysis was the first since the worker woke). */
async function lastReport(since) {
  for (let k = 0; k < 200; k++) {
    for (const w of b.context.serviceWorkers()) {
      try {
        const run = await w.evaluate(() => globalThis.blastRadiusLastRun ?? null);
        if (run && run.sinceWakeMs !== since) return run;
      } catch {
        // A stopped worker's handle.
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no report from the worker');
}

const rows = [];
let previous = null;
for (let i = 0; rows.length < RUNS && i < RUNS * 2; i++) {
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((r) => setTimeout(r, 1000));
  const page = await b.context.newPage();
  const t0 = Date.now();
  await page.goto(url);
  const run = await lastReport(previous);
  previous = run.sinceWakeMs;
  // The panel has drawn the report (its summary counts the files).
  await page.waitForFunction(() => /\bfiles?\b/.test(document.getElementById('blastradius-panel')?.shadowRoot?.textContent ?? ''), null, { timeout: 30000 });
  const panel = Date.now() - t0;
  if (!run.firstSinceWake) {
    console.log(`load ${i + 1}: the worker had not stopped; not counted`);
    await page.close();
    continue;
  }
  // The same page again, the worker still awake: the warm analysis.
  await page.reload();
  const warm = await lastReport(previous);
  previous = warm.sinceWakeMs;
  rows.push({ panel, ...run, warmAnalyzeMs: warm.analyzeMs });
  console.log(`wake ${rows.length}: report ${run.sinceWakeMs.toFixed(0)} ms after the worker started ` +
    `(compile+instantiate ${run.coreInitMs.toFixed(0)}, warm-up ${run.warmUpMs.toFixed(0)}, .diff fetch ${run.fetchMs.toFixed(0)}, ` +
    `analysis ${run.analyzeMs.toFixed(0)}, again when warm ${warm.analyzeMs.toFixed(0)}); panel drawn ${panel} ms after navigation`);
  await page.close();
}
const med = (k) => {
  const v = rows.map((r) => r[k]).sort((x, y) => x - y);
  return v[Math.floor(v.length / 2)];
};
console.log(`median of ${RUNS} wakes (PR ${PR}, ${rows[0].bytes} bytes of diff): report ${med('sinceWakeMs').toFixed(0)} ms after wake; ` +
  `compile+instantiate ${med('coreInitMs').toFixed(0)} ms, warm-up ${med('warmUpMs').toFixed(0)} ms, analysis ${med('analyzeMs').toFixed(0)} ms ` +
  `(${med('warmAnalyzeMs').toFixed(0)} ms when warm); panel ${med('panel')} ms after navigation`);
await b.close();
