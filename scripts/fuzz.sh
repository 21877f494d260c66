#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang++-14, ASan + UBSan) and runs them
# side by side, each for SECONDS (default 60) on a scratch copy of its seed corpus in
# tests/fuzz/corpus/, so the tree stays clean. Exits non-zero if any fuzzer finds a crash, leak, timeout or
# sanitizer report, and prints the file holding the input (docs/testing.md, "Fuzzing").
#   ./scripts/fuzz.sh           each fuzzer for 60 s
#   ./scripts/fuzz.sh 600       each for 10 minutes
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
./scripts/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

work=$(mktemp -d "${TMPDIR:-/tmp}/iiot-fuzz.XXXXXX")
targets=(config decoder request_framer)
# Side by side (more fuzzers than cores share them): the same coverage in less wall time.
pids=()
for target in "${targets[@]}"; do
  corpus="$work/$target/corpus"
  mkdir -p "$corpus" "$work/$target/artifacts"
  cp tests/fuzz/corpus/"$target"/* "$corpus"/
  echo "fuzz: ${target}_fuzzer for ${seconds}s" >&2
  "build/fuzz/tests/fuzz/${target}_fuzzer" "$corpus" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$work/$target/artifacts/" >"$work/$target/log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!targets[@]}"; do
  target=${targets[$i]}
  if ! wait "${pids[$i]}"; then
    failed=1
    tail -n 60 "$work/$target/log" >&2
    for input in "$work/$target/artifacts"/*; do
      [ -e "$input" ] || continue
      echo "fuzz: ${target}_fuzzer failed on $input" >&2
      echo "fuzz: reproduce with build/fuzz/tests/fuzz/${target}_fuzzer $input;" \
        "then add it to tests/fuzz/corpus/$target/" >&2
    done
  else
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
      "$work/$target/log" | sed "s/^/fuzz: ${target}_fuzzer /" >&2
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED; logs and inputs kept in $work" >&2
  exit 1
fi
rm -rf "$work"
echo "fuzz: no crash" >&2
