// Diff-reader benchmark: the same real diffs, in one run, read by our native
// reader, our wasm reader under Node, the npm parse-diff and gitdiff-parser
// packages, `git apply --numstat --summary`, and `wc -l` as the floor.
// Usage: node tools/bench-diff.mjs INPUT BLASTRADIUS_BIN WASM_PKG_DIR
// Prints throughput (MB/s), ratios and peak memory (max RSS).
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [input, bin, pkg] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const size = statSync(input).size;
const MB = size / 1e6;
const REPS = Number(process.env.BENCH_REPS || 5);

/** Run a command under /usr/bin/time; return {wall_ms, rss_kb, stdout, stderr}. */
function timed(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const wall_ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  }
  const lines = r.stderr.trim().split('\n');
  const rss_kb = Number(lines.pop());
  return { wall_ms, rss_kb, stdout: r.stdout, stderr: lines.join('\n') };
}

/** Best wall time of REPS whole-process runs (output discarded). */
function processRuns(name, cmd, args) {
  let best = Infinity;
  let rss = 0;
  let out = '';
  for (let i = 0; i < Math.min(REPS, 3); i++) {
    const r = timed('sh', ['-c', `"$0" "$@" > /dev/null`, cmd, ...args]);
    best = Math.min(best, r.wall_ms);
    rss = Math.max(rss, r.rss_kb);
  }
  return { name, kind: 'process', ms: best, rss_kb: rss, out };
}

function nodePeer(tool) {
  const r = timed('node', [path.join(here, 'bench-diff-peer.mjs'), tool, input, String(REPS), pkg]);
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  return { name: tool, kind: 'in-process', ms: j.best_ms, rss_kb: r.rss_kb, files: j.files };
}

const rows = [];
// Native, in process: parse only (input already in memory), best of REPS.
{
  const r = timed(bin, ['parse', '--repeat', String(REPS), input]);
  const m = /files, best of \d+: ([\d.]+) ms/.exec(r.stderr);
  const files = Number(/(\d+) files/.exec(r.stderr)[1]);
  rows.push({ name: 'blastradius native', kind: 'in-process', ms: Number(m[1]), rss_kb: r.rss_kb, files });
}
rows.push(nodePeer('wasm'));
rows.push(nodePeer('parse-diff'));
rows.push(nodePeer('gitdiff-parser'));
const baseline = nodePeer('baseline');
// Whole processes: read the file, parse, print numstat/summary.
rows.push(processRuns('blastradius parse --numstat --summary', bin, ['parse', '--numstat', '--summary', input]));
rows.push(processRuns('git apply --numstat --summary', 'git', ['apply', '--numstat', '--summary', input]));
rows.push(processRuns('wc -l (floor)', 'wc', ['-l', input]));
const gitFiles = execFileSync('git', ['apply', '--numstat', input], { maxBuffer: 1 << 30 })
  .toString()
  .split('\n')
  .filter(Boolean).length;

const fmt = (x, d = 1) => x.toFixed(d).padStart(9);
console.log(`input: ${input}: ${MB.toFixed(1)} MB; ${os.cpus().length} x ${os.cpus()[0].model}; node ${process.version}`);
console.log(`files read: native ${rows[0].files}, wasm ${rows[1].files}, parse-diff ${rows[2].files}, gitdiff-parser ${rows[3].files}, git apply ${gitFiles}`);
console.log(`node baseline RSS ${(baseline.rss_kb / 1024).toFixed(0)} MB (included in the node rows)\n`);
console.log('reader                                  kind          ms      MB/s   peak RSS MB  RSS/input');
for (const r of rows) {
  const rssMb = r.rss_kb / 1024;
  console.log(
    `${r.name.padEnd(38)}  ${r.kind.padEnd(10)} ${fmt(r.ms)} ${fmt(MB / (r.ms / 1e3))} ${fmt(rssMb, 0)}     ${fmt((r.rss_kb * 1024) / size, 2)}`,
  );
}
const native = rows[0];
const wasm = rows[1];
const cli = rows[4];
console.log('\nratios (speed-up = their time / our time):');
for (const peer of rows.slice(1, 4)) {
  console.log(`  native vs ${peer.name.padEnd(16)} ${fmt(peer.ms / native.ms, 2)}x`);
}
for (const peer of rows.slice(2, 4)) {
  console.log(`  wasm   vs ${peer.name.padEnd(16)} ${fmt(peer.ms / wasm.ms, 2)}x`);
}
console.log(`  native CLI vs git apply        ${fmt(rows[5].ms / cli.ms, 2)}x`);
console.log(`  native CLI vs wc -l            ${fmt(rows[6].ms / cli.ms, 2)}x  (floor; 1.0 = as fast as wc -l)`);
console.log(`  native in-process vs wc -l     ${fmt(rows[6].ms / native.ms, 2)}x`);
console.log(`  native peak RSS / input size   ${fmt((native.rss_kb * 1024) / size, 2)}`);
