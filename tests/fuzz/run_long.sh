#!/usr/bin/env bash
# A long run of one fuzz target, for docs/RELIABILITY.md's figures.
# Usage: tests/fuzz/run_long.sh TARGET SECONDS [BUILD_DIR]
#   TARGET: scenario_yaml_fuzzer, scenario_json_fuzzer, device_frame_fuzzer,
#   mllp_fuzzer or record_fuzzer; BUILD_DIR: a PEDISIM_FUZZ build (default
#   build-fuzz, as ./pedisim test --sanitize makes it).
# One process (-jobs=1 is libFuzzer's default). The corpus grown is kept in
# BUILD_DIR/long/TARGET/corpus; copy what is worth keeping into corpus/TARGET
# after minimizing it (-merge=1, see README.md).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
target=${1:?usage: run_long.sh TARGET SECONDS [BUILD_DIR]}
seconds=${2:?usage: run_long.sh TARGET SECONDS [BUILD_DIR]}
build=${3:-$here/../../build-fuzz}
work="$build/long/$target"

"$here/run_fuzzer.sh" "$build/tests/fuzz/$target" "$work" "$seconds"
echo "corpus: $(find "$work/corpus" -type f | wc -l) inputs," \
  "$(du -sk "$work/corpus" | cut -f1) KiB; log: $work/fuzz.log"
