#!/usr/bin/env python3
"""Latency from each message's intended time to the broker's append, from every message.

Reads lines "<append ms> <JSON value>" on stdin (kcat -C -f '%T %s\\n' on a topic with
message.timestamp.type=LogAppendTime), where the value is iiot-producer JSON whose "ts" is
the message's intended wall-clock time (rate and realtime modes). Both clocks are this
machine's, so the difference is the whole way from the schedule to the broker's log: time
spent waiting to be generated, in the client's queue, in a batch, on the wire and in the
broker, without coordinated omission (a stall delays the messages behind it, and they
count it). Resolution: 1 ms (both timestamps are in ms).

Prints one line: "<messages> <max ms> <steady messages> <p50> <p99> <p99.9> <max>", the
steady figures over the messages intended at or after --steady-from (epoch ms; the
start-up and warm-up before it are in the first max only).
  python3 scripts/lib/append_latency.py --steady-from MS < lines
"""
import argparse
import calendar
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steady-from", type=int, default=0)
    args = parser.parse_args()
    second_ms = {}  # "YYYY-MM-DDTHH:MM:SS" -> its epoch ms
    all_max = 0
    count = 0
    steady = []
    for line in sys.stdin:
        append, _, value = line.partition(" ")
        at = value.find('"ts":"')
        if at < 0:
            sys.exit(f"append_latency: a value without \"ts\": {value[:80]!r}")
        ts = value[at + 6:at + 30]  # 2026-12-07T03:20:55.034Z
        base = second_ms.get(ts[:19])
        if base is None:
            base = calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) * 1000
            second_ms[ts[:19]] = base
        intended = base + int(ts[20:23])
        latency = int(append) - intended
        count += 1
        all_max = max(all_max, latency)
        if intended >= args.steady_from:
            steady.append(latency)
    steady.sort()
    n = len(steady)

    def q(f):
        return steady[min(n - 1, int(f * n))] if n else "-"

    print(count, all_max if count else "-", n, q(0.5), q(0.99), q(0.999),
          steady[-1] if n else "-")


if __name__ == "__main__":
    main()
