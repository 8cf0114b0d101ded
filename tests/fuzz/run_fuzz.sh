#!/bin/sh
# Runs a libFuzzer binary for a bounded time, seeded from the committed corpus;
# new inputs go to a scratch folder so the source tree is never written.
# libFuzzer exits 77 on a crash by default, which Meson reads as SKIP: force 1.
# Usage: run_fuzz.sh FUZZER SECONDS SEED_DIR...
set -eu
fuzzer=$1 seconds=$2
shift 2
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mink-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
status=0
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$scratch/" \
    "$scratch" "$@" >"$scratch.log" 2>&1 || status=$?
# On a crash the report and the crashing input's name are near the end.
tail -n 40 "$scratch.log"
rm -f "$scratch.log"
exit "$status"
