"""The harness of the integration tests: run iiot-producer and its `verify` against the
real broker of kafka-local (tests/kafkalocal), read the topic back with an independent client
(kcat, or Kafka's Java console consumer), look at the broker's own log segments, and on
any failure print why plus the broker log tail.

Standard library only. Every test is a script that calls run_test(body); the body gets an It (the
context) and the parsed arguments, and raises Failure (via expect) when something is wrong.

    def body(it, args):
        it.create_topic("it-x", partitions=4)
        it.produce("--topic", "it-x", "--mode", "max", "--devices", 10, "--count", 100,
                   messages=100)
        report = it.verify_clean("it-x", messages=100, devices=10)
        it.check_read_back("it-x", report, messages=100, check_seqs=True)

    if __name__ == "__main__":
        run_test(body)

Which broker: whatever kafka-local sees (KAFKA_LOCAL_DIR and KAFKA_LOCAL_PORT_BASE pass
through the environment; CTest sets them, see tests/integration/CMakeLists.txt).
"""
import argparse
import collections
import functools
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

import kafka_murmur2

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # the kafkalocal package, whoever runs the test
import kafkalocal  # noqa: E402

# Bytes kept of each value read back: '{"device_id":"...","seq":N,' fits.
_VALUE_HEAD = 120

# Output of a command is cut to this many characters when printed.
_PRINT_LIMIT = 4000


class Failure(Exception):
    """A test expectation that did not hold; the message says what and why."""


def expect(condition, message):
    """Like assert, but never stripped by -O, and with a message meant for a person."""
    if not condition:
        raise Failure(message)


def _tail(text, limit=_PRINT_LIMIT):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return text if len(text) <= limit else "[...]\n" + text[-limit:]


class Result:
    """A finished command: exit code, output (str, or bytes when binary), wall seconds."""

    def __init__(self, cmd, returncode, stdout, stderr, seconds):
        self.cmd = cmd
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds

    @property
    def text(self):
        """stdout and stderr together, as text (where an error message may be)."""
        out, err = self.stdout, self.stderr
        if isinstance(out, bytes):
            out = out.decode("utf-8", "replace")
        if isinstance(err, bytes):
            err = err.decode("utf-8", "replace")
        return out + err

    def describe(self):
        out = _tail(self.stdout, 1500).strip()
        return (f"$ {shlex.join(self.cmd)}\n  exit {self.returncode} after {self.seconds:.1f} s\n"
                + (f"  stdout:\n{out}\n" if out else "")
                + f"  stderr:\n{_tail(self.stderr)}")


def run(cmd, timeout, env=None, binary=False, quiet=False):
    """Runs cmd (a list) to completion. A command still running after `timeout` seconds is
    killed and reported as a hang: no test waits forever."""
    cmd = [str(c) for c in cmd]
    print(f"$ {shlex.join(cmd)}", flush=True)
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env,
                           text=not binary, errors=None if binary else "replace")
    except subprocess.TimeoutExpired as e:
        raise Failure(f"{Path(cmd[0]).name} did not finish within {timeout} s (a hang?); "
                      f"killed.\n  stderr so far:\n{_tail(e.stderr or '')}") from None
    except FileNotFoundError:
        raise Failure(f"{cmd[0]}: not found") from None
    r = Result(cmd, p.returncode, p.stdout, p.stderr, time.monotonic() - start)
    if not quiet:
        print(f"  exit {r.returncode} after {r.seconds:.1f} s", flush=True)
    return r


