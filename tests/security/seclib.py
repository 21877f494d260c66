"""Shared by the security tests: a kafka-local `start(secure=True)` broker of the test's
own (KAFKA_LOCAL_DIR, KAFKA_LOCAL_PORT_BASE from the environment), what its
`secure_info()` says, and the producer environment that connects to it."""
import os
import subprocess
from pathlib import Path

from itlib import expect, kafka_cluster, product_env

START_TIMEOUT_S = 180  # kafka-local's own readiness wait; a busy 2-core machine


class SecureBroker:
    """`with SecureBroker() as b:` starts a fresh SASL_SSL broker and stops it at the end.
    san: the broker certificate's subjectAltName (KAFKA_LOCAL_TLS_SAN)."""

    def __init__(self, san=None):
        env = dict(os.environ)
        if san:
            env["KAFKA_LOCAL_TLS_SAN"] = san
        self.cluster = kafka_cluster(env)
        self.info = {}

    def __enter__(self):
        try:
            self.cluster.start(secure=True, timeout=START_TIMEOUT_S)
            self.info = self.cluster.secure_info()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        print(f"  secure broker: {self.info}", flush=True)
        for key in ("BOOTSTRAP", "SASL_USERNAME", "SASL_PASSWORD_FILE", "TLS_CA_FILE"):
            expect(self.info.get(key), f"secure-info has no {key}: {self.info}")
        return self

    def __exit__(self, *exc):
        self.cluster.stop()
        return False

    @property
    def bootstrap(self):
        return self.info["BOOTSTRAP"]

    @property
    def password(self):
        return Path(self.info["SASL_PASSWORD_FILE"]).read_text().strip()

    def product_env(self, **settings):
        """iiot-producer's environment for SASL_SSL with SCRAM-SHA-512 as the test user,
        the password from its file; `settings` add to or replace these."""
        base = {"kafka_security_protocol": "sasl_ssl",
                "kafka_sasl_mechanism": "scram-sha-512",
                "kafka_sasl_username": self.info["SASL_USERNAME"],
                "kafka_sasl_password_file": self.info["SASL_PASSWORD_FILE"],
                "kafka_tls_ca_file": self.info["TLS_CA_FILE"]}
        base.update(settings)
        env = product_env(**{k: v for k, v in base.items() if v is not None})
        return env


def other_ca(directory):
    """A CA of the test's own, which signed nothing the broker holds: its PEM path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    pem = directory / "other-ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(directory / "other-ca.key"), "-out", str(pem),
                    "-subj", "/CN=some other CA"], check=True, capture_output=True, timeout=60)
    return str(pem)
