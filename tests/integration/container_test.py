#!/usr/bin/env python3
"""The container image, built and run with Podman against the real broker.

No image registry is reachable, so the base image is made here when the machine does not
have it yet: `debootstrap --variant=minbase bookworm` from Debian's packages, imported as
docker.io/library/debian:bookworm-slim (Podman's storage keeps it for later runs). Then
`podman build --pull=never --format docker -f deploy/docker/Dockerfile` builds the image
from the repository (both stages), and its size is printed.

The image runs as the user it declares (uid 10001, not root), with a read-only root
filesystem and the config file mounted read-only, producing 2,000 msg/s to a topic on the
broker: /healthz answers, `podman healthcheck run` (the image's HEALTHCHECK, our
`healthcheck` subcommand) says healthy, the process runs as uid 10001; `podman stop` gives
exit 0 and the summary ("every message delivered") in the container's log; `verify` finds
exactly the delivered messages, from all 500 devices, clean."""
import json
import os
import re
import tempfile
import time

from itlib import expect, run_test
from podmanlib import build, ensure_base_image, http_get, podman, use_test_settings

IMAGE = "localhost/iiot-producer:test"
NAME = "iiot-producer-container-test"
TOPIC = f"it-container-{int(time.time())}"  # a rerun on the same broker gets its own
DEVICES = 500


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body(it, args):
    use_test_settings()
    ensure_base_image()
    start = time.monotonic()
    build("deploy/docker/Dockerfile", IMAGE)
    size = int(podman("image", "inspect", IMAGE, "--format", "{{.Size}}").stdout.strip())
    print(f"  image {IMAGE}: {size / 1e6:.0f} MB, built in {time.monotonic() - start:.0f} s",
          flush=True)
    user = podman("image", "inspect", IMAGE, "--format", "{{.Config.User}}").stdout.strip()
    expect(user == "10001:10001", f"the image's user is {user!r}, not 10001:10001")

    it.create_topic(TOPIC, partitions=4)
    port = free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(f"fleet:\n  devices: {DEVICES}\nrun:\n  mode: rate\n  rate: 2000\n"
                f"kafka:\n  topic: {TOPIC}\n")
        config = f.name
    os.chmod(config, 0o644)
    podman("rm", "-f", NAME, check=False)
    try:
        podman("run", "-d", "--name", NAME, "--network", "host", "--read-only",
               "-v", f"{config}:/etc/iiot-producer/config.yaml:ro",
               "-e", f"IIOT_KAFKA_BROKERS={it.brokers}",
               "-e", f"IIOT_ADMIN_ADDR=127.0.0.1:{port}", IMAGE)
        deadline = time.monotonic() + 60
        delivered = 0
        while time.monotonic() < deadline:
            status, text = http_get(f"http://127.0.0.1:{port}/api/v1/stats")
            if status == 200:
                delivered = json.loads(text).get("totals", {}).get("delivered", 0)
                if delivered >= 5_000:
                    break
            time.sleep(0.5)
        expect(delivered >= 5_000, f"the container delivered {delivered} messages within 60 s"
                                   f"\n{podman('logs', NAME, check=False).stderr[-1500:]}")
        status, _ = http_get(f"http://127.0.0.1:{port}/healthz")
        expect(status == 200, f"/healthz answered {status}")
        hc = podman("healthcheck", "run", NAME, check=False)
        expect(hc.returncode == 0, f"podman healthcheck run: not healthy\n{hc.describe()}")
        ids = podman("exec", NAME, "id", "-u").stdout.strip()
        expect(ids == "10001", f"the process runs as uid {ids}, not 10001")
        ro = podman("inspect", NAME, "--format", "{{.HostConfig.ReadonlyRootfs}}").stdout
        expect(ro.strip() == "true", f"the root filesystem is not read-only: {ro!r}")

        podman("stop", "-t", "30", NAME, timeout=60)
        code = podman("inspect", NAME, "--format", "{{.State.ExitCode}}").stdout.strip()
        logs = podman("logs", NAME).stderr
        print(logs[-800:], flush=True)
        expect(code == "0", f"the container exited {code}, not 0 after podman stop")
        expect("every message delivered" in logs, "no 'every message delivered' in the log")
        m = re.search(r"delivered ([\d,]+) \| failed 0 \| dropped 0", logs)
        expect(m, "no 'delivered N | failed 0 | dropped 0' in the container's summary")
        messages = int(m[1].replace(",", ""))
    finally:
        podman("rm", "-f", NAME, check=False)
        os.unlink(config)
    it.verify_clean(TOPIC, messages=messages, devices=DEVICES)


if __name__ == "__main__":
    run_test(body)
