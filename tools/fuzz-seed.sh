#!/bin/sh
# Seed the cargo-fuzz corpora (fuzz/corpus/<target>/) from the shared
# corpora and the diff test fixtures. Files over 64 KiB are skipped (the
# fuzzer's -max_len would truncate them anyway).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared/corpus"
for t in parse analyze; do
  d="$root/fuzz/corpus/$t"
  mkdir -p "$d"
  for f in "$shared"/diffs/*.diff "$shared"/streams/* "$root"/tests/fixtures/diff/*; do
    [ -f "$f" ] || continue
    [ "$(wc -c < "$f")" -le 65536 ] || continue
    cp "$f" "$d/$(basename "$f")"
  done
done
# full_files: a language byte (here the fixture's index, so languages and
# texts are mixed), the base, \001, the head, \001, an edit
# (see fuzz/fuzz_targets/full_files.rs), from the syntax fixtures.
d="$root/fuzz/corpus/full_files"
mkdir -p "$d"
i=0
for f in "$root"/tests/fixtures/syntax/*/; do
  [ -f "$f/base" ] && [ -f "$f/head" ] || continue
  { printf "\\$(printf '%03o' "$i")"; cat "$f/base"; printf '\001'; cat "$f/head"; printf '\001\005// x\n'; } > "$d/seed-$(basename "$f")"
  i=$((i + 1))
done
echo "seeded: $(ls "$root/fuzz/corpus/parse" | wc -l) files for parse and analyze, $(ls "$d" | wc -l) for full_files"
