#!/usr/bin/env python3
"""Against a SASL_SSL broker (scripts/kafka-local.sh start --secure: a throwaway CA, SCRAM
users), with the password and the admin token treated as secrets:

  (a) 20,000 messages produced over SASL_SSL with SCRAM-SHA-512, and `verify` over the
      same finds them all, clean;
  (d) a wrong password: exit 1 within the bound with an error saying SASL authentication
      failed for the user, and the wrong password itself printed nowhere;
  (e) a run with librdkafka's debug logging on (kafka.properties debug=all, log.level
      debug), the password from IIOT_KAFKA_SASL_PASSWORD and the admin token from a file:
      neither secret is in its stderr, /metrics, /api/v1/config or /api/v1/stats; nor in
      the stderr of a failing run (an untrusted CA) with the same secrets."""
import json
import re
import tempfile
from pathlib import Path

from adminlib import Background
from itlib import expect, run, run_test
from seclib import SecureBroker, other_ca

TOPIC = "sec-sasl"
MESSAGES = 20_000
DEVICES = 200
BOUND_S = 20     # kafka.connect_timeout of the failing runs
SLACK_S = 15     # process start and teardown on a busy machine
TOKEN = "adm1n-T0ken-for-the-secrets-test"


def produce_and_verify(it, b):
    r = run([it.binary, "--brokers", b.bootstrap, "--topic", TOPIC, "--mode", "max",
             "--devices", DEVICES, "--count", MESSAGES, "--seed", 7, "-q"], timeout=300,
            env=b.product_env())
    print(r.stderr[-1500:], flush=True)
    expect(r.returncode == 0, f"producing over SASL_SSL failed\n{r.describe()}")
    m = re.search(r"delivered ([\d,]+) \| failed ([\d,]+) \| dropped ([\d,]+)", r.stderr)
    expect(m and m[1].replace(",", "") == str(MESSAGES) and m[2] == "0" and m[3] == "0",
           f"the summary does not say {MESSAGES} delivered, 0 failed, 0 dropped\n{r.describe()}")

    r = run([it.binary, "verify", "--brokers", b.bootstrap, "--topic", TOPIC, "--timeout", 60,
             "--json", "--expect-devices", DEVICES], timeout=300, env=b.product_env())
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    expect(lines, f"verify printed no JSON report\n{r.describe()}")
    report = json.loads(lines[-1])
    totals = report.get("totals", {})
    print(f"  verify: clean={report.get('clean')} totals={totals}", flush=True)
    expect(r.returncode == 0 and report.get("clean") is True,
           f"verify over SASL_SSL is not clean\n{r.describe()}")
    expect(totals.get("messages") == MESSAGES and totals.get("gaps") == 0
           and totals.get("duplicates") == 0,
           f"verify totals {totals}: expected {MESSAGES} messages, no gaps or duplicates")


def wrong_password(it, b):
    wrong = "Wr0ng-Passw0rd-" + b.password[:4][::-1]
    r = run([it.binary, "--brokers", b.bootstrap, "--topic", TOPIC, "--mode", "max",
             "--devices", 10, "--count", 100, "-q"], timeout=120,
            env=b.product_env(kafka_sasl_password_file=None, kafka_sasl_password=wrong,
                              kafka_connect_timeout=f"{BOUND_S}s"))
    print(r.stderr[-2000:], flush=True)
    expect(r.returncode == 1, f"exit {r.returncode} with a wrong password, expected 1\n"
                              f"{r.describe()}")
    expect('SASL authentication as user "iiot" (SCRAM-SHA-512) failed' in r.stderr,
           f"the error does not say the SASL authentication failed\n{r.describe()}")
    expect(wrong not in r.stdout + r.stderr, "the wrong password was printed")
    expect(r.seconds <= BOUND_S + SLACK_S, f"took {r.seconds:.1f} s to give up")

    r = run([it.binary, "verify", "--brokers", b.bootstrap, "--topic", TOPIC, "--timeout",
             BOUND_S], timeout=120,
            env=b.product_env(kafka_sasl_password_file=None, kafka_sasl_password=wrong))
    print(r.stdout[-800:] + r.stderr[-1200:], flush=True)
    expect(r.returncode == 1, f"verify exit {r.returncode} with a wrong password\n{r.describe()}")
    expect("SASL authentication as user" in r.stdout + r.stderr,
           f"verify does not say the SASL authentication failed\n{r.describe()}")
    expect(wrong not in r.stdout + r.stderr, "verify printed the wrong password")


def no_secret_anywhere(it, b, tmp):
    password = b.password
    token_file = Path(tmp) / "admin-token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)
    debug = {"kafka_sasl_password_file": None, "kafka_sasl_password": password,
             "admin_token_file": str(token_file), "log_level": "debug",
             "kafka_properties": "{debug: all}"}
    bg = Background(it.binary, ["--brokers", b.bootstrap, "--topic", TOPIC + "-debug",
                                "--mode", "rate", "--rate", 200, "--devices", 50],
                    env=b.product_env(**debug))
    try:
        def delivered():
            text = bg.request("GET", "/metrics", token=TOKEN).body
            m = re.search(r"^iiot_messages_delivered_total (\S+)$", text, re.M)
            return m is not None and float(m[1]) >= 200

        bg.wait_until("200 messages delivered over SASL_SSL", delivered, timeout=90, every=0.5)
        pages = {}
        for path in ("/metrics", "/api/v1/config", "/api/v1/stats"):
            resp = bg.request("GET", path, token=TOKEN)
            expect(resp.status == 200, f"GET {path}: HTTP {resp.status}: {resp.body[:300]}")
            pages[path] = resp.body
        expect('sasl_password: ""' in pages["/api/v1/config"]
               or "sasl_password: \"<redacted>\"" in pages["/api/v1/config"],
               "/api/v1/config does not show kafka.sasl_password redacted")
    finally:
        code = bg.stop()
    stderr = bg.stderr()
    expect(code == 0, f"the debug run exited {code}\n{stderr[-2000:]}")
    expect("librdkafka" in stderr and len(stderr.splitlines()) > 50,
           "librdkafka's debug output is missing: the test would prove nothing")
    pages["stderr of the debug run"] = stderr

    r = run([it.binary, "--brokers", b.bootstrap, "--topic", TOPIC, "--mode", "max",
             "--devices", 10, "--count", 100, "-q"], timeout=120,
            env=b.product_env(**debug, kafka_tls_ca_file=other_ca(tmp),
                              kafka_connect_timeout=f"{BOUND_S}s"))
    expect(r.returncode == 1, f"the failing run exited {r.returncode}\n{r.describe()}")
    pages["output of the failing run"] = r.stdout + r.stderr

    for where, text in pages.items():
        expect(password not in text, f"the SASL password appears in the {where}")
        expect(TOKEN not in text, f"the admin token appears in the {where}")
        print(f"  no secret in the {where} ({len(text):,} characters)", flush=True)


def body(it, args):
    with SecureBroker() as b, tempfile.TemporaryDirectory(prefix="iiot-sec-") as tmp:
        produce_and_verify(it, b)
        wrong_password(it, b)
        no_secret_anywhere(it, b, tmp)


if __name__ == "__main__":
    run_test(body)
