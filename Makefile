# Blast Radius — build and test.
#   make run    install what is missing, build the CLI, the wasm package,
#               dist/chrome, dist/firefox (+ zips) and dist/www, then run the
#               CLI on the bundled example pull request
#   make test   install what is missing, then every check and test
# Installs (Debian 12, as root, package registries only) are idempotent: each
# step checks first, so a second run installs nothing.

SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(HOME)/.cargo/bin:$(PATH)

CARGO ?= cargo
NODE_BIN := node_modules/.bin
WASM_BINDGEN_VERSION := $(shell awk '$$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
RUST_SRC := $(shell find src -name '*.rs') Cargo.toml Cargo.lock .cargo/config.toml
EXT_SRC := $(shell find extension www -type f)
EXAMPLE := examples/pr-account-cleanup.diff
CLI := target/debug/blastradius

.PHONY: run test setup deps-apt deps-rust deps-wasm-bindgen deps-node cli wasm dist \
	test-rust test-wasm test-browser lint-ext clean-web

# ---------------------------------------------------------------- installs --
setup: deps-apt deps-rust deps-wasm-bindgen deps-node

deps-apt:
	@missing=""; \
	command -v clang-14 >/dev/null || missing="$$missing clang-14"; \
	{ command -v llvm-ar >/dev/null || command -v llvm-ar-14 >/dev/null; } || missing="$$missing llvm-14"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install:$$missing"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

deps-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
deps-wasm-bindgen:
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "no wasm-bindgen in Cargo.lock"; exit 1; }
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "cargo install wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

deps-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# ------------------------------------------------------------------ builds --
cli: $(CLI)
# A file target: `cargo test` already leaves an up-to-date binary here, and a
# plain `cargo build` would recompile dependencies with different features.
$(CLI): $(RUST_SRC) | deps-rust
	$(CARGO) build
	@touch $@

# Two builds: pkg/ has every grammar, pkg-core/ all but C++, C#, Ruby and PHP
# (the extension and www page start with it and load pkg/ only when needed).
wasm: pkg/blastradius_bg.wasm pkg-core/blastradius_bg.wasm
pkg/blastradius_bg.wasm: $(RUST_SRC) tools/build-wasm.sh tools/wasm32-cc.sh tools/wasm32-ar.sh | setup
	./tools/build-wasm.sh pkg
pkg-core/blastradius_bg.wasm: $(RUST_SRC) tools/build-wasm.sh tools/wasm32-cc.sh tools/wasm32-ar.sh | setup pkg/blastradius_bg.wasm
	./tools/build-wasm.sh pkg-core --no-default-features --features core-grammars

dist: dist/.built
dist/.built: pkg/blastradius_bg.wasm pkg-core/blastradius_bg.wasm tools/build-dist.mjs $(EXT_SRC) | deps-node
	node tools/build-dist.mjs
	cd dist && for b in chrome firefox; do \
	  ../$(NODE_BIN)/web-ext build --source-dir $$b --artifacts-dir . --filename blastradius-$$b.zip --overwrite-dest >/dev/null || exit 1; \
	done
	@ls -l dist/*.zip
	@touch $@

run: setup $(CLI) dist
	@echo
	@echo "== Extension: load dist/chrome (chrome://extensions, Developer mode, Load unpacked) or dist/firefox (about:debugging)."
	@echo "== Offline page: serve dist/www (e.g. python3 -m http.server -d dist/www) and drop a .diff on it."
	@echo "== $(CLI) check $(EXAMPLE)"
	@$(CLI) check $(EXAMPLE); rc=$$?; [ $$rc -le 1 ] || exit $$rc

# ------------------------------------------------------------------- tests --
test: setup
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(MAKE) --no-print-directory test-rust
	$(MAKE) --no-print-directory dist
	$(MAKE) --no-print-directory test-wasm test-browser lint-ext

test-rust:
	$(CARGO) test

# Node tests of the built wasm package, compared with the native CLI.
test-wasm: $(CLI) wasm
	node --test --test-concurrency=1 tests/wasm/

# Chromium (Debian's) via playwright-core: the extension on a fixture of
# GitHub's files view served as https://github.com/, and the www page.
test-browser: $(CLI) dist
	node --test --test-concurrency=1 tests/browser/

lint-ext: dist
	$(NODE_BIN)/web-ext lint --source-dir dist/firefox

clean-web:
	rm -rf pkg pkg-core dist

# ------------------------------------------------------------ diff reader --
.PHONY: bench fuzz-smoke fuzz
FUZZ_SECONDS ?= 900

# Diff-reader benchmark, not a test: native and wasm readers, npm parse-diff
# and gitdiff-parser, git apply --numstat --summary and wc -l on the same real
# diffs (../shared/corpus), with MB/s, ratios and peak memory.
bench: setup
	./tools/bench-diff.sh

# Replay every fuzz seed (corpora, diff fixtures, fuzz/regressions) through
# diff::parse, the incremental reader and analyze::analyze, on stable Rust.
# It is also part of test-rust.
fuzz-smoke:
	$(CARGO) test --test diff_fuzz_smoke

# The long cargo-fuzz run (nightly toolchain, cargo install cargo-fuzz):
# FUZZ_SECONDS per target, logs in fuzz/logs/.
fuzz:
	./tools/fuzz-run.sh $(FUZZ_SECONDS) $(FUZZ_SECONDS)

# Syntax-layer benchmark: parse throughput per language and a 100-file PR,
# natively, then the same PR through the wasm package (make wasm first).
.PHONY: bench-syntax
bench-syntax:
	$(CARGO) run --release --example syntax_bench -- --write-pr target/syntax-bench-pr.json
	@if [ -f pkg/blastradius_bg.wasm ]; then node tools/bench-syntax-wasm.mjs pkg target/syntax-bench-pr.json && node tools/bench-syntax-wasm.mjs pkg target/syntax-bench-pr-valid.json; else echo "(no pkg/: make wasm for the wasm figures)"; fi

# Blast-radius benchmark: `blastradius risk` over a git work tree copied from
# the cargo registry's sources (fan-in of ~200 changed symbols), against the
# same diff with no repository and GNU grep for the same names.
.PHONY: bench-fanin
bench-fanin:
	$(CARGO) build --release --bin blastradius
	node tools/bench-fanin.mjs target/release/blastradius

# Extension cold-start benchmark: Debian's Chromium with dist/chrome loaded,
# the service worker stopped before each of RUNS page loads (default 7);
# prints, from the worker's own clock, compile+instantiate, warm-up, analysis
# and the report's time after the wake, for the example PR and a one-line PR,
# then the native first/second analysis of the same diffs for comparison.
.PHONY: bench-cold
bench-cold: dist
	node tools/bench-cold-start.mjs
	PR=10 node tools/bench-cold-start.mjs
	$(CARGO) run --release --example cold_example -- $(EXAMPLE)
