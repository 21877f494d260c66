#!/usr/bin/env python3
"""Three brokers, replication 3, min.insync.replicas 2: the node leading the busiest
partitions is killed (kill -9) while the producer runs at 5,000 msg/s with acks=all and
idempotence, stays down for 15 s, is restarted, and is made the leader of its partitions
again (preferred-leader election); the run then finishes its --count.

What must hold afterwards, judged by the producer's summary and `iiot-producer verify`:
  - clean outcome: exit 0, "every message delivered", and verify finds exactly the
    delivered messages, every device with seqs 1..n, no gap and no duplicate;
  - if librdkafka 2.0.2 raised a fatal idempotence error instead (its known bug after a
    broker restart), every message lost must be counted and reported: the summary lists
    them as failed, no message is duplicated, what verify reads equals what was
    delivered, and verify's missing seqs (gaps plus missing tails) equal the failures.
The test prints which of the two happened, and the timings.

Starts and stops its own 3-node cluster (kafka-local; KAFKA_LOCAL_DIR and
KAFKA_LOCAL_PORT_BASE from the environment)."""
import json
import re
import time

from adminlib import Background
from itlib import expect, field, kafka_cluster, product_env, run, run_test

TOPIC = "fault-three-brokers"
PARTITIONS = 6
DEVICES = 1000
PER_DEVICE = 450                 # one worker, devices round-robin: exactly 450 each
MESSAGES = DEVICES * PER_DEVICE  # 90 s at 5,000 msg/s: the node is back well before the end
RATE = 5000
DOWN_SECONDS = 15


def leaders(brokers):
    """{partition: leader node id} of TOPIC from the brokers' metadata (kcat -L -J)."""
    r = run(["kcat", "-b", brokers, "-L", "-J", "-t", TOPIC, "-m", "10"], timeout=60, quiet=True)
    expect(r.returncode == 0, f"kcat -L failed\n{r.describe()}")
    topics = [t for t in json.loads(r.stdout).get("topics", []) if t.get("topic") == TOPIC]
    if not topics or topics[0].get("error"):
        return {}
    return {p["partition"]: p.get("leader", -1) for p in topics[0]["partitions"]}


def end_offsets(brokers):
    """{partition: end offset} of TOPIC (kcat -Q, timestamp -1 = the end)."""
    args = []
    for p in range(PARTITIONS):
        args += ["-t", f"{TOPIC}:{p}:-1"]
    r = run(["kcat", "-b", brokers, "-Q", *args], timeout=60, quiet=True)
    expect(r.returncode == 0, f"kcat -Q failed\n{r.describe()}")
    return {int(m[1]): int(m[2]) for m in re.finditer(r"\[(\d+)\]\s+offset\s+(-?\d+)", r.stdout)}


def create_topic(cluster, brokers):
    cluster.create_topic(TOPIC, partitions=PARTITIONS, replication=3,
                         configs=["min.insync.replicas=2"])
    deadline = time.monotonic() + 30
    while True:
        led = leaders(brokers)
        if len(led) == PARTITIONS and min(led.values()) >= 1:
            return led
        expect(time.monotonic() < deadline, f"{TOPIC}: partitions without a leader: {led}")
        time.sleep(0.2)


def busiest_leader(brokers):
    """The node whose partitions hold the most messages so far, and its partitions."""
    led, ends = leaders(brokers), end_offsets(brokers)
    load = {}
    for p, node in led.items():
        load[node] = load.get(node, 0) + ends.get(p, 0)
    node = max(load, key=lambda n: (load[n], -n))
    print(f"  leaders {led}, end offsets {ends}; messages per leader {load}", flush=True)
    return node, sorted(p for p, n in led.items() if n == node)


def give_back_leadership(it, brokers, node, partitions):
    """Preferred-leader election until the restarted node leads its partitions again, so
    the producer also meets it as a leader after its restart (where librdkafka 2.0.2's
    idempotence bug shows). It must first catch up into the ISR: retried for up to 90 s."""
    start = time.monotonic()
    while True:
        r = it.run_kafka_tool("org.apache.kafka.tools.LeaderElectionCommand", "--bootstrap-server",
                              brokers, "--election-type", "preferred",
                              "--all-topic-partitions", timeout=120)
        led = leaders(brokers)
        if all(led.get(p) == node for p in partitions):
            break
        expect(time.monotonic() < start + 90,
               f"node {node} does not lead partitions {partitions} 90 s after its restart "
               f"(leaders {led})\n{r.describe()}")
        time.sleep(3)
    print(f"  node {node} leads partitions {partitions} again after "
          f"{time.monotonic() - start:.1f} s: {led}", flush=True)


def summary_counts(stderr):
    m = re.search(r"delivered ([\d,]+) \| failed ([\d,]+) \| dropped ([\d,]+)", stderr)
    expect(m, f"no 'delivered N | failed N | dropped N' line in the summary:\n{stderr[-3000:]}")
    return tuple(int(x.replace(",", "")) for x in m.groups())


