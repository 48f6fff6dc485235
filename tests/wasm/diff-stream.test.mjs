// The wasm diff reader: parseStats and the incremental DiffStream agree with
// the native `blastradius parse --numstat` on the corpus of real diffs, and
// DiffStream hands out files before the whole diff has arrived.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, cli, loadWasm } from './helpers.mjs';

const DIFFS = join(ROOT, '..', 'shared', 'corpus', 'diffs');

test('DiffStream in chunks equals the native reader, file by file', async () => {
  const br = await loadWasm();
  const names = readdirSync(DIFFS).filter((n) => n.endsWith('.diff')).sort();
  assert.ok(names.length > 100);
  let early = 0;
  for (const [i, name] of names.entries()) {
    const buf = readFileSync(join(DIFFS, name));
    const native = cli(['parse', '--numstat', join(DIFFS, name)]).stdout.trim().split('\n').filter(Boolean);
    const s = new br.DiffStream();
    const files = [];
    const step = 1 + ((i * 997) % 4096);
    for (let at = 0; at < buf.length; at += step) {
      const got = s.push(buf.subarray(at, at + step));
      if (at + step < buf.length) early += got.length;
      files.push(...got);
    }
    files.push(...s.finish());
    s.free();
    assert.equal(files.length, native.length, name);
    files.forEach((f, k) => {
      const [a, d] = native[k].split('\t');
      if (a === '-') assert.ok(f.binary, `${name}: ${f.path}`);
      else assert.deepEqual([f.added, f.deleted], [Number(a), Number(d)], `${name}: ${f.path}`);
      // the bytes are exactly the file's section of the input
      assert.deepEqual(Buffer.from(f.bytes), buf.subarray(f.offset, f.offset + f.bytes.length), name);
    });
    assert.equal(br.parseStats(buf).files, native.length, name);
  }
  assert.ok(early > 100, `only ${early} files came before the end of their diff`);
});
