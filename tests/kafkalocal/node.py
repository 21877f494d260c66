"""One node of the cluster (broker and KRaft controller in one JVM): its ports, files,
server.properties, process and readiness as seen from its log. A Node holds no state of
its own beyond paths (the pid and log offset live in its directory), so any process can
look at a node another one started. Thread-compatible."""
import os
import signal
import time

from . import procs

READY_LINE = "Kafka Server started"

# Garbage collection and error handling of every broker JVM.
BROKER_JVM = ("-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
              "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
              "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true")


class Node:
    """Node n (1-based, also its node.id) of a cluster whose state dir is `state`."""

    def __init__(self, state, n, port_base):
        self.n = n
        self.broker_port = port_base + n - 1
        self.controller_port = port_base + 10000 + n - 1
        self.dir = state / f"node-{n}"
        self.props = self.dir / "server.properties"
        self.log = self.dir / "logs" / "server.log"
        self.stdout = self.dir / "stdout.log"

    @property
    def address(self):
        return f"127.0.0.1:{self.broker_port}"

    def pid(self):
        """The pid of this node's broker, or None. The pid file is checked against the
        process's command line; a lost pid file falls back to a /proc scan for this node's
        own server.properties path."""
        try:
            hint = int((self.dir / "pid").read_text())
        except (OSError, ValueError):
            hint = None
        return procs.find(f"kafka.Kafka {self.props}", hint)

    def alive(self):
        return self.pid() is not None

    def launch(self, java, libs, heap, java_opts, log4j):
        """Starts the broker on the node's config and data (formatted before); returns."""
        (self.dir / "logs").mkdir(parents=True, exist_ok=True)
        offset = self.log.stat().st_size if self.log.exists() else 0
        (self.dir / "log.offset").write_text(f"{offset}\n")
        argv = [java, *heap, *BROKER_JVM,
                f"-XX:ErrorFile={self.dir}/logs/hs_err_pid%p.log",
                f"-Dlog4j.configuration=file:{log4j}", f"-Dkafka.logs.dir={self.dir}/logs",
                *java_opts, "-cp", f"{libs}/*", "kafka.Kafka", str(self.props)]
        pid = procs.spawn(argv, self.stdout)
        (self.dir / "pid").write_text(f"{pid}\n")
        return pid

    def ready_in_log(self):
        """Whether "Kafka Server started" was logged since the last launch."""
        if not self.log.exists():
            return False
        try:
            offset = int((self.dir / "log.offset").read_text())
        except (OSError, ValueError):
            offset = 0
        if self.log.stat().st_size < offset:  # the log rolled over
            offset = 0
        with open(self.log, "rb") as f:
            f.seek(offset)
            return READY_LINE.encode() in f.read()

    def kill(self, wait_s=5):
        """kill -9; returns the pid it killed, or None when the node was not running."""
        pid = self.pid()
        if pid is None:
            return None
        procs.signal(pid, signal.SIGKILL)
        deadline = time.monotonic() + wait_s
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        return pid

    def log_tail(self, lines=40):
        """The last lines of the node's log and of its JVM output, with headings."""
        out = []
        if self.log.exists() and self.log.stat().st_size > 0:
            out.append(f"---- last {lines} lines of {self.log} ----")
            out.append(tail(self.log, lines))
        else:
            out.append(f"---- {self.log} is empty or missing ----")
        if self.stdout.exists() and self.stdout.stat().st_size > 0:
            out.append(f"---- {self.stdout} ----")
            out.append(tail(self.stdout, 20))
        return "\n".join(out)


def tail(path, lines):
    """The last `lines` lines of a text file (read from its last 1 MiB)."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - (1 << 20)))
        text = f.read().decode(errors="replace")
    return "\n".join(text.splitlines()[-lines:]) if lines > 0 else ""
