#!/usr/bin/env python3
"""TLS refusals against a SASL_SSL broker whose certificate names only DNS:otherhost
(KAFKA_LOCAL_TLS_SAN), reached at 127.0.0.1:

  (b) kafka.tls_ca_file is a CA that did not sign the broker's certificate: the producer
      exits 1 within its bound (kafka.connect_timeout) with an error naming the broker and
      saying its certificate is not trusted; `verify` says the same;
  (c) the right CA but kafka.tls_verify_hostname true: refused, the error saying the
      certificate is not valid for the name "127.0.0.1" it was reached by; the same run
      with kafka.tls_verify_hostname false delivers every message (the control)."""
import tempfile

from itlib import expect, run, run_test
from seclib import SecureBroker, other_ca

TOPIC = "sec-tls"
BOUND_S = 20
SLACK_S = 15


def produce(it, b, env, count=100):
    r = run([it.binary, "--brokers", b.bootstrap, "--topic", TOPIC, "--mode", "max",
             "--devices", 10, "--count", count, "-q"], timeout=120, env=env)
    print(r.stderr[-2000:], flush=True)
    return r


def untrusted_ca(it, b, tmp):
    env = b.product_env(kafka_tls_ca_file=other_ca(tmp), kafka_connect_timeout=f"{BOUND_S}s")
    r = produce(it, b, env)
    expect(r.returncode == 1, f"exit {r.returncode} with an untrusted CA, expected 1\n"
                              f"{r.describe()}")
    want = f"the TLS certificate of broker {b.bootstrap} is not trusted"
    expect(want in r.stderr, f"the error does not say '{want}'\n{r.describe()}")
    expect(r.seconds <= BOUND_S + SLACK_S, f"took {r.seconds:.1f} s to give up")

    r = run([it.binary, "verify", "--brokers", b.bootstrap, "--topic", TOPIC, "--timeout",
             BOUND_S], timeout=120, env=env)
    print(r.stdout[-800:] + r.stderr[-1200:], flush=True)
    expect(r.returncode == 1, f"verify exit {r.returncode} with an untrusted CA\n{r.describe()}")
    expect(want in r.stdout + r.stderr, f"verify does not say '{want}'\n{r.describe()}")


def wrong_hostname(it, b):
    r = produce(it, b, b.product_env(kafka_connect_timeout=f"{BOUND_S}s"))
    expect(r.returncode == 1, f"exit {r.returncode} for a certificate of another host, "
                              f"expected 1\n{r.describe()}")
    want = (f"the TLS certificate of broker {b.bootstrap} is not valid for the name "
            f"\"127.0.0.1\" it was reached by")
    expect(want in r.stderr, f"the error does not say '{want}'\n{r.describe()}")
    expect(r.seconds <= BOUND_S + SLACK_S, f"took {r.seconds:.1f} s to give up")

    r = produce(it, b, b.product_env(kafka_tls_verify_hostname="false"), count=1000)
    expect(r.returncode == 0 and "every message delivered" in r.stderr,
           f"with kafka.tls_verify_hostname false the run should succeed\n{r.describe()}")


def body(it, args):
    with SecureBroker(san="DNS:otherhost") as b, \
            tempfile.TemporaryDirectory(prefix="iiot-sec-") as tmp:
        untrusted_ca(it, b, tmp)
        wrong_hostname(it, b)


if __name__ == "__main__":
    run_test(body)
