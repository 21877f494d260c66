"""kafka-local without a broker: settings, the cluster id, server.properties, the state dir
rule, the test CA, and the command line's usage errors and exit codes. Run by CTest
(label unit): python3 -m unittest kafkalocal.test_offline, tests/ on PYTHONPATH."""
import os
import re
import stat
import subprocess
import tempfile
import unittest
from pathlib import Path

from kafkalocal import Cluster, KafkaLocalError, Settings
from kafkalocal.cluster import new_cluster_id
from kafkalocal.node import Node
from kafkalocal.server_config import server_properties
from kafkalocal.settings import ROOT
from kafkalocal.tls import SecureMaterial

WRAPPER = str(ROOT / "scripts" / "kafka-local.sh")


def props(text):
    return dict(line.split("=", 1) for line in text.splitlines()
                if line and not line.startswith("#"))


class OfflineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="kafkalocal-test-")
        self.state = Path(self.tmp.name) / "state"
        self.env = {"KAFKA_LOCAL_DIR": str(self.state), "HOME": self.tmp.name,
                    "KAFKA_LOCAL_PORT_BASE": "9592"}

    def tearDown(self):
        self.tmp.cleanup()

    def cli(self, *args, **extra):
        env = {**os.environ, **self.env, **extra}
        return subprocess.run([WRAPPER, *args], capture_output=True, text=True, env=env,
                              timeout=60)

    def test_settings_defaults_and_overrides(self):
        s = Settings.from_env({"HOME": "/h"})
        self.assertEqual(s.state, Path("/tmp/iiot-kafka-local").resolve())
        self.assertEqual(s.port_base, 9092)
        self.assertEqual(s.cache, Path(f"/h/.cache/iiot-producer/kafka-{s.version}"))
        self.assertRegex(s.version, r"^3\.9\.\d+$")
        self.assertEqual(s.heap, ("-Xmx512m", "-Xms256m"))
        s = Settings.from_env({"KAFKA_LOCAL_PORT_BASE": "9500", "KAFKA_LOCAL_HEAP": "-Xmx1g",
                               "KAFKA_LOCAL_KEEP_STATE": "1", "XDG_CACHE_HOME": "/c",
                               "KAFKA_LOCAL_VERSION": "3.9.1"})
        self.assertEqual((s.port_base, s.heap, s.keep_state, s.version),
                         (9500, ("-Xmx1g",), True, "3.9.1"))
        self.assertEqual(s.cache, Path("/c/iiot-producer/kafka-3.9.1"))

    def test_bad_settings_name_the_variable(self):
        for key, value in (("KAFKA_LOCAL_AUTO_CREATE", "yes"), ("KAFKA_LOCAL_PORT_BASE", "x"),
                           ("KAFKA_LOCAL_TIMEOUT", "-1")):
            with self.assertRaises(KafkaLocalError) as e:
                Settings.from_env({key: value})
            self.assertIn(key, str(e.exception))
            self.assertIn(value, str(e.exception))

    def test_cluster_id_is_what_storage_tool_prints(self):
        ids = {new_cluster_id() for _ in range(500)}
        self.assertEqual(len(ids), 500)
        for cid in ids:
            self.assertRegex(cid, r"^[A-Za-z0-9_][A-Za-z0-9_-]{21}$")

    def test_server_properties_of_three_nodes(self):
        nodes = [Node(self.state, n, 9592) for n in (1, 2, 3)]
        p = props(server_properties(nodes[1], nodes, "false", None))
        self.assertEqual(p["node.id"], "2")
        self.assertEqual(p["controller.quorum.voters"],
                         "1@127.0.0.1:19592,2@127.0.0.1:19593,3@127.0.0.1:19594")
        self.assertEqual(p["listeners"], "PLAINTEXT://127.0.0.1:9593,CONTROLLER://127.0.0.1:19593")
        self.assertEqual((p["default.replication.factor"], p["min.insync.replicas"]), ("3", "2"))
        self.assertEqual(p["auto.create.topics.enable"], "false")
        self.assertEqual(p["log.dirs"], f"{self.state}/node-2/data")
        one = props(server_properties(nodes[0], nodes[:1], "true", None))
        self.assertEqual((one["default.replication.factor"], one["min.insync.replicas"]),
                         ("1", "1"))

    def test_stop_refuses_to_wipe_a_dir_it_did_not_make(self):
        self.state.mkdir()
        (self.state / "precious.txt").write_text("keep me")
        cluster = Cluster(Settings.from_env(self.env), log=lambda m: None)
        with self.assertRaisesRegex(KafkaLocalError, "refusing to delete"):
            cluster.stop()
        self.assertTrue((self.state / "precious.txt").exists())
        r = self.cli("stop")
        self.assertEqual(r.returncode, 1)
        self.assertIn("was not created by kafka-local", r.stderr)

    def test_stop_removes_an_empty_dir_and_is_idempotent(self):
        self.state.mkdir()
        Cluster(Settings.from_env(self.env), log=lambda m: None).stop()
        self.assertFalse(self.state.exists())
        r = self.cli("stop")
        self.assertEqual((r.returncode, r.stderr.strip()), (0, "kafka-local: not running"))

    def test_secure_material(self):
        material = SecureMaterial(self.state, "IP:127.0.0.1,DNS:localhost")
        self.state.mkdir()
        material.make()
        for name in ("ca.pem", "broker.pem", "broker-keystore.pem", "iiot.password",
                     "admin.password", "client.properties"):
            self.assertTrue((material.dir / name).is_file(), name)
        self.assertEqual(stat.S_IMODE(material.dir.stat().st_mode), 0o700)
        for secret in ("iiot.password", "admin.password", "client.properties", "ca.key"):
            self.assertEqual(stat.S_IMODE((material.dir / secret).stat().st_mode), 0o600, secret)
        self.assertRegex(material.password("iiot"), r"^[A-Za-z0-9]{32}$")
        self.assertNotEqual(material.password("iiot"), material.password("admin"))
        r = subprocess.run(["openssl", "verify", "-CAfile", str(material.dir / "ca.pem"),
                            str(material.dir / "broker.pem")], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run(["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
                            str(material.dir / "broker.pem")], capture_output=True, text=True)
        self.assertIn("IP Address:127.0.0.1, DNS:localhost", r.stdout)
        env = dict(line.split("=", 1) for line in material.env_file.read_text().splitlines())
        self.assertEqual(env, material.client_env())
        self.assertEqual(len(material.scram_format_args()), 8)
        self.assertNotIn("ssl.endpoint.identification.algorithm", material.broker_props())
        other = SecureMaterial(self.state, "DNS:otherhost")
        self.assertIn("ssl.endpoint.identification.algorithm=\n", other.broker_props())
        with self.assertRaisesRegex(KafkaLocalError, "KAFKA_LOCAL_TLS_SAN"):
            SecureMaterial(self.state, "otherhost").make()

    def test_command_line_usage_and_exit_codes(self):
        r = self.cli()
        self.assertEqual(r.returncode, 2)
        self.assertIn("Usage: scripts/kafka-local.sh COMMAND", r.stderr)
        r = self.cli("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command frobnicate", r.stderr)
        r = self.cli("help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("restart-node NODE", r.stdout)
        r = self.cli("status")
        self.assertEqual((r.returncode, r.stdout.strip()),
                         (3, f"not running (no cluster in {self.state})"))
        for args, message in ((("start", "--nodes", "2"), "--nodes must be 1 or 3 (got '2')"),
                              (("start", "--nodes=x"), "--nodes must be 1 or 3 (got 'x')"),
                              (("start", "--bogus"), "start: unknown argument '--bogus'"),
                              (("start", "--timeout", "0"), "--timeout needs a positive number"),
                              (("kill", "1"), "no cluster in"),
                              (("logs", "x"), "logs: N must be a number"),
                              (("status", "extra"), "status takes no arguments")):
            r = self.cli(*args)
            self.assertEqual(r.returncode, 1, args)
            self.assertRegex(r.stderr, "^kafka-local: error: " + re.escape(message), args)
        r = self.cli("bootstrap", "--nodes", "3")
        self.assertEqual((r.returncode, r.stdout.strip()),
                         (0, "127.0.0.1:9592,127.0.0.1:9593,127.0.0.1:9594"))


if __name__ == "__main__":
    unittest.main()
