// The syntax layer in wasm gives exactly the native results on the shared
// vectors (tests/fixtures/syntax/vectors.json, checked natively by
// tests/syntax_vectors.rs): full base/head files passed as `options.files`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, loadWasm } from './helpers.mjs';

const wasm = await loadWasm();
const vectors = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'syntax', 'vectors.json'), 'utf8'));

test('there are vectors for every language fixture', () => {
  assert.ok(vectors.length >= 19, `only ${vectors.length}`);
});

for (const v of vectors) {
  test(`wasm syntax equals native: ${v.name}`, () => {
    const r = wasm.analyze(v.diff, v.options);
    assert.deepEqual(r.syntax, v.syntax);
  });
}
