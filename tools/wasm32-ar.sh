#!/bin/sh
# Archiver for wasm32 C objects: must be an llvm-ar (GNU ar writes no symbol
# index for wasm objects, which wasm-ld then rejects). Debian's llvm-14
# package installs only the versioned name.
for a in "${WASM32_AR:-}" llvm-ar llvm-ar-19 llvm-ar-18 llvm-ar-17 llvm-ar-16 llvm-ar-15 llvm-ar-14; do
  if [ -n "$a" ] && command -v "$a" >/dev/null 2>&1; then exec "$a" "$@"; fi
done
echo "tools/wasm32-ar.sh: no llvm-ar found (apt-get install llvm-14)" >&2
exit 1
