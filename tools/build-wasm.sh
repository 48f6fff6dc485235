#!/bin/sh
# Build the wasm package into pkg/ (wasm-bindgen --target web, usable from the
# extension's module service worker, the www page and Node). Arguments after
# the output directory go to cargo, e.g. the small build:
#   tools/build-wasm.sh pkg-core --no-default-features --features core-grammars
#   cargo rustc (cdylib, profile `wasm`, so LTO applies) -> wasm-bindgen ->
#   wasm-opt -Oz without memory packing (which would drop the data segments'
#   zero runs, 2.4 MB less raw for core, but leaves tens of thousands of small
#   segments that gzip 0.27 MB worse: the core would miss its 2.5 MB gzip
#   budget) -> assert no `env` imports.
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-pkg}
[ $# -gt 0 ] && shift
WASM_OPT=${WASM_OPT:-node_modules/.bin/wasm-opt}
TARGET_DIR=${CARGO_TARGET_DIR:-target}

t0=$(date +%s)
cargo rustc --lib --crate-type cdylib --target wasm32-unknown-unknown --profile wasm "$@"
t1=$(date +%s)
rm -rf "$OUT.tmp"
wasm-bindgen --target web --no-typescript --out-dir "$OUT.tmp" --out-name blastradius \
  "$TARGET_DIR/wasm32-unknown-unknown/wasm/blastradius.wasm"
"$WASM_OPT" -Oz --skip-pass=memory-packing "$OUT.tmp/blastradius_bg.wasm" -o "$OUT.tmp/blastradius_bg.wasm"
node tools/check-wasm-imports.mjs "$OUT.tmp/blastradius_bg.wasm"
# Lets Node load the ES module output.
printf '{ "type": "module" }\n' > "$OUT.tmp/package.json"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
t2=$(date +%s)
raw=$(wc -c < "$OUT/blastradius_bg.wasm")
gz=$(gzip -9 -c "$OUT/blastradius_bg.wasm" | wc -c)
echo "wasm: $OUT/blastradius_bg.wasm raw ${raw} B, gzip -9 ${gz} B (cargo $((t1 - t0)) s, bindgen+opt $((t2 - t1)) s)"
