#!/usr/bin/env bash
# Delivery latency at a fixed rate against a real Kafka broker, measured from each message's
# intended send time, so without coordinated omission: a stall delays every message behind
# it, and they all count it. Each run, taking turns:
#   iiot-producer        --mode rate --rate RATE for SECONDS, JSON, DEVICES devices (or, with
#                        --interval N, --mode realtime: every device each N s, so RATE is
#                        DEVICES / N), to a fresh topic whose record timestamps are the broker's append time.
#                        Two measures of the same messages:
#                        delivery report  its own histogram iiot_delivery_latency_seconds,
#                                         intended time to delivery report, scraped when the
#                                         warm-up ends and at the end (bucket-interpolated)
#                        broker append    every message read back with kcat: its append
#                                         time less its "ts" (the intended time); exact
#                                         quantiles at 1 ms resolution
#   ProducerPerformance  Kafka's own, --throughput RATE, records of the same mean size; its
#                        latency runs from each send(), over the whole run (a sender that
#                        falls behind sends later and does not count the wait)
# All with acks=all, enable.idempotence=true, lz4, linger.ms LINGER. The first WARMUP
# seconds of an iiot-producer run (connecting, the broker's compiler) are left out of its
# steady quantiles; "max all" keeps them. An unmeasured run warms the broker up first.
# Columns are medians over RUNS runs. Without --brokers the script starts a local Kafka 3.9
# of its own (scripts/kafka-local.sh) and stops it at the end.
#   ./scripts/bench-latency.sh [--brokers B] [--rate R | --interval N] [--seconds N]
#                              [--warmup N] [--devices N] [--runs N] [--linger-ms MS]
#                              [--partitions P]
# Numbers, not assertions: the machine is shared, so read medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

brokers="" rate=100000 interval="" seconds=30 warmup=5 devices=100000 runs=3 linger=5 partitions=12
usage="usage: $0 [--brokers B] [--rate R | --interval N] [--seconds N] [--warmup N] [--devices N] [--runs N]
       [--linger-ms MS] [--partitions P]"
while [ $# -gt 0 ]; do
  case "$1" in
    --brokers) brokers=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --linger-ms) linger=$2; shift 2 ;;
    --partitions) partitions=$2; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
if [ -n "$interval" ]; then
  mode=(--mode realtime --interval "${interval}s")
  rate=$((devices / interval))
else
  mode=(--mode rate --rate "$rate")
fi
[ "$warmup" -lt "$seconds" ] || { echo "bench-latency: --warmup must be less than --seconds" >&2; exit 2; }

bench_build
bin=$bench_bin
cp=$(./scripts/kafka-local.sh classpath)
bench_scratch bench-latency
bench_broker_start 9492 "$scratch/kafka-start.log"

iiot_env=(IIOT_KAFKA_ACKS=all IIOT_KAFKA_IDEMPOTENCE=true IIOT_KAFKA_COMPRESSION=lz4
          IIOT_KAFKA_LINGER_MS="$linger")
java_props=(acks=all enable.idempotence=true compression.type=lz4 linger.ms="$linger")
stamp=$(date +%s)
# new_topic NAME: a fresh topic whose record timestamps are the broker's append time; prints
# its full name.
new_topic() {
  local topic="bench-latency-$stamp-$1"
  java -cp "$cp" org.apache.kafka.tools.TopicCommand --bootstrap-server "$brokers" --create \
    --topic "$topic" --partitions "$partitions" \
    --config message.timestamp.type=LogAppendTime >/dev/null
  echo "$topic"
}
read_back() {  # TOPIC: "<append ms> <value>" per message
  kcat -C -b "$brokers" -t "$1" -e -q -f '%T %s\n' -o beginning
}

# One iiot-producer run of SECONDS to TOPIC. Prints "<msg/s> <CPU s> <RSS MB> <p50> <p99>
# <p99.9> <schedule lag p99>" (ms, the delivery report histogram between the end of the
# warm-up and the last scrape, 0.2 s before the end at most) and then the broker-append
# figures of lib/append_latency.py.
iiot_run() {
  local topic=$1 rc=0 steady_from
  : >"$scratch/err"  # not the last run's port
  steady_from=$(($(date +%s%3N) + warmup * 1000))
  bench_timed "$scratch/time" env "${iiot_env[@]}" "$bin" "${mode[@]}" \
    --duration "${seconds}s" --devices "$devices" --format json --brokers "$brokers" \
    --topic "$topic" --admin-addr 127.0.0.1:0 --quiet --log-level info \
    >/dev/null 2>"$scratch/err" &
  bench_watch $! "$scratch/err" "$steady_from" || rc=$?
  if [ "$rc" -ne 0 ] || ! grep -q 'every message delivered' "$scratch/err" ||
     [ ! -e "$scratch/metrics.warm" ]; then
    log "iiot-producer failed (exit $rc):"; tail -5 "$scratch/err" >&2
    echo "- - - - - - - - - - - - - -"; return
  fi
  local delivered got
  delivered=$(grep -o 'delivered [0-9,]* |' "$scratch/err" | tail -1 | tr -dc '0-9')
  read_back "$topic" | python3 scripts/lib/append_latency.py --steady-from "$steady_from" \
    >"$scratch/append"
  read -r got _ <"$scratch/append"
  [ "$got" = "$delivered" ] || log "read back $got messages of the $delivered delivered"
  local d=iiot_delivery_latency_seconds l=iiot_schedule_lag_seconds m=$scratch/metrics
  local w=$scratch/metrics.warm msgs
  msgs=$(grep -o '([0-9,]* msg/s' "$scratch/err" | tr -dc '0-9')
  read -r cpu rss _ <"$scratch/time"
  echo "$msgs $cpu $rss $(bench_histogram_ms $d 0.5 "$m" "$w") $(bench_histogram_ms $d 0.99 "$m" "$w")" \
    "$(bench_histogram_ms $d 0.999 "$m" "$w") $(bench_histogram_ms $l 0.99 "$m" "$w")" \
    "$(cat "$scratch/append")"
}

