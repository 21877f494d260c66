#!/usr/bin/env python3
"""Tests of deploy/monitoring/check_metric_names.py (ctest: monitoring_check_metric_names).

Runs the script as a user would, on the repository's rules and dashboard against
fixtures/metrics.prom (every agreed metric name), on copies of that exposition with names
removed, and on small hand-written rule files and dashboards. Standard library only.
"""

import http.server
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "deploy", "monitoring", "check_metric_names.py")
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "metrics.prom")

spec = importlib.util.spec_from_file_location("check_metric_names", SCRIPT)
cmn = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cmn)


def run(*args, stdin=None):
    return subprocess.run([sys.executable, SCRIPT, *args], input=stdin, capture_output=True,
                          text=True, timeout=60, check=False)


def fixture_without(*names):
    """The fixture exposition minus every line mentioning one of names."""
    with open(FIXTURE, encoding="utf-8") as f:
        return "".join(l for l in f if not any(n in l for n in names))


class TempFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path


class RepositoryFiles(TempFiles):
    def test_every_name_used_is_in_the_full_exposition(self):
        result = run("--exposition", FIXTURE)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("0 missing", result.stderr)

    def test_missing_names_are_printed_and_exit_1(self):
        path = self.write("partial.prom",
                          fixture_without("iiot_kafka_brokers_up", "iiot_delivery_latency_seconds"))
        result = run("--exposition", path)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        missing = [l.split()[1] for l in result.stdout.splitlines()]
        self.assertEqual(missing, ["iiot_delivery_latency_seconds", "iiot_kafka_brokers_up"])
        self.assertIn("iiot-producer.rules.yml", result.stdout)
        self.assertIn("iiot-producer.json", result.stdout)

    def test_exposition_from_stdin(self):
        result = run("--exposition", "-", stdin=fixture_without("process_threads"))
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stdout.startswith("missing: process_threads "), result.stdout)

    def test_exposition_from_url(self):
        body = fixture_without("iiot_ready").encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                self.send_response(200 if self.path == "/metrics" else 404)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        result = run("--exposition", f"http://127.0.0.1:{server.server_port}/metrics")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual([l.split()[1] for l in result.stdout.splitlines()], ["iiot_ready"])

    def test_list_prints_every_agreed_name_once(self):
        result = run("--list")
        self.assertEqual(result.returncode, 0, result.stderr)
        listed = result.stdout.split()
        self.assertEqual(listed, sorted(set(listed)))
        with open(FIXTURE, encoding="utf-8") as f:
            families, _ = cmn.parse_exposition(f.read())
        # The dashboard and the rules together use every metric the producer exports.
        self.assertEqual(set(listed), set(families))
        self.assertNotIn("iiot_delivery_latency_seconds_bucket", listed)
        self.assertFalse(any(":" in n for n in listed))

    def test_unreadable_input_exits_2(self):
        self.assertEqual(run("--exposition", os.path.join(self.dir.name, "none.prom")).returncode, 2)
        self.assertEqual(run("--exposition", self.write("empty.prom", "\n")).returncode, 2)
        self.assertEqual(run("--exposition", FIXTURE, self.write("bad.json", "{")).returncode, 2)
        self.assertEqual(run().returncode, 2)


