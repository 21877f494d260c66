#!/usr/bin/env python3
"""The Helm chart (deploy/helm/iiot-producer), linted, rendered and validated for real.

For the default values and the two value sets in the chart's ci/ folder (a secure cluster:
SASL_SSL, Secrets, ServiceMonitor, hard anti-affinity; a million devices over 10 pods with
an HPA): `helm lint --strict`, `helm template`, and `kubernetes-validate --strict` on every
rendered object against the Kubernetes schemas (a CRD's, the ServiceMonitor's, is not in
them: reported, not validated). Then what the rendering must say:
- the StatefulSet sets fleet.devices = maxSlices x sliceDevices, run.slice_devices, and
  run.slice from the pod's ordinal (the pod-index label); probes on /healthz and /readyz;
  the restricted security context; no service account token;
- the rendered config.yaml is accepted by `iiot-producer validate-config` with the
  environment the pod would have (slice 0 and the last slice);
- the secure set takes its secrets from secretKeyRefs; the million set's HPA scales to at
  most maxSlices pods;
- the secure set's ServiceMonitor selects exactly one Service and the pods lose their
  scrape annotations (no target scraped twice); the million set's HPA runs
  ceil(devices wanted / sliceDevices) pods from an External metric;
- counts from a values file render as integers (1000000, not 1e+06);
- more replicas than slices, more than 10,000,000 devices, and autoscaling without its
  devices metric are refused by the chart, each naming what to change.
  helm_test.py --bin build/dev/iiot-producer --helm helm"""
import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

CHART = Path(__file__).resolve().parents[2] / "deploy/helm/iiot-producer"
SETS = {"default": [], "secure": ["-f", str(CHART / "ci/secure-values.yaml")],
        "million": ["-f", str(CHART / "ci/million-values.yaml")]}
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"  FAIL: {message}", flush=True)


def run(cmd, **kw):
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300,
                          **kw)


