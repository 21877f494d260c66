#!/usr/bin/env python3
"""No broker when the producer starts (kafka.connect_timeout 0: wait forever):

  - it waits, logging "waiting for a Kafka broker at <address> (N s so far): <why>" every
    10 s (twice within ~25 s), while /readyz answers 503 with that reason and nothing is
    generated;
  - SIGTERM during the wait ends it promptly: exit 0, 0 messages;
  - a second producer, still waiting when the broker is started, starts producing on its
    own (/readyz 200, delivered grows); after SIGTERM it exits 0 and verify finds a clean
    topic of exactly the delivered count."""
import re
import time

from adminlib import Background
from faultlib import Cluster, Summary, bootstrap, expect_clean_topic
from itlib import expect, run_test

TOPIC = "f-nobroker"


def waiting_lines(bg, address):
    return [line for line in bg.stderr().splitlines()
            if f"waiting for a Kafka broker at {address} (" in line]


def start_waiting(it, address):
    bg = Background(it.binary, ["--brokers", address, "--topic", TOPIC, "--mode", "rate",
                                "--rate", 1000, "--devices", 200])
    bg.wait_for_line(rf"waiting for a Kafka broker at {re.escape(address)} \(\d+ s so far\): ",
                     timeout=20)
    ready = bg.wait_until("/readyz 503 naming the wait",
                          lambda: (r := bg.get("/readyz")).status == 503
                          and "waiting for a Kafka broker" in r.body and r, timeout=10)
    reason = ready.json()["reason"]
    print(f"  /readyz 503: {reason}", flush=True)
    expect(address in reason, f"the /readyz reason does not name {address}: {reason}")
    expect(bg.metric("iiot_messages_generated_total") == 0, "messages generated while waiting")
    expect(bg.get("/healthz").status == 200, "/healthz must be 200 while waiting")
    return bg


def body(it, args):
    address = bootstrap(1)

    # A stop signal while waiting: prompt, clean, nothing produced.
    bg = start_waiting(it, address)
    try:
        t = time.monotonic()
        code = bg.stop()
        took = time.monotonic() - t
    finally:
        bg.kill()
    summary = Summary(bg.stderr())
    print(f"  SIGTERM while waiting: exit {code} after {took:.1f} s; {summary}", flush=True)
    expect(code == 0, f"exit {code} after SIGTERM while waiting, expected 0")
    expect(took < 5, f"{took:.1f} s to exit after SIGTERM while waiting")
    expect(summary.generated == 0 and summary.delivered == 0, f"messages after all: {summary}")

    # Waiting, then the broker comes.
    bg = start_waiting(it, address)
    cluster = None
    try:
        bg.wait_until("a second waiting line", lambda: len(waiting_lines(bg, address)) >= 2,
                      timeout=25, every=0.5)
        lines = waiting_lines(bg, address)
        print("  " + "\n  ".join(lines), flush=True)
        expect(bg.metric("iiot_messages_generated_total") == 0, "messages generated while waiting")

        cluster = Cluster()
        up = time.monotonic()
        bg.wait_until("/readyz 200 once the broker is up", lambda: bg.get("/readyz").status == 200,
                      timeout=60, every=0.5)
        print(f"  /readyz 200 {time.monotonic() - up:.1f} s after the broker was up", flush=True)
        bg.wait_delivered(5000)
        code = bg.stop()
        summary = Summary(bg.stderr())
        print(f"  exit {code}; {summary}", flush=True)
        expect(code == 0, f"exit {code}, expected 0")
        summary.check_accounted()
        expect(summary.lost == 0, f"messages lost: {summary}")
        expect_clean_topic(it, TOPIC, summary)
    finally:
        bg.kill()
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    run_test(body)
