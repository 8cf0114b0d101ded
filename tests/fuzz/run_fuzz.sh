#!/bin/sh
# Runs a libFuzzer binary for a bounded time from the committed seeds; new
# inputs go to a scratch folder, so the source tree is never written. Any
# crash or timeout exits 1 (libFuzzer's own 77 would read as SKIP to Meson).
# Usage: run_fuzz.sh FUZZER SECONDS SEED_DIR...
set -eu
fuzzer=$1 seconds=$2
shift 2
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mink-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/corpus"
status=0
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 \
    -artifact_prefix="$scratch/" "$scratch/corpus" "$@" >"$scratch/log" 2>&1 || status=$?
tail -n 40 "$scratch/log"  # a crash's report and input name are near the end
exit "$status"
