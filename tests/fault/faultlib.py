"""What the fault tests share: their own kafka-local cluster (started and always stopped
by the test), the broker faults (kill -9, restart), the producer's summary as numbers,
`verify`'s totals, the process's memory, and a sampler that records /readyz and metrics
once a second while a fault lasts. Standard library only; builds on itlib and adminlib
(tests/integration, on PYTHONPATH).

    def body(it, args):
        with Cluster() as cluster:
            it.create_topic("f-x", 6)
            bg = Background(it.binary, ["--brokers", it.brokers, ...])
            cluster.kill(1)
            ...
"""
import os
import re
import threading
import time

from adminlib import Background
from itlib import expect, field, kafka_cluster


def scaled(name, default):
    """A duration in seconds from the environment (FAULT_OUTAGE_S=300 lengthens an outage
    to minutes), else default."""
    value = os.environ.get(name)
    return float(value) if value else float(default)


class Cluster:
    """The test's own brokers (KAFKA_LOCAL_DIR / KAFKA_LOCAL_PORT_BASE from the
    environment), stopped and wiped on exit whatever happened."""

    def __init__(self, nodes=1, started=True):
        self.nodes = nodes
        self.local = kafka_cluster()
        self.running = False
        if started:
            self.start()

    def start(self):
        start = time.monotonic()
        self.local.start(nodes=self.nodes)
        self.running = True
        print(f"  cluster of {self.nodes} up in {time.monotonic() - start:.1f} s", flush=True)

    def kill(self, node=1):
        self.local.kill(node)

    def restart(self, node=1):
        start = time.monotonic()
        self.local.restart_node(node)
        print(f"  node {node} back in {time.monotonic() - start:.1f} s", flush=True)

    def restart_sampled(self, sampler, node=1):
        """restart(node), while `sampler` keeps sampling once a second."""
        failed = []

        def restart():
            try:
                self.restart(node)
            except Exception as e:  # raised again below, on the test's thread
                failed.append(e)

        t = threading.Thread(target=restart)
        t.start()
        try:
            sampler.run(240, stop_when=lambda s: not t.is_alive())
        finally:
            t.join()
        if failed:
            raise failed[0]

    def stop(self):
        self.local.stop()
        self.running = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def bootstrap(nodes=1):
    """The bootstrap servers of the test's cluster, known before it runs."""
    return kafka_cluster().bootstrap(nodes)


def _count(text):
    return int(text.replace(",", ""))


class Summary:
    """The summary iiot-producer prints at exit, as numbers: generated, delivered, failed,
    dropped, failed_by (cause -> count), lost, every_message_delivered."""

    def __init__(self, stderr):
        m = re.search(r"summary: ([\d,]+) messages from", stderr)
        expect(m, f"no summary in the output:\n{stderr[-3000:]}")
        self.generated = _count(m[1])
        m = re.search(r"delivered ([\d,]+) \| failed ([\d,]+) \| dropped ([\d,]+)", stderr)
        expect(m, f"no 'delivered N | failed N | dropped N' line:\n{stderr[-3000:]}")
        self.delivered, self.failed, self.dropped = (_count(m[i]) for i in (1, 2, 3))
        m = re.search(r"\| blocked ([\d.]+) s", stderr)
        self.blocked_s = float(m[1]) if m else 0.0
        self.failed_by = {c: _count(n)
                          for c, n in re.findall(r"failed \((\w+)\): ([\d,]+)", stderr)}
        m = re.search(r"LOST ([\d,]+) of", stderr)
        self.lost = _count(m[1]) if m else 0
        self.every_message_delivered = "every message delivered" in stderr
        self.unaccounted = "unaccounted" in stderr

    def __str__(self):
        return (f"generated {self.generated:,}, delivered {self.delivered:,}, failed "
                f"{self.failed:,} {self.failed_by}, dropped {self.dropped:,}, lost {self.lost:,}")

    def check_accounted(self):
        """Every generated message has an outcome, the causes add up, loss is stated."""
        expect(not self.unaccounted, f"the summary has unaccounted messages: {self}")
        expect(self.generated == self.delivered + self.failed + self.dropped,
               f"generated != delivered + failed + dropped: {self}")
        expect(sum(self.failed_by.values()) == self.failed,
               f"the failure causes do not add up to failed: {self}")
        expect(self.lost == self.failed + self.dropped, f"LOST is not failed + dropped: {self}")
        expect(self.every_message_delivered == (self.lost == 0),
               f"'every message delivered' and the loss disagree: {self}")


def producing(it, topic, rate, devices, **settings):
    """iiot-producer in the background: rate mode, `rate` msg/s from `devices` devices into
    `topic` on the test's brokers; `settings` as IIOT_<KEY>=value."""
    return Background(it.binary, ["--brokers", it.brokers, "--topic", topic, "--mode", "rate",
                                  "--rate", rate, "--devices", devices], **settings)


