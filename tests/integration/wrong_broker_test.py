#!/usr/bin/env python3
"""A wrong broker address (127.0.0.1:1: nothing listens there): iiot-producer, which
would wait for a broker forever by default, exits 1 with an error naming the address
once kafka.connect_timeout (here 5 s) has passed; `iiot-producer verify --timeout 5`
does the same. Needs no broker."""
from itlib import expect, product_env, run, run_test

ADDRESS = "127.0.0.1:1"
BOUND_S = 5
SLACK_S = 8  # process start, librdkafka teardown, a busy 2-core machine


def body(it, args):
    r = run([it.binary, "--brokers", ADDRESS, "--topic", "it-nobroker", "--mode", "max",
             "--devices", 10, "--count", 100, "-q"], timeout=120,
            env=product_env(kafka_connect_timeout=f"{BOUND_S}s"))
    print(r.stderr, flush=True)
    expect(r.returncode == 1, f"iiot-producer exit {r.returncode}, expected 1\n{r.describe()}")
    expect(ADDRESS in r.stderr, f"the error does not name {ADDRESS}\n{r.describe()}")
    expect("reachable" in r.stderr,
           f"the error does not say the broker is not reachable\n{r.describe()}")
    expect(r.seconds <= BOUND_S + SLACK_S,
           f"iiot-producer took {r.seconds:.1f} s to give up on {ADDRESS} "
           f"(bound {BOUND_S} s + {SLACK_S} s slack)")

    r, report = it.verify("it-nobroker", brokers=ADDRESS, timeout_s=BOUND_S, timeout=120)
    print(r.stdout + r.stderr, flush=True)
    expect(r.returncode == 1, f"verify exit {r.returncode}, expected 1\n{r.describe()}")
    expect(ADDRESS in r.text, f"verify's error does not name {ADDRESS}\n{r.describe()}")
    expect(report is None or (report.get("clean") is False and report.get("error")),
           f"verify's JSON report should carry the error and clean=false: {report}")
    expect(r.seconds <= BOUND_S + SLACK_S,
           f"verify took {r.seconds:.1f} s to give up on {ADDRESS} "
           f"(bound {BOUND_S} s + {SLACK_S} s slack)")


if __name__ == "__main__":
    run_test(body)
