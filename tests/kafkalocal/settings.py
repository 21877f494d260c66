"""Every KAFKA_LOCAL_* setting, read once from an environment (docs/kafka-local.md)."""
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from .errors import KafkaLocalError

ROOT = Path(__file__).resolve().parents[2]
POM = ROOT / "scripts" / "kafka" / "pom.xml"
DEFAULT_STATE = "/tmp/iiot-kafka-local"
DEFAULT_TLS_SAN = "IP:127.0.0.1,DNS:localhost"


def pom_version(pom=POM):
    """kafka.version in the pom: the single place the broker version is chosen."""
    try:
        m = re.search(r"<kafka\.version>(.*?)</kafka\.version>", pom.read_text())
    except OSError as e:
        raise KafkaLocalError(f"cannot read {pom}: {e.strerror}") from None
    if not m:
        raise KafkaLocalError(f"{pom} has no <kafka.version>")
    return m[1]


def _uint(env, key, default):
    text = env.get(key) or str(default)
    if not re.fullmatch(r"[0-9]+", text):
        raise KafkaLocalError(f"{key} must be a whole number (got '{text}')")
    return int(text)


@dataclass(frozen=True)
class Settings:
    """Where the cluster lives and how its nodes run. Immutable, so thread-safe."""

    state: Path           # KAFKA_LOCAL_DIR: data, logs, pids
    cache: Path           # KAFKA_LOCAL_CACHE: the jars
    version: str          # KAFKA_LOCAL_VERSION
    nodes: int            # KAFKA_LOCAL_NODES: default for start --nodes
    port_base: int        # KAFKA_LOCAL_PORT_BASE: brokers BASE.., controllers BASE+10000..
    heap: tuple           # KAFKA_LOCAL_HEAP, split like a shell would
    java_opts: tuple      # KAFKA_LOCAL_JAVA_OPTS
    auto_create: str      # KAFKA_LOCAL_AUTO_CREATE: "true" or "false"
    timeout: int          # KAFKA_LOCAL_TIMEOUT: readiness, seconds
    stop_timeout: int     # KAFKA_LOCAL_STOP_TIMEOUT: SIGTERM to SIGKILL, seconds
    keep_state: bool      # KAFKA_LOCAL_KEEP_STATE=1: stop keeps data and logs
    tls_san: str          # KAFKA_LOCAL_TLS_SAN: --secure broker certificate's names

    @classmethod
    def from_env(cls, env=None):
        """The settings an environment (default: os.environ) asks for."""
        env = os.environ if env is None else env
        version = env.get("KAFKA_LOCAL_VERSION") or pom_version()
        cache_home = env.get("XDG_CACHE_HOME") or os.path.join(
            env.get("HOME") or os.path.expanduser("~"), ".cache")
        cache = env.get("KAFKA_LOCAL_CACHE") or os.path.join(
            cache_home, "iiot-producer", f"kafka-{version}")
        auto_create = env.get("KAFKA_LOCAL_AUTO_CREATE") or "true"
        if auto_create not in ("true", "false"):
            raise KafkaLocalError(
                f"KAFKA_LOCAL_AUTO_CREATE must be true or false (got '{auto_create}')")
        return cls(
            state=Path(os.path.realpath(env.get("KAFKA_LOCAL_DIR") or DEFAULT_STATE)),
            cache=Path(cache),
            version=version,
            nodes=_uint(env, "KAFKA_LOCAL_NODES", 1),
            port_base=_uint(env, "KAFKA_LOCAL_PORT_BASE", 9092),
            heap=tuple(shlex.split(env.get("KAFKA_LOCAL_HEAP") or "-Xmx512m -Xms256m")),
            java_opts=tuple(shlex.split(env.get("KAFKA_LOCAL_JAVA_OPTS") or "")),
            auto_create=auto_create,
            timeout=_uint(env, "KAFKA_LOCAL_TIMEOUT", 90),
            stop_timeout=_uint(env, "KAFKA_LOCAL_STOP_TIMEOUT", 20),
            keep_state=(env.get("KAFKA_LOCAL_KEEP_STATE") or "0") == "1",
            tls_san=env.get("KAFKA_LOCAL_TLS_SAN") or DEFAULT_TLS_SAN)
