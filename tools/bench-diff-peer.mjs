// One contender of the diff-reader benchmark, run in its own process so its
// peak memory can be measured: node tools/bench-diff-peer.mjs TOOL FILE REPS
// TOOL: wasm | parse-diff | gitdiff-parser | baseline.
// Prints one JSON line: {tool, bytes, best_ms, files}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [tool, file, repsArg, pkgDir] = process.argv.slice(2);
const reps = Number(repsArg || 3);
const buf = readFileSync(file);

let run;
if (tool === 'wasm') {
  const br = require(pkgDir + '/blastradius.js');
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  run = () => br.parseStats(bytes).files;
} else if (tool === 'parse-diff') {
  const parse = require('parse-diff');
  const text = buf.toString('utf8');
  run = () => parse(text).length;
} else if (tool === 'gitdiff-parser') {
  const gdp = require('gitdiff-parser');
  const text = buf.toString('utf8');
  run = () => gdp.parse(text).length;
} else if (tool === 'baseline') {
  run = () => 0;
} else {
  throw new Error('unknown tool ' + tool);
}

let best = Infinity;
let files = 0;
for (let i = 0; i < reps; i++) {
  const t = process.hrtime.bigint();
  files = run();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  best = Math.min(best, ms);
}
console.log(JSON.stringify({ tool, bytes: buf.length, best_ms: best, files }));