# ProducerPerformance at RATE for SECONDS. Prints "<msg/s> <CPU s> <RSS MB> <p50> <p99>
# <p99.9> <max>" (its own figures, ms).
java_run() {
  local rc=0 total
  bench_timed "$scratch/time" java -cp "$cp" org.apache.kafka.tools.ProducerPerformance \
    --topic "$1" --num-records $((rate * seconds)) --record-size "$size" \
    --throughput "$rate" --producer-props bootstrap.servers="$brokers" "${java_props[@]}" \
    >"$scratch/out" 2>"$scratch/err" || rc=$?
  total=$(grep '99.9th' "$scratch/out" | tail -1 || true)
  if [ "$rc" -ne 0 ] || [ -z "$total" ]; then
    log "ProducerPerformance failed (exit $rc):"; tail -5 "$scratch/err" >&2
    echo "- - - - - - -"; return
  fi
  read -r cpu rss _ <"$scratch/time"
  # "3000000 records sent, 99925.1 records/sec (33.45 MB/sec), 14.56 ms avg latency, 432.00
  #  ms max latency, 1 ms 50th, 96 ms 95th, 149 ms 99th, 201 ms 99.9th."
  echo "$total" | awk -v c="$cpu" -v r="$rss" -F', ' '
    { split($2, a, " "); split($4, mx, " "); split($5, p50, " "); split($7, p99, " ")
      split($8, p999, " "); printf "%.0f %s %s %s %s %s %.0f\n", a[1], c, r, p50[1], p99[1],
      p999[1], mx[1] }'
}

log "warming the broker up: iiot-producer at $rate msg/s for 10 s, not measured"
warm_topic=$(new_topic warm-up)
env "${iiot_env[@]}" "$bin" "${mode[@]}" --duration 10s --devices "$devices" \
  --format json --brokers "$brokers" --topic "$warm_topic" --admin-addr off --quiet \
  --log-level error >/dev/null 2>"$scratch/err" || { cat "$scratch/err" >&2; exit 1; }
# ProducerPerformance sends records of the realistic messages' mean size.
size=$(kcat -C -b "$brokers" -t "$warm_topic" -e -q -f '%S\n' -o beginning |
       awk '{ s += $1 } END { printf "%.0f", s / NR }')

for run in $(seq "$runs"); do
  log "run $run/$runs: iiot-producer"
  iiot_run "$(new_topic "iiot-$run")" >>"$scratch/row-iiot"
  log "run $run/$runs: ProducerPerformance"
  java_run "$(new_topic "java-$run")" >>"$scratch/row-java"
done

median_of() { awk -v k="$2" '{ print $k }' "$scratch/row-$1" | bench_median; }
printf '%s: %s msg/s for %s s (%s s warm-up left out of the steady figures), %s devices, JSON of\n' \
  "${mode[*]}" "$rate" "$seconds" "$warmup" "$devices"
printf '%s B on average; acks=all, idempotence, lz4, linger.ms=%s; broker %s (%s partitions);\n' \
  "$size" "$linger" "$brokers" "$partitions"
printf 'latency in ms; medians of %s runs\n\n' "$runs"
cpu_per_m() {  # ROW K: CPU seconds per million messages
  awk -v n=$((rate * seconds)) -v k="$2" '$k != "-" { printf "%.2f\n", $k * 1e6 / n }' \
    "$scratch/row-$1" | bench_median
}
{
  printf '%-44s %9s %8s %7s %7s %7s %7s %7s %8s %9s\n' "" msg/s "CPU s/M" "RSS MB" p50 p99 \
    p99.9 max "max all" "lag p99"
  printf '%-44s %9s %8s %7s %7s %7s %7s %7s %8s %9s\n' \
    "iiot-producer, intended -> delivery report" "$(median_of iiot 1)" "$(cpu_per_m iiot 2)" \
    "$(median_of iiot 3)" "$(median_of iiot 4)" "$(median_of iiot 5)" "$(median_of iiot 6)" \
    - - "$(median_of iiot 7)"
  printf '%-44s %9s %8s %7s %7s %7s %7s %7s %8s %9s\n' \
    "iiot-producer, intended -> broker append" - - - "$(median_of iiot 11)" \
    "$(median_of iiot 12)" "$(median_of iiot 13)" "$(median_of iiot 14)" "$(median_of iiot 9)" -
  printf '%-44s %9s %8s %7s %7s %7s %7s %7s %8s %9s\n' \
    "ProducerPerformance, send() -> callback" "$(median_of java 1)" "$(cpu_per_m java 2)" \
    "$(median_of java 3)" "$(median_of java 4)" "$(median_of java 5)" "$(median_of java 6)" - \
    "$(median_of java 7)" -
} | sed 's/ -\( \|$\)/ —\1/g; s/ -\( \|$\)/ —\1/g'
