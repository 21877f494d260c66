#!/usr/bin/env python3
"""Protobuf round-trips: 30,000 messages from 1,500 devices with --format protobuf are
verified clean by `iiot-producer verify --format protobuf` (every device, seqs exactly
1..20); the same topic read as JSON is NOT clean (so verify really decodes what it
reads); and kcat finds every key on Java's murmur2 partition of a 5-partition topic."""
from itlib import expect, field, run_test

TOPIC = "it-protobuf"
DEVICES = 1_500
PER_DEVICE = 20
MESSAGES = DEVICES * PER_DEVICE


def body(it, args):
    it.create_topic(TOPIC, partitions=5)
    it.produce("--topic", TOPIC, "--format", "protobuf", "--mode", "max", "--devices", DEVICES,
               "--count", MESSAGES, "--interval", "1s", "--start", "2026-01-01T00:00:00Z",
               messages=MESSAGES)
    report = it.verify_clean(TOPIC, messages=MESSAGES, devices=DEVICES, per_device=PER_DEVICE,
                             fmt="protobuf")
    it.check_read_back(TOPIC, report, MESSAGES, check_seqs=False)

    r, wrong = it.verify(TOPIC, "--format", "json", "--expect-devices", DEVICES)
    expect(r.returncode == 1 and wrong is not None and wrong.get("clean") is False,
           f"verify --format json on a protobuf topic: exit {r.returncode}, report "
           f"{str(wrong)[:300]}; expected exit 1 and clean=false")
    unparsable = field(field(wrong, "totals"), "unparsable", "totals")
    expect(unparsable == MESSAGES,
           f"verify --format json counts {unparsable} unparsable protobuf messages, "
           f"expected all {MESSAGES}")
    print(f"  negative control: read as JSON, all {unparsable:,} messages are unparsable")


if __name__ == "__main__":
    run_test(body)
