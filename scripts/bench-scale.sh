#!/usr/bin/env bash
# Cost per message as the fleet grows: the release binary on one worker thread, JSON to
# /dev/null, at each fleet size, RUNS times each; prints the median CPU time per message
# (start-up included) and the peak RSS. Two modes:
#   max       COUNT messages, at least 5 per device (so start-up does not dominate), as
#             fast as they go; "x smallest" is the cost against the smallest fleet's, the
#             reference in the same invocation;
#   realtime  every device each 5 s for SECONDS of wall clock; "cores" is the CPU time
#             over the wall time; "steady ns/msg" leaves start-up out: the CPU time and
#             messages of a run 5 s shorter are taken off (the same start-up, fewer
#             messages), so it is the cost of the messages of the last 5 s alone.
#   ./scripts/bench-scale.sh [--sizes "10000 100000 1000000"] [--runs N] [--count N]
#                            [--seconds N]
# Numbers, not assertions: the machine is shared, so read medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="10000 100000 1000000" runs=3 count=3000000 seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "usage: $0 [--sizes LIST] [--runs N] [--count N] [--seconds N]" >&2; exit 2 ;;
  esac
done

source scripts/lib/bench.sh
bench_build
bin=$bench_bin
scratch=$(mktemp -d "${TMPDIR:-/tmp}/iiot-scale.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# One run: prints "<cpu ns per message> <peak RSS MB> <messages> <cores>".
one_run() {
  bench_timed "$scratch/time" \
    "$bin" --admin-addr off --threads 1 --sink stdout --format json --quiet --log-level error \
    "$@" >/dev/null 2>"$scratch/err" || true
  local messages
  messages=$(grep -o 'summary: [0-9,]* messages' "$scratch/err" | tr -dc '0-9' || true)
  # A run that ended without its summary (out of memory at a large fleet...) says why.
  [ -n "$messages" ] || { echo "bench-scale: a run of $* printed no summary:" >&2; cat "$scratch/err" >&2; }
  read -r cpu rss wall <"$scratch/time"
  awk -v c="$cpu" -v m="${messages:-0}" -v r="$rss" -v w="$wall" \
    'BEGIN { printf "%.0f %d %d %.2f\n", (m > 0 ? c * 1e9 / m : 0), r, m, (w > 0 ? c / w : 0) }'
}

# Median of RUNS runs by CPU per message; prints that run's line.
median_run() {
  for _ in $(seq "$runs"); do one_run "$@"; done | bench_median_line
}

printf '%-9s %10s %14s %10s %12s %10s\n' mode devices messages "ns/msg" "x smallest" "RSS MB"
reference=""
for devices in $sizes; do
  n=$((count > 5 * devices ? count : 5 * devices))
  read -r ns rss messages _ <<<"$(median_run --mode max --devices "$devices" --count "$n")"
  reference=${reference:-$ns}
  ratio=$(awk -v a="$ns" -v b="$reference" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  printf '%-9s %10s %14s %10s %12s %10s\n' max "$devices" "$messages" "$ns" "$ratio" "$rss"
done
printf '\n%-9s %10s %14s %10s %14s %8s %10s\n' mode devices messages "ns/msg" "steady ns/msg" \
  "cores" "RSS MB"
for devices in $sizes; do
  long=$(median_run --mode realtime --interval 5s --devices "$devices" --duration "${seconds}s")
  short=$(median_run --mode realtime --interval 5s --devices "$devices" \
    --duration "$((seconds > 5 ? seconds - 5 : 1))s")
  read -r ns rss messages cores <<<"$long"
  # CPU seconds of each run back from ns/msg x messages; the difference over the extra messages.
  steady=$(awk -v l="$long" -v s="$short" 'BEGIN {
    split(l, a, " "); split(s, b, " ")
    dm = a[3] - b[3]; dc = a[1] * a[3] - b[1] * b[3]
    printf "%.0f", (dm > 0 ? dc / dm : 0) }')
  printf '%-9s %10s %14s %10s %14s %8s %10s\n' realtime "$devices" "$messages" "$ns" "$steady" \
    "$cores" "$rss"
done
