// Fails when a wasm module imports anything from `env`: the wasm linker turns
// undefined C symbols into such imports silently, and the module then fails
// to load in the browser with "Cannot find module 'env'".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node tools/check-wasm-imports.mjs FILE.wasm');
  process.exit(2);
}
const mod = new WebAssembly.Module(readFileSync(file));
const imports = WebAssembly.Module.imports(mod);
const env = imports.filter((i) => i.module === 'env');
if (env.length > 0) {
  console.error(`${file}: ${env.length} import(s) from module 'env' (undefined C symbols):`);
  for (const i of env.slice(0, 30)) console.error(`  env.${i.name} (${i.kind})`);
  process.exit(1);
}
const modules = [...new Set(imports.map((i) => i.module))];
console.log(`${file}: ${imports.length} imports from [${modules.join(', ')}], none from env`);
