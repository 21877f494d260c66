"""kafka-local against real brokers: start, status, kill -9, restart-node on the node's
own data (its topic, its messages and its cluster id survive), stop; a node that cannot
start is reported with its log and cleaned up. Run by CTest (label integration, its own
KAFKA_LOCAL_DIR and KAFKA_LOCAL_PORT_BASE): python3 -m unittest kafkalocal.test_cluster."""
import os
import shutil
import subprocess
import unittest

from kafkalocal import Cluster, KafkaLocalError, Settings, procs
from kafkalocal.settings import ROOT

WRAPPER = str(ROOT / "scripts" / "kafka-local.sh")
TOPIC = "kafkalocal-data"
MESSAGES = [f"message-{i}" for i in range(50)]


def kcat(*args, stdin=None):
    r = subprocess.run(["kcat", *args], input=stdin, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"kcat {' '.join(args)} failed: {r.stderr}")
    return r.stdout


def cluster_id(node):
    meta = (node.dir / "data" / "meta.properties").read_text()
    return dict(line.split("=", 1) for line in meta.splitlines() if "=" in line)["cluster.id"]


class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(shutil.which("kcat"), "kcat not found (scripts/setup.sh installs it)")
        self.settings = Settings.from_env()
        self.log = []
        self.cluster = Cluster(self.settings, log=self.log.append)
        self.addCleanup(self.cluster.stop)

    def status_line(self):
        return subprocess.run([WRAPPER, "status"], capture_output=True, text=True, timeout=60)

    def test_start_kill_restart_on_its_data_stop(self):
        c = self.cluster
        bootstrap = c.start(nodes=1, timeout=180)
        base = self.settings.port_base
        self.assertEqual(bootstrap, f"127.0.0.1:{base}")
        self.assertEqual(c.bootstrap(), bootstrap)
        [s] = c.status()
        self.assertEqual((s.n, s.state, s.broker_port, s.controller_port),
                         (1, "up", base, base + 10000))
        self.assertTrue(procs.port_open(base))
        r = self.status_line()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, rf"^node 1  up +pid {s.pid} +broker 127.0.0.1:{base}  ")

        c.create_topic(TOPIC, partitions=1)
        self.assertIn(TOPIC, c.list_topics())
        kcat("-P", "-b", bootstrap, "-t", TOPIC, "-p", "0", stdin="\n".join(MESSAGES) + "\n")
        node = c.node(1)
        before_id = cluster_id(node)

        self.assertEqual(c.kill(1), s.pid)
        self.assertFalse(os.path.exists(f"/proc/{s.pid}"), "killed broker still in /proc")
        self.assertFalse(procs.port_open(base))
        self.assertEqual(c.status()[0].state, "down")
        self.assertEqual(self.status_line().returncode, 3)
        self.assertIsNone(c.kill(1))  # not running: nothing to kill
        with self.assertRaisesRegex(KafkaLocalError, r"NODE must be 1\.\.1 \(got '2'\)"):
            c.kill(2)

        pid = c.restart_node(1, timeout=180)
        self.assertNotEqual(pid, s.pid)
        self.assertEqual(c.status()[0].state, "up")
        with self.assertRaisesRegex(KafkaLocalError, "already running"):
            c.restart_node(1)
        self.assertEqual(cluster_id(node), before_id, "restart-node reformatted the node")
        self.assertIn(TOPIC, c.list_topics())
        read = kcat("-C", "-b", bootstrap, "-t", TOPIC, "-o", "beginning", "-e", "-q")
        self.assertEqual(read.splitlines(), MESSAGES)

        c.stop()
        self.assertFalse(self.settings.state.exists())
        self.assertFalse(procs.port_open(base))
        self.assertFalse(os.path.exists(f"/proc/{pid}"))
        self.assertIsNone(c.status())
        c.stop()  # idempotent
        self.assertEqual(self.log[-1], "not running")

    def test_a_node_that_cannot_start_is_reported_and_stopped(self):
        env = {**os.environ, "KAFKA_LOCAL_JAVA_OPTS": "-XX:+NoSuchJvmFlag"}
        c = Cluster(Settings.from_env(env), log=self.log.append)
        with self.assertRaises(KafkaLocalError) as e:
            c.start(nodes=1, timeout=60)
        self.assertEqual(str(e.exception),
                         f"node 1 (port {self.settings.port_base}) exited during startup")
        self.assertEqual(e.exception.node, 1)
        self.assertIn("NoSuchJvmFlag", e.exception.details)  # the JVM's own words
        self.assertTrue(self.settings.state.exists(), "logs must be kept after a failed start")
        self.assertEqual(c.status()[0].state, "down")


if __name__ == "__main__":
    unittest.main()
