// Shared helpers for the Node tests of the built wasm package (pkg/).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG = process.env.BLASTRADIUS_PKG || join(ROOT, 'pkg');
export const CLI = process.env.BLASTRADIUS_BIN || join(ROOT, 'target', 'debug', 'blastradius');

/** The small build (core grammars), tools/build-wasm.sh pkg-core. */
export const PKG_CORE = process.env.BLASTRADIUS_PKG_CORE || join(ROOT, 'pkg-core');

/** Loads a wasm package (wasm-bindgen --target web) synchronously: the full build by default. */
export async function loadWasm(pkg = PKG) {
  const wasmPath = join(pkg, 'blastradius_bg.wasm');
  if (!existsSync(wasmPath)) throw new Error(`${wasmPath} is missing: run \`make wasm\` first`);
  const mod = await import(join(pkg, 'blastradius.js'));
  mod.initSync({ module: readFileSync(wasmPath) });
  return mod;
}

/** Runs the native CLI: {status, stdout, stderr}. */
export function cli(args, input) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`cargo build\` first`);
  const r = spawnSync(CLI, args, { input, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** The native CLI's JSON report for a file. */
export function nativeReport(file, extra = []) {
  const r = cli(['check', file, '--format', 'json', '--fail-on', 'critical', ...extra]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`CLI failed on ${file} (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Files under dir (recursively) whose names match re, sorted. */
export function listFiles(dir, re) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, re));
    else if (re.test(e.name)) out.push(p);
  }
  return out.sort();
}

export const gitVersion = () => execFileSync('git', ['--version']).toString().trim();

/** Native JSON reports for many files, `jobs` CLI processes at a time: Map file -> report. */
export async function nativeReports(files, jobs = 4) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`cargo build\` first`);
  const out = new Map();
  let next = 0;
  const one = (file) => new Promise((resolve, reject) => {
    execFile(CLI, ['check', file, '--format', 'json', '--fail-on', 'critical'], { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && err.code !== 1) reject(new Error(`CLI failed on ${file} (${err.code}): ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < files.length) {
      const f = files[next++];
      out.set(f, await one(f));
    }
  }));
  return out;
}
