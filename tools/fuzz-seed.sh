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
echo "seeded: $(ls "$root/fuzz/corpus/parse" | wc -l) files per target"
