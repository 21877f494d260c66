"""--secure: a throwaway CA and broker certificate (made with openssl), the SCRAM users
iiot and admin with random passwords, and what clients and brokers need to use them. All
of it lives in <state>/tls, so every start makes new ones. Thread-compatible."""
import re
import secrets
import shutil
import string
import subprocess

from .errors import KafkaLocalError

USER = "iiot"    # for clients
ADMIN = "admin"  # between brokers, and for kafka-local's own tools
MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256")
SAN_RULE = re.compile(r"(IP|DNS):[A-Za-z0-9.:*-]+(,(IP|DNS):[A-Za-z0-9.:*-]+)*")


def new_password():
    """32 letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def jaas(user, password):
    return ("org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="{user}" password="{password}";')


class SecureMaterial:
    """The CA, broker certificate, passwords and client properties of one cluster."""

    def __init__(self, state, san):
        self.dir = state / "tls"
        self.san = san
        self.client_props = self.dir / "client.properties"
        self.env_file = state / "secure.env"

    def covers_loopback(self):
        """The broker's own clients (inter-broker, the tools) check the hostname only when
        the certificate names 127.0.0.1, which is where they connect."""
        return "IP:127.0.0.1" in self.san.split(",")

    def password(self, user):
        return (self.dir / f"{user}.password").read_text().strip()

    def make(self):
        """Makes the CA, the broker certificate, the passwords, client.properties and
        secure.env."""
        if not SAN_RULE.fullmatch(self.san):
            raise KafkaLocalError("KAFKA_LOCAL_TLS_SAN must be IP:x or DNS:x entries joined "
                                  f"by commas (got '{self.san}')")
        if not shutil.which("openssl"):
            raise KafkaLocalError("openssl not found: run scripts/setup.sh (as root)")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dir.chmod(0o700)
        (self.dir / "broker.ext").write_text(
            f"subjectAltName={self.san}\nbasicConstraints=CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth,clientAuth\n")
        steps = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-keyout", "ca.key",
             "-out", "ca.pem", "-subj", "/CN=kafka-local test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "broker.key", "-out",
             "broker.csr", "-subj", "/CN=kafka-local broker"],
            ["x509", "-req", "-in", "broker.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-days", "30", "-extfile", "broker.ext", "-out", "broker.pem"],
        ]
        with open(self.dir / "openssl.log", "wb") as log:
            for step in steps:
                rc = subprocess.run(["openssl", *step], cwd=self.dir, umask=0o077,
                                    stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT).returncode
                if rc != 0:
                    raise KafkaLocalError(
                        "making the test CA and broker certificate with openssl failed",
                        details=(self.dir / "openssl.log").read_text(errors="replace"))
        keystore = "".join((self.dir / f).read_text()
                           for f in ("broker.key", "broker.pem", "ca.pem"))
        self._write("broker-keystore.pem", keystore, 0o600)
        (self.dir / "ca.pem").chmod(0o644)
        (self.dir / "broker.pem").chmod(0o644)
        for user in (USER, ADMIN):
            self._write(f"{user}.password", new_password() + "\n", 0o600)
        verify = "" if self.covers_loopback() else "ssl.endpoint.identification.algorithm="
        self._write("client.properties",
                    f"# Kafka's tools as the admin user: --command-config {self.client_props}\n"
                    "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                    f"sasl.jaas.config={jaas(ADMIN, self.password(ADMIN))}\n"
                    f"ssl.truststore.type=PEM\nssl.truststore.location={self.dir}/ca.pem\n"
                    f"{verify}\n", 0o600)
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in self.client_env().items()))

    def _write(self, name, text, mode):
        path = self.dir / name
        path.write_text(text)
        path.chmod(mode)

    def client_env(self):
        """What a client needs to connect, as in secure.env."""
        return {"SECURITY_PROTOCOL": "SASL_SSL",
                "SASL_MECHANISMS": ",".join(MECHANISMS),
                "SASL_USERNAME": USER,
                "SASL_PASSWORD_FILE": f"{self.dir}/{USER}.password",
                "TLS_CA_FILE": f"{self.dir}/ca.pem",
                "TLS_CERT_FILE": f"{self.dir}/broker.pem",
                "TLS_SAN": self.san,
                "CLIENT_PROPERTIES": str(self.client_props)}

    def scram_format_args(self):
        """StorageTool arguments creating both users for both mechanisms."""
        args = []
        for user in (USER, ADMIN):
            for mech in MECHANISMS:
                args += ["--add-scram", f"{mech}=[name={user},password={self.password(user)}]"]
        return args

    def broker_props(self):
        """server.properties lines: clients and brokers over SASL_SSL (SCRAM), the
        controllers on PLAINTEXT."""
        lines = [
            "",
            "# --secure: clients and brokers over SASL_SSL (SCRAM), the controllers on "
            "PLAINTEXT.",
            f"sasl.enabled.mechanisms={','.join(MECHANISMS)}",
            "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
            "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
            + jaas(ADMIN, self.password(ADMIN)),
            "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config="
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={self.dir}/broker-keystore.pem",
            "ssl.truststore.type=PEM",
            f"ssl.truststore.location={self.dir}/ca.pem",
            "ssl.client.auth=none",
        ]
        if not self.covers_loopback():
            lines.append("ssl.endpoint.identification.algorithm=")
        return "\n".join(lines) + "\n"
