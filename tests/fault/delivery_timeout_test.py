#!/usr/bin/env python3
"""Messages that cannot be delivered in time are counted, by status, never lost silently:
kafka.message_timeout_ms 5000, the sole broker killed mid-run (rate mode, 2,000 msg/s,
500 devices) and left down 10 s (> 5 s, so queued and in-flight messages time out), then
restarted; the producer goes on until 10,000 more are delivered (so every device has
messages after its failed ones), then SIGTERM. The summary names the failures by cause
(timed_out, possibly_persisted) and the loss ("LOST n of m"); exit 1. verify agrees:
every generated message is in the topic or a gap; the gaps are at least the failures
surely not written (all but possibly_persisted) and at most all failures."""
import time

from faultlib import Cluster, Summary, producing, verify_totals
from itlib import expect, run_test

TOPIC = "f-timeout"
TIMEOUT_MS = 5000


def failures(bg):
    return (bg.metric("iiot_messages_failed_total", '{cause="timed_out"}')
            + bg.metric("iiot_messages_failed_total", '{cause="possibly_persisted"}'))


def body(it, args):
    with Cluster() as cluster:
        it.create_topic(TOPIC, 6)
        bg = producing(it, TOPIC, 2000, 500, kafka_message_timeout_ms=TIMEOUT_MS)
        try:
            bg.wait_delivered(10_000)
            cluster.kill(1)
            killed = time.monotonic()
            bg.wait_until("failures counted as the deadline passes", lambda: failures(bg) > 0,
                          timeout=30, every=0.5)
            print(f"  first failures {time.monotonic() - killed:.1f} s after the kill", flush=True)
            time.sleep(max(0.0, 10 - (time.monotonic() - killed)))
            cluster.restart(1)
            resumed = bg.metric("iiot_messages_delivered_total")
            bg.wait_delivered(resumed + 10_000, what="10,000 more delivered after the restart")
            code = bg.stop()
        finally:
            bg.kill()
        log = bg.stderr()
        summary = Summary(log)
        print(f"  exit {code}; {summary}", flush=True)
        print("  " + "\n  ".join(line for line in log.splitlines()
                                 if "failed (" in line or "LOST" in line), flush=True)
        summary.check_accounted()
        expect(code == 1, f"exit {code}, expected 1 (messages failed)")
        expect(summary.lost > 0, f"no loss reported after the broker died: {summary}")
        expect(summary.failed_by.get("timed_out", 0)
               + summary.failed_by.get("possibly_persisted", 0) == summary.failed,
               f"failures by other causes than timed_out / possibly_persisted: {summary.failed_by}")
        expect("kafka.message_timeout_ms" in log,
               "the summary does not name the deadline (kafka.message_timeout_ms)")

        totals, _ = verify_totals(it, TOPIC)
        gaps, unique = totals["gaps"], totals["messages"] - totals["duplicates"]
        certain = summary.failed - summary.failed_by.get("possibly_persisted", 0)
        print(f"  verify: {gaps:,} gaps, {unique:,} distinct messages, {totals['duplicates']} "
              f"duplicates; the summary: failed {summary.failed:,}, of which surely not written "
              f"{certain:,}; written anyway {unique - summary.delivered:,}", flush=True)
        expect(unique + gaps == summary.generated,
               f"{unique:,} distinct messages + {gaps:,} gaps != {summary.generated:,} generated")
        expect(certain <= gaps <= summary.failed,
               f"{gaps:,} gaps, expected between {certain:,} (failures surely not written) and "
               f"{summary.failed:,} (all failures)")


if __name__ == "__main__":
    run_test(body)
