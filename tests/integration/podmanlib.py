"""Podman for the image tests (container_test.py, compose_test.py): its settings for these
machines, and the base image made from Debian's packages when no registry is reachable."""
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from itlib import expect, run

ROOT = Path(__file__).resolve().parents[2]
BASE = "docker.io/library/debian:bookworm-slim"


def use_test_settings():
    """runc and no default ulimits (tests/integration/podman-containers.conf)."""
    os.environ["CONTAINERS_CONF"] = str(Path(__file__).with_name("podman-containers.conf"))
    expect(shutil.which("podman"), "podman is not installed (scripts/setup.sh)")


def podman(*args, timeout=120, check=True):
    r = run(["podman", *args], timeout=timeout)
    if check:
        expect(r.returncode == 0, f"podman {args[0]} failed\n{r.describe()}")
    return r


def ensure_base_image():
    """BASE in Podman's storage: kept from an earlier run, else made by `debootstrap
    --variant=minbase bookworm` (about 40 s) and imported."""
    if run(["podman", "image", "exists", BASE], timeout=30).returncode == 0:
        print(f"  base image {BASE} is in Podman's storage already", flush=True)
        return
    expect(shutil.which("debootstrap"), "debootstrap is not installed (scripts/setup.sh)")
    work = tempfile.mkdtemp(prefix="iiot-rootfs-")
    try:
        rootfs = os.path.join(work, "rootfs")
        r = run(["debootstrap", "--variant=minbase", "bookworm", rootfs,
                 "http://deb.debian.org/debian"], timeout=900)
        expect(r.returncode == 0, f"debootstrap failed\n{r.describe()}")
        for d in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for f in Path(rootfs, d).glob("*"):
                if f.is_file():
                    f.unlink()
        tar = subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE)
        r = subprocess.run(["podman", "import", "--change", 'CMD ["bash"]', "-", BASE],
                           stdin=tar.stdout, capture_output=True, text=True, timeout=300)
        tar.stdout.close()
        expect(tar.wait() == 0 and r.returncode == 0, f"podman import failed: {r.stderr}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build(dockerfile, tag, context=".", timeout=1800):
    """podman build (context: a folder of the repository, its root by default), offline
    base, host network for apt. Untagged images over an hour old (the build stages and
    replaced images of earlier runs) are pruned after it, so repeated runs do not fill
    the disk; the newest ones stay as the next build's cache."""
    podman("build", "--pull=never", "--network", "host", "--format", "docker",
           "-f", str(ROOT / dockerfile), "-t", tag, str(ROOT / context), timeout=timeout)
    podman("image", "prune", "-f", "--filter", "until=1h", timeout=300, check=False)


def http_get(url):
    """(status, body text) of a GET on a published port; (None, "") when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=3) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""
    except OSError:
        return None, ""
