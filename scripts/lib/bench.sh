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
