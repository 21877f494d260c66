#!/usr/bin/env python3
"""The admin port under slow and idle clients while the producer runs against the real
broker (rate mode, 3,000 msg/s, 2,000 devices). For 15 s, 200 connections are held open
without a byte sent (reopened when the server closes them) and 8 connections trickle a
request one byte every 200 ms (reopened likewise); meanwhile /healthz and /metrics are
asked 4 times a second each, on fresh connections. Then:

  - every /healthz and /metrics answers 200 within 100 ms;
  - the server ends the trickling requests at their whole-request deadline (408), not
    when the client stops sending;
  - production is unaffected: at least 90 % of the configured rate is delivered during the
    window, the summary accounts for every message (exit 0), and verify reads a clean
    topic of exactly the delivered count."""
import select
import socket
import statistics
import threading
import time

from faultlib import Cluster, ended, expect_clean_topic, producing
from itlib import expect, run_test

TOPIC = "f-admin-slow"
RATE = 3000
WINDOW_S = 15
IDLE = 200
TRICKLING = 8
BOUND_S = 0.100


def host_port(address):
    host, port = address.rsplit(":", 1)
    return host, int(port)


def timed_get(address, path):
    """(status, seconds) of one GET on a fresh connection, read to the end."""
    start = time.monotonic()
    with socket.create_connection(host_port(address), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    took = time.monotonic() - start
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else -1
    return status, took


class SlowClients:
    """IDLE idle and TRICKLING trickling connections, kept open until stop()."""

    def __init__(self, address):
        self.address = address
        self.stopping = threading.Event()
        self.reopened = 0
        self.timeouts_408 = 0
        self.other_endings = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._hold_idle, daemon=True)]
        self.threads += [threading.Thread(target=self._trickle, daemon=True)
                         for _ in range(TRICKLING)]
        for t in self.threads:
            t.start()

    def _hold_idle(self):
        conns = [socket.create_connection(host_port(self.address)) for _ in range(IDLE)]
        while not self.stopping.wait(0.5):
            readable, _, _ = select.select(conns, [], [], 0)
            for s in readable:  # the server closed it (its request deadline)
                s.close()
                conns[conns.index(s)] = socket.create_connection(host_port(self.address))
                with self.lock:
                    self.reopened += 1
        for s in conns:
            s.close()

    def _trickle(self):
        request = b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: " + b"p" * 500 + b"\r\n\r\n"
        while not self.stopping.is_set():
            with socket.create_connection(host_port(self.address)) as s:
                answer = b""
                for byte in request:
                    if self.stopping.wait(0.2):
                        return
                    try:
                        s.sendall(bytes([byte]))
                    except OSError:
                        pass
                    readable, _, _ = select.select([s], [], [], 0)
                    if readable:
                        answer = s.recv(4096)
                        break
                with self.lock:
                    if answer.startswith(b"HTTP/1.1 408"):
                        self.timeouts_408 += 1
                    else:
                        self.other_endings.append(answer[:40])

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=10)


def body(it, args):
    with Cluster():
        it.create_topic(TOPIC, 6)
        bg = producing(it, TOPIC, RATE, 2000)
        try:
            bg.wait_delivered(RATE * 2)
            before = bg.metric("iiot_messages_delivered_total")
            started = time.monotonic()
            slow = SlowClients(bg.address)
            time.sleep(1)  # all of them open
            timings = {"/healthz": [], "/metrics": []}
            while time.monotonic() - started < WINDOW_S:
                for path, seen in timings.items():
                    seen.append(timed_get(bg.address, path))
                time.sleep(0.25)
            slow.stop()
            window = time.monotonic() - started
            delivered = bg.metric("iiot_messages_delivered_total") - before
            code = bg.stop()
        finally:
            bg.kill()
        _, summary = ended(bg, code)
        for path, seen in timings.items():
            took = sorted(t for _, t in seen)
            print(f"  {path}: {len(seen)} requests, median {statistics.median(took) * 1000:.1f} "
                  f"ms, max {took[-1] * 1000:.1f} ms", flush=True)
            bad = [s for s, _ in seen if s != 200]
            expect(not bad, f"{path} answered {bad}")
            expect(took[-1] < BOUND_S, f"{path} took {took[-1] * 1000:.0f} ms, bound "
                                       f"{BOUND_S * 1000:.0f} ms")
        print(f"  slow clients: {slow.reopened} idle connections closed by the server and "
              f"reopened, {slow.timeouts_408} trickled requests ended with 408, other "
              f"endings {slow.other_endings[:5]}", flush=True)
        expect(slow.timeouts_408 >= TRICKLING,
               f"only {slow.timeouts_408} trickled requests met their deadline")
        expect(not slow.other_endings, f"trickled requests ended otherwise: {slow.other_endings}")
        expect(slow.reopened >= IDLE, f"only {slow.reopened} idle connections were closed")
        expect(delivered >= 0.9 * RATE * window,
               f"{delivered:,.0f} delivered in {window:.1f} s, expected ~{RATE * window:,.0f}")
        expect(code == 0 and summary.lost == 0, f"exit {code}, {summary}")
        expect_clean_topic(it, TOPIC, summary)


if __name__ == "__main__":
    run_test(body)
