#!/usr/bin/env python3
"""One compression codec round-trips: 20,000 JSON messages from 1,000 devices produced
with kafka.compression=CODEC are stored by the broker in CODEC batches (its log segments
say so), `iiot-producer verify` finds every device with seqs exactly 1..20, and kcat
reads them back with every key on Java's murmur2 partition and every device in order."""
from itlib import product_env, run_test

CODECS = ("none", "gzip", "snappy", "lz4", "zstd")
DEVICES = 1_000
PER_DEVICE = 20
MESSAGES = DEVICES * PER_DEVICE


def body(it, args):
    codec = args.codec
    topic = f"it-codec-{codec}"
    it.create_topic(topic, partitions=4)
    it.produce("--topic", topic, "--mode", "max", "--devices", DEVICES, "--count", MESSAGES,
               "--interval", "1s", "--start", "2026-01-01T00:00:00Z",
               env=product_env(kafka_compression=codec), messages=MESSAGES)
    report = it.verify_clean(topic, messages=MESSAGES, devices=DEVICES, per_device=PER_DEVICE)
    it.check_read_back(topic, report, MESSAGES, check_seqs=True)
    it.check_stored_codec(topic, codec, MESSAGES)


def add_args(parser):
    parser.add_argument("codec", choices=CODECS)


if __name__ == "__main__":
    run_test(body, add_args)
