#!/usr/bin/env bash
# Runs one fuzz target over a copy of its seed corpus, then on fresh inputs.
# Usage: run_fuzzer.sh FUZZER WORK_DIR SECONDS [libFuzzer options...]
# FUZZER's name gives its corpus (corpus/NAME) and dictionary (dict/NAME.dict)
# here; WORK_DIR is emptied and receives the corpus copy, the log (fuzz.log)
# and any crashing input (artifacts/). Exits non-zero on any crash, leak,
# UBSan report, timeout, out-of-memory or broken invariant.
set -euo pipefail

fuzzer=$1 work=$2 seconds=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=$(basename "$fuzzer")

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
# The checked-in corpus is never written: new inputs go to the copy.
cp -R "$here/corpus/$name/." "$work/corpus/"
dict=()
[ -f "$here/dict/$name.dict" ] && dict=(-dict="$here/dict/$name.dict")

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
status=0
"$fuzzer" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" \
  >"$work/fuzz.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$work/fuzz.log"
  echo "$name: failed (exit $status); inputs in $work/artifacts/" >&2
  exit "$status"
fi
# The last coverage line and the final statistics, for the test's log.
grep -E '^#[0-9]+' "$work/fuzz.log" | tail -n 1
grep -E '^stat::' "$work/fuzz.log"
