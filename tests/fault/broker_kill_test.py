#!/usr/bin/env python3
"""The sole broker is killed (kill -9) mid-run for FAULT_KILL_S (default 25 s) and started
again, under acks=all with idempotence, in rate mode (3,000 msg/s, 2,000 devices); the
producer keeps going for a while, then gets SIGTERM. Nothing may be lost silently:

  - no fatal error: exit 0, every message delivered, verify finds 0 gaps, 0 duplicates and
    exactly the delivered count;
  - librdkafka 2.0.2's fatal idempotence error after the restart (upstream bug #3584): the
    producer rebuilt itself within seconds (log line, iiot_kafka_producer_rebuilds_total),
    /readyz went 503 then 200, the summary names the loss by cause and exits 1, and verify
    agrees with it: every generated message is in the topic or a gap, the gaps are the
    failed messages that were not persisted, and any duplicate is one the summary counted
    as possibly persisted.

/readyz is polled once a second throughout and its history printed."""
import time

from faultlib import (Cluster, Sampler, check_fatal_accounting, ended, print_readyz_history,
                      producing, scaled, verify_totals)
from itlib import expect, run_test

TOPIC = "f-kill"
OUTAGE_S = scaled("FAULT_KILL_S", 25)
METRICS = ("iiot_messages_generated_total", "iiot_messages_delivered_total",
           "iiot_kafka_fatal_errors_total", "iiot_kafka_producer_rebuilds_total")


def body(it, args):
    with Cluster() as cluster:
        it.create_topic(TOPIC, 6)
        bg = producing(it, TOPIC, 3000, 2000, kafka_acks="all", kafka_idempotence="true")
        try:
            sampler = Sampler(bg, METRICS)
            sampler.run(30, stop_when=lambda s: s["readyz"] == 200
                        and s["iiot_messages_delivered_total"] >= 15_000)
            cluster.kill(1)
            print(f"  broker killed at t={time.monotonic() - sampler.t0:.1f} s; outage of "
                  f"{OUTAGE_S:.0f} s", flush=True)
            sampler.run(OUTAGE_S)
            cluster.restart_sampled(sampler, 1)
            back = time.monotonic()
            print(f"  broker back at t={back - sampler.t0:.1f} s", flush=True)
            sampler.run(90, stop_when=lambda s: s["readyz"] == 200)
            ready_after = time.monotonic() - back
            print(f"  /readyz 200 again {ready_after:.1f} s after the restart", flush=True)
            sampler.run(10)
            code = bg.stop()
        finally:
            bg.kill()
        print_readyz_history(sampler.samples)
        log, summary = ended(bg, code)
        last = sampler.samples[-1]
        fatal = int(last["iiot_kafka_fatal_errors_total"])
        rebuilds = int(last["iiot_kafka_producer_rebuilds_total"])
        print(f"  fatal errors {fatal}, rebuilds {rebuilds}", flush=True)

        down = [s for s in sampler.samples if s["readyz"] == 503]
        expect(down, "/readyz never answered 503 while the broker was down")
        expect(any(it.brokers in s["reason"] for s in down),
               f"no /readyz reason named the broker {it.brokers}: {down[0]['reason']}")

        totals, verify_code = verify_totals(it, TOPIC)
        messages, gaps, dups = totals["messages"], totals["gaps"], totals["duplicates"]
        if fatal == 0:
            expect(code == 0, f"exit {code} without a fatal error; summary: {summary}")
            expect(summary.lost == 0, f"messages lost without a fatal error: {summary}")
            expect(verify_code == 0 and gaps == 0 and dups == 0,
                   f"verify: {gaps} gaps, {dups} duplicates (exit {verify_code})")
            expect(messages == summary.delivered,
                   f"verify read {messages:,} messages, the producer delivered {summary.delivered:,}")
            print("  no fatal error: nothing lost, nothing duplicated", flush=True)
            return

        print("  the fatal idempotence error happened: checking that it was counted", flush=True)
        expect(rebuilds >= 1, f"{fatal} fatal error(s) but no rebuild")
        expect("Kafka producer rebuilt" in log, "no 'Kafka producer rebuilt' log line")
        expect("fatal producer error" in log, "no 'fatal producer error' log line")
        after_down = [s["readyz"] for s in sampler.samples[sampler.samples.index(down[0]):]]
        expect(200 in after_down, "/readyz never came back to 200 after the rebuild")
        expect(code == 1, f"exit {code}, expected 1: messages were lost ({summary})")
        expect(summary.lost > 0 or gaps == 0, f"verify finds {gaps} gaps, the summary no loss")
        check_fatal_accounting(summary, totals)


if __name__ == "__main__":
    run_test(body)