def product_env(**settings):
    """The environment for iiot-producer: the caller's, minus any IIOT_* variable a user
    may have exported (it would change the run), plus `settings` as IIOT_<KEY>=value. The
    admin server binds any free port unless a setting says otherwise."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IIOT_")}
    env["IIOT_ADMIN_ADDR"] = "127.0.0.1:0"
    for key, value in settings.items():
        env["IIOT_" + key.upper()] = str(value)
    return env


def _count(text):
    """'500,000' -> 500000."""
    return int(text.replace(",", ""))


class It:
    """One test's context: the binary, the broker, and the checks shared by the tests."""

    def __init__(self, binary):
        self.binary = str(binary)
        self.kafka = kafka_cluster()
        self._brokers = None

    # ------------------------------------------------------------------ broker ---

    @property
    def brokers(self):
        """Bootstrap servers of the running kafka-local cluster."""
        if self._brokers is None:
            self._brokers = self.kafka.bootstrap()
        return self._brokers

    def state_dir(self):
        return self.kafka.state

    def create_topic(self, name, partitions, ready_timeout=30):
        """Creates the topic and waits until the broker's metadata lists all its partitions
        with a leader. (TopicCommand returns once the controller has the topic; the broker
        may answer "unknown topic" for a moment longer, and iiot-producer's start-up check
        takes that answer as final.)"""
        self.kafka.create_topic(name, partitions=partitions)
        deadline = time.monotonic() + ready_timeout
        while True:
            leaders = self._leaders(name)
            if leaders is not None and len(leaders) == partitions and min(leaders) >= 0:
                return
            expect(time.monotonic() < deadline,
                   f"topic {name}: not in the broker's metadata with {partitions} led partitions "
                   f"within {ready_timeout} s of its creation (leaders: {leaders})")
            time.sleep(0.2)

    def _leaders(self, topic):
        """The leader of each partition of `topic` per the broker's metadata, or None when
        the broker does not know the topic."""
        if consumer() == "kcat":
            r = run(["kcat", "-b", self.brokers, "-L", "-J", "-t", topic], timeout=60, quiet=True)
            if r.returncode != 0:
                return None
            topics = [t for t in json.loads(r.stdout).get("topics", [])
                      if t.get("topic") == topic and not t.get("error")]
            return [p.get("leader", -1) for p in topics[0]["partitions"]] if topics else None
        try:
            text = self.kafka.describe_topic(topic)
        except kafkalocal.KafkaLocalError:
            return None
        return [int(m) for m in re.findall(r"Partition: \d+\s+Leader: (-?\d+)", text)] or None

    def run_kafka_tool(self, cls, *args, timeout=120):
        return run(self.kafka.jars.tool(cls, *args), timeout=timeout)

    def segment_batches(self, topic):
        """Every record batch the broker stored for `topic`, read from its log segments
        with Kafka's DumpLogSegments: a list of dicts of the batch header fields
        (compresscodec, producerId, count, ...) as printed."""
        pattern = self.state_dir() / "node-*" / "data" / f"{topic}-*" / "*.log"
        files = sorted(glob.glob(str(pattern)))
        expect(files, f"no log segments of {topic} under {self.state_dir()}")
        r = self.run_kafka_tool("kafka.tools.DumpLogSegments", "--files", ",".join(files))
        expect(r.returncode == 0, f"DumpLogSegments failed\n{r.describe()}")
        batches = []
        for line in r.stdout.splitlines():
            if line.startswith("baseOffset:"):
                batches.append(dict(re.findall(r"(\w+): (\S+)", line)))
        expect(batches, f"DumpLogSegments printed no batch for {topic}:\n{_tail(r.stdout)}")
        return batches

    def check_stored_codec(self, topic, codec, messages):
        """The broker's log segments of `topic` hold exactly `messages` records in `codec`
        batches. librdkafka sends a batch uncompressed when compressing would make it
        bigger, which can happen to a batch of a message or two (a partition's last), so
        `none` is accepted for batches under 10 records. Returns the batches."""
        batches = self.segment_batches(topic)
        stored = sum(int(b["count"]) for b in batches)
        expect(stored == messages,
               f"the log segments hold {stored:,} records, expected {messages:,}")
        odd = [b for b in batches if b.get("compresscodec") != codec
               and not (b.get("compresscodec") == "none" and int(b["count"]) < 10)]
        codecs = collections.Counter(b.get("compresscodec") for b in batches)
        expect(not odd, f"batch codecs on the broker: {dict(codecs)}, expected {codec}; "
                        f"e.g. {odd[:1]}")
        in_codec = sum(int(b["count"]) for b in batches if b.get("compresscodec") == codec)
        expect(in_codec * 100 >= messages * 99,
               f"only {in_codec:,} of {messages:,} records are in {codec} batches")
        print(f"  broker: {dict(codecs)} batches, {stored:,} records, {in_codec:,} in {codec}",
              flush=True)
        return batches

    # ------------------------------------------------------------------ product ---

    def produce(self, *args, env=None, timeout=300, messages=None):
        """Runs iiot-producer against the broker; expects exit 0 and, when `messages` is
        given, a summary saying exactly that many were delivered and none lost."""
        env = env if env is not None else product_env()
        r = run([self.binary, "--brokers", self.brokers, "-q", *args], timeout=timeout, env=env)
        print(_tail(r.stderr, 1500), flush=True)
        expect(r.returncode == 0, f"iiot-producer failed\n{r.describe()}")
        expect("every message delivered" in r.stderr,
               f"the summary does not say 'every message delivered'\n{r.describe()}")
        if messages is not None:
            m = re.search(r"delivered ([\d,]+) \| failed ([\d,]+) \| dropped ([\d,]+)", r.stderr)
            expect(m, "no 'delivered N | failed N | dropped N' line in the summary\n"
                      f"{r.describe()}")
            expect((_count(m[1]), _count(m[2]), _count(m[3])) == (messages, 0, 0),
                   f"summary: delivered {m[1]}, failed {m[2]}, dropped {m[3]}; "
                   f"expected {messages:,}, 0, 0")
        return r

    def verify(self, topic, *args, brokers=None, timeout_s=30, timeout=180):
        """Runs `iiot-producer verify ... --json`; returns (Result, report dict or None)."""
        r = run([self.binary, "verify", "--brokers", brokers or self.brokers, "--topic", topic,
                 "--timeout", timeout_s, "--json", *args], timeout=timeout, env=product_env())
        report = None
        lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
        if lines:
            try:
                report = json.loads(lines[-1])
            except json.JSONDecodeError as e:
                raise Failure(f"verify --json printed invalid JSON ({e}):\n{_tail(r.stdout)}")
        return r, report

    def verify_clean(self, topic, messages, devices, per_device=None, fmt="json"):
        """verify must exit 0 and report a clean topic of exactly `messages` messages from
        `devices` devices; returns the report."""
        args = ["--format", fmt, "--expect-devices", devices]
        if per_device is not None:
            args += ["--expect-per-device", per_device]
        r, report = self.verify(topic, *args)
        expect(report is not None, f"verify printed no JSON report\n{r.describe()}\n"
                                   f"  stdout:\n{_tail(r.stdout)}")
        summary = json.dumps({k: report.get(k) for k in ("clean", "reasons", "error", "totals")})
        print(f"  verify: {summary}", flush=True)
        expect(r.returncode == 0, f"verify exited {r.returncode}, not 0 (clean): {summary}\n"
                                  f"{r.describe()}")
        expect(report.get("clean") is True, f"verify says not clean: {summary}")
        expect(report.get("error") in (None, ""), f"verify reports an error: {report.get('error')}")
        totals = field(report, "totals")
        want = {"messages": messages, "devices": devices, "gaps": 0, "duplicates": 0,
                "out_of_order": 0, "multi_partition_devices": 0, "unparsable": 0,
                "key_mismatches": 0}
        got = {k: field(totals, k, "totals") for k in want}
        expect(got == want, f"verify totals {got}, expected {want}")
        expect(report.get("format") == fmt,
               f"verify read format {report.get('format')!r}, not {fmt!r}")
        parts = field(report, "partitions")
        in_parts = sum(field(p, "messages", "partitions[]") for p in parts)
        expect(in_parts == messages,
               f"verify's partitions hold {in_parts} messages in all, its total says {messages}")
        return report

    # ------------------------------------------------------------------ reading back ---

    def partition_count(self, topic):
        """Partitions of `topic`, from the broker's metadata (kcat -L, or TopicCommand)."""
        leaders = self._leaders(topic)
        expect(leaders, f"topic {topic} is not in the broker's metadata")
        return len(leaders)

    def topic_exists(self, topic):
        """Whether the broker lists `topic`. Asks for every topic's metadata: a request
        naming the topic could make a broker with auto-creation on create it."""
        if consumer() != "kcat":
            return topic in self.kafka.list_topics()
        r = run(["kcat", "-b", self.brokers, "-L", "-J"], timeout=60, quiet=True)
        expect(r.returncode == 0, f"listing topics failed\n{r.describe()}")
        return any(t.get("topic") == topic for t in json.loads(r.stdout).get("topics", []))

    def read_back(self, topic, messages, with_values):
        """Every message of `topic` as (partition, key, value head) read by an independent
        client, in offset order per partition; the value's first _VALUE_HEAD bytes (enough
        for device_id and seq) when with_values (JSON values only: one line each), else None."""
        print(f"  reading {topic} back with {consumer()}", flush=True)
        if consumer() == "kcat":
            fmt = "%p %k %s\n" if with_values else "%p %k\n"
            r = run(["kcat", "-C", "-b", self.brokers, "-t", topic, "-o", "beginning", "-e",
                     "-q", "-f", fmt], timeout=300, binary=True)
            expect(r.returncode == 0, f"kcat failed\n{r.describe()}")
            rows = []
            for line in r.stdout.split(b"\n")[:-1]:
                parts = line.split(b" ", 2)
                value = parts[2][:_VALUE_HEAD] if with_values else None
                rows.append((int(parts[0]), parts[1], value))
            return rows
        # Kafka's console consumer: "Partition:P<TAB>key[<TAB>value]" per message.
        r = self.run_kafka_tool(
            "org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server",
            self.brokers, "--topic", topic, "--from-beginning", "--max-messages", messages,
            "--timeout-ms", 20000, "--property", "print.key=true", "--property",
            "print.partition=true", "--property", f"print.value={str(with_values).lower()}",
            timeout=600)
        rows = []
        for line in r.stdout.encode().split(b"\n")[:-1]:
            parts = line.split(b"\t", 2)
            expect(parts[0].startswith(b"Partition:"),
                   f"unexpected console consumer line {line[:200]!r}")
            value = parts[2][:_VALUE_HEAD] if with_values else None
            rows.append((int(parts[0][10:]), parts[1], value))
        return rows

    def read_values(self, topic, messages):
        """Every value of `topic` (JSON: one line each) as (partition, parsed JSON), read by
        the independent client, in offset order per partition."""
        print(f"  reading {topic}'s values with {consumer()}", flush=True)
        if consumer() == "kcat":
            r = run(["kcat", "-C", "-b", self.brokers, "-t", topic, "-o", "beginning", "-e",
                     "-q", "-f", "%p %s\n"], timeout=300, binary=True)
            expect(r.returncode == 0, f"kcat failed\n{r.describe()}")
            lines = [line.split(b" ", 1) for line in r.stdout.split(b"\n")[:-1]]
        else:
            r = self.run_kafka_tool(
                "org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server",
                self.brokers, "--topic", topic, "--from-beginning", "--max-messages", messages,
                "--timeout-ms", 20000, "--property", "print.partition=true", timeout=600)
            lines = [line.split(b"\t", 1) for line in r.stdout.encode().split(b"\n")[:-1]]
            lines = [(p[10:], v) for p, v in lines]  # "Partition:P"
        rows = [(int(p), json.loads(v)) for p, v in lines]
        expect(len(rows) == messages, f"{topic}: read {len(rows)} values, expected {messages}")
        return rows

    def check_read_back(self, topic, report, messages, check_seqs):
        """Reads `topic` with the independent client and cross-checks it against the
        producer's promise and verify's report:
          - the count is `messages`;
          - every key (device id) sits on exactly one partition, the one Java's murmur2
            partitioner picks: toPositive(murmur2(key)) % partitions;
          - per partition, the count equals verify's (and its offset range);
          - the number of distinct keys equals verify's device count;
          - check_seqs (JSON): the value's device_id is the key and every device's seqs
            read in partition order are exactly 1, 2, ..., n: no gap, duplicate or
            reordering, found without verify's code."""
        kafka_murmur2.self_test()
        partitions = self.partition_count(topic)
        rows = self.read_back(topic, messages, with_values=check_seqs)
        expect(len(rows) == messages, f"{consumer()} read {len(rows):,} messages from {topic}, "
                                      f"expected {messages:,}")
        key_partitions = collections.defaultdict(set)
        per_partition = collections.Counter()
        for p, key, _ in rows:
            key_partitions[key].add(p)
            per_partition[p] += 1
        spread = {k: sorted(ps) for k, ps in key_partitions.items() if len(ps) > 1}
        expect(not spread, f"{len(spread)} keys on several partitions, e.g. "
                           f"{list(spread.items())[:3]}")
        wrong = [(k.decode(), min(ps), kafka_murmur2.java_partition(k, partitions))
                 for k, ps in key_partitions.items()
                 if ps != {kafka_murmur2.java_partition(k, partitions)}]
        expect(not wrong, f"{len(wrong)} of {len(key_partitions)} keys are not on Java's murmur2 "
                          f"partition (of {partitions}); (key, actual, java) e.g. {wrong[:3]}")
        print(f"  {len(key_partitions):,} keys, each on its murmur2 partition of {partitions}; "
              f"{len(per_partition)} partitions hold data", flush=True)

        totals = field(report, "totals")
        expect(field(totals, "devices", "totals") == len(key_partitions),
               f"verify counts {totals['devices']} devices, {consumer()} sees "
               f"{len(key_partitions)} keys")
        verify_parts = {field(p, "partition", "partitions[]"): p
                        for p in field(report, "partitions")}
        for p in range(partitions):
            vp = verify_parts.get(p)
            n = per_partition.get(p, 0)
            expect(vp is not None or n == 0, f"verify does not list partition {p} ({n} messages)")
            if vp is None:
                continue
            expect(vp["messages"] == n,
                   f"partition {p}: verify read {vp['messages']} messages, {consumer()} {n}")
            expect(vp["end_offset"] - vp["start_offset"] == n,
                   f"partition {p}: verify's offsets [{vp['start_offset']}, {vp['end_offset']}) "
                   f"do not span the {n} messages {consumer()} read")
        expect(set(verify_parts) <= set(range(partitions)),
               f"verify lists partitions {sorted(verify_parts)} of a {partitions}-partition topic")

        if check_seqs:
            last = {}
            head = re.compile(rb'\{"device_id":"([^"]*)","seq":(\d+),')
            for p, key, value in rows:
                # The hot loop (one pass per message): messages built only on failure.
                m = head.match(value)
                if not m:
                    raise Failure(f"partition {p}: value is not the documented JSON: "
                                  f"{value[:200]!r}")
                if m[1] != key:
                    raise Failure(f"partition {p}: key {key!r} but device_id {m[1]!r}")
                seq = int(m[2])
                want = last.get(key, 0) + 1
                if seq != want:
                    raise Failure(f"device {key.decode()}: seq {seq} after {want - 1} "
                                  f"(partition {p}, read by {consumer()})")
                last[key] = seq
            print(f"  every device's seqs are 1..n in partition order ({consumer()})", flush=True)
        return per_partition


