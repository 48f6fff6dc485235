// The wasm engine must give exactly the native CLI's report for the same input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { CLI, ROOT, listFiles, loadWasm, nativeReport, nativeReports, cli } from './helpers.mjs';

const wasm = await loadWasm();

const bundled = [
  ...listFiles(join(ROOT, 'examples'), /\.(diff|patch)$/),
  ...listFiles(join(ROOT, 'tests', 'fixtures'), /\.(diff|patch)$/),
];
// A deterministic sample of the shared corpora (every 50th file), when present.
const corpusDir = join(ROOT, '..', 'shared', 'corpus');
const corpus = listFiles(corpusDir, /\.(diff|patch)$/).filter((_, i) => i % 50 === 0);

test('the bundled example triggers several rules (guards the parity test against empty input)', () => {
  const r = nativeReport(join(ROOT, 'examples', 'pr-account-cleanup.diff'));
  const rules = new Set(r.findings.map((f) => f.rule_id));
  assert.ok(r.findings.length >= 5, `only ${r.findings.length} findings`);
  assert.ok(rules.size >= 3, `only rules ${[...rules]}`);
  assert.ok(r.findings.some((f) => f.side === 'old'), 'no old-side finding');
});

const inputs = [...bundled, ...corpus];
const natives = await nativeReports(inputs);
for (const file of inputs) {
  const name = relative(ROOT, file);
  test(`wasm report equals native report: ${name}`, () => {
    const bytes = readFileSync(file);
    const native = natives.get(file);
    const fromBytes = wasm.analyzeBytes(bytes, undefined);
    assert.deepEqual(fromBytes, native);
    // The string entry point agrees whenever the input is valid UTF-8.
    const text = bytes.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(bytes)) assert.deepEqual(wasm.analyze(text, {}), native);
  });
}

test('min_severity option filters like --min-severity', () => {
  const file = join(ROOT, 'examples', 'pr-account-cleanup.diff');
  const native = nativeReport(file, ['--min-severity', 'high']);
  const w = wasm.analyze(readFileSync(file, 'utf8'), { min_severity: 'high' });
  assert.deepEqual(w, native);
  assert.ok(w.findings.length > 0 && w.findings.every((f) => f.severity === 'high' || f.severity === 'critical'));
});

test('not a diff: wasm throws a clear message, the CLI exits 2 with the same message', () => {
  const input = 'hello, this is not a diff\n';
  assert.throws(() => wasm.analyze(input, undefined), (e) => {
    assert.equal(typeof e, 'string');
    assert.match(e, /no diff/);
    const r = cli(['check', '-'], input);
    assert.equal(r.status, 2);
    assert.ok(r.stderr.includes(e.split('\n')[0]), `CLI said: ${r.stderr}`);
    return true;
  });
});

test('bad options are rejected, not ignored', () => {
  assert.throws(() => wasm.analyze('', { min_severity: 'loud' }), /bad options/);
});

test('invalid UTF-8 and random bytes never crash the engine', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const base = readFileSync(join(ROOT, 'examples', 'pr-account-cleanup.diff'));
  for (let i = 0; i < 200; i++) {
    const b = Buffer.from(base);
    for (let k = 0; k < 20; k++) b[(rnd() * 97 + k * 131 + i) % b.length] = rnd();
    try {
      const r = wasm.analyzeBytes(b.subarray(0, (i * 37) % b.length), undefined);
      assert.equal(typeof r.summary.files, 'number');
    } catch (e) {
      assert.equal(typeof e, 'string', `engine threw a non-string (a panic?): ${e}`);
    }
  }
  // The engine still works after all that.
  assert.equal(wasm.analyzeBytes(base, undefined).findings.length, nativeReport(join(ROOT, 'examples', 'pr-account-cleanup.diff')).findings.length);
});

test('version() is the crate version', () => {
  const v = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];
  assert.equal(wasm.version(), v);
  assert.ok(CLI);
});

// The renderers in wasm (the www page saves reports with them) print exactly
// what the CLI prints, in every format.
const renderInputs = [
  join(ROOT, 'examples', 'pr-account-cleanup.diff'),
  join(ROOT, 'tests', 'browser', 'fixtures', 'hostile.diff'),
  ...corpus.slice(0, 3),
];
for (const file of renderInputs) {
  test(`wasm renderAnalysis equals the CLI's output in every format: ${relative(ROOT, file)}`, () => {
    const bytes = readFileSync(file);
    for (const format of ['text', 'json', 'sarif', 'markdown', 'html']) {
      const native = cli(['check', file, '--format', format, '--fail-on', 'critical']);
      assert.equal(native.status === 0 || native.status === 1, true, native.stderr);
      assert.equal(wasm.renderAnalysis(bytes, undefined, format), native.stdout, format);
    }
  });
}

test('renderAnalysis refuses an unknown format and an input with no diff, with a message', () => {
  const diff = readFileSync(join(ROOT, 'examples', 'pr-account-cleanup.diff'));
  assert.throws(() => wasm.renderAnalysis(diff, undefined, 'xml'), (e) => /unknown format "xml": one of text, json, sarif, markdown, html/.test(String(e)));
  assert.throws(() => wasm.renderAnalysis(new TextEncoder().encode('just text'), undefined, 'sarif'), (e) => /no diff/.test(String(e)));
});
