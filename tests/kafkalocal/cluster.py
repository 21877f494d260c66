"""The local Kafka cluster: start (fresh, formatted), stop, status, kill and restart one
node on its data, wait until ready, topics, logs. What `scripts/kafka-local.sh` does, as
calls that return values and raise KafkaLocalError.

    cluster = Cluster()                      # KAFKA_LOCAL_* from os.environ
    bootstrap = cluster.start(nodes=3)       # "127.0.0.1:9092,127.0.0.1:9093,..."
    cluster.create_topic("t", partitions=6, replication=3)
    cluster.kill(2); cluster.restart_node(2)
    cluster.stop()

The cluster's shape (nodes, ports, secure) is written to <state>/cluster.env at start and
read back by every other call, so stop/status/kill act on the cluster that was started
whatever the environment says now. Not thread-safe: one Cluster per thread."""
import base64
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from . import procs
from .errors import KafkaLocalError
from .jars import Jars
from .node import Node, tail
from .readiness import wait_ready
from .server_config import BROKER_LOG4J, server_properties
from .settings import Settings
from .tls import SecureMaterial

MARK = ".iiot-kafka-local"  # in a state dir kafka-local made (and may delete)


def stderr_log(message):
    print(f"kafka-local: {message}", file=sys.stderr, flush=True)


def new_cluster_id():
    """What `kafka.tools.StorageTool random-uuid` prints (16 random bytes, URL-safe base64,
    no padding, never starting with '-'), without starting a JVM."""
    while True:
        cid = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


@dataclass(frozen=True)
class Shape:
    """What cluster.env records."""
    nodes: int
    port_base: int
    secure: bool


@dataclass(frozen=True)
class NodeStatus:
    """One line of `status`: state is "up", "starting" (alive, port not open) or "down"."""
    n: int
    state: str
    pid: object  # int or None
    broker_port: int
    controller_port: int


