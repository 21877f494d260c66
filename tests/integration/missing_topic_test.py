#!/usr/bin/env python3
"""A missing topic on a broker with auto-creation off (KAFKA_LOCAL_AUTO_CREATE=false):
iiot-producer exits 1 at once with an error naming the topic ("does not exist"), well
within its check bound, instead of hanging or retrying until message.timeout.ms; verify
does the same; neither creates the topic. A positive control on the same broker
(topic created first) produces and verifies clean."""
from itlib import expect, product_env, run, run_test

MISSING = "it-missing"
PRESENT = "it-present"
TIMEOUT_S = 10  # kafka.message_timeout_ms and verify --timeout: the bound on the check
SLACK_S = 10    # process start, librdkafka teardown, a busy 2-core machine


def body(it, args):
    expect(not it.topic_exists(MISSING), f"{MISSING} exists before the test")

    r = run([it.binary, "--brokers", it.brokers, "--topic", MISSING, "--mode", "max",
             "--devices", 10, "--count", 100, "-q"], timeout=120,
            env=product_env(kafka_message_timeout_ms=TIMEOUT_S * 1000))
    print(r.stderr, flush=True)
    expect(r.returncode == 1, f"iiot-producer exit {r.returncode}, expected 1\n{r.describe()}")
    expect(f'"{MISSING}"' in r.stderr and "does not exist" in r.stderr,
           f"the error does not say that topic \"{MISSING}\" does not exist\n{r.describe()}")
    expect(it.brokers in r.stderr, f"the error does not name the brokers {it.brokers}\n{r.describe()}")
    expect(r.seconds <= TIMEOUT_S + SLACK_S,
           f"iiot-producer took {r.seconds:.1f} s to report a missing topic "
           f"(bound {TIMEOUT_S} s + {SLACK_S} s slack)")

    r, report = it.verify(MISSING, "--expect-devices", 10, timeout_s=TIMEOUT_S, timeout=120)
    print(r.stdout + r.stderr, flush=True)
    expect(r.returncode == 1, f"verify exit {r.returncode}, expected 1\n{r.describe()}")
    expect(MISSING in r.text, f"verify's error does not name {MISSING}\n{r.describe()}\n{r.stdout}")
    expect(report is None or (report.get("clean") is False and report.get("error")),
           f"verify's JSON report should carry the error and clean=false: {report}")
    expect(r.seconds <= TIMEOUT_S + SLACK_S,
           f"verify took {r.seconds:.1f} s (bound {TIMEOUT_S} s + {SLACK_S} s slack)")

    expect(not it.topic_exists(MISSING), f"{MISSING} was created although auto-creation is off")

    it.create_topic(PRESENT, partitions=3)
    it.produce("--topic", PRESENT, "--mode", "max", "--devices", 10, "--count", 1000,
               "--interval", "1s", messages=1000)
    it.verify_clean(PRESENT, messages=1000, devices=10, per_device=100)


if __name__ == "__main__":
    run_test(body)
