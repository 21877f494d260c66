#!/usr/bin/env python3
"""SIGTERM in the middle of a busy run (rate mode, 20,000 msg/s, 2,000 devices, a healthy
broker): generation stops, the flush ends well within kafka.flush_timeout_ms (10 s), the
summary says every message delivered, exit 0, and verify reads a clean topic of exactly
the delivered count."""
import time

from faultlib import Cluster, ended, expect_clean_topic, producing
from itlib import expect, run_test

TOPIC = "f-sigterm"
FLUSH_MS = 10_000
SLACK_S = 5


def body(it, args):
    with Cluster():
        it.create_topic(TOPIC, 6)
        bg = producing(it, TOPIC, 20_000, 2000, kafka_flush_timeout_ms=FLUSH_MS)
        try:
            bg.wait_delivered(200_000)
            t = time.monotonic()
            code = bg.stop()
            took = time.monotonic() - t
        finally:
            bg.kill()
        _, summary = ended(bg, code, f" {took:.1f} s after SIGTERM")
        expect(code == 0, f"exit {code}, expected 0")
        expect(summary.lost == 0 and summary.every_message_delivered, f"loss: {summary}")
        expect(took < FLUSH_MS / 1000 + SLACK_S,
               f"{took:.1f} s from SIGTERM to exit, bound {FLUSH_MS / 1000:.0f} s + {SLACK_S} s")
        expect_clean_topic(it, TOPIC, summary)


if __name__ == "__main__":
    run_test(body)