def by_kind(docs, kind):
    return [d for d in docs if d and d.get("kind") == kind]


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--helm", required=True)
    args = parser.parse_args()

    for name, extra in SETS.items():
        print(f"== {name}", flush=True)
        r = run([args.helm, "lint", "--strict", CHART, *extra])
        check(r.returncode == 0, f"{name}: helm lint --strict failed:\n{r.stdout}{r.stderr}")
        r = run([args.helm, "template", "demo", CHART, *extra])
        check(r.returncode == 0, f"{name}: helm template failed:\n{r.stderr}")
        if r.returncode != 0:
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(r.stdout)
            rendered = f.name
        v = run(["kubernetes-validate", "--strict", rendered])
        print("\n".join(line for line in (v.stdout + v.stderr).splitlines()
                        if "passed" not in line), flush=True)
        check(v.returncode == 0, f"{name}: kubernetes-validate --strict refused the rendering")
        os.unlink(rendered)
        docs = list(yaml.safe_load_all(r.stdout))
        values = yaml.safe_load((CHART / "values.yaml").read_text())
        for arg in extra[1::2]:
            overlay = yaml.safe_load(Path(arg).read_text())
            for k, val in overlay.items():
                if isinstance(val, dict) and isinstance(values.get(k), dict):
                    values[k] = {**values[k], **val}
                else:
                    values[k] = val
        slices, per = values["fleet"]["maxSlices"], values["fleet"]["sliceDevices"]

        sts = by_kind(docs, "StatefulSet")
        check(len(sts) == 1, f"{name}: {len(sts)} StatefulSets, not 1")
        if not sts:
            continue
        pod = sts[0]["spec"]["template"]["spec"]
        c = pod["containers"][0]
        env = env_of(c)
        check(env.get("IIOT_FLEET_DEVICES", {}).get("value") == str(slices * per),
              f"{name}: IIOT_FLEET_DEVICES is not {slices * per}")
        check(env.get("IIOT_RUN_SLICE_DEVICES", {}).get("value") == str(per),
              f"{name}: IIOT_RUN_SLICE_DEVICES is not {per}")
        check(env.get("IIOT_RUN_SLICE", {}).get("valueFrom", {}).get("fieldRef", {})
              .get("fieldPath") == "metadata.labels['apps.kubernetes.io/pod-index']",
              f"{name}: IIOT_RUN_SLICE does not come from the pod-index label")
        check(c["livenessProbe"]["httpGet"]["path"] == "/healthz"
              and c["startupProbe"]["httpGet"]["path"] == "/healthz"
              and c["readinessProbe"]["httpGet"]["path"] == "/readyz",
              f"{name}: probes are not /healthz (startup, liveness) and /readyz (readiness)")
        sc, psc = c["securityContext"], pod["securityContext"]
        check(sc.get("allowPrivilegeEscalation") is False
              and sc.get("readOnlyRootFilesystem") is True
              and sc.get("capabilities", {}).get("drop") == ["ALL"]
              and psc.get("runAsNonRoot") is True
              and psc.get("seccompProfile", {}).get("type") == "RuntimeDefault",
              f"{name}: the security context is not the restricted one: {sc} {psc}")
        check(pod.get("automountServiceAccountToken") is False,
              f"{name}: the pods mount a service account token")
        check("limits" in c["resources"] and "requests" in c["resources"],
              f"{name}: no resource requests and limits")

        # The program accepts the config the chart renders, as each pod would see it.
        cm = by_kind(docs, "ConfigMap")[0]["data"]["config.yaml"]
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(cm)
            config = f.name
        for slice_index in (0, slices - 1):
            penv = {k: v for k, v in os.environ.items() if not k.startswith("IIOT_")}
            penv.update({"IIOT_FLEET_DEVICES": str(slices * per),
                         "IIOT_RUN_SLICE_DEVICES": str(per), "IIOT_RUN_SLICE": str(slice_index),
                         "IIOT_ADMIN_ADDR": env["IIOT_ADMIN_ADDR"]["value"]})
            if "IIOT_KAFKA_SASL_PASSWORD" in env:
                penv["IIOT_KAFKA_SASL_PASSWORD"] = "from-the-secret"
            r = run([args.bin, "validate-config", config], env=penv)
            check(r.returncode == 0, f"{name}: validate-config refuses the rendered config for "
                                     f"slice {slice_index}: {r.stderr.strip()}")
        os.unlink(config)

        if name == "secure":
            for var in ("IIOT_KAFKA_SASL_PASSWORD", "IIOT_ADMIN_TOKEN"):
                check("secretKeyRef" in env.get(var, {}).get("valueFrom", {}),
                      f"secure: {var} is not from a secretKeyRef")
            monitors = by_kind(docs, "ServiceMonitor")
            check(len(monitors) == 1, "secure: no ServiceMonitor")
            # It must select one Service of the pods, not both (each pod scraped twice).
            wanted = monitors[0]["spec"]["selector"]["matchLabels"] if monitors else {}
            chosen = [svc["metadata"]["name"] for svc in by_kind(docs, "Service")
                      if wanted.items() <= svc["metadata"].get("labels", {}).items()]
            check(len(chosen) == 1, f"secure: the ServiceMonitor selects {chosen}, not one Service")
            annotations = sts[0]["spec"]["template"]["metadata"].get("annotations", {})
            check("prometheus.io/scrape" not in annotations,
                  "secure: scrape annotations beside a ServiceMonitor (scraped twice)")
        if name == "million":
            hpa = by_kind(docs, "HorizontalPodAutoscaler")
            check(len(hpa) == 1 and hpa[0]["spec"]["maxReplicas"] == slices,
                  f"million: the HPA does not scale to at most {slices} pods")
            # Pods = ceil(devices wanted / devices per pod): an External metric averaged
            # over the pods, with the slice size as the target.
            metric = hpa[0]["spec"]["metrics"][0] if hpa else {}
            check(metric.get("type") == "External"
                  and metric["external"]["target"] == {"type": "AverageValue",
                                                       "averageValue": str(per)},
                  f"million: the HPA does not share the devices metric out per slice: {metric}")
            check("replicas" not in sts[0]["spec"],
                  "million: the StatefulSet sets replicas although the HPA owns them")

    refused = [(["--set", "replicas=11"], "fleet.maxSlices"),
               (["--set", "fleet.maxSlices=11", "--set", "fleet.sliceDevices=1000000"],
                "at most 10,000,000"),
               (["--set", "autoscaling.enabled=true"], "autoscaling.devicesMetric.name")]
    for extra, says in refused:
        r = run([args.helm, "template", "demo", CHART, *extra])
        check(r.returncode != 0 and says in r.stderr,
              f"{extra} rendered, or the error does not say {says!r}: {r.stderr.strip()}")

    # Large counts from a values file (floats to Helm) are written as integers, not 1e+06.
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write("fleet:\n  sliceDevices: 1000000\n  maxSlices: 10\n")
        big = f.name
    r = run([args.helm, "template", "demo", CHART, "-f", big])
    os.unlink(big)
    check(r.returncode == 0, f"a fleet of 10 x 1,000,000 did not render: {r.stderr.strip()}")
    if r.returncode == 0:
        env = env_of(by_kind(list(yaml.safe_load_all(r.stdout)), "StatefulSet")[0]
                     ["spec"]["template"]["spec"]["containers"][0])
        got = (env["IIOT_FLEET_DEVICES"]["value"], env["IIOT_RUN_SLICE_DEVICES"]["value"])
        check(got == ("10000000", "1000000"), f"large counts rendered as {got}")

    if failures:
        print(f"\nFAIL helm_test: {len(failures)} problem(s)", flush=True)
        sys.exit(1)
    print("PASS helm_test", flush=True)


if __name__ == "__main__":
    main()
