#!/usr/bin/env bash
# End-to-end throughput: runs the release binary in max mode against each sink and format,
# RUNS times each, and prints the median messages/s in a table. With --brokers B it also
# produces to that real Kafka and, as the reference in the same invocation, runs Kafka's
# own ProducerPerformance with the same record count and a similar record size.
#   ./scripts/bench-e2e.sh [--brokers 127.0.0.1:9092] [--count N] [--devices N] [--runs N]
# Numbers, not assertions: the machine is shared, so read medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

brokers="" count=2000000 devices=100000 runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --brokers) brokers=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--brokers B] [--count N] [--devices N] [--runs N]" >&2; exit 2 ;;
  esac
done

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target iiot-producer >/dev/null
bin=./build/release/iiot-producer

# Median of the msg/s figures of RUNS runs of the given iiot-producer arguments.
median_rate() {
  local rates=()
  for _ in $(seq "$runs"); do
    local line
    line=$("$bin" --admin-addr 127.0.0.1:0 --mode max --devices "$devices" --count "$count" --quiet --log-level error "$@" 2>&1 >/dev/null |
           grep -o '([0-9,]* msg/s' | tr -d '(,' | cut -d' ' -f1)
    rates+=("${line:-0}")
  done
  printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

printf '%-34s %14s\n' "run ($count msgs, $devices devices)" "median msg/s"
printf '%-34s %14s\n' "stdout json (to /dev/null)" "$(median_rate --sink stdout --format json)"
printf '%-34s %14s\n' "stdout protobuf (to /dev/null)" "$(median_rate --sink stdout --format protobuf)"
printf '%-34s %14s\n' "embedded kafka json" "$(median_rate --format json)"
printf '%-34s %14s\n' "embedded kafka protobuf" "$(median_rate --format protobuf)"
if [ -n "$brokers" ]; then
  topic="bench-$(date +%s)"
  printf '%-34s %14s\n' "kafka $brokers json" "$(median_rate --brokers "$brokers" --topic "$topic" --format json)"
  cp=$(./scripts/kafka-local.sh classpath)
  ref=$(java -cp "$cp" org.apache.kafka.tools.ProducerPerformance --topic "$topic-ref" \
          --num-records "$count" --record-size 330 --throughput -1 \
          --producer-props bootstrap.servers="$brokers" acks=all enable.idempotence=true \
          compression.type=lz4 linger.ms=5 2>/dev/null | tail -1 | grep -o '[0-9.]* records/sec' | cut -d' ' -f1)
  printf '%-34s %14s\n' "reference: Kafka ProducerPerformance" "${ref%.*}"
fi
