#!/usr/bin/env python3
"""500,000 messages from 10,000 devices with acks=all, idempotence and lz4 (the
defaults, set explicitly here) arrive complete: the producer's summary says every
message was delivered, `iiot-producer verify` finds all 10,000 devices with seqs exactly
1..50 each and nothing else wrong, kcat reads the same 500,000 messages with every key on
Java's murmur2 partition and every device's seqs in order, and the broker's own log
segments show lz4 batches written by an idempotent producer (a producer id and
sequence numbers in every batch header)."""
from itlib import expect, product_env, run_test

TOPIC = "it-bulk-lz4"
DEVICES = 10_000
PER_DEVICE = 50
MESSAGES = DEVICES * PER_DEVICE


def body(it, args):
    it.create_topic(TOPIC, partitions=12)
    # --interval 1s: every device reports once per simulated second, so the first
    # 500,000 messages are exactly 50 per device.
    it.produce("--topic", TOPIC, "--mode", "max", "--devices", DEVICES, "--count", MESSAGES,
               "--interval", "1s", "--start", "2026-01-01T00:00:00Z", "--seed", 42,
               env=product_env(kafka_acks="all", kafka_idempotence="true",
                               kafka_compression="lz4"),
               messages=MESSAGES)
    report = it.verify_clean(TOPIC, messages=MESSAGES, devices=DEVICES, per_device=PER_DEVICE)
    it.check_read_back(TOPIC, report, MESSAGES, check_seqs=True)

    batches = it.check_stored_codec(TOPIC, "lz4", MESSAGES)
    not_idempotent = [b for b in batches
                      if int(b.get("producerId", -1)) < 0 or int(b.get("baseSequence", -1)) < 0]
    expect(not not_idempotent, f"{len(not_idempotent)} of {len(batches)} batches carry no producer "
                               f"id / sequence (not idempotent), e.g. {not_idempotent[:1]}")
    print(f"  broker: every batch from idempotent producer id(s) "
          f"{sorted({b['producerId'] for b in batches})}")


if __name__ == "__main__":
    run_test(body)
