#!/usr/bin/env python3
"""The one-command demo stack (deploy/compose.yaml), brought up with podman-compose.

Its three images are built first with Podman (offline base, as container_test.py): the
Kafka broker from the jars the tests use (deploy/compose/kafka/fetch-jars.sh copies them
from scripts/kafka-local.sh's Maven cache), iiot-producer, and
Prometheus (Debian's package) with our rules. Grafana's image cannot be fetched here: it
sits in the compose file's "grafana" profile, which this test leaves out. The stack comes
up on ports of its own; then, within 3 minutes:
- the producer's /readyz answers 200 (it reached the broker in the stack) and it delivers;
- Prometheus scrapes it (`up{job="iiot-producer"} == 1`) and holds our metrics
  (iiot_messages_delivered_total > 0);
- the rule groups are loaded and healthy, and a recording rule evaluates to a value
  (iiot:messages_delivered:rate1m > 0).
`podman-compose down` removes it all."""
import json
import os
import shutil
import time
import urllib.parse

from itlib import expect, run, run_test
from podmanlib import ROOT, build, ensure_base_image, http_get, podman, use_test_settings

PROJECT = "iiot-compose-test"
ADMIN_PORT = 18580
PROMETHEUS_PORT = 19590


def get_json(url):
    status, text = http_get(url)
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, None


def prom_query(expr):
    """The first sample's value of an instant query, or None."""
    url = (f"http://127.0.0.1:{PROMETHEUS_PORT}/api/v1/query?"
           + urllib.parse.urlencode({"query": expr}))
    status, body = get_json(url)
    if status != 200 or not body or body.get("status") != "success":
        return None
    result = body["data"]["result"]
    return float(result[0]["value"][1]) if result else None


def wait_for(what, check, timeout_s=180):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            print(f"  {what}: {value}", flush=True)
            return value
        time.sleep(2)
    expect(False, f"not within {timeout_s} s: {what}")


def compose(*args, timeout=600):
    env_ports = {"IIOT_DEMO_ADMIN_PORT": str(ADMIN_PORT),
                 "IIOT_DEMO_PROMETHEUS_PORT": str(PROMETHEUS_PORT)}
    env = {**os.environ, **env_ports}
    return run(["podman-compose", "-p", PROJECT, "-f", str(ROOT / "deploy/compose.yaml"),
                *args], timeout=timeout, env=env)


def body(it, args):
    use_test_settings()
    expect(shutil.which("podman-compose"), "podman-compose is not installed (scripts/setup.sh)")
    ensure_base_image()
    start = time.monotonic()
    r = run([ROOT / "deploy/compose/kafka/fetch-jars.sh"], timeout=600)
    expect(r.returncode == 0, f"fetch-jars.sh failed\n{r.describe()}")
    build("deploy/compose/kafka/Dockerfile", "localhost/iiot-demo-kafka:3.9.2",
          context="deploy/compose/kafka")
    build("deploy/docker/Dockerfile", "localhost/iiot-producer:demo")
    build("deploy/compose/prometheus/Dockerfile", "localhost/iiot-demo-prometheus:latest")
    print(f"  images built in {time.monotonic() - start:.0f} s", flush=True)

    compose("down", "-v", timeout=120)  # what an interrupted run may have left
    try:
        r = compose("up", "-d")
        expect(r.returncode == 0, f"podman-compose up failed\n{r.describe()}")
        wait_for("the producer's /readyz is 200",
                 lambda: get_json(f"http://127.0.0.1:{ADMIN_PORT}/readyz")[0] == 200)
        wait_for("the producer delivers",
                 lambda: (get_json(f"http://127.0.0.1:{ADMIN_PORT}/api/v1/stats")[1] or {})
                 .get("totals", {}).get("delivered", 0))
        wait_for("Prometheus scrapes the producer", lambda: prom_query('up{job="iiot-producer"}'))
        wait_for("Prometheus holds iiot_messages_delivered_total",
                 lambda: prom_query('sum(iiot_messages_delivered_total{job="iiot-producer"})'))

        def rules_healthy():
            status, body = get_json(f"http://127.0.0.1:{PROMETHEUS_PORT}/api/v1/rules")
            if status != 200 or not body:
                return None
            groups = body["data"]["groups"]
            rules = [r for g in groups for r in g["rules"]]
            bad = [r["name"] for r in rules if r.get("health") not in ("ok", "unknown")]
            expect(not bad, f"rules with errors: {bad}")
            return f"{len(groups)} groups, {len(rules)} rules" if rules else None
        wait_for("our rule groups are loaded", rules_healthy)
        wait_for("the recording rule iiot:messages_delivered:rate1m has a value > 0",
                 lambda: prom_query("sum(iiot:messages_delivered:rate1m)"))
    finally:
        logs = podman("logs", "--tail", "5", f"{PROJECT}_iiot-producer_1", check=False)
        print(logs.stdout[-600:] + logs.stderr[-600:], flush=True)
        r = compose("down", "-v", timeout=180)
        expect(r.returncode == 0, f"podman-compose down failed\n{r.describe()}")


if __name__ == "__main__":
    run_test(body)
