# Shared by the end-to-end benchmarks scripts/bench-*.sh (sourced from the repository root,
# not run): the release build, one process's CPU time and peak RSS, medians.
# Numbers, not assertions: the machine is shared, so the scripts print medians and ratios.

# Installs what is missing (scripts/setup.sh) and builds the release binary into bench_bin.
bench_build() {
  ./scripts/setup.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target iiot-producer >/dev/null
  bench_bin=./build/release/iiot-producer
}

# bench_timed OUT CMD [ARG...]: runs CMD under /usr/bin/time and writes
# "<CPU s (user + sys)> <peak RSS MB> <wall s>" to OUT; returns CMD's exit status. The CPU
# time is the whole process's (every thread: a JVM's compiler and GC too), start-up included.
bench_timed() {
  local out=$1 rc=0
  shift
  /usr/bin/time -f '%U %S %M %e' -o "$out.time" "$@" || rc=$?
  # A failed command adds a "Command exited with non-zero status" line first.
  tail -n 1 "$out.time" | awk '{ printf "%.2f %.0f %.2f\n", $1 + $2, $3 / 1024, $4 }' >"$out"
  rm -f "$out.time"
  return "$rc"
}

# The median of the numbers on stdin, one a line (the lower middle one of an even count);
# "-" when there are none. Lines that are not numbers ("-") are left out.
bench_median() {
  grep -E '^-?[0-9.]+(e[-+]?[0-9]+)?$' | sort -g |
    awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print a[int((NR + 1) / 2)] }'
}

# The median line of stdin by its first field (numeric).
bench_median_line() {
  sort -g | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'
}

# bench_broker_start PORT_BASE LOG: when $brokers is empty, starts a local Kafka 3.9
# (scripts/kafka-local.sh) in a state dir and on ports of the calling script's own, so a
# developer's local cluster is left alone (KAFKA_LOCAL_DIR, KAFKA_LOCAL_PORT_BASE override
# them), sets brokers and bench_started_broker=1; bench_broker_stop stops it again.
bench_started_broker=0
bench_broker_start() {
  [ -z "$brokers" ] || return 0
  export KAFKA_LOCAL_DIR=${KAFKA_LOCAL_DIR:-${TMPDIR:-/tmp}/iiot-bench-kafka-$1}
  export KAFKA_LOCAL_PORT_BASE=${KAFKA_LOCAL_PORT_BASE:-$1}
  echo "$(basename "$0"): starting a local Kafka broker (state in $KAFKA_LOCAL_DIR)" >&2
  bench_started_broker=1
  brokers=$(./scripts/kafka-local.sh start 2>"$2") || { cat "$2" >&2; exit 1; }
}
bench_broker_stop() {
  if [ "$bench_started_broker" = 1 ]; then ./scripts/kafka-local.sh stop >/dev/null 2>&1 || true; fi
}

# bench_histogram_ms METRIC Q NOW [BEFORE]: the Q-quantile (0..1), in ms, of the Prometheus
# histogram METRIC (in seconds) in the /metrics text of file NOW, less the counts in file
# BEFORE when given (the observations between the two scrapes), interpolated within buckets
# as histogram_quantile does; "-" without observations.
bench_histogram_ms() {
  awk -v m="${1}_bucket" -v q="$2" -F'[{}" ]+' '
    $1 == m {
      if (FILENAME == ARGV[1]) { n++; bound[n] = ($3 == "+Inf") ? -1 : $3 + 0; cum[n] = $NF }
      else { k++; cum[k] -= $NF } }
    END {
      if (n == 0 || cum[n] <= 0) { print "-"; exit }
      rank = q * cum[n]; lo = 0; below = 0
      for (i = 1; i <= n; i++) {
        if (cum[i] >= rank) {
          if (bound[i] < 0) { printf "%.1f\n", lo * 1000; exit }  # in +Inf: the last bound
          printf "%.1f\n", (lo + (bound[i] - lo) * (rank - below) / (cum[i] - below)) * 1000
          exit
        }
        lo = bound[i]; below = cum[i]
      }
    }' "$3" ${4:+"$4"}
}

# bench_scratch NAME: a scratch dir in $scratch, removed at exit together with the broker
# bench_broker_start started and the producer still running in $running_pid; log() prints
# "NAME: ..." on stderr.
bench_scratch() {
  bench_name=$1
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/iiot-$1.XXXXXX")
  running_pid=""
  trap bench_cleanup EXIT
}
bench_cleanup() {
  if [ -n "$running_pid" ]; then kill "$running_pid" 2>/dev/null || true; fi
  bench_broker_stop
  rm -rf "$scratch"
}
log() { echo "$bench_name: $*" >&2; }

# bench_watch PID ERR [WARM_MS]: while the iiot-producer PID runs (started with
# --admin-addr 127.0.0.1:0 and logging at info to the file ERR), scrapes its /metrics every
# 0.2 s into $scratch/metrics (the last one misses at most the last 0.2 s); with WARM_MS
# (epoch ms), the first scrape at or after it is kept in $scratch/metrics.warm. Returns the
# producer's exit status.
bench_watch() {
  local pid=$1 err=$2 warm_ms=${3:-} port="" rc=0
  rm -f "$scratch/metrics" "$scratch/metrics.warm"
  running_pid=$pid
  while kill -0 "$pid" 2>/dev/null; do
    [ -n "$port" ] ||
      port=$(grep -o 'admin HTTP on http://127.0.0.1:[0-9]*' "$err" | cut -d: -f3 || true)
    if [ -n "$port" ] && curl -sf --max-time 1 "http://127.0.0.1:$port/metrics" \
         -o "$scratch/metrics.next" 2>/dev/null; then
      mv "$scratch/metrics.next" "$scratch/metrics"
      if [ -n "$warm_ms" ] && [ ! -e "$scratch/metrics.warm" ] &&
         [ "$(date +%s%3N)" -ge "$warm_ms" ]; then
        cp "$scratch/metrics" "$scratch/metrics.warm"
      fi
    fi
    sleep 0.2
  done
  wait "$pid" || rc=$?
  running_pid=""
  return "$rc"
}
