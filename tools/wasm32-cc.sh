#!/bin/sh
# C compiler for wasm32-unknown-unknown: clang plus the wasm libc headers that
# the tree-sitter-language crate exposes to grammar build scripts.
# (C++ scanners need wchar_t/static_assert; some scanners call isdigit undeclared.)
exec "${WASM32_CLANG:-clang-14}" ${DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS:+-I"$DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS"} \
  -include stddef.h '-Dstatic_assert=_Static_assert' '-Disdigit(c)=((unsigned)(c)-48u<10u)' "$@"
