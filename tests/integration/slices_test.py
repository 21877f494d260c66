#!/usr/bin/env python3
"""Three instances run as the Helm chart's StatefulSet runs them: one fleet of 8,000
devices cut into slices of 3,000 (--slice 0, 1, 2 with --slice-devices 3000; the last slice
is cut short at the fleet's end), all at once, to one topic. Each backfills 40 simulated
seconds at 1 s, so every device has exactly 40 messages. `iiot-producer verify` must find
the union exactly the whole fleet: all 8,000 devices, each once (no device in two slices),
seqs 1..40 each, no gap, duplicate or device on two partitions; and each instance's log
must name its own devices. A slice past the fleet's end is refused with exit 2 naming
run.slice."""
import re
import subprocess

from itlib import expect, product_env, run, run_test

TOPIC = "it-slices"
DEVICES = 8_000
SLICE = 3_000
PER_DEVICE = 40
MESSAGES = DEVICES * PER_DEVICE


def body(it, args):
    it.create_topic(TOPIC, partitions=6)
    common = ["--brokers", it.brokers, "-q", "--topic", TOPIC, "--devices", DEVICES,
              "--slice-devices", SLICE, "--mode", "backfill", "--interval", "1s",
              "--from", "2026-03-01T00:00:00Z", "--to", "2026-03-01T00:00:40Z", "--seed", 7]
    procs = []
    for i in range(3):
        cmd = [str(c) for c in [args.bin, *common, "--slice", i]]
        print(f"$ {' '.join(cmd)} &", flush=True)
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True, env=product_env()))
    expected = [(1, 3_000), (3_001, 6_000), (6_001, 8_000)]
    try:
        check_slices(procs, expected)
    finally:  # no instance outlives a failed check
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    it.verify_clean(TOPIC, messages=MESSAGES, devices=DEVICES, per_device=PER_DEVICE)

    # Slice 3 would start at device 9,001: past the fleet.
    r = run([args.bin, *common, "--slice", 3], timeout=30, env=product_env())
    expect(r.returncode == 2, f"slice 3 of a fleet of 3 slices exited {r.returncode}, not 2")
    expect("run.slice" in r.stderr and "past fleet.devices" in r.stderr,
           f"slice 3's error does not name run.slice and the fleet's end:\n{r.stderr[-400:]}")


def check_slices(procs, expected):
    """Each instance exits 0, delivers every message and logs its own range and count."""
    for i, p in enumerate(procs):
        try:
            _, err = p.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            expect(False, f"slice {i} did not finish within 180 s")
        print(f"  slice {i}: exit {p.returncode}\n{err[-600:]}", flush=True)
        expect(p.returncode == 0, f"slice {i} exited {p.returncode}, not 0")
        expect("every message delivered" in err, f"slice {i}: not every message delivered")
        first, last = expected[i]
        says = f"devices {first}..{last} of 8,000"
        expect(says in err, f"slice {i}: the log does not say {says!r}")
        m = re.search(r"summary: ([\d,]+) messages from ([\d,]+) devices", err)
        expect(m and int(m[1].replace(",", "")) == (last - first + 1) * PER_DEVICE,
               f"slice {i}: summary {m and m[0]!r}, expected {(last - first + 1) * PER_DEVICE} "
               f"messages")


if __name__ == "__main__":
    run_test(body)
