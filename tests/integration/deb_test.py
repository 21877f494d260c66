#!/usr/bin/env python3
"""The Debian package, built, installed and run against the real broker.

`cpack -G DEB` in the build dir of the binary under test makes
iiot-producer_<version>_amd64.deb; its control file must list the shared libraries'
packages (dpkg-shlibdeps) and /etc/iiot-producer/config.yaml as a conffile. `dpkg -i`
installs it (its dependencies are Debian's packages, already on a machine that built it):
the system user iiot-producer exists, the config is root:iiot-producer 0640, and
`systemd-analyze verify` accepts the installed unit (hardening options, ExecReload).
The installed binary, run as that user with the installed config
(IIOT_CONFIG=/etc/iiot-producer/config.yaml, as the unit sets it), produces 20,000
messages from 1,000 devices to the broker, and verify finds them all, clean. `dpkg -P`
removes the package, its user and its config again."""
import glob
import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

from itlib import expect, product_env, run, run_test

TOPIC = f"it-deb-{int(time.time())}"  # a rerun on the same broker gets its own
UNIT = "/usr/lib/systemd/system/iiot-producer.service"


def body(it, args):
    build_dir = Path(args.bin).resolve().parent
    expect((build_dir / "CPackConfig.cmake").exists(), f"no CPackConfig.cmake in {build_dir}")
    out = tempfile.mkdtemp(prefix="iiot-deb-")
    try:
        r = run(["cpack", "-G", "DEB", "--config", build_dir / "CPackConfig.cmake", "-B", out],
                timeout=300)
        expect(r.returncode == 0, f"cpack failed\n{r.describe()}")
        debs = glob.glob(os.path.join(out, "iiot-producer_*_amd64.deb"))
        expect(len(debs) == 1, f"cpack made {debs}, not one iiot-producer_<version>_amd64.deb")
        deb = debs[0]
        print(f"  {os.path.basename(deb)}: {os.path.getsize(deb) / 1e6:.1f} MB", flush=True)
        info = run(["dpkg-deb", "-I", deb], timeout=30).stdout
        depends = re.search(r"^ Depends: (.*)$", info, re.M)
        expect(depends and "librdkafka1" in depends[1] and "libyaml-cpp0.7" in depends[1],
               f"the package's Depends misses the shared libraries: {depends and depends[1]}")
        package = run(["dpkg-deb", "-f", deb, "Package"], timeout=30).stdout.strip()
        expect(package == "iiot-producer", f"the package is {package!r}, not iiot-producer")
        control = run(["dpkg-deb", "--ctrl-tarfile", deb], timeout=30, binary=True)
        for name in (b"conffiles", b"postinst", b"prerm", b"postrm"):
            expect(name in control.stdout, f"the control archive has no {name.decode()}")

        installed = run(["dpkg-query", "-W", "-f=${Status}", "iiot-producer"], timeout=30)
        expect("install ok installed" not in installed.stdout,
               "iiot-producer is installed on this machine already: the test would replace "
               "and purge it (remove it first, or run the test elsewhere)")
        try:
            r = run(["dpkg", "-i", deb], timeout=300)
            expect(r.returncode == 0, f"dpkg -i failed\n{r.describe()}")
            expect(run(["getent", "passwd", "iiot-producer"], timeout=10).returncode == 0,
                   "no system user iiot-producer after installing")
            st = os.stat("/etc/iiot-producer/config.yaml")
            mode = stat.S_IMODE(st.st_mode)
            expect(mode == 0o640, f"the installed config is mode {oct(mode)}, not 0640")
            r = run(["systemd-analyze", "verify", UNIT], timeout=60)
            expect(r.returncode == 0, f"systemd-analyze verify refuses the unit\n{r.describe()}")
            unit = Path(UNIT).read_text()
            for line in ("ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
                         "User=iiot-producer", "NoNewPrivileges=yes", "ProtectSystem=strict"):
                expect(line in unit, f"the unit has no {line!r}")

            it.create_topic(TOPIC, partitions=3)
            env = product_env(config="/etc/iiot-producer/config.yaml")
            cmd = ["runuser", "-u", "iiot-producer", "--", "/usr/bin/iiot-producer",
                   "--brokers", it.brokers, "--topic", TOPIC, "--mode", "max", "--devices",
                   1000, "--count", 20_000, "--interval", "1s", "--admin-addr", "off", "-q"]
            r = run(cmd, timeout=120, env=env)
            print(r.stderr[-500:], flush=True)
            expect(r.returncode == 0 and "every message delivered" in r.stderr,
                   f"the installed binary did not deliver every message\n{r.describe()}")
            it.verify_clean(TOPIC, messages=20_000, devices=1000, per_device=20)
        finally:  # a failed or half-done install is purged too
            r = run(["dpkg", "-P", "iiot-producer"], timeout=120)
            expect(r.returncode == 0, f"dpkg -P failed\n{r.describe()}")
        expect(not os.path.exists("/usr/bin/iiot-producer"), "dpkg -P left /usr/bin/iiot-producer")
        expect(not os.path.exists("/etc/iiot-producer/config.yaml"), "dpkg -P left the config")
        expect(run(["getent", "passwd", "iiot-producer"], timeout=10).returncode != 0,
               "dpkg -P left the system user")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    run_test(body)
