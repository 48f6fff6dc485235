#!/bin/sh
# Reproducibly (re)train the AI-authorship content model shipped in
# src/ai/model.json, on the ai-dev corpus only, and print the
# leave-one-repository-out evaluation next to the size-only baseline.
#
#   scripts/train_authorship.sh [CORPUS_DIR]
#
# Deterministic: features are plain counts, standardisation and the L2
# logistic regression (Newton's method, fixed iteration order) involve no
# randomness, so the same corpus gives the same bytes. tests/ai_cli.rs
# checks that the shipped weights equal a fresh training run.
set -eu
cd "$(dirname "$0")/.."
CORPUS="${1:-../shared/corpus/ai-dev}"
cargo build --quiet --bin blastradius
./target/debug/blastradius train authorship "$CORPUS" --out src/ai/model.json
cargo build --quiet --bin blastradius
./target/debug/blastradius eval authorship "$CORPUS"
