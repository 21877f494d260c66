"""The command line of kafka-local (scripts/kafka-local.sh): parses a command, calls the
Cluster, prints what the bash script printed, returns its exit code (0 ok, 1 failed, 2 bad
usage; `status` 0 all up, 3 none up, 1 some up)."""
import os
import signal
import sys

from .cluster import Cluster
from .errors import KafkaLocalError

PROG = os.environ.get("KAFKA_LOCAL_PROG", "python3 -m kafkalocal")

USAGE = f"""\
Usage: {PROG} COMMAND [ARGS]

A real Apache Kafka broker on 127.0.0.1 (KRaft, combined broker+controller).

Commands:
  start [--nodes 1|3] [--timeout S] [--secure]
                                      start a fresh cluster (wipes old data) and
                                      return once every node is ready; prints the
                                      bootstrap servers. --secure: clients connect
                                      over SASL_SSL (SCRAM, a throwaway CA)
  secure-info                         a --secure cluster's CA file, user, password
                                      file... as KEY=VALUE lines
  stop                                stop gracefully (SIGTERM, then SIGKILL after
                                      20 s) and wipe the state dir; idempotent
  status                              nodes, pids, ports; exit 0 all up, 3 none up,
                                      1 some up
  logs [N]                            last N (default 40) lines of each node's log
  wait-ready [--timeout S]            wait until every node serves metadata
  bootstrap [--nodes N]               print the bootstrap servers
  classpath                           print a java classpath with Kafka's tools:
                                        java -cp "$({PROG} classpath)" \\
                                          org.apache.kafka.tools.consumer.ConsoleConsumer ...
  topic create NAME [--partitions P] [--replication R] [--config K=V]...
  topic list | topic describe [NAME] | topic delete NAME
  kill NODE                           kill -9 one node (1..3), for fault tests
  restart-node NODE [--timeout S]     start a killed node again on its data
  fetch                               only download the jars into the cache

Environment:
  KAFKA_LOCAL_DIR        state dir (data, logs, pids)   [/tmp/iiot-kafka-local]
  KAFKA_LOCAL_CACHE      jar cache   [${{XDG_CACHE_HOME:-~/.cache}}/iiot-producer/kafka-VERSION]
  KAFKA_LOCAL_VERSION    Kafka version                  [from scripts/kafka/pom.xml]
  KAFKA_LOCAL_NODES      default for --nodes            [1]
  KAFKA_LOCAL_PORT_BASE  broker ports BASE.., controller ports BASE+10000.. [9092]
  KAFKA_LOCAL_HEAP       JVM heap flags per node        [-Xmx512m -Xms256m]
  KAFKA_LOCAL_JAVA_OPTS  extra JVM flags per node
  KAFKA_LOCAL_AUTO_CREATE  false disables topic auto-creation [true]
  KAFKA_LOCAL_TIMEOUT    readiness timeout in seconds   [90]
  KAFKA_LOCAL_STOP_TIMEOUT  graceful stop timeout in seconds [20]
  KAFKA_LOCAL_KEEP_STATE 1 keeps data and logs after stop [0]
  KAFKA_LOCAL_TLS_SAN    --secure: the broker certificate's subjectAltName
                         [IP:127.0.0.1,DNS:localhost]
"""


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived; exit 130 after cleaning up."""


def _interrupt(signum, frame):
    raise Interrupted()


def options(cmd, args, names, flags=()):
    """{name: value} of `--name V` / `--name=V` options and bare flags; KafkaLocalError on
    anything else."""
    out = {}
    i = 0
    while i < len(args):
        arg = args[i]
        key, eq, value = arg.partition("=")
        if arg in flags:
            out[arg] = True
        elif key in names and eq:
            out[key] = value
        elif arg in names:
            if i + 1 >= len(args):
                raise KafkaLocalError(f"{arg} needs a value")
            out[arg] = args[i + 1]
            i += 1
        else:
            raise KafkaLocalError(f"{cmd}: unknown argument '{arg}'")
        i += 1
    return out


def no_args(cmd, args):
    if args:
        raise KafkaLocalError(f"{cmd} takes no arguments")


def topic(cluster, args):
    action, rest = (args[0], args[1:]) if args else ("", [])
    cluster.require()
    if action == "create":
        if not rest or rest[0].startswith("-"):
            raise KafkaLocalError("usage: topic create NAME [--partitions P] [--replication R] "
                                  "[--config K=V]")
        tool = ["--create", "--topic", rest[0]]
        i = 1
        while i < len(rest):
            flag = {"--partitions": "--partitions", "--replication": "--replication-factor",
                    "--replication-factor": "--replication-factor",
                    "--config": "--config"}.get(rest[i])
            if flag is None:
                raise KafkaLocalError(f"topic create: unknown argument '{rest[i]}'")
            if i + 1 >= len(rest):
                raise KafkaLocalError(f"{rest[i]} needs a value")
            tool += [flag, rest[i + 1]]
            i += 2
    elif action == "list":
        tool = ["--list"]
    elif action == "describe":
        tool = ["--describe"] + (["--topic", rest[0]] if rest else [])
    elif action == "delete":
        if not rest:
            raise KafkaLocalError("usage: topic delete NAME")
        tool = ["--delete", "--topic", rest[0]]
    else:
        raise KafkaLocalError("usage: topic create|list|describe|delete ...")
    return cluster.topic_command(*tool, capture=False).returncode


def status(cluster, args):
    no_args("status", args)
    nodes = cluster.status()
    if nodes is None:
        print(f"not running (no cluster in {cluster.state})")
        return 3
    for s in nodes:
        pid = "-" if s.pid is None else s.pid
        print(f"node {s.n}  {s.state:<8} pid {pid!s:<8} broker 127.0.0.1:{s.broker_port}  "
              f"controller 127.0.0.1:{s.controller_port}")
    up = sum(s.state == "up" for s in nodes)
    return 0 if up == len(nodes) else 3 if up == 0 else 1


def run(cluster, cmd, args):
    """Runs one command; its exit code."""
    if cmd == "start":
        o = options("start", args, ("--nodes", "--timeout"), flags=("--secure",))
        print(cluster.start(o.get("--nodes"), o.get("--timeout"), o.get("--secure", False)))
    elif cmd == "stop":
        no_args("stop", args)
        cluster.stop()
    elif cmd == "status":
        return status(cluster, args)
    elif cmd == "logs":
        lines = args[0] if args else "40"
        if not lines.isdigit():
            raise KafkaLocalError(f"logs: N must be a number (got '{lines}')")
        sys.stdout.write(cluster.logs(int(lines)))
    elif cmd == "wait-ready":
        cluster.wait_ready(options("wait-ready", args, ("--timeout",)).get("--timeout"))
    elif cmd == "bootstrap":
        nodes = options("bootstrap", args, ("--nodes",)).get("--nodes")
        if nodes is not None and not nodes.isdigit():
            raise KafkaLocalError("--nodes must be a positive number")
        print(cluster.bootstrap(None if nodes is None else int(nodes)))
    elif cmd == "classpath":
        no_args("classpath", args)
        print(cluster.jars.classpath())
    elif cmd == "topic":
        return topic(cluster, args)
    elif cmd == "kill":
        cluster.kill(args[0] if args else "")
    elif cmd == "restart-node":
        o = options("restart-node", args[1:], ("--timeout",))
        cluster.restart_node(args[0] if args else "", o.get("--timeout"))
    elif cmd == "secure-info":
        no_args("secure-info", args)
        for key, value in cluster.secure_info().items():
            print(f"{key}={value}")
    elif cmd == "fetch":
        cluster.jars.ensure()
        cluster.log(f"Kafka {cluster.settings.version} jars in {cluster.jars.libs}")
    return 0


COMMANDS = ("start", "stop", "status", "logs", "wait-ready", "bootstrap", "classpath", "topic",
            "kill", "restart-node", "secure-info", "fetch")


def main(argv):
    cmd, args = (argv[0], argv[1:]) if argv else ("", [])
    if cmd in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0
    if cmd not in COMMANDS:
        if cmd:
            print(f"kafka-local: unknown command {cmd}\n", file=sys.stderr)
        sys.stderr.write(USAGE)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        return run(Cluster(), cmd, args)
    except KafkaLocalError as e:
        print(f"kafka-local: error: {e}", file=sys.stderr)
        if e.details:
            print(e.details, file=sys.stderr)
        return 1
    except Interrupted:
        return 130
    finally:
        sys.stdout.flush()
