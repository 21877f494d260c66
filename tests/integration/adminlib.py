"""A producer running in the background with its admin HTTP server, for the tests of
metrics, readiness and reload: start it, find its admin port in its log, talk HTTP to
it, stop it with a signal. Python stdlib only."""
import json
import re
import shlex
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

from itlib import Failure, expect, product_env


class Response:
    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            raise Failure(f"not JSON (HTTP {self.status}): {self.body[:300]!r}") from None


class Background:
    """iiot-producer started with `args`; stderr is collected line by line as it comes."""

    def __init__(self, binary, args, env=None, **settings):
        env = env if env is not None else product_env(**settings)
        self.cmd = [str(binary), "-q", *[str(a) for a in args]]
        print(f"$ {shlex.join(self.cmd)} &", flush=True)
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, errors="replace", env=env)
        self.lines = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        m = self.wait_for_line(r"admin HTTP on http://(\S+) ", timeout=60)
        self.address = m[1]
        print(f"  admin server at {self.address}", flush=True)

    def _read(self):
        for line in self.proc.stderr:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def stderr(self):
        with self._lock:
            return "\n".join(self.lines)

    def wait_for_line(self, pattern, timeout):
        """The first stderr line matching `pattern` (a regex match), waiting up to timeout."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                for line in self.lines:
                    m = re.search(pattern, line)
                    if m:
                        return m
            expect(self.proc.poll() is None or self._reader.is_alive(),
                   f"iiot-producer exited ({self.proc.returncode}) before logging /{pattern}/:\n"
                   f"{self.stderr()[-3000:]}")
            expect(time.monotonic() < deadline,
                   f"no log line matching /{pattern}/ within {timeout} s:\n{self.stderr()[-3000:]}")
            time.sleep(0.1)

    def request(self, method, path, token=None, timeout=10):
        req = urllib.request.Request(f"http://{self.address}{path}", method=method,
                                     data=b"" if method == "POST" else None)
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return Response(r.status, r.read().decode(), dict(r.headers))
        except urllib.error.HTTPError as e:
            return Response(e.code, e.read().decode(), dict(e.headers))
        except (urllib.error.URLError, OSError) as e:
            raise Failure(f"{method} {path}: {e}\n{self.stderr()[-2000:]}") from None

    def get(self, path):
        return self.request("GET", path)

    def stats(self):
        r = self.get("/api/v1/stats")
        expect(r.status == 200, f"/api/v1/stats: HTTP {r.status}: {r.body[:300]}")
        return r.json()

    def metric(self, name, labels=""):
        """The value of one sample of /metrics, e.g. metric("iiot_messages_generated_total")."""
        text = self.get("/metrics").body
        m = re.search(rf"^{re.escape(name)}{re.escape(labels)} (\S+)$", text, re.M)
        expect(m, f"/metrics has no sample {name}{labels}")
        return float(m[1])

    def wait_until(self, what, check, timeout, every=0.1):
        """Polls check() until it returns a true value (returned); fails after timeout."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = check()
            if last:
                return last
            time.sleep(every)
        raise Failure(f"{what}: not within {timeout} s (last: {last})\n{self.stderr()[-2500:]}")

    def wait_delivered(self, count, timeout=60, what=None):
        """Waits until iiot_messages_delivered_total reaches count; fails after timeout."""
        self.wait_until(what or f"{count:,} delivered",
                        lambda: self.metric("iiot_messages_delivered_total") >= count,
                        timeout=timeout, every=0.5)

    def stop(self, sig=signal.SIGTERM, timeout=120):
        """Sends sig, waits for the exit; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure(f"iiot-producer did not exit within {timeout} s of {sig!r}") from None
        self._reader.join(timeout=10)
        print(f"  exit {self.proc.returncode}", flush=True)
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