def body(it, args):
    cluster = kafka_cluster()
    bg = None
    try:
        brokers = cluster.start(nodes=3)
        it._brokers = brokers
        print(f"  cluster: {brokers}", flush=True)
        create_topic(cluster, brokers)

        bg = Background(it.binary, [
            "--brokers", brokers, "--topic", TOPIC, "--mode", "rate", "--rate", RATE,
            "--devices", DEVICES, "--count", MESSAGES, "--threads", 1],
            env=product_env(kafka_acks="all", kafka_idempotence="true"))
        started = time.monotonic()
        bg.wait_until("10,000 messages delivered",
                      lambda: bg.stats()["totals"]["delivered"] >= 10_000, timeout=60)

        node, its_partitions = busiest_leader(brokers)
        cluster.kill(node)
        killed_at = time.monotonic()
        at_kill = bg.stats()["totals"]
        print(f"  killed node {node} (leader of partitions {its_partitions}) at "
              f"{killed_at - started:.1f} s; delivered {at_kill['delivered']:,}", flush=True)

        moved = None
        while time.monotonic() < killed_at + DOWN_SECONDS:
            if moved is None:
                led = leaders(brokers)
                if led and node not in led.values() and min(led.values()) >= 1:
                    moved = time.monotonic() - killed_at
                    print(f"  leadership moved off node {node} after {moved:.1f} s: {led}",
                          flush=True)
            time.sleep(0.5)
        during = bg.stats()
        print(f"  after {DOWN_SECONDS} s down: delivered {during['totals']['delivered']:,}, "
              f"queued {during['queue']['messages']:,}, kafka {during['kafka']}", flush=True)

        cluster.restart_node(node)
        print(f"  node {node} back after {time.monotonic() - killed_at:.1f} s", flush=True)
        give_back_leadership(it, brokers, node, its_partitions)

        deadline = time.monotonic() + 180
        while bg.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        code = bg.stop()  # SIGTERM only if --count did not finish in time
        stderr = bg.stderr()
        print(stderr[stderr.rfind("summary:"):], flush=True)
        delivered, failed, dropped = summary_counts(stderr)
        m = re.search(r"summary: ([\d,]+) messages", stderr)
        expect(m, f"no 'summary: N messages' line:\n{stderr[-3000:]}")
        generated = int(m[1].replace(",", ""))
        expect(dropped == 0, f"{dropped} messages dropped (the queue policy is block)")
        expect(delivered + failed == generated,
               f"delivered {delivered:,} + failed {failed:,} != generated {generated:,}: "
               f"messages unaccounted for")

        r, report = it.verify(TOPIC, "--expect-devices", DEVICES,
                              "--expect-per-device", PER_DEVICE)
        expect(report is not None and not report.get("error"),
               f"verify did not read the topic\n{r.describe()}")
        totals = field(report, "totals")
        expect(totals["duplicates"] == 0, f"{totals['duplicates']} duplicates")
        # Without duplicates, the seqs missing from 1..PER_DEVICE (gaps inside a device's
        # range plus tails after its last seq) are MESSAGES minus what was read; a run
        # stopped early by SIGTERM never generated MESSAGES - generated of them.
        missing = MESSAGES - totals["messages"]
        missing_tail = missing - totals["gaps"]
        print(f"  verify: {json.dumps(totals)}; missing tails {missing_tail}", flush=True)
        expect(totals["out_of_order"] == 0, f"{totals['out_of_order']} out of order")
        expect(totals["messages"] == delivered,
               f"verify read {totals['messages']:,} messages, the producer delivered "
               f"{delivered:,}")

        if failed == 0:
            print(f"OUTCOME clean: node {node} killed for {DOWN_SECONDS} s, no fatal error; "
                  f"{delivered:,} delivered, 0 gaps, 0 duplicates", flush=True)
            expect(generated == MESSAGES, f"generated {generated:,}, not {MESSAGES:,}")
            expect(code == 0, f"exit {code} although nothing failed")
            expect("every message delivered" in stderr, "no 'every message delivered'")
            expect(r.returncode == 0 and report.get("clean") is True,
                   f"verify not clean: {report.get('reasons')}")
            expect(totals["gaps"] == 0, f"{totals['gaps']} gaps")
        else:
            print(f"OUTCOME fatal: {failed:,} messages lost and counted; "
                  f"{totals['gaps']:,} gaps + {missing_tail:,} missing tails in verify",
                  flush=True)
            expect(code == 1, f"exit {code} although {failed} messages failed")
            expect(re.search(r"LOST [\d,]+ of", stderr), "the summary does not say LOST")
            expect(missing == failed + MESSAGES - generated,
                   f"verify misses {totals['gaps']} + {missing_tail} seqs, the summary counts "
                   f"{failed} failures of {generated:,} generated")
    finally:
        if bg is not None:
            bg.kill()
        cluster.stop()


if __name__ == "__main__":
    run_test(body)
