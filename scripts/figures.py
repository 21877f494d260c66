#!/usr/bin/python3
"""Draws the figures of docs/sensors.md from the simulator's real output.

Runs iiot-producer on the scenarios in config/scenarios/ (stdout sink, JSON), reads the
messages back and plots:
  day.png    one device's day per sensor type (ordinary-day.yaml)
  hvac.png   a floor's rooms through an HVAC failure (hvac-failure.yaml)
  power.png  a building through a power loss (power-loss.yaml)

  scripts/figures.py --bin build/release/iiot-producer            # docs/figures/*.png
  scripts/figures.py --bin build/dev/iiot-producer --quick --out /tmp/f   # CI: a short range

Needs matplotlib (Debian: python3-matplotlib, installed by scripts/setup.sh).
"""
import argparse
import collections
import datetime
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "config", "scenarios")


def messages(binary, scenario, keep, extra=()):
    """Yields the decoded messages of a scenario run whose raw line contains `keep`."""
    cmd = [binary, "--config", os.path.join(SCENARIOS, scenario), "--sink", "stdout",
           "--quiet", "--admin-addr", "off", "--threads", "1", *extra]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True) as proc:
        for line in proc.stdout:
            if keep in line:
                yield json.loads(line)
        code = proc.wait()
    if code != 0:
        sys.exit(f"figures: {' '.join(cmd)} exited {code}")


def when(message):
    return datetime.datetime.strptime(message["ts"], "%Y-%m-%dT%H:%M:%S.%fZ")


def value(message, sensor):
    reading = message["readings"].get(sensor)
    if reading is None:
        return None
    v = reading["value"]
    return (1.0 if v else 0.0) if isinstance(v, bool) else v


def shade(ax, spans, color, label):
    for i, (start, end) in enumerate(spans):
        ax.axvspan(start, end, color=color, alpha=0.15, label=label if i == 0 else None)


def spans_of(series):
    """[(start, end)] of the runs of messages that carry an incident."""
    spans, start, last = [], None, None
    for t, incident in series:
        if incident and start is None:
            start = t
        if not incident and start is not None:
            spans.append((start, last))
            start = None
        last = t
    if start is not None:
        spans.append((start, last))
    return spans


def day_figure(binary, out, extra):
    """One device per sensor type: the first device whose profile carries it."""
    wanted = {"temperature": None, "humidity": None, "pressure": None, "current": None}
    series = collections.defaultdict(list)
    for m in messages(binary, "ordinary-day.yaml", '"device_id"', extra):
        for sensor in wanted:
            if wanted[sensor] is None and sensor in m["readings"]:
                wanted[sensor] = m["device_id"]
            if m["device_id"] == wanted[sensor]:
                v = value(m, sensor)
                if v is not None:
                    series[sensor].append((when(m), v, m["anomaly"]))
    units = {"temperature": "°C", "humidity": "%", "pressure": "hPa", "current": "A"}
    fig, axes = plt.subplots(len(wanted), 1, figsize=(10, 9), sharex=True)
    for ax, sensor in zip(axes, wanted):
        points = series[sensor]
        ax.plot([p[0] for p in points], [p[1] for p in points], lw=0.6)
        odd = [p for p in points if p[2] and p[2]["sensor"] == sensor]
        ax.scatter([p[0] for p in odd], [p[1] for p in odd], s=12, color="red", zorder=3,
                   label="labelled anomaly")
        ax.set_ylabel(f"{sensor} ({units[sensor]})")
        ax.set_title(wanted[sensor], fontsize=8, loc="right")
        if odd:
            ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("One device's day per sensor type (config/scenarios/ordinary-day.yaml)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "day.png"), dpi=90)
    plt.close(fig)
    return sum(len(s) for s in series.values())


def hvac_figure(binary, out, extra):
    """The rooms of b1-f2 (temperature, humidity) around the failure."""
    temp = collections.defaultdict(list)
    humid = collections.defaultdict(list)
    flags = []
    for m in messages(binary, "hvac-failure.yaml", '"building":"b01","floor":2', extra):
        room = m["location"]["room"]
        t = when(m)
        flags.append((t, m["incident"] is not None))
        if (v := value(m, "temperature")) is not None:
            temp[room].append((t, v))
        if (v := value(m, "humidity")) is not None:
            humid[room].append((t, v))
    flags.sort()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    for room in sorted(temp)[:6]:
        top.plot(*zip(*temp[room]), lw=0.7, label=room)
    for room in sorted(humid)[:6]:
        bottom.plot(*zip(*humid[room]), lw=0.7, label=room)
    for ax in (top, bottom):
        shade(ax, spans_of(flags), "orange", "incident (active, recovery)")
    top.set_ylabel("temperature (°C)")
    bottom.set_ylabel("relative humidity (%)")
    top.legend(fontsize=7, ncol=4, loc="upper left")
    fig.suptitle("Floor b1-f2 through an HVAC failure at 10:00 (config/scenarios/hvac-failure.yaml)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "hvac.png"), dpi=90)
    plt.close(fig)
    return len(flags)


def power_figure(binary, out, extra):
    """Building b2: the share of switches on and the total current, per minute."""
    on = collections.defaultdict(lambda: [0, 0])
    current = collections.defaultdict(float)
    flags = []
    for m in messages(binary, "power-loss.yaml", '"building":"b02"', extra):
        t = when(m)
        minute = t.replace(second=0, microsecond=0)
        flags.append((t, m["incident"] is not None))
        if (s := value(m, "switch")) is not None:
            on[minute][0] += s
            on[minute][1] += 1
        if (c := value(m, "current")) is not None:
            current[minute] += c
    flags.sort()
    minutes = sorted(on)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    top.plot(minutes, [on[k][0] / on[k][1] for k in minutes], lw=0.8)
    bottom.plot(sorted(current), [current[k] for k in sorted(current)], lw=0.8)
    for ax in (top, bottom):
        shade(ax, spans_of(flags), "grey", "power loss")
    top.set_ylabel("switches on (share)")
    bottom.set_ylabel("current read per minute (A, sum)")
    top.legend(fontsize=7, loc="lower left")
    fig.suptitle("Building b2 through a power loss at 14:00 (config/scenarios/power-loss.yaml)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "power.png"), dpi=90)
    plt.close(fig)
    return len(flags)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the iiot-producer binary")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "figures"))
    parser.add_argument("--quick", action="store_true",
                        help="a short range around each event (for CI): same figures, less data")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    quick = {
        "day": ["--to", "2026-01-15T02:00:00Z", "--devices", "24"],
        "hvac": ["--from", "2026-01-15T09:30:00Z", "--to", "2026-01-15T10:30:00Z"],
        "power": ["--from", "2026-01-15T13:50:00Z", "--to", "2026-01-15T14:50:00Z"],
    }
    full = {"day": ["--devices", "24"], "hvac": [], "power": []}
    extra = quick if args.quick else full
    counts = {
        "day.png": day_figure(args.bin, args.out, extra["day"]),
        "hvac.png": hvac_figure(args.bin, args.out, extra["hvac"]),
        "power.png": power_figure(args.bin, args.out, extra["power"]),
    }
    for name, count in counts.items():
        path = os.path.join(args.out, name)
        if count == 0 or not os.path.getsize(path):
            sys.exit(f"figures: {name} has no data")
        print(f"figures: {path} from {count:,} readings")


if __name__ == "__main__":
    main()
