"""Java and Kafka's jars: finds java, downloads the jars of scripts/kafka/pom.xml from
Maven Central into the cache once (under a lock, so parallel callers wait for one
download), and runs Kafka's command-line tools. Java and Maven are installed by
scripts/setup.sh. Thread-compatible: one Jars per thread, or calls from one thread."""
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from .errors import KafkaLocalError
from .settings import POM

# Command-line tools log warnings only, to stderr (first on the classpath).
TOOLS_LOG4J = """\
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
"""

# A small, fast-starting JVM for the tools.
TOOL_JVM = ("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true")

SETUP_HINT = "run scripts/setup.sh (as root) or put it on PATH"


def java_major(java):
    """17 for "17.0.15", 8 for "1.8.0_402", None when java -version says nothing usable."""
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True,
                             timeout=60).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(?:1\.)?(\d+)', out)
    return int(m[1]) if m else None


class Jars:
    """Kafka's jars in settings.cache and the java that runs them."""

    def __init__(self, settings, log):
        self.settings = settings
        self.log = log
        self.libs = settings.cache / "libs"
        self.marker = settings.cache / ".complete"
        self._java = None
        self._ensured = False  # the cache was complete once: no need to look again

    def java(self):
        """The java binary ($JAVA_HOME/bin/java, else the one on PATH), Java 11 or newer."""
        if self._java:
            return self._java
        home = os.environ.get("JAVA_HOME")
        if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
            java = os.path.join(home, "bin", "java")
        else:
            java = shutil.which("java")
        if not java:
            raise KafkaLocalError(f"java not found: {SETUP_HINT}")
        major = java_major(java)
        if major is None or major < 11:
            raise KafkaLocalError(f"{java} is Java {major or '?'}; Kafka {self.settings.version} "
                                  f"needs Java 11 or newer (17 recommended)")
        self._java = java
        return java

    def _stamp(self):
        digest = hashlib.sha256(POM.read_bytes()).hexdigest()
        return f"kafka={self.settings.version} pom={digest}"

    def ready(self):
        """Whether the cache holds a complete download of this version and pom."""
        try:
            return self.marker.read_text().strip() == self._stamp()
        except OSError:
            return False

    def ensure(self):
        """Downloads the jars unless the cache already has them."""
        if self._ensured or self.ready():
            self._ensured = True
            return
        if not POM.is_file():
            raise KafkaLocalError(f"missing {POM}")
        cache = self.settings.cache
        cache.mkdir(parents=True, exist_ok=True)
        with open(cache / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not self.ready():
                self._download()
        self._ensured = True

    def _download(self):
        java = self.java()
        mvn = shutil.which("mvn")
        if not mvn:
            raise KafkaLocalError(f"mvn (Maven) not found: {SETUP_HINT}")
        cache, version = self.settings.cache, self.settings.version
        self.log(f"downloading Apache Kafka {version} from Maven Central into {cache} "
                 f"(once, ~50 MB)")
        t0 = time.monotonic()
        tmp, build = cache / "libs.tmp", cache / "build"
        for d in (tmp, build):
            shutil.rmtree(d, ignore_errors=True)
        self.marker.unlink(missing_ok=True)
        build.mkdir(parents=True)
        shutil.copy(POM, build / "pom.xml")
        env = dict(os.environ)
        env.setdefault("JAVA_HOME", str(Path(os.path.realpath(java)).parents[1]))
        mvn_log = cache / "mvn.log"
        with open(mvn_log, "wb") as out:
            rc = subprocess.run(
                [mvn, "-B", "-q", f"-Dkafka.version={version}", "dependency:copy-dependencies",
                 "-DincludeScope=runtime", f"-DoutputDirectory={tmp}"],
                cwd=build, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT).returncode
        if rc != 0:
            tail = "\n".join(mvn_log.read_text(errors="replace").splitlines()[-30:])
            raise KafkaLocalError(f"mvn could not fetch Kafka {version} (full log: {mvn_log})",
                                  details=tail)
        for jar in (f"kafka_2.13-{version}.jar", f"kafka-tools-{version}.jar"):
            if not (tmp / jar).is_file():
                raise KafkaLocalError(f"mvn finished but the Kafka {version} jars are missing "
                                      f"from {tmp}")
        shutil.rmtree(self.libs, ignore_errors=True)
        tmp.rename(self.libs)
        self.write_tools_log4j()
        self.marker.write_text(self._stamp() + "\n")
        count = len(list(self.libs.glob("*.jar")))
        self.log(f"downloaded {count} jars in {time.monotonic() - t0:.0f} s")

    def write_tools_log4j(self):
        conf = self.settings.cache / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "log4j.properties").write_text(TOOLS_LOG4J)

    def classpath(self):
        """A java classpath with Kafka and its tools: <cache>/conf:<cache>/libs/*."""
        self.ensure()
        if not (self.settings.cache / "conf" / "log4j.properties").is_file():
            self.write_tools_log4j()
        return f"{self.settings.cache / 'conf'}:{self.libs}/*"

    def tool(self, cls, *args):
        """The argv that runs Kafka tool class cls with args."""
        return [self.java(), *TOOL_JVM, "-cp", self.classpath(), cls, *map(str, args)]
