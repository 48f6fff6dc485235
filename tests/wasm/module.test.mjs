// The built module itself: loads with only wasm-bindgen's own imports (an
// undefined C symbol would become an import from `env` and break loading).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PKG } from './helpers.mjs';

test('the wasm module imports nothing from env', () => {
  const mod = new WebAssembly.Module(readFileSync(join(PKG, 'blastradius_bg.wasm')));
  const imports = WebAssembly.Module.imports(mod);
  assert.ok(imports.length > 0);
  assert.deepEqual(imports.filter((i) => i.module === 'env'), []);
  const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
  for (const name of ['analyze', 'analyzeBytes', 'version', 'memory']) assert.ok(exports.includes(name), `missing export ${name}`);
});
