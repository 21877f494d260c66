#!/usr/bin/env python3
"""The issue's done-when scenario, literally: on a fresh broker with auto-creation on,
`iiot-producer --brokers B --topic plant --mode max --devices 10000 --count 200000`
exits 0 with every message delivered (the topic `plant` is auto-created with the
broker's 12 partitions); `iiot-producer verify --brokers B --topic plant
--expect-devices 10000` reports 10,000 devices, 0 gaps, 0 duplicates; and kcat agrees:
200,000 messages, 10,000 keys each on Java's murmur2 partition, per-partition counts
equal verify's, every device's seqs 1..n in order."""
from itlib import expect, run_test

TOPIC = "plant"
DEVICES = 10_000
MESSAGES = 200_000


def body(it, args):
    expect(not it.topic_exists(TOPIC), f"topic {TOPIC} exists before the run (not a fresh broker?)")
    it.produce("--topic", TOPIC, "--mode", "max", "--devices", DEVICES, "--count", MESSAGES,
               messages=MESSAGES)
    partitions = it.partition_count(TOPIC)
    expect(partitions == 12, f"auto-created {TOPIC} has {partitions} partitions, the broker's "
                             f"num.partitions is 12")
    report = it.verify_clean(TOPIC, messages=MESSAGES, devices=DEVICES)
    it.check_read_back(TOPIC, report, MESSAGES, check_seqs=True)


if __name__ == "__main__":
    run_test(body)
