#!/usr/bin/env bash
# Installs the Debian packages iiot-producer needs to build, test and run (Java and Maven
# for the local Kafka broker of scripts/kafka-local.sh too; Podman, debootstrap and dpkg-dev
# for the image and package tests), then helm and kubernetes-validate for the chart's.
# Idempotent: installs only what is missing, running `apt-get update` once first. Needs
# root (or sudo) for the Debian packages.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  librdkafka-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev
  libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev googletest libbenchmark-dev nlohmann-json3-dev
  libsimdjson-dev
  python3 python3-matplotlib kcat clang-format openssl openjdk-17-jre-headless maven
  prometheus prometheus-cpp-dev libcpp-httplib-dev clang-14 libclang-rt-14-dev
  podman runc debootstrap dpkg-dev fakeroot systemd adduser
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
    as_root=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Helm chart's checks (tests/deploy): helm is not in Debian, so it is built from the Go
# module proxy once (about 3 minutes; kept in the Go bin dir), and kubernetes-validate,
# with the Kubernetes schemas, comes from PyPI.
if command -v go >/dev/null && [ ! -x "$(go env GOPATH)/bin/helm" ]; then
  echo "setup: go install helm.sh/helm/v3/cmd/helm@v3.21.4" >&2
  go install helm.sh/helm/v3/cmd/helm@v3.21.4
fi
if ! command -v kubernetes-validate >/dev/null; then
  echo "setup: pip install kubernetes-validate==1.37.0" >&2
  python3 -m pip install -q kubernetes-validate==1.37.0
fi
