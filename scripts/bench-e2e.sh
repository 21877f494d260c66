#!/usr/bin/env bash
# End to end against a real Kafka broker: one table comparing, on the same messages and the
# same producer properties (acks=all, enable.idempotence=true, lz4, linger.ms 5):
#   broker    iiot-producer realistic   max mode, JSON, DEVICES devices, COUNT messages
#             iiot-producer --payload   generation off: every value the same BYTES bytes (the
#                                       mean realistic size), keyed by device: librdkafka's
#                                       ceiling through our sink
#             kcat -P                   the realistic messages, written to a file first by
#                                       iiot-producer --sink stdout, one per line, no keys
#             ProducerPerformance       Kafka's own Java benchmark, COUNT records of BYTES bytes
#   embedded  iiot-producer realistic and --payload against the in-process cluster
# Columns: msg/s and MB/s of values (each tool's own clock where it has one, else the
# process's wall time), CPU seconds (user + sys of the whole process, start-up included) per
# million messages, peak RSS, and the p50/p99 delivery latency where the tool reports it.
# Every figure is the median over RUNS runs; the rows take turns within each run.
# Without --brokers the script starts a local Kafka 3.9 (scripts/kafka-local.sh) in a state
# dir and on ports of its own (KAFKA_LOCAL_DIR, KAFKA_LOCAL_PORT_BASE override them) and
# stops it at the end.
#   ./scripts/bench-e2e.sh [--brokers B] [--count N] [--devices N] [--runs N]
#                          [--linger-ms MS] [--partitions P] [--payload BYTES] [--no-embedded]
# Numbers, not assertions: the machine is shared, so read medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

brokers="" count=2000000 devices=100000 runs=3 linger=5 partitions=12 payload="" embedded=1
usage="usage: $0 [--brokers B] [--count N] [--devices N] [--runs N] [--linger-ms MS]
       [--partitions P] [--payload BYTES] [--no-embedded]"
while [ $# -gt 0 ]; do
  case "$1" in
    --brokers) brokers=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --linger-ms) linger=$2; shift 2 ;;
    --partitions) partitions=$2; shift 2 ;;
    --payload) payload=$2; shift 2 ;;
    --no-embedded) embedded=0; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done

bench_build
bin=$bench_bin
cp=$(./scripts/kafka-local.sh classpath)
bench_scratch bench-e2e
bench_broker_start 9392 "$scratch/kafka-start.log"

# Every iiot-producer run simulates the same messages: max mode from a fixed start and seed.
sim=(--mode max --start 2026-01-01T00:00:00Z --seed 1 --devices "$devices" --count "$count"
     --format json)
# The producer properties every row uses, in each tool's spelling.
iiot_env=(IIOT_KAFKA_ACKS=all IIOT_KAFKA_IDEMPOTENCE=true IIOT_KAFKA_COMPRESSION=lz4
          IIOT_KAFKA_LINGER_MS="$linger")
kcat_props=(-X acks=all -X enable.idempotence=true -X compression.codec=lz4
            -X linger.ms="$linger")
java_props=(acks=all enable.idempotence=true compression.type=lz4 linger.ms="$linger")

log "writing the $count realistic messages to a file for kcat"
"$bin" "${sim[@]}" --sink stdout --admin-addr off --quiet --log-level error \
  >"$scratch/messages.jsonl" 2>"$scratch/err" || { cat "$scratch/err" >&2; exit 1; }
lines=$(wc -l <"$scratch/messages.jsonl")
[ "$lines" -eq "$count" ] || { log "the message file has $lines lines, not $count"; exit 1; }
mean=$(awk -v b="$(stat -c %s "$scratch/messages.jsonl")" -v n="$count" \
  'BEGIN { printf "%.0f", (b - n) / n }')  # without the newlines
payload=${payload:-$mean}

# A fresh topic per broker row, created before the runs (off the clock).
stamp=$(date +%s)
topic_of() { echo "bench-e2e-$stamp-$1"; }
create_topic() {
  java -cp "$cp" org.apache.kafka.tools.TopicCommand --bootstrap-server "$brokers" --create \
    --topic "$1" --partitions "$partitions" >/dev/null
}

# One iiot-producer run (extra arguments: the sink and what is sent). Its admin server is
# scraped every 0.2 s while it runs; the last /metrics seen gives the latency quantiles
# (it misses at most the last 0.2 s of deliveries). Prints
# "<msg/s> <CPU s> <RSS MB> <p50 ms> <p99 ms>".
iiot_run() {
  : >"$scratch/err"  # not the last run's port
  bench_timed "$scratch/time" env "${iiot_env[@]}" "$bin" "${sim[@]}" \
    --admin-addr 127.0.0.1:0 --quiet --log-level info "$@" >/dev/null 2>"$scratch/err" &
  local rc=0
  bench_watch $! "$scratch/err" || rc=$?
  if [ "$rc" -ne 0 ] || ! grep -q 'every message delivered' "$scratch/err"; then
    log "iiot-producer $* failed (exit $rc):"; tail -5 "$scratch/err" >&2; echo "- - - - -"
    return
  fi
  local rate
  rate=$(grep -o '([0-9,]* msg/s' "$scratch/err" | tr -dc '0-9' || true)
  read -r cpu rss _ <"$scratch/time"
  local metric=iiot_delivery_latency_seconds
  echo "$rate $cpu $rss $(bench_histogram_ms $metric 0.50 "$scratch/metrics" 2>/dev/null || echo -)" \
    "$(bench_histogram_ms $metric 0.99 "$scratch/metrics" 2>/dev/null || echo -)"
}