def ended(bg, code, note=""):
    """The stopped producer's stderr and Summary, printed ("exit 1<note>; generated ...")
    and checked to account for every message."""
    log = bg.stderr()
    summary = Summary(log)
    print(f"  exit {code}{note}; {summary}", flush=True)
    summary.check_accounted()
    return log, summary


def verify_totals(it, topic, timeout_s=30):
    """`iiot-producer verify --json` of the topic: its totals (messages, gaps, duplicates,
    ...) and exit code. Fails when verify could not read the topic."""
    r, report = it.verify(topic, timeout_s=timeout_s, timeout=300)
    expect(report is not None, f"verify printed no JSON report\n{r.describe()}")
    expect(report.get("error") in (None, ""),
           f"verify could not read {topic}: {report.get('error')}")
    totals = field(report, "totals")
    print(f"  verify: exit {r.returncode}, totals {totals}", flush=True)
    return totals, r.returncode


def expect_clean_topic(it, topic, summary):
    """verify reads `topic` clean (exit 0, no gap, no duplicate) and exactly the messages
    the producer's summary says it delivered; returns verify's totals."""
    totals, code = verify_totals(it, topic)
    expect(code == 0 and totals["gaps"] == 0 and totals["duplicates"] == 0,
           f"verify not clean (exit {code}): {totals}")
    expect(totals["messages"] == summary.delivered,
           f"verify read {totals['messages']:,}, the producer delivered {summary.delivered:,}")
    return totals


def check_fatal_accounting(summary, totals):
    """After a fatal producer error and rebuild, the summary and verify agree: every
    generated message is in the topic or a gap, every gap was counted as lost, and the
    failed messages found in the topic anyway (and any duplicate) are within those the
    summary counted as possibly persisted or fatal (in flight when the producer failed)."""
    messages, gaps, dups = totals["messages"], totals["gaps"], totals["duplicates"]
    unique = messages - dups
    expect(unique + gaps == summary.generated,
           f"verify: {unique:,} distinct messages + {gaps:,} gaps != {summary.generated:,} "
           f"generated")
    persisted_failures = unique - summary.delivered
    print(f"  verify: {gaps:,} gaps, {dups:,} duplicates; the summary: lost {summary.lost:,} "
          f"{summary.failed_by}; of the failed, {persisted_failures:,} were written anyway",
          flush=True)
    expect(gaps <= summary.lost, f"{gaps:,} gaps but only {summary.lost:,} counted as lost")
    maybe = summary.failed_by.get("possibly_persisted", 0) + summary.failed_by.get("fatal", 0)
    expect(persisted_failures <= maybe,
           f"{persisted_failures:,} messages counted failed are in the topic, but only "
           f"{maybe:,} failed in flight (possibly_persisted or fatal)")
    expect(dups <= maybe, f"{dups:,} duplicates not explained by the possibly persisted count")


def rss_mb(pid):
    """Resident memory of the process in MB (VmRSS)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for pid {pid}")


class Sampler:
    """Samples the background producer: run() once a second for `seconds` (or until
    stop_when(sample)): /readyz (status, reason), RSS, and the named metrics. run() may be
    called again; it returns every sample so far."""

    def __init__(self, bg, metrics=()):
        self.bg = bg
        self.metrics = metrics
        self.samples = []
        self.t0 = time.monotonic()  # sample times are seconds since the sampler was made

    def one(self):
        ready = self.bg.get("/readyz")
        reason = ready.json().get("reason", "") if ready.status == 503 else ""
        text = self.bg.get("/metrics").body
        values = {}
        for name in self.metrics:
            # A name without labels matches the sample whatever its labels (the first one).
            labels = "" if "{" in name else r"(?:\{[^}]*\})?"
            m = re.search(rf"^{re.escape(name)}{labels} (\S+)$", text, re.M)
            values[name] = float(m[1]) if m else None
        s = {"t": round(time.monotonic() - self.t0, 1), "readyz": ready.status, "reason": reason,
             "rss_mb": round(rss_mb(self.bg.proc.pid), 1), **values}
        self.samples.append(s)
        return s

    def run(self, seconds, stop_when=None, every=1.0):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            expect(self.bg.proc.poll() is None,
                   f"iiot-producer exited ({self.bg.proc.returncode}) during the fault:\n"
                   f"{self.bg.stderr()[-3000:]}")
            taken = time.monotonic()
            s = self.one()
            if stop_when and stop_when(s):
                break
            time.sleep(max(0.0, min(every - (time.monotonic() - taken), end - time.monotonic())))
        return self.samples


def print_readyz_history(samples):
    """The /readyz answers seen, collapsed into runs: '0-12 s 200; 13-40 s 503 (reason)'."""
    runs = []
    for s in samples:
        key = (s["readyz"], s["reason"][:90])
        if runs and runs[-1][0] == key:
            runs[-1][2] = s["t"]
        else:
            runs.append([key, s["t"], s["t"]])
    for (status, reason), a, b in runs:
        print(f"  /readyz {a:5.1f}-{b:5.1f} s: {status} {reason}", flush=True)
