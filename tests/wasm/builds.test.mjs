// The two wasm builds: `pkg-core` (every grammar but C++, C#, Ruby, PHP) and
// the full `pkg`. The extension and the www page start with core and switch
// to full when `grammarsLeftOut` names a language; on any diff core can
// parse whole, both must give the same report.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { before, test } from 'node:test';
import { PKG, PKG_CORE, ROOT, listFiles, loadWasm } from './helpers.mjs';

const HEAVY = ['C#', 'C++', 'PHP', 'Ruby'];
let core;
let full;
before(async () => {
  core = await loadWasm(PKG_CORE);
  full = await loadWasm(PKG);
});

const diffs = [
  ...listFiles(join(ROOT, 'tests', 'fixtures'), /\.(diff|patch)$/),
  ...listFiles(join(ROOT, 'examples'), /\.(diff|patch)$/),
];

test('core and full give the same report wherever core has every grammar the diff needs', () => {
  let same = 0;
  let switched = 0;
  for (const file of diffs) {
    const text = readFileSync(file, 'utf8');
    const left = core.grammarsLeftOut(text);
    assert.deepEqual(full.grammarsLeftOut(text), [], file);
    if (left.length) {
      assert.ok(left.every((l) => HEAVY.includes(l)), `${file}: ${left}`);
      switched++;
      continue;
    }
    let a;
    let b;
    try {
      a = core.analyze(text, {});
    } catch (e) {
      assert.throws(() => full.analyze(text, {}), undefined, `${file}: core threw ${e}, full did not`);
      continue;
    }
    b = full.analyze(text, {});
    assert.deepEqual(a, b, file);
    same++;
  }
  assert.ok(same >= 40, `${same} diffs compared`);
  assert.ok(switched >= 4, `${switched} diffs needed the full build`);
  console.log(`# ${same} diffs: core == full; ${switched} diffs need the full build`);
});

test('core names the heavy languages it lacks; their files parse with the full build', () => {
  const diff = (path, a, b) => `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-${a}\n+${b}\n`;
  const text = diff('src/A.cs', 'class A {}', 'class B {}') + diff('lib/a.rb', 'def a; end', 'def b; end') + diff('app/x.py', 'x = 1', 'x = 2');
  assert.deepEqual(core.grammarsLeftOut(text), ['C#', 'Ruby']);
  assert.deepEqual(full.grammarsLeftOut(text), []);
  // The extension's one-read plan gives the same answer; of the modified
  // files it plans to read only those core can parse.
  const plan = core.analysisPlan(text, 10);
  assert.deepEqual(plan.grammars_left_out, ['C#', 'Ruby']);
  assert.deepEqual(plan.files.map((f) => f.path), ['app/x.py']);
  const source = (r, path) => r.syntax.find((s) => s.path === path)?.source;
  const c = core.analyze(text, {});
  const f = full.analyze(text, {});
  assert.equal(source(c, 'src/A.cs'), 'text');
  assert.equal(source(f, 'src/A.cs'), 'hunks');
  assert.equal(source(c, 'app/x.py'), 'hunks');
});

test('core fits the 2.5 MB gzip budget; figures for both builds', () => {
  const size = (dir) => {
    const raw = readFileSync(join(dir, 'blastradius_bg.wasm'));
    return { raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
  };
  const c = size(PKG_CORE);
  const f = size(PKG);
  console.log(`# wasm core: ${c.raw} B raw, ${c.gzip} B gzip -9; full: ${f.raw} B raw, ${f.gzip} B gzip -9`);
  assert.ok(c.gzip <= 2_500_000, `core is ${c.gzip} B gzipped`);
  assert.ok(f.gzip > c.gzip);
});
