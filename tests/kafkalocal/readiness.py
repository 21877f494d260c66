"""When a node is ready: its process is alive, its broker port accepts TCP, its log says
"Kafka Server started" since this launch, and a metadata request lists it as a live
broker (kafka.admin.BrokerApiVersionsCommand)."""
import re
import subprocess
import time

from . import procs
from .errors import KafkaLocalError


def metadata_ids(jars, bootstrap, seconds, command_config=None):
    """The node ids that answer a metadata request sent to bootstrap, within seconds."""
    argv = jars.tool("kafka.admin.BrokerApiVersionsCommand", "--bootstrap-server", bootstrap)
    if command_config:
        argv += ["--command-config", str(command_config)]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                             timeout=seconds, stdin=subprocess.DEVNULL).stdout
    except subprocess.TimeoutExpired:
        return set()
    return {int(m) for m in re.findall(r"\(id: (\d+) rack", out)}


def _exited(node):
    return KafkaLocalError(f"node {node.n} (port {node.broker_port}) exited during startup",
                           details=node.log_tail(40), node=node.n)


def wait_ready(jars, nodes, timeout, command_config=None):
    """Returns once every Node in nodes is ready; raises KafkaLocalError naming the first
    node that is not (with its log tail) when one exits or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    pending = list(nodes)
    while pending:
        for node in pending:
            if not node.alive():
                raise _exited(node)
        pending = [m for m in pending if not (procs.port_open(m.broker_port) and m.ready_in_log())]
        if not pending:
            break
        if time.monotonic() >= deadline:
            node = pending[0]
            raise KafkaLocalError(f"node {node.n} (port {node.broker_port}) not ready within "
                                  f"{timeout}s", details=node.log_tail(40), node=node.n)
        time.sleep(0.5)
    bootstrap = ",".join(m.address for m in nodes)
    while True:
        # The metadata call gets what is left of the deadline (5..30 s).
        budget = min(max(deadline - time.monotonic(), 5), 30)
        ids = metadata_ids(jars, bootstrap, budget, command_config)
        missing = [m for m in nodes if m.n not in ids]
        if not missing:
            return
        for node in nodes:
            if not node.alive():
                raise _exited(node)
        if time.monotonic() >= deadline:
            names = " ".join(str(m.n) for m in missing)
            seen = " ".join(str(i) for i in sorted(ids))
            raise KafkaLocalError(f"node(s) {names} not in the cluster metadata within "
                                  f"{timeout}s (brokers seen: {seen})",
                                  details=missing[0].log_tail(40), node=missing[0].n)
        time.sleep(1)