# kcat producing the message file, one message a line, no keys. No latency figures.
kcat_run() {
  local rc=0
  bench_timed "$scratch/time" kcat -P -b "$brokers" -t "$1" -l "${kcat_props[@]}" \
    "$scratch/messages.jsonl" 2>"$scratch/err" || rc=$?
  # kcat logs retries it recovers from (a PID from a broker still loading) too: only a
  # failed delivery or exit counts.
  if [ "$rc" -ne 0 ] || grep -qi 'delivery failed' "$scratch/err"; then
    log "kcat failed (exit $rc):"; tail -5 "$scratch/err" >&2; echo "- - - - -"; return
  fi
  read -r cpu rss wall <"$scratch/time"
  echo "$(awk -v n="$count" -v w="$wall" 'BEGIN { printf "%.0f", n / w }') $cpu $rss - -"
}

# Kafka's ProducerPerformance: its own records/sec and percentiles (the last line).
java_run() {
  local rc=0
  bench_timed "$scratch/time" java -cp "$cp" org.apache.kafka.tools.ProducerPerformance \
    --topic "$1" --num-records "$count" --record-size "$payload" --throughput -1 \
    --producer-props bootstrap.servers="$brokers" "${java_props[@]}" \
    >"$scratch/out" 2>"$scratch/err" || rc=$?
  local total
  total=$(grep 'records sent' "$scratch/out" | tail -1 || true)
  if [ "$rc" -ne 0 ] || [ -z "$total" ]; then
    log "ProducerPerformance failed (exit $rc):"; tail -5 "$scratch/err" >&2
    echo "- - - - -"; return
  fi
  read -r cpu rss _ <"$scratch/time"
  # "2000000 records sent, 312500.0 records/sec (98.35 MB/sec), 80.1 ms avg latency, 420.0
  #  ms max latency, 75 ms 50th, 160 ms 95th, 300 ms 99th, 400 ms 99.9th."
  echo "$total" | awk -v c="$cpu" -v r="$rss" -F', ' '
    { split($2, a, " "); split($5, p50, " "); split($7, p99, " ")
      printf "%.0f %s %s %s %s\n", a[1], c, r, p50[1], p99[1] }'
}

rows=(real payload kcat java)
[ "$embedded" = 1 ] && rows+=(emb-real emb-payload)
declare -A title=(
  [real]="iiot-producer realistic"
  [payload]="iiot-producer --payload $payload"
  [kcat]="kcat -P (same JSON, no keys)"
  [java]="Kafka ProducerPerformance"
  [emb-real]="iiot-producer realistic"
  [emb-payload]="iiot-producer --payload $payload")
declare -A bytes=([real]=$mean [payload]=$payload [kcat]=$mean [java]=$payload
                  [emb-real]=$mean [emb-payload]=$payload)
for row in real payload kcat java; do create_topic "$(topic_of "$row")"; done

for run in $(seq "$runs"); do
  for row in "${rows[@]}"; do
    log "run $run/$runs: $row"
    case "$row" in
      real) iiot_run --brokers "$brokers" --topic "$(topic_of real)" ;;
      payload) iiot_run --brokers "$brokers" --topic "$(topic_of payload)" --payload "$payload" ;;
      kcat) kcat_run "$(topic_of kcat)" ;;
      java) java_run "$(topic_of java)" ;;
      emb-real) iiot_run ;;
      emb-payload) iiot_run --payload "$payload" ;;
    esac >>"$scratch/row-$row"
  done
done

# Column k (1-based) of a row's runs, median.
median_of() { awk -v k="$2" '{ print $k }' "$scratch/row-$1" | bench_median; }

printf '%s messages from %s devices, JSON values of %s B on average; acks=all, idempotence,\n' \
  "$count" "$devices" "$mean"
printf 'lz4, linger.ms=%s; broker %s (%s partitions); medians of %s runs\n\n' \
  "$linger" "$brokers" "$partitions" "$runs"
{
  printf '%-9s %-34s %10s %7s %8s %10s %7s %7s %7s\n' "" row msg/s MB/s "x ceil" \
    "CPU s/M" "RSS MB" "p50 ms" "p99 ms"
  for row in "${rows[@]}"; do
    case "$row" in emb-*) where=embedded ceiling=emb-payload ;; *) where=broker ceiling=payload ;; esac
    rate=$(median_of "$row" 1)
    ceil=$(median_of "$ceiling" 1)
    # CPU per million messages: the median of each run's CPU seconds over COUNT.
    cpu=$(awk -v n="$count" '$2 != "-" { printf "%.2f\n", $2 * 1e6 / n }' "$scratch/row-$row" |
          bench_median)
    awk -v where="$where" -v t="${title[$row]}" -v rate="$rate" -v ceil="$ceil" \
      -v b="${bytes[$row]}" -v cpu="$cpu" -v rss="$(median_of "$row" 3)" \
      -v p50="$(median_of "$row" 4)" -v p99="$(median_of "$row" 5)" 'BEGIN {
        ok = rate != "-"
        printf "%-9s %-34s %10s %7s %8s %10s %7s %7s %7s\n", where, t,
          ok ? sprintf("%.0f", rate) : "-", ok ? sprintf("%.1f", rate * b / 1e6) : "-",
          ok && ceil != "-" ? sprintf("%.2f", rate / ceil) : "-", cpu, rss, p50, p99 }'
  done
} | sed 's/ -\( \|$\)/ —\1/g; s/ -\( \|$\)/ —\1/g'
