// Syntax-layer benchmark in wasm (Node): times `analyze` of the wasm package
// on the synthetic 100-file PR written by
//   cargo run --release --example syntax_bench -- --write-pr /tmp/pr.json
// Usage: node tools/bench-syntax-wasm.mjs [PKG_DIR=pkg] [PR_JSON=/tmp/pr.json]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const pkg = resolve(process.argv[2] || 'pkg');
const prPath = process.argv[3] || '/tmp/pr.json';
const t0 = performance.now();
const mod = await import(pathToFileURL(`${pkg}/blastradius.js`).href);
const bytes = readFileSync(`${pkg}/blastradius_bg.wasm`);
mod.initSync({ module: bytes });
const t1 = performance.now();
const pr = JSON.parse(readFileSync(prPath, 'utf8'));

function median(xs) { xs.sort((a, b) => a - b); return xs[Math.floor(xs.length / 2)]; }
function time(reps, f) {
  const v = [];
  for (let i = 0; i < reps; i++) { const s = performance.now(); f(); v.push(performance.now() - s); }
  return median(v);
}
let report;
// The first analysis of a fresh instance runs mostly in V8's baseline tier
// (optimised code arrives from background compiles as functions get hot):
// what a just-woken extension worker pays on a big diff.
const f0 = performance.now();
report = mod.analyze(pr.diff, pr.options);
const first = performance.now() - f0;
const hunks = time(5, () => { report = mod.analyze(pr.diff, undefined); });
const partial = report.syntax.filter((f) => f.partial).length;
const full = time(5, () => { report = mod.analyze(pr.diff, pr.options); });
const fullCount = report.syntax.filter((f) => f.source === 'full').length;
const changed = report.summary.added + report.summary.deleted;
console.log(`wasm: ${(bytes.length / 1024).toFixed(0)} KB, compile+instantiate ${(t1 - t0).toFixed(1)} ms`);
console.log(`${prPath}: 100-file PR (${report.summary.files} files, ${changed} changed lines), then median of 5 more:`);
console.log(`  analyze(), full files, first run of a fresh instance  ${first.toFixed(1)} ms`);
console.log(`  analyze(), hunks only   ${hunks.toFixed(1)} ms  (${partial} files partial)`);
console.log(`  analyze(), full files   ${full.toFixed(1)} ms  (${fullCount} files read from their full base and head)`);
