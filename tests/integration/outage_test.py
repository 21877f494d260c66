#!/usr/bin/env python3
"""A network outage with replay, against the real broker, with the labels stream on a
topic of its own: config/scenarios/network-outage.yaml (floor b1-f2 offline 09:30-09:50,
its devices replay what they held) with 120 devices. Checks:
  - the run exits 0, every message delivered, the summary counts the replayed readings and
    every label record made it;
  - verify is clean (no gap, no duplicate, nothing out of order) and counts exactly the
    replayed messages as late, the latest minutes behind;
  - read back independently: a message carries the outage's label exactly when it is a
    reading of b1-f2 taken during the outage, and each device's seqs are 1..n in order;
  - the labels topic agrees with the messages: the outage has one start and one end record
    with its scope, times and device count; every anomaly episode's records name exactly
    the messages that carry its label (device, kind, sensor, seq range), and every
    labelled message belongs to one episode."""
import collections
import datetime
import re

from itlib import ROOT, _count, expect, product_env, run_test

TOPIC = "it-outage"
LABELS = "it-outage-labels"
DEVICES = 120
SCENARIO = ROOT / "config" / "scenarios" / "network-outage.yaml"
OUT_START = "2026-01-15T09:30:00.000Z"
OUT_END = "2026-01-15T09:50:00.000Z"


def ms(iso):
    return int(datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def body(it, args):
    it.create_topic(TOPIC, partitions=4)
    it.create_topic(LABELS, partitions=1)
    env = product_env(labels_topic=LABELS, fleet_devices=DEVICES)
    r = it.produce("--config", SCENARIO, "--topic", TOPIC, env=env)
    m = re.search(r"delivered ([\d,]+) \| failed 0 \| dropped 0", r.stderr)
    expect(m, f"no delivered line in the summary\n{r.describe()}")
    messages = _count(m[1])
    m = re.search(r"network outages: ([\d,]+) readings sent late \| 0 held at stop", r.stderr)
    expect(m, f"no network outage line in the summary\n{r.describe()}")
    replayed = _count(m[1])
    expect(replayed > 1000, f"only {replayed} readings replayed")
    m = re.search(r"labels: ([\d,]+) records -> (.*)", r.stderr)
    expect(m and "LOST" not in m[2], f"the labels line is missing or reports a loss\n"
                                      f"{r.describe()}")
    records = _count(m[1])

    r, report = it.verify(TOPIC, "--expect-devices", DEVICES)
    expect(r.returncode == 0 and report and report["clean"], f"verify: not clean\n{r.describe()}")
    totals = report["totals"]
    expect((totals["messages"], totals["gaps"], totals["out_of_order"], totals["duplicates"]) ==
           (messages, 0, 0, 0), f"verify totals {totals}")
    expect(totals["late"] == replayed, f"verify counts {totals['late']} late, the producer "
                                       f"replayed {replayed}")
    expect(totals["late_max_ms"] > 10 * 60_000, f"late_max_ms {totals['late_max_ms']}")
    print(f"  verify: clean, {replayed:,} late, up to {totals['late_max_ms'] / 1000:.0f} s",
          flush=True)

    rows = it.read_values(TOPIC, messages)
    by_device = collections.defaultdict(list)
    outage_ids, outage_devices = set(), set()
    for _, v in rows:
        by_device[v["device_id"]].append(v)
        inc = v.get("incident")
        late = inc is not None and inc["kind"] == "network_outage"
        offline = "-b01-f02-" in v["device_id"] and ms(OUT_START) <= ms(v["ts"]) < ms(OUT_END)
        expect(late == offline, f"outage label {late}, taken offline {offline}: {v}")
        if late:
            outage_ids.add(inc["id"])
            outage_devices.add(v["device_id"])
    expect(len(outage_ids) == 1, f"outage ids in the messages: {outage_ids}")
    for device, vs in by_device.items():
        seqs = [v["seq"] for v in vs]
        expect(seqs == list(range(1, len(vs) + 1)), f"{device}: seqs not 1..n in order")

    labels = [v for _, v in it.read_values(LABELS, records)]
    incidents = [x for x in labels if x["episode"] == "incident"]
    expect([x["event"] for x in incidents] == ["start", "end"], f"incident records {incidents}")
    for x in incidents:
        expect((x["id"], x["kind"], x["scope"], x["start_ts"], x["end_ts"], x["devices"]) ==
               (next(iter(outage_ids)), "network_outage", "b01-f02", OUT_START, OUT_END,
                len(outage_devices)), f"incident record {x}")

    # Anomaly episodes: records against messages.
    episodes = {}
    for x in labels:
        if x["episode"] != "anomaly":
            continue
        if x["event"] == "start":
            expect(x["id"] not in episodes, f"two starts for {x['id']}")
            episodes[x["id"]] = dict(x)
        else:
            expect(x["id"] in episodes, f"an end without a start: {x}")
            episodes[x["id"]].update(end_seq=x["end_seq"], end_ts=x["end_ts"])
    expect(len(episodes) > 50, f"only {len(episodes)} anomaly episodes")
    claimed = set()
    for e in episodes.values():
        vs = by_device[e["device_id"]]
        last = e["end_seq"] if e["end_seq"] is not None else len(vs)
        for seq in range(e["start_seq"], last + 1):
            a = vs[seq - 1].get("anomaly")
            expect(a is not None and (a["kind"], a["sensor"]) == (e["kind"], e["sensor"]),
                   f"episode {e} but message {vs[seq - 1]}")
            claimed.add((e["device_id"], seq))
        expect(vs[e["start_seq"] - 1]["ts"] == e["start_ts"], f"episode {e}: start_ts")
    labelled = {(v["device_id"], v["seq"]) for _, v in rows if v.get("anomaly") is not None}
    expect(labelled == claimed, f"{len(labelled - claimed)} labelled messages in no episode, "
                                f"{len(claimed - labelled)} claimed but unlabelled")
    print(f"  labels: {len(episodes)} anomaly episodes and the outage agree with "
          f"{messages:,} messages", flush=True)


if __name__ == "__main__":
    run_test(body)