class Cluster:
    """The cluster in settings.state (see the module comment)."""

    def __init__(self, settings=None, log=stderr_log):
        self.settings = settings or Settings.from_env()
        self.log = log
        self.state = self.settings.state
        self.jars = Jars(self.settings, log)
        self.secure = SecureMaterial(self.state, self.settings.tls_san)

    # ------------------------------------------------------------------ shape ---

    def shape(self):
        """The shape in cluster.env, or None when there is no cluster."""
        try:
            text = (self.state / "cluster.env").read_text()
        except OSError:
            return None
        values = dict(line.partition("=")[::2] for line in text.splitlines())
        try:
            secure = {"0": False, "1": True}[values.get("SECURE", "0")]
            return Shape(int(values["NODES"]), int(values["PORT_BASE"]), secure)
        except (KeyError, ValueError):
            raise KafkaLocalError(f"corrupt {self.state / 'cluster.env'}") from None

    def require(self):
        shape = self.shape()
        if shape is None:
            raise KafkaLocalError(f"no cluster in {self.state}; run: scripts/kafka-local.sh start")
        return shape

    def nodes(self, shape):
        return [Node(self.state, n, shape.port_base) for n in range(1, shape.nodes + 1)]

    def node(self, n):
        """Node n of the running cluster; KafkaLocalError unless 1 <= n <= nodes."""
        shape = self.require()
        if not str(n).isdigit() or not 1 <= int(n) <= shape.nodes:
            raise KafkaLocalError(f"NODE must be 1..{shape.nodes} (got '{n}')")
        return Node(self.state, int(n), shape.port_base)

    def bootstrap(self, nodes=None):
        """The bootstrap servers of the running cluster, or of an N-node one."""
        if nodes is None:
            shape = self.shape()
            nodes = shape.nodes if shape else self.settings.nodes
            base = shape.port_base if shape else self.settings.port_base
        else:
            base = self.settings.port_base
        if int(nodes) < 1:
            raise KafkaLocalError("--nodes must be a positive number")
        return ",".join(f"127.0.0.1:{base + i}" for i in range(int(nodes)))

    def _command_config(self, shape):
        return self.secure.client_props if shape.secure else None

    # ------------------------------------------------------------------ lifecycle ---

    def start(self, nodes=None, timeout=None, secure=False):
        """Starts a fresh cluster (ending whatever ran from the state dir and wiping it) and
        returns its bootstrap servers once every node is ready. On failure, stops the nodes
        it started (their logs are kept) and raises."""
        nodes = self.settings.nodes if nodes is None else nodes
        if str(nodes) not in ("1", "3"):
            raise KafkaLocalError(f"--nodes must be 1 or 3 (got '{nodes}')")
        nodes = int(nodes)
        timeout = self._timeout(timeout)
        base = self.settings.port_base
        if not 1024 <= base <= 65535 - 10000 - nodes:
            raise KafkaLocalError(f"KAFKA_LOCAL_PORT_BASE must be 1024..{65535 - 10000 - nodes} "
                                  f"(got '{base}')")
        t0 = time.monotonic()
        java = self.jars.java()
        self.jars.ensure()
        if self.state.is_dir():
            old = self.shape()
            for node in self.nodes(old) if old else []:
                pid = node.kill()  # its data is wiped next: no graceful stop needed
                if pid:
                    self.log(f"killed node {node.n} of the previous cluster (pid {pid})")
        shape = Shape(nodes, base, bool(secure))
        members = self.nodes(shape)
        for node in members:
            for port in (node.broker_port, node.controller_port):
                if procs.port_open(port):
                    raise KafkaLocalError(f"port 127.0.0.1:{port} is already in use "
                                          "(another Kafka? set KAFKA_LOCAL_PORT_BASE)")
        self._wipe()
        self.state.mkdir(parents=True)
        self.state.chmod(0o700)
        (self.state / MARK).touch()
        cluster_id = new_cluster_id()
        (self.state / "cluster.env").write_text(
            f"NODES={nodes}\nPORT_BASE={base}\nCLUSTER_ID={cluster_id}\n"
            f"KAFKA_VERSION={self.settings.version}\nSECURE={int(shape.secure)}\n")
        (self.state / "log4j.properties").write_text(BROKER_LOG4J)
        scram = []
        if shape.secure:
            self.secure.make()
            scram = self.secure.scram_format_args()
        self._format(members, cluster_id, scram)
        started = []
        try:
            for node in members:
                node.launch(java, self.jars.libs, self.settings.heap, self.settings.java_opts,
                            self.state / "log4j.properties")
                started.append(node)
            wait_ready(self.jars, members, timeout, self._command_config(shape))
        except BaseException:
            self.log(f"start failed; stopping the nodes it started (logs kept in {self.state})")
            try:
                self._stop_nodes(started, stop_timeout=5)
            except KafkaLocalError as e:
                self.log(str(e))
            raise
        mode = " (SASL_SSL; secure-info for the CA and user)" if shape.secure else ""
        bootstrap = self.bootstrap()
        self.log(f"Kafka {self.settings.version} ready: {nodes} node(s), bootstrap {bootstrap}"
                 f"{mode}, state {self.state} ({time.monotonic() - t0:.0f} s)")
        return bootstrap

    def _format(self, members, cluster_id, scram):
        """Formats every node's storage (in parallel: one JVM each)."""
        jobs = []
        for node in members:
            (node.dir / "logs").mkdir(parents=True, exist_ok=True)
            node.props.write_text(server_properties(node, members, self.settings.auto_create,
                                                    self.secure if scram else None))
            with open(node.dir / "format.log", "wb") as out:
                argv = self.jars.tool("kafka.tools.StorageTool", "format", "-t", cluster_id,
                                      "-c", node.props, *scram)
                jobs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                             stderr=subprocess.STDOUT))
        failed = [node for node, job in zip(members, jobs) if job.wait() != 0]
        if failed:
            node = failed[0]
            raise KafkaLocalError(f"formatting the storage of node {node.n} failed",
                                  details=(node.dir / "format.log").read_text(errors="replace"),
                                  node=node.n)

    def _timeout(self, timeout):
        timeout = self.settings.timeout if timeout is None else timeout
        if not str(timeout).isdigit() or int(timeout) == 0:
            raise KafkaLocalError(f"--timeout needs a positive number of seconds (got '{timeout}')")
        return int(timeout)

    def _wipe(self):
        """Deletes the state dir, but only one kafka-local made (or an empty one)."""
        if not self.state.exists():
            return
        if self.state.is_dir() and ((self.state / MARK).is_file() or not any(self.state.iterdir())):
            shutil.rmtree(self.state)
        else:
            raise KafkaLocalError(f"{self.state} exists and was not created by kafka-local; "
                                  "refusing to delete it (set KAFKA_LOCAL_DIR)")

    def _stop_nodes(self, members, stop_timeout=None):
        """SIGTERM to members, SIGKILL to what is left after stop_timeout seconds."""
        stop_timeout = self.settings.stop_timeout if stop_timeout is None else stop_timeout
        live = []
        for node in members:
            pid = node.pid()
            if pid is not None:
                procs.signal(pid, signal.SIGTERM)
                live.append(node)
        deadline = time.monotonic() + stop_timeout
        while live and time.monotonic() < deadline:
            time.sleep(0.2)
            live = [m for m in live if m.alive()]
        for node in live:
            self.log(f"node {node.n} (pid {node.pid()}) did not stop within {stop_timeout}s; "
                     "killing it")
            node.kill(wait_s=10)
        live = [m for m in live if m.alive()]
        if live:
            raise KafkaLocalError(f"could not kill node(s) {' '.join(str(m.n) for m in live)}")

    def stop(self):
        """Stops every node gracefully and wipes the state dir (unless
        KAFKA_LOCAL_KEEP_STATE=1). Idempotent."""
        shape = self.shape()
        if shape is None and not self.state.is_dir():
            self.log("not running")
            return
        # No cluster.env (a start that died early): stop any node still running.
        self._stop_nodes(self.nodes(shape or Shape(3, self.settings.port_base, False)))
        if self.settings.keep_state:
            self.log(f"stopped; state kept in {self.state}")
        else:
            self._wipe()
            self.log("stopped")

    def status(self):
        """A NodeStatus per node, or None when there is no cluster."""
        shape = self.shape()
        if shape is None:
            return None
        out = []
        for node in self.nodes(shape):
            pid = node.pid()
            state = ("down" if pid is None
                     else "up" if procs.port_open(node.broker_port) else "starting")
            out.append(NodeStatus(node.n, state, pid, node.broker_port, node.controller_port))
        return out

    def wait_ready(self, timeout=None):
        """Returns once every node serves metadata; raises after timeout seconds."""
        timeout = self._timeout(timeout)
        shape = self.require()
        self.jars.ensure()
        wait_ready(self.jars, self.nodes(shape), timeout, self._command_config(shape))
        self.log(f"ready: {self.bootstrap()}")

    def kill(self, n):
        """kill -9 of node n (its data stays); returns the pid killed, or None."""
        node = self.node(n)
        pid = node.kill()
        if pid is None:
            self.log(f"node {node.n} is not running")
        else:
            self.log(f"node {node.n} (pid {pid}, port {node.broker_port}) killed")
        return pid

    def restart_node(self, n, timeout=None):
        """Starts killed node n again on its own data and waits until it is back in the
        cluster; returns its pid."""
        timeout = self._timeout(timeout)
        shape = self.require()
        node = self.node(n)
        pid = node.pid()
        if pid is not None:
            raise KafkaLocalError(f"node {node.n} is already running (pid {pid}); kill it first")
        for port in (node.broker_port, node.controller_port):
            if procs.port_open(port):
                raise KafkaLocalError(f"port 127.0.0.1:{port} is still in use")
        java = self.jars.java()
        self.jars.ensure()
        node.launch(java, self.jars.libs, self.settings.heap, self.settings.java_opts,
                    self.state / "log4j.properties")
        wait_ready(self.jars, [node], timeout, self._command_config(shape))
        pid = node.pid()
        self.log(f"node {node.n} restarted (pid {pid}, port {node.broker_port})")
        return pid

    # ------------------------------------------------------------------ looking ---

    def logs(self, lines=40):
        """The last lines of each node's server.log, with a heading per node."""
        out = []
        for node in self.nodes(self.require()):
            out.append(f"==> node {node.n}: {node.log} <==")
            out.append(tail(node.log, lines) if node.log.exists() else "(no log)")
        return "\n".join(out) + "\n"

    def secure_info(self):
        """What a client needs to reach a --secure cluster: BOOTSTRAP and the secure.env
        keys, in order."""
        if not self.require().secure:
            raise KafkaLocalError(f"the cluster in {self.state} was not started with --secure")
        info = {"BOOTSTRAP": self.bootstrap()}
        for line in self.secure.env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            info[key] = value
        return info

    # ------------------------------------------------------------------ topics ---

    def topic_command(self, *args, capture=True):
        """Runs Kafka's TopicCommand against the cluster with args; the CompletedProcess
        (text output captured unless capture=False)."""
        shape = self.require()
        argv = self.jars.tool("org.apache.kafka.tools.TopicCommand",
                              "--bootstrap-server", self.bootstrap())
        if shape.secure:
            argv += ["--command-config", str(self.secure.client_props)]
        return subprocess.run(argv + [str(a) for a in args], capture_output=capture, text=True,
                              errors="replace", stdin=subprocess.DEVNULL)

    def _topic(self, what, *args):
        r = self.topic_command(*args)
        if r.returncode != 0:
            raise KafkaLocalError(f"{what} failed (TopicCommand exit {r.returncode})",
                                  details=(r.stdout + r.stderr).strip())
        return r.stdout

    def create_topic(self, name, partitions=None, replication=None, configs=()):
        args = ["--create", "--topic", name]
        if partitions is not None:
            args += ["--partitions", partitions]
        if replication is not None:
            args += ["--replication-factor", replication]
        for kv in configs:
            args += ["--config", kv]
        self._topic(f"creating topic {name}", *args)

    def describe_topic(self, name=None):
        """TopicCommand --describe's text (of every topic when name is None)."""
        return self._topic("describing topics", "--describe",
                           *(["--topic", name] if name else []))

    def list_topics(self):
        return self._topic("listing topics", "--list").split()

    def delete_topic(self, name):
        self._topic(f"deleting topic {name}", "--delete", "--topic", name)
