#!/bin/sh
# make bench: build the native and wasm readers, install the npm peers, and
# run tools/bench-diff.mjs on the concatenated real diffs of ../shared/corpus.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out="$root/target/bench-diff"
mkdir -p "$out"
corpus="$root/../shared/corpus"
cat "$corpus"/diffs/*.diff "$corpus"/risk-dev/*.code.diff "$corpus"/ai-dev/*.code.diff > "$out/input.diff"

cargo build --release --bin blastradius
# wasm32: tree-sitter's C needs clang with the wasm libc headers (see
# ../shared/docs/toolchain.md); use the repository's wrappers when present.
cc="$root/tools/wasm32-cc.sh"
if [ ! -x "$cc" ]; then
  cc="$out/wasm32-cc.sh"
  cat > "$cc" <<'CC'
#!/bin/sh
exec "${WASM32_CLANG:-clang-14}" ${DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS:+-I"$DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS"} \
  -include stddef.h '-Dstatic_assert=_Static_assert' '-Disdigit(c)=((unsigned)(c)-48u<10u)' "$@"
CC
  chmod +x "$cc"
fi
ar="$root/tools/wasm32-ar.sh"
[ -x "$ar" ] || ar=$(command -v llvm-ar-14 || command -v llvm-ar || echo ar)
CC_wasm32_unknown_unknown="$cc" AR_wasm32_unknown_unknown="$ar" \
  cargo rustc --lib --crate-type cdylib --target wasm32-unknown-unknown --profile wasm
wasm-bindgen --target nodejs --out-dir "$out/pkg" target/wasm32-unknown-unknown/wasm/blastradius.wasm
# Optimise as the shipped package is (tools/build-wasm.sh).
if [ -x node_modules/.bin/wasm-opt ]; then
  node_modules/.bin/wasm-opt -Oz "$out/pkg/blastradius_bg.wasm" -o "$out/pkg/blastradius_bg.wasm"
fi

if [ ! -d node_modules/parse-diff ] || [ ! -d node_modules/gitdiff-parser ]; then
  npm ci --no-audit --no-fund
fi
node tools/bench-diff.mjs "$out/input.diff" "$root/target/release/blastradius" "$out/pkg"
