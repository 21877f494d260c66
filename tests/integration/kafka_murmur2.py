#!/usr/bin/env python3
"""Kafka's default partitioner, written out independently of librdkafka.

The Java client puts a keyed record on Utils.toPositive(Utils.murmur2(key)) % partitions.
iiot-producer configures librdkafka's `murmur2_random`, which must agree; the
integration tests check every key read back from the broker against this function.

Run as a script, it checks itself on the vectors of Kafka's UtilsTest.testMurmur2 and
exits 0 (or 1 naming the first wrong one).
"""
import sys

_M = 0x5BD1E995
_MASK = 0xFFFFFFFF

# Kafka's clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2.
KAFKA_VECTORS = [
    (b"21", -973932308),
    (b"foobar", -790332482),
    (b"a-little-bit-long-string", -985981536),
    (b"a-little-bit-longer-string", -1486304829),
    (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
    (bytes([ord("a"), ord("b"), ord("c")]), 479470107),
]


def murmur2(data: bytes) -> int:
    """Utils.murmur2: the 32-bit hash as a Java int (signed)."""
    length = len(data)
    h = (0x9747B28C ^ length) & _MASK
    blocks = length // 4
    for i in range(blocks):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * _M) & _MASK
        k ^= k >> 24
        k = (k * _M) & _MASK
        h = (h * _M) & _MASK
        h ^= k
    tail = blocks * 4
    rest = length % 4
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


def java_partition(key: bytes, partitions: int) -> int:
    """Utils.toPositive(Utils.murmur2(key)) % partitions: the Java client's choice."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def self_test() -> None:
    """Raises AssertionError naming the first UtilsTest vector that does not match."""
    for key, want in KAFKA_VECTORS:
        got = murmur2(key)
        if got != want:
            raise AssertionError(f"murmur2({key!r}) = {got}, Kafka's UtilsTest says {want}")


if __name__ == "__main__":
    try:
        self_test()
    except AssertionError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
    for key, want in KAFKA_VECTORS:
        print(f"murmur2({key.decode()!r}) = {want}  ok")
    print("PASS: murmur2 matches Kafka's UtilsTest vectors")
