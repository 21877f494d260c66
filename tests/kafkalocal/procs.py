"""Processes and ports on this machine, as kafka-local needs them.

Brokers run in their own session, so they outlive whoever started them and ignore its
Ctrl-C. A broker started by this Python process is its child until it exits: `reap()`
collects the exit status of those that did, so a killed broker is gone from /proc rather
than a zombie. Not thread-safe (the registry of children is a plain dict)."""
import os
import socket
import subprocess

_children = {}  # pid -> Popen, for brokers started by this process


def spawn(argv, log_path):
    """Starts argv in a new session with stdin from /dev/null and stdout+stderr to
    log_path; returns its pid."""
    with open(log_path, "wb") as out:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
    _children[p.pid] = p
    return p.pid


def reap():
    """Collects the exit status of every child broker that has exited."""
    for pid, p in list(_children.items()):
        if p.poll() is not None:
            del _children[pid]


def cmdline(pid):
    """The command line of pid, arguments joined by spaces, or None if there is none (gone,
    a zombie, or not ours to read)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            raw = f.read()
    except OSError:
        return None
    return raw.replace(b"\0", b" ").decode(errors="replace") or None


def find(needle, hint=None):
    """The pid whose command line contains needle: hint if it matches, else the first one
    found in /proc, else None."""
    reap()
    if hint in _children:  # our own child, still running (its cmdline may not be readable
        return hint        # yet while the JVM's launcher execs itself)
    if hint is not None and needle in (cmdline(hint) or ""):
        return hint
    for entry in os.listdir("/proc"):
        if entry.isdigit() and needle in (cmdline(int(entry)) or ""):
            return int(entry)
    return None


def signal(pid, sig):
    """Sends sig to pid; a process that is already gone is no error."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def port_open(port, host="127.0.0.1"):
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