def field(obj, key, where="report"):
    """obj[key], or a Failure naming the missing field (the verify JSON changed?)."""
    expect(isinstance(obj, dict) and key in obj,
           f"verify's JSON has no {where}.{key} (see docs/verify.md): {str(obj)[:300]}")
    return obj[key]


@functools.lru_cache(maxsize=None)
def consumer():
    """The independent client: $IIOT_IT_CONSUMER (kcat|java), else kcat when installed."""
    choice = os.environ.get("IIOT_IT_CONSUMER") or ("kcat" if shutil.which("kcat") else "java")
    expect(choice in ("kcat", "java"), f"IIOT_IT_CONSUMER must be kcat or java, not {choice!r}")
    return choice


def kafka_cluster(env=None):
    """The kafka-local cluster that the environment (default: os.environ) names."""
    return kafkalocal.Cluster(kafkalocal.Settings.from_env(env))


def print_broker_logs():
    print("---- broker log tail (kafka-local logs 40) ----", flush=True)
    try:
        print(kafka_cluster().logs(40), flush=True)
    except Exception as e:  # the test already failed; say why the logs are missing
        print(f"(could not get the broker logs: {e})", flush=True)


def run_test(body, add_args=None):
    """Parses --bin (and add_args' arguments), runs body(It, args); exit 0 on success,
    1 on failure after printing the reason and the broker log tail."""
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__)
    parser.add_argument("--bin", required=True, help="the iiot-producer binary")
    if add_args:
        add_args(parser)
    args = parser.parse_args()
    name = Path(sys.argv[0]).stem
    start = time.monotonic()
    try:
        expect(os.access(args.bin, os.X_OK), f"{args.bin} is not an executable (build it first)")
        body(It(args.bin), args)
    except (Failure, kafkalocal.KafkaLocalError) as e:
        why = f"kafka-local: {e.describe()}" if isinstance(e, kafkalocal.KafkaLocalError) else e
        print(f"\nFAIL {name}: {why}", flush=True)
        print_broker_logs()
        sys.exit(1)
    except Exception:
        print(f"\nFAIL {name}: unexpected error", flush=True)
        traceback.print_exc()
        sys.stderr.flush()
        print_broker_logs()
        sys.exit(1)
    print(f"PASS {name} ({time.monotonic() - start:.1f} s)", flush=True)
