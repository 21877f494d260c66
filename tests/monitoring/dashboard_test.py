#!/usr/bin/env python3
"""Checks deploy/monitoring/grafana/iiot-producer.json (ctest: monitoring_dashboard).

Valid JSON, importable shape (schemaVersion, uid, a datasource template variable every
panel and target uses), unique panel ids, every panel placed on the 24-column grid with
no two overlapping, the panels docs/monitoring.md lists, and, given --promtool, every
target expression parsed by `promtool check rules` (Grafana's $variables replaced).

  dashboard_test.py [--promtool PATH]
Standard library only.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DASHBOARD = os.path.join(ROOT, "deploy", "monitoring", "grafana", "iiot-producer.json")
PROMTOOL = None  # set by --promtool

# Title -> panel type, for the panels the dashboard must have.
REQUIRED_PANELS = {
    "Send rate": "stat",
    "Error rate": "stat",
    "p95 latency": "stat",
    "Active devices": "stat",
    "Throughput": "timeseries",
    "Delivery latency distribution": "heatmap",
    "Delivery latency quantiles": "timeseries",
    "CPU": "timeseries",
    "Resident memory": "timeseries",
    "Threads": "timeseries",
    "Queue depth": "timeseries",
    "Generated rate": "timeseries",
    "Anomaly messages by kind": "timeseries",
    "Batch efficiency": "timeseries",
}
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
GRAFANA_VARIABLES = {
    "$__rate_interval": "1m",
    "$__interval": "1m",
    "$__range": "1h",
    "$job": "iiot-producer",
    "$instance": ".*",
}


def load():
    with open(DASHBOARD, encoding="utf-8") as f:
        return json.load(f)


def all_panels(dashboard):
    """Every panel, rows' nested panels included."""
    out = []
    for panel in dashboard["panels"]:
        out.append(panel)
        out.extend(panel.get("panels", []))
    return out


def expr_for_promtool(expr):
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    return expr


class Dashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dashboard = load()
        cls.panels = all_panels(cls.dashboard)
        cls.by_title = {p["title"]: p for p in cls.panels if p["type"] != "row"}

    def test_importable_shape(self):
        d = self.dashboard
        self.assertGreaterEqual(d["schemaVersion"], 36)
        self.assertEqual(d["uid"], "iiot-producer")
        self.assertTrue(d["title"])
        self.assertIsNone(d.get("id"))  # import assigns one
        variables = {v["name"]: v for v in d["templating"]["list"]}
        self.assertEqual(variables["datasource"]["type"], "datasource")
        self.assertEqual(variables["datasource"]["query"], "prometheus")
        for name in ("job", "instance"):
            self.assertEqual(variables[name]["type"], "query")
            self.assertEqual(variables[name]["datasource"], DATASOURCE)
            self.assertIn("iiot_build_info", variables[name]["query"]["query"])
        self.assertTrue(variables["instance"]["includeAll"])

    def test_panel_ids_are_unique_integers(self):
        ids = [p["id"] for p in self.panels]
        self.assertTrue(all(isinstance(i, int) for i in ids), ids)
        self.assertEqual(len(ids), len(set(ids)), ids)

    def test_every_panel_is_on_the_grid_and_none_overlap(self):
        boxes = []
        for panel in self.panels:
            grid = panel.get("gridPos")
            self.assertIsNotNone(grid, panel["title"])
            for key in ("h", "w", "x", "y"):
                self.assertIsInstance(grid.get(key), int, f"{panel['title']}: gridPos.{key}")
            self.assertGreater(grid["w"], 0, panel["title"])
            self.assertGreater(grid["h"], 0, panel["title"])
            self.assertLessEqual(grid["x"] + grid["w"], 24, panel["title"])
            boxes.append((panel["title"], grid))
        for i, (title_a, a) in enumerate(boxes):
            for title_b, b in boxes[i + 1:]:
                overlap = (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
                           and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])
                self.assertFalse(overlap, f"{title_a!r} overlaps {title_b!r}")

    def test_panel_titles_are_unique(self):
        titles = [p["title"] for p in self.panels]
        self.assertEqual(len(titles), len(set(titles)), titles)

    def test_required_panels_are_present(self):
        for title, kind in REQUIRED_PANELS.items():
            self.assertIn(title, self.by_title, title)
            self.assertEqual(self.by_title[title]["type"], kind, title)

    def test_panels_query_the_datasource_variable(self):
        for panel in self.panels:
            if panel["type"] == "row":
                continue
            self.assertEqual(panel.get("datasource"), DATASOURCE, panel["title"])
            targets = panel.get("targets", [])
            self.assertTrue(targets, panel["title"])
            ref_ids = [t["refId"] for t in targets]
            self.assertEqual(len(ref_ids), len(set(ref_ids)), panel["title"])
            for target in targets:
                self.assertEqual(target.get("datasource"), DATASOURCE, panel["title"])
                self.assertTrue(target.get("expr", "").strip(), panel["title"])
                # Every query is scoped to the selected job and instances.
                self.assertIn('job="$job"', target["expr"], panel["title"])
                self.assertIn('instance=~"$instance"', target["expr"], panel["title"])

    def test_throughput_shows_messages_and_bytes(self):
        exprs = " ".join(t["expr"] for t in self.by_title["Throughput"]["targets"])
        self.assertIn("iiot_messages_delivered_total", exprs)
        self.assertIn("iiot_delivered_bytes_total", exprs)

    def test_latency_heatmap_reads_histogram_buckets(self):
        panel = self.by_title["Delivery latency distribution"]
        (target,) = panel["targets"]
        self.assertEqual(target["format"], "heatmap")
        self.assertIn("iiot_delivery_latency_seconds_bucket", target["expr"])
        self.assertIn("by (le)", target["expr"])
        self.assertFalse(panel["options"]["calculate"])

    def test_system_resources_show_cpu_rss_and_threads(self):
        for title, metric in (("CPU", "process_cpu_seconds_total"),
                              ("Resident memory", "process_resident_memory_bytes"),
                              ("Threads", "process_threads")):
            self.assertIn(metric, self.by_title[title]["targets"][0]["expr"], title)

    def test_expressions_parse(self):
        if not PROMTOOL:
            self.skipTest("no --promtool given")
        rules = []
        for panel in self.panels:
            for target in panel.get("targets", []):
                rules.append({"record": f"panel_{panel['id']}_{target['refId']}",
                              "expr": expr_for_promtool(target["expr"])})
        self.assertTrue(rules)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "dashboard.rules.json")
            # promtool reads YAML, and JSON is YAML.
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, f)
            result = subprocess.run([PROMTOOL, "check", "rules", path], capture_output=True,
                                    text=True, timeout=60, check=False)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn(f"SUCCESS: {len(rules)} rules found", result.stdout)

    def test_no_unreplaced_grafana_variables_but_the_known_ones(self):
        for panel in self.panels:
            for target in panel.get("targets", []):
                for var in re.findall(r"\$\w+", target["expr"]):
                    self.assertIn(var, GRAFANA_VARIABLES, panel["title"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--promtool", help="promtool binary: also parse every expression")
    args, rest = parser.parse_known_args()
    PROMTOOL = args.promtool
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
