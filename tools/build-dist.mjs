// Assembles dist/chrome, dist/firefox (one source tree: extension/) and
// dist/www from the sources and the wasm packages: the full build in pkg/
// and the small one (core grammars) in pkg-core/.
//   node tools/build-dist.mjs [--pkg pkg] [--pkg-core pkg-core] [--out dist]
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const pkg = join(root, arg('--pkg', 'pkg'));
const pkgCore = join(root, arg('--pkg-core', 'pkg-core'));
const out = join(root, arg('--out', 'dist'));

for (const p of [pkg, pkgCore]) {
  for (const f of ['blastradius.js', 'blastradius_bg.wasm']) {
    if (!existsSync(join(p, f))) {
      console.error(`missing ${join(p, f)}: build the wasm packages first (make wasm)`);
      process.exit(1);
    }
  }
}

const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /^version\s*=\s*"([0-9]+\.[0-9]+\.[0-9]+)/m.exec(cargo)?.[1];
if (!version) throw new Error('no version in Cargo.toml');

const manifest = JSON.parse(readFileSync(join(root, 'extension/manifest.json'), 'utf8'));
manifest.version = version;

function copyPkg(dir) {
  for (const [from, to] of [[pkg, 'pkg'], [pkgCore, 'pkg-core']]) {
    mkdirSync(join(dir, to), { recursive: true });
    for (const f of ['blastradius.js', 'blastradius_bg.wasm']) cpSync(join(from, f), join(dir, to, f));
  }
}

const variants = {
  // Chromium reads background.service_worker; drop Firefox-only keys so the
  // extensions page shows no warnings.
  chrome: (m) => {
    const c = structuredClone(m);
    delete c.background.scripts;
    delete c.browser_specific_settings;
    return c;
  },
  // Firefox reads background.scripts (an event page); keep service_worker too,
  // as the source manifest does.
  firefox: (m) => structuredClone(m),
};

for (const [name, make] of Object.entries(variants)) {
  const dir = join(out, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'extension'), dir, { recursive: true });
  copyPkg(dir);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(make(manifest), null, 2)}\n`);
  console.log(`built ${dir}`);
}

const www = join(out, 'www');
rmSync(www, { recursive: true, force: true });
cpSync(join(root, 'www'), www, { recursive: true });
copyPkg(www);
console.log(`built ${www}`);
