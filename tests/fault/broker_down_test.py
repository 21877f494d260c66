#!/usr/bin/env python3
"""A long outage at full rate with a small local queue (kafka.queue_max_messages 50,000):
max mode, 2,000 devices, the sole broker killed for FAULT_OUTAGE_S (default 60 s; set
300 for the "minutes" of production), then restarted. Argument: the
output.on_queue_full policy.

While the broker is down the process's RSS is sampled every second: it stays below the
baseline (just before the kill) + 200 MB and is flat in the second half of the outage
(the queue bound holds; nothing grows without limit).

  block  generation stalls (iiot_messages_generated_total stops growing) and
         iiot_send_blocked_seconds_total grows during the outage; after the restart
         everything is delivered: exit 0, verify 0 gaps, 0 duplicates, exactly the
         delivered count.
  drop   iiot_messages_dropped_total grows; exit 1 (drops are loss), and verify accounts
         for every message: its count is exactly the delivered one, every drop up to the
         end of the outage is a gap, and gaps + the drops after a device's last delivered
         message (max mode keeps dropping a little after the restart) are exactly
         dropped + failed."""

from adminlib import Background
from faultlib import Cluster, Sampler, ended, scaled, verify_totals
from itlib import expect, run_test

OUTAGE_S = scaled("FAULT_OUTAGE_S", 60)
QUEUE = 50_000
RSS_BOUND_MB = 200
FLAT_MB = 32  # allocator noise in the second half of the outage
METRICS = ("iiot_messages_generated_total", "iiot_messages_delivered_total",
           "iiot_messages_dropped_total", "iiot_send_blocked_seconds_total",
           "iiot_queue_messages")


def add_args(parser):
    parser.add_argument("policy", choices=["block", "drop"])


def body(it, args):
    topic = f"f-down-{args.policy}"
    with Cluster() as cluster:
        it.create_topic(topic, 6)
        bg = Background(it.binary, ["--brokers", it.brokers, "--topic", topic, "--mode", "max",
                                    "--devices", 2000],
                        kafka_queue_max_messages=QUEUE, output_on_queue_full=args.policy)
        try:
            sampler = Sampler(bg, METRICS)
            sampler.run(30, every=0.2, stop_when=lambda s: s["readyz"] == 200
                        and s["iiot_messages_delivered_total"] >= 100_000)
            baseline = sampler.samples[-1]["rss_mb"]
            cluster.kill(1)
            print(f"  broker killed at RSS {baseline:.0f} MB; outage of {OUTAGE_S:.0f} s",
                  flush=True)
            outage = Sampler(bg, METRICS).run(OUTAGE_S)
            cluster.restart(1)
            # Max mode delivers hundreds of thousands a second once the broker is back (and
            # keeps the queue full): stop once twice the queue has been delivered since, so
            # that verify has little to read and every device has messages after its
            # dropped ones.
            resumed = outage[-1]["iiot_messages_delivered_total"]
            Sampler(bg, METRICS).run(120, every=0.2, stop_when=lambda s:
                                     s["iiot_messages_delivered_total"] > resumed + 2 * QUEUE)
            code = bg.stop()
        finally:
            bg.kill()
        log, summary = ended(bg, code)

        rss = [s["rss_mb"] for s in outage]
        second = outage[len(outage) // 2:]
        half = [s["rss_mb"] for s in second]
        print(f"  RSS during the outage: baseline {baseline:.0f} MB, max {max(rss):.0f} MB, "
              f"second half {min(half):.0f}..{max(half):.0f} MB", flush=True)
        expect(max(rss) < baseline + RSS_BOUND_MB,
               f"RSS reached {max(rss):.0f} MB, over baseline {baseline:.0f} + {RSS_BOUND_MB} MB")
        expect(max(half) - min(half) < FLAT_MB,
               f"RSS not flat in the second half of the outage: {min(half):.0f}..{max(half):.0f} MB")
        gen = [s["iiot_messages_generated_total"] for s in second]
        print(f"  outage, second half: generated {gen[0]:,.0f} -> {gen[-1]:,.0f}; queue "
              f"{second[-1]['iiot_queue_messages']:,.0f}; dropped "
              f"{second[0]['iiot_messages_dropped_total']:,.0f} -> "
              f"{second[-1]['iiot_messages_dropped_total']:,.0f}; blocked "
              f"{second[0]['iiot_send_blocked_seconds_total']:.1f} -> "
              f"{second[-1]['iiot_send_blocked_seconds_total']:.1f} s", flush=True)

        totals, verify_code = verify_totals(it, topic)
        if args.policy == "block":
            expect(gen[-1] == gen[0], f"generation did not stall: {gen[0]:,.0f} -> {gen[-1]:,.0f}")
            blocked = [s["iiot_send_blocked_seconds_total"] for s in second]
            expect(blocked[-1] > blocked[0],
                   f"iiot_send_blocked_seconds_total did not grow: {blocked[0]} -> {blocked[-1]}")
            expect(code == 0, f"exit {code}, expected 0 (nothing lost)")
            expect(summary.lost == 0, f"messages lost under block: {summary}")
            expect(summary.blocked_s > OUTAGE_S / 2,
                   f"the summary says blocked {summary.blocked_s:.1f} s during a "
                   f"{OUTAGE_S:.0f} s outage")
            expect(verify_code == 0 and totals["gaps"] == 0 and totals["duplicates"] == 0,
                   f"verify not clean (exit {verify_code}): {totals}")
        else:
            dropped = [s["iiot_messages_dropped_total"] for s in second]
            expect(dropped[-1] > dropped[0], f"drops did not grow: {dropped[0]} -> {dropped[-1]}")
            expect(code == 1, f"exit {code}, expected 1 (drops are loss)")
            expect(summary.dropped > 0, f"the summary shows no drop: {summary}")
            # Every message dropped up to the end of the outage is followed by delivered
            # messages of its device, so it is a gap. Max mode keeps the queue full, so drops
            # go on (fewer) after the restart; those after a device's last delivered message
            # leave no gap: the tail, generated - distinct - gaps, which must be what is
            # left of dropped + failed.
            gaps = totals["gaps"]
            tail = summary.generated - (totals["messages"] - totals["duplicates"]) - gaps
            print(f"  verify: {gaps:,} gaps + {tail:,} at a device's tail == dropped "
                  f"{summary.dropped:,} + failed {summary.failed:,}", flush=True)
            expect(gaps >= dropped[-1],
                   f"{gaps:,} gaps, fewer than the {dropped[-1]:,.0f} dropped by the outage's end")
            expect(gaps + tail == summary.dropped + summary.failed and tail >= 0,
                   f"verify: {gaps:,} gaps + {tail:,} at a tail != {summary.dropped:,} dropped + "
                   f"{summary.failed:,} failed")
            expect(tail < summary.dropped - dropped[-1] + 1,
                   f"{tail:,} lost at a tail, more than the {summary.dropped - dropped[-1]:,.0f} "
                   f"dropped after the outage")
            expect(totals["duplicates"] == 0, f"{totals['duplicates']} duplicates")
        expect(totals["messages"] == summary.delivered,
               f"verify read {totals['messages']:,}, the producer delivered {summary.delivered:,}")


if __name__ == "__main__":
    run_test(body, add_args)
