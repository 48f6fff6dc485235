#!/bin/sh
# Long fuzz run (nightly cargo-fuzz):
#   tools/fuzz-run.sh SECONDS_PARSE SECONDS_ANALYZE SECONDS_FULL_FILES
# Runs each target in turn under nice, seeded from the corpora; logs go to
# fuzz/logs/<target>.log (appended), crashes to fuzz/artifacts/<target>/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools/fuzz-seed.sh
mkdir -p fuzz/logs
# The SQL grammar's known scanner leak is suppressed (fuzz/lsan.supp).
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
run() {
  nice -n 19 cargo +nightly fuzz run "$1" "fuzz/corpus/$1" -- \
    -max_total_time="$2" -max_len="$3" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >> "fuzz/logs/$1.log" 2>&1 || echo "fuzz $1: exit $? (see fuzz/logs/$1.log)"
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|ERROR" "fuzz/logs/$1.log" || true
}
# The whole analysis (tree-sitter) is ~100x slower per input: shorter inputs.
run parse "${1:-900}" 65536
run analyze "${2:-900}" 16384
run full_files "${3:-900}" 32768
