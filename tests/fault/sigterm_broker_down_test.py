#!/usr/bin/env python3
"""SIGTERM while the sole broker is down, with kafka.flush_timeout_ms 3000: the flush
cannot finish, so after the bound what is still queued or in flight is purged, counted
(failed (purged)) and reported in the summary with the loss; exit 1; the whole shutdown
takes no longer than the flush bound + slack. The broker is then restarted and verify
confirms that the topic holds no more than the producer said (delivered + the failures
that may have been written) and at least the delivered count."""
import time

from faultlib import Cluster, ended, producing, verify_totals
from itlib import expect, run_test

TOPIC = "f-sigterm-down"
FLUSH_MS = 3000
SLACK_S = 5


def body(it, args):
    with Cluster() as cluster:
        it.create_topic(TOPIC, 6)
        bg = producing(it, TOPIC, 3000, 500, kafka_flush_timeout_ms=FLUSH_MS)
        try:
            bg.wait_delivered(10_000)
            cluster.kill(1)
            bg.wait_until("/readyz 503", lambda: bg.get("/readyz").status == 503, timeout=20)
            time.sleep(2)
            queued = bg.metric("iiot_queue_messages")
            print(f"  {queued:,.0f} messages queued when SIGTERM is sent", flush=True)
            t = time.monotonic()
            code = bg.stop()
            took = time.monotonic() - t
        finally:
            bg.kill()
        log, summary = ended(bg, code, f" {took:.1f} s after SIGTERM")
        expect(code == 1, f"exit {code}, expected 1 (messages purged)")
        purged = summary.failed_by.get("purged", 0)
        expect(purged > 0, f"nothing counted as purged: {summary.failed_by}")
        expect("purged" in log and f"LOST {summary.lost:,}" in log,
               "the summary does not report the purge and the loss")
        expect(took < FLUSH_MS / 1000 + SLACK_S,
               f"{took:.1f} s from SIGTERM to exit, bound {FLUSH_MS / 1000:.0f} s + {SLACK_S} s")

        cluster.restart(1)
        totals, _ = verify_totals(it, TOPIC)
        unique = totals["messages"] - totals["duplicates"]
        print(f"  verify: {unique:,} distinct messages, {totals['gaps']:,} gaps; delivered "
              f"{summary.delivered:,}, failed {summary.failed:,}", flush=True)
        expect(summary.delivered <= unique <= summary.delivered + summary.failed,
               f"the topic holds {unique:,} distinct messages; delivered {summary.delivered:,}, "
               f"failed {summary.failed:,}")
        expect(totals["gaps"] <= summary.failed, f"{totals['gaps']:,} gaps > {summary.failed:,} failed")


if __name__ == "__main__":
    run_test(body)
