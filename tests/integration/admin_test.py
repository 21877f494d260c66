#!/usr/bin/env python3
"""The admin server and hot reload during a real run against the broker, as a new user
would try them: /metrics is clean for `promtool check metrics` and carries every metric the
rules and the dashboard use; /healthz and /readyz answer; reload without the token is
refused (401) and with a wrong one too (403); editing the config file's rate changes the
measured delivery rate within 2 s; an invalid edit leaves the old config running and shows
the error in /api/v1/stats; a change that needs a restart is refused naming the key; the
token appears nowhere; after SIGTERM verify counts exactly what the producer delivered."""
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from adminlib import Background
from itlib import ROOT, expect, run, run_test

TOPIC = "it-admin"
TOKEN = "it-admin-token-0c9e51f7"
MONITORING = ROOT / "deploy" / "monitoring"


def write_config(path, rate, topic=TOPIC):
    path.write_text(f"fleet:\n  devices: 1000\nrun:\n  mode: rate\n  rate: {rate}\n"
                    f"kafka:\n  topic: {topic}\n")


def delivered_rate(bg, seconds):
    """Messages delivered per second over the next `seconds`, from /metrics."""
    t0, n0 = time.monotonic(), bg.metric("iiot_messages_delivered_total")
    time.sleep(seconds)
    t1, n1 = time.monotonic(), bg.metric("iiot_messages_delivered_total")
    return (n1 - n0) / (t1 - t0)


def check_metrics(bg):
    text = bg.get("/metrics")
    expect(text.status == 200, f"/metrics: HTTP {text.status}")
    expect(text.headers.get("Content-Type", "").startswith("text/plain"),
           f"/metrics Content-Type {text.headers.get('Content-Type')}")
    promtool = shutil.which("promtool")
    expect(promtool, "promtool not found (scripts/setup.sh installs the prometheus package)")
    p = subprocess.run([promtool, "check", "metrics"], input=text.body, capture_output=True,
                       text=True, timeout=60)
    expect(p.returncode == 0 and not (p.stdout + p.stderr).strip(),
           f"promtool check metrics: exit {p.returncode}\n{p.stdout}{p.stderr}")
    print("  promtool check metrics: clean", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".prom", delete=False) as f:
        f.write(text.body)
    try:
        r = run([sys.executable, MONITORING / "check_metric_names.py", "--exposition", f.name],
                timeout=60)
        print(r.stdout + r.stderr, flush=True)
        expect(r.returncode == 0, f"a metric named in deploy/monitoring is missing\n{r.describe()}")
    finally:
        Path(f.name).unlink()
    return text.body


def body(it, args):
    it.create_topic(TOPIC, 6)
    with tempfile.TemporaryDirectory() as d:
        cfg = Path(d) / "run.yaml"
        write_config(cfg, 2000)
        bg = Background(it.binary, ["--config", cfg, "--brokers", it.brokers],
                        admin_token=TOKEN)
        try:
            bg.wait_until("/readyz 200", lambda: bg.get("/readyz").status == 200, timeout=30)
            expect(bg.get("/healthz").status == 200, "/healthz is not 200")
            metrics_text = check_metrics(bg)

            # Reload needs the token.
            r = bg.request("POST", "/api/v1/config/reload")
            expect(r.status == 401, f"reload without a token: HTTP {r.status}, expected 401")
            r = bg.request("POST", "/api/v1/config/reload", token="wrong")
            expect(r.status == 403, f"reload with a wrong token: HTTP {r.status}, expected 403")
            r = bg.request("POST", "/api/v1/config/reload", token=TOKEN)
            expect(r.status == 200 and r.json()["result"] == "unchanged",
                   f"reload with the token: HTTP {r.status} {r.body}")

            before = delivered_rate(bg, 2.0)
            print(f"  rate 2000 configured: {before:,.0f} msg/s delivered", flush=True)
            expect(1400 <= before <= 2600, f"measured {before:,.0f} msg/s with rate 2000")

            # Editing the file's rate: the measured rate follows within 2 s.
            write_config(cfg, 6000)
            edited = time.monotonic()
            bg.wait_until("config_version 2", lambda: bg.stats()["config_version"] == 2,
                          timeout=2)
            time.sleep(max(0.0, edited + 1.0 - time.monotonic()))
            after = delivered_rate(bg, edited + 2.0 - time.monotonic())
            print(f"  rate 6000 written: {after:,.0f} msg/s delivered between 1 s and 2 s "
                  f"after the edit", flush=True)
            expect(after >= 4200, f"measured {after:,.0f} msg/s 1-2 s after setting rate 6000")

            # An invalid edit: the old config keeps running, the error shows in the stats.
            cfg.write_text("fleet:\n  devices: 1000\nrun:\n  mode: rate\n  rate: -1\n"
                           f"kafka:\n  topic: {TOPIC}\n")
            stats = bg.wait_until("reload.last_result invalid",
                                  lambda: (s := bg.stats())["reload"]["last_result"] == "invalid"
                                  and s, timeout=2)
            error = stats["reload"]["last_error"]
            print(f"  invalid edit: {error}", flush=True)
            expect("run.rate" in error, f"the reload error does not name run.rate: {error}")
            expect(stats["config_version"] == 2, f"config_version {stats['config_version']}")
            still = delivered_rate(bg, 1.5)
            expect(still >= 4200, f"after the invalid edit: {still:,.0f} msg/s, expected ~6000")
            expect(bg.metric("iiot_config_reloads_total", '{result="invalid"}') >= 1,
                   "iiot_config_reloads_total{result=\"invalid\"} not counted")

            # A change that needs a restart is refused, naming the key.
            write_config(cfg, 6000, topic="it-admin-other")
            r = bg.request("POST", "/api/v1/config/reload", token=TOKEN)
            expect(r.status == 409 and "kafka.topic" in r.json().get("error", ""),
                   f"topic change: HTTP {r.status} {r.body}")
            write_config(cfg, 6000)

            config = bg.get("/api/v1/config")
            expect(config.status == 200 and re.search(r"^\s+rate: 6000$", config.body, re.M),
                   f"/api/v1/config does not show rate 6000:\n{config.body[:2000]}")
            for where, text in [("/api/v1/config", config.body), ("/metrics", metrics_text),
                                ("/api/v1/stats", bg.get("/api/v1/stats").body)]:
                expect(TOKEN not in text, f"the admin token appears in {where}")

            code = bg.stop()
        finally:
            bg.kill()
        log = bg.stderr()
        expect(TOKEN not in log, "the admin token appears in the log")
        expect(code == 0, f"exit {code} after SIGTERM, expected 0\n{log[-3000:]}")
        m = re.search(r"delivered ([\d,]+) \| failed ([\d,]+) \| dropped ([\d,]+)", log)
        expect(m, f"no summary line in the log\n{log[-2000:]}")
        delivered = int(m[1].replace(",", ""))
        r, report = it.verify(TOPIC)
        expect(report and report["totals"]["messages"] == delivered,
               f"verify counted {report and report['totals']['messages']}, the producer "
               f"delivered {delivered}\n{r.describe()}")
        expect(report["clean"], f"verify: not clean: {report.get('reasons')}")
        print(f"  verify: {delivered:,} messages, clean", flush=True)


if __name__ == "__main__":
    run_test(body)