class Extraction(TempFiles):
    def test_promql_names_skip_strings_matchers_comments_and_recording_rules(self):
        expr = ('sum by (job, iiot_label) (rate(iiot_a_total{job="iiot_b", x=~"iiot_c.*"}[5m]))'
                ' / on (iiot_l2) group_left (iiot_l3) iiot:d:rate1m # iiot_e in a comment\n'
                ' + iiot_f offset 5m'
                " + label_replace(iiot_g, 'dst', 'iiot_h', 'src', '(.*)')")
        self.assertEqual(cmn.names_in_promql(expr), {"iiot_a_total", "iiot_f", "iiot_g"})

    def test_rule_file_block_plain_and_quoted_exprs(self):
        path = self.write("r.yml", """groups:
  - name: g
    rules:
      - record: iiot:x:rate1m
        expr: |
          sum(rate(iiot_block_one_total[1m]))
            / sum(rate(iiot_block_two_total[1m]))
      - record: iiot:y
        expr: iiot_plain
          + iiot_plain_continued
      - alert: A
        expr: "iiot_double_quoted > 0"
        annotations:
          description: "iiot_in_an_annotation is no expression"
      - expr: 'iiot_single_quoted == 0'
        record: iiot:z
""")
        self.assertEqual(set(cmn.referenced_names([path])), {
            "iiot_block_one_total", "iiot_block_two_total", "iiot_plain",
            "iiot_plain_continued", "iiot_double_quoted", "iiot_single_quoted"})

    def test_dashboard_targets_and_variable_queries(self):
        path = self.write("d.json", json.dumps({
            "panels": [
                {"targets": [{"expr": "iiot_top"}]},
                {"type": "row", "panels": [{"targets": [{"expr": "rate(iiot_nested_total[1m])"}]}]},
            ],
            "templating": {"list": [
                {"type": "query", "query": {"query": "label_values(iiot_var_object, job)"}},
                {"type": "query", "query": "label_values(iiot_var_string, instance)"},
                {"type": "datasource", "query": "prometheus"},
            ]},
            "title": "iiot_title is no expression",
        }))
        self.assertEqual(set(cmn.referenced_names([path])), {
            "iiot_top", "iiot_nested_total", "iiot_var_object", "iiot_var_string"})

    def test_histogram_suffixes_count_as_the_histogram(self):
        rules = self.write("r.yml", """groups:
  - name: g
    rules:
      - record: iiot:lat:p95
        expr: histogram_quantile(0.95, rate(iiot_lat_seconds_bucket[5m]))
      - record: iiot:other:mean
        expr: rate(iiot_other_seconds_sum[5m]) / rate(iiot_other_seconds_count[5m])
      - record: iiot:plain
        expr: iiot_things_count
""")
        exposition = self.write("m.prom", """# TYPE iiot_lat_seconds histogram
iiot_lat_seconds_bucket{le="+Inf"} 1
iiot_lat_seconds_sum 1
iiot_lat_seconds_count 1
# TYPE iiot_other_seconds histogram
iiot_other_seconds_sum 1
iiot_other_seconds_count 1
iiot_other_seconds_bucket{le="+Inf"} 1
# TYPE iiot_things_count gauge
iiot_things_count 3
""")
        result = run("--exposition", exposition, rules)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        # Without an exposition only _bucket tells a histogram: its _sum/_count stay as written.
        listed = run("--list", rules).stdout.split()
        self.assertEqual(listed, ["iiot_lat_seconds", "iiot_other_seconds_count",
                                  "iiot_other_seconds_sum", "iiot_things_count"])
        # A gauge that merely ends in _count is not stripped, and must exist itself.
        result = run("--exposition", self.write("n.prom", "# TYPE iiot_things gauge\niiot_things 1\n"
                                                "# TYPE iiot_lat_seconds histogram\n"
                                                "# TYPE iiot_other_seconds histogram\n"), rules)
        self.assertEqual(result.returncode, 1)
        self.assertEqual([l.split()[1] for l in result.stdout.splitlines()], ["iiot_things_count"])

    def test_openmetrics_counter_family_without_total(self):
        rules = self.write("r.yml", "groups:\n  - name: g\n    rules:\n      - record: iiot:c\n"
                           "        expr: rate(iiot_events_total[1m])\n")
        exposition = self.write("m.prom", "# TYPE iiot_events counter\niiot_events_total 5\n# EOF\n")
        self.assertEqual(run("--exposition", exposition, rules).returncode, 0)
        exposition = self.write("o.prom", "# TYPE iiot_events counter\n# EOF\n")
        self.assertEqual(run("--exposition", exposition, rules).returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
