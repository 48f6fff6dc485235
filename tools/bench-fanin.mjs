// Blast-radius benchmark: `blastradius risk` over a large git work tree
// (fan-in of every changed symbol, dependents of every changed file),
// against the same command with no repository (the partial estimate) and
// against GNU `grep -o -w -F` for the same symbol names in the same tree,
// in one run. The tree is a copy of the cargo registry's sources (every
// crate this repository builds with) committed to a fresh git repository;
// the diff appends a comment to every `pub fn … {` line of every 20th Rust
// file, so each such function is a changed symbol.
// Usage: node tools/bench-fanin.mjs BLASTRADIUS_BIN [SOURCE_DIR]
// Prints the tree's and diff's sizes and the median wall time of each.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve(process.argv[2]);
const cargoHome = process.env.CARGO_HOME || path.join(os.homedir(), '.cargo');
const registry = path.join(cargoHome, 'registry', 'src');
const source = process.argv[3] || path.join(registry, readdirSync(registry)[0]);
const REPS = Number(process.env.BENCH_REPS || 5);
const work = path.resolve('target/bench-fanin');
const repo = path.join(work, 'repo');

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
execFileSync('cp', ['-r', source, repo]);
const git = (...args) =>
  execFileSync('git', ['-C', repo, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' });
git('init', '-q');
git('add', '-A');
git('-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '-qm', 'snapshot');
const listed = git('ls-files', '-z').split('\0').filter(Boolean);
const bytes = listed.reduce((n, p) => {
  try {
    return n + statSync(path.join(repo, p)).size;
  } catch {
    return n;
  }
}, 0);
const rs = listed.filter((p) => p.endsWith('.rs')).filter((_, i) => (i + 1) % 20 === 0);
execFileSync('perl', ['-pi', '-e', 's/^(\\s*pub fn \\w+.*\\{)\\s*$/$1 \\/\\/ changed\\n/', ...rs], {
  cwd: repo,
});
const diff = git('diff');
const diffFile = path.join(work, 'input.diff');
writeFileSync(diffFile, diff);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
/** Median wall time (ms) of REPS runs; the last run's stdout. */
function time(cmd, args, cwd) {
  const times = [];
  let out = '';
  for (let i = 0; i < REPS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd, maxBuffer: 1 << 30, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) {
      throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    }
    out = r.stdout;
  }
  return { ms: median(times), out };
}

// `/` is outside any work tree: no repository, the partial estimate.
const partial = time(bin, ['risk', '--format', 'json', diffFile], '/');
const full = time(bin, ['risk', '--format', 'json', diffFile], repo);
const report = JSON.parse(full.out);
const names = [...new Set(report.blast_radius.symbols.map((s) => s.name))];
const refs = report.blast_radius.symbols.reduce((n, s) => n + (s.references || 0), 0);
const namesFile = path.join(work, 'names.txt');
writeFileSync(namesFile, names.join('\n') + '\n');
// GNU grep reads fixed-string sets with one automaton (git grep -w with this
// many patterns took over ten minutes here); binary files skipped.
const grep = time(
  'sh',
  ['-c', `git ls-files -z | xargs -0 grep -I -o -w -F -h -f '${namesFile}' | wc -l`],
  repo,
);
const occurrences = Number(grep.out.trim());

const mb = (n) => (n / 1e6).toFixed(1);
console.log(`tree: ${listed.length} files, ${mb(bytes)} MB (${source})`);
console.log(
  `diff: ${(diff.length / 1e3).toFixed(0)} KB, ${rs.length} files edited, ${names.length} changed symbol names`,
);
console.log(`median of ${REPS} runs, ${os.cpus().length} CPUs`);
const rows = [
  ['blastradius risk, no repository (partial)', partial.ms, ''],
  [
    'blastradius risk, repository read (fan-in + dependents)',
    full.ms,
    `${refs} references counted`,
  ],
  ['GNU grep -I -o -w -F -f, the same names (occurrences only)', grep.ms, `${occurrences} occurrences`],
];
for (const [what, ms, note] of rows) {
  console.log(`${what.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms  ${note}`);
}
console.log(`blast radius itself (repository read minus partial): ${(full.ms - partial.ms).toFixed(0)} ms`);
