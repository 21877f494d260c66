#!/usr/bin/env python3
"""A fatal producer error against the real broker, on demand: the error librdkafka 2.0.2's
idempotence bug raises after a broker restart (upstream #3584) does not come every time a
broker is killed, so this test raises the same kind of error through the admin API's drill
(POST /api/v1/drill/fatal-error, which calls rd_kafka_test_fatal_error) while producing in
rate mode (3,000 msg/s, 2,000 devices, acks=all, idempotence). Then:

  - the drill is refused without the token (401);
  - the producer is rebuilt within seconds (log lines, iiot_kafka_fatal_errors_total and
    iiot_kafka_producer_rebuilds_total 1), /readyz answers 503 naming the fatal error and
    200 again, and delivery goes on (20,000 more delivered after the rebuild);
  - at SIGTERM the summary accounts for every message, and verify agrees with it: every
    generated message is in the topic or a gap, each gap was counted as lost, and what the
    failed producer held is within the messages counted `fatal`. Exit 1 if any was lost,
    else 0."""
import re
import time

from faultlib import (Cluster, Sampler, check_fatal_accounting, ended, print_readyz_history,
                      producing, verify_totals)
from itlib import expect, run_test

TOPIC = "f-drill"
TOKEN = "drill-T0ken-for-the-fault-test"
METRICS = ("iiot_messages_delivered_total", "iiot_kafka_fatal_errors_total",
           "iiot_kafka_producer_rebuilds_total")


def body(it, args):
    with Cluster():
        it.create_topic(TOPIC, 6)
        bg = producing(it, TOPIC, 3000, 2000, kafka_acks="all", kafka_idempotence="true",
                       admin_token=TOKEN)
        try:
            sampler = Sampler(bg, METRICS)
            started = sampler.run(30, stop_when=lambda s: s["readyz"] == 200
                                  and s["iiot_messages_delivered_total"] >= 10_000)[-1]
            expect(started["readyz"] == 200 and started["iiot_messages_delivered_total"]
                   >= 10_000, f"not ready and producing within 30 s: {started}")
            refused = bg.request("POST", "/api/v1/drill/fatal-error")
            expect(refused.status == 401, f"the drill without a token: HTTP {refused.status}")
            raised = bg.request("POST", "/api/v1/drill/fatal-error", token=TOKEN)
            print(f"  drill: HTTP {raised.status} {raised.body}", flush=True)
            expect(raised.status == 202, f"the drill was not accepted: HTTP {raised.status}")
            drilled = time.monotonic()
            before_drill = len(sampler.samples)
            sampler.run(30, every=0.25, stop_when=lambda s:
                        (s["iiot_kafka_producer_rebuilds_total"] or 0) >= 1)
            rebuilt_after = time.monotonic() - drilled
            print(f"  rebuilt {rebuilt_after:.1f} s after the drill", flush=True)
            # Readiness is evaluated once a second: a round after the fatal error says so
            # (maybe seen already while waiting for the rebuild above).
            if not any("fatal error" in s["reason"] for s in sampler.samples[before_drill:]):
                sampler.run(5, every=0.25, stop_when=lambda s: "fatal error" in s["reason"])
            sampler.run(30, every=0.25, stop_when=lambda s: s["readyz"] == 200)
            resumed = sampler.samples[-1]["iiot_messages_delivered_total"]
            bg.wait_delivered(resumed + 20_000, what="20,000 more delivered after the rebuild")
            code = bg.stop()
        finally:
            bg.kill()
        print_readyz_history(sampler.samples)
        log, summary = ended(bg, code)

        last = sampler.samples[-1]
        expect(last["iiot_kafka_fatal_errors_total"] == 1,
               f"iiot_kafka_fatal_errors_total {last['iiot_kafka_fatal_errors_total']}, not 1")
        expect(last["iiot_kafka_producer_rebuilds_total"] == 1,
               f"iiot_kafka_producer_rebuilds_total {last['iiot_kafka_producer_rebuilds_total']}")
        expect(rebuilt_after < 10, f"the rebuild took {rebuilt_after:.1f} s")
        expect(re.search(r"fatal producer error:.*drill", log),
               "no 'fatal producer error' log line naming the drill")
        expect("Kafka producer rebuilt" in log, "no 'Kafka producer rebuilt' log line")
        since = sampler.samples[before_drill:]
        down = [s for s in since if s["readyz"] == 503 and "fatal error" in s["reason"]]
        expect(down, "/readyz did not answer 503 naming the fatal error after the drill: "
               f"{[s['reason'] for s in since if s['readyz'] == 503][:3]}")
        after = since[since.index(down[0]):]
        expect(any(s["readyz"] == 200 for s in after), "/readyz never came back to 200")

        totals, _ = verify_totals(it, TOPIC)
        check_fatal_accounting(summary, totals)
        expect(summary.failed == summary.failed_by.get("fatal", 0),
               f"failures by other causes than fatal: {summary.failed_by}")
        expect(code == (1 if summary.lost > 0 else 0),
               f"exit {code} with {summary.lost:,} lost")


if __name__ == "__main__":
    run_test(body)
