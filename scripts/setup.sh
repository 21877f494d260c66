#!/usr/bin/env bash
# Installs the Debian packages iiot-producer needs to build, test and run (Java and Maven
# for the local Kafka broker of scripts/kafka-local.sh too). With --deploy-tests (test.sh
# gives it) also what the deployment tests use: Podman, debootstrap, podman-compose,
# dpkg-dev and systemd for the image, stack and package tests, then helm (built from the
# Go module proxy) and kubernetes-validate (PyPI, in a venv) for the chart's.
# Idempotent: installs only what is missing, running `apt-get update` once first. Needs
# root (or sudo) for the Debian packages.
#   ./scripts/setup.sh [--deploy-tests]
set -euo pipefail

deploy_tests=0
[ "${1:-}" = --deploy-tests ] && deploy_tests=1

packages=(
  g++ cmake ninja-build pkg-config git
  librdkafka-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev
  libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev googletest libbenchmark-dev nlohmann-json3-dev
  libsimdjson-dev
  python3 python3-matplotlib kcat clang-format openssl openjdk-17-jre-headless maven
  prometheus prometheus-cpp-dev libcpp-httplib-dev clang-14 libclang-rt-14-dev
)
if [ "$deploy_tests" = 1 ]; then
  packages+=(podman runc debootstrap podman-compose dpkg-dev fakeroot systemd adduser
             python3-venv)
fi

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

[ "$deploy_tests" = 1 ] || exit 0

# The Helm chart's checks (tests/deploy). helm is not in Debian: built once from the Go
# module proxy with the machine's Go (1.24 or later; Debian's 1.19 is too old), about 3
# minutes, kept in the Go bin dir. kubernetes-validate, with the
# Kubernetes schemas, from PyPI into a venv of ours. A failure here is a warning: the
# helm_chart test then fails saying what is missing.
tools=${XDG_CACHE_HOME:-$HOME/.cache}/iiot-producer
if ! command -v go >/dev/null; then
  echo "setup: warning: no go: helm cannot be built (the helm_chart test will fail)" >&2
elif [ ! -x "$(go env GOPATH)/bin/helm" ]; then
  echo "setup: go install helm.sh/helm/v3/cmd/helm@v3.21.4" >&2
  go install helm.sh/helm/v3/cmd/helm@v3.21.4 ||
    echo "setup: warning: could not build helm (the helm_chart test will fail)" >&2
fi
if [ ! -x "$tools/venv/bin/kubernetes-validate" ]; then
  echo "setup: kubernetes-validate==1.37.0 into $tools/venv" >&2
  { python3 -m venv "$tools/venv" &&
    "$tools/venv/bin/pip" install -q kubernetes-validate==1.37.0; } ||
    echo "setup: warning: could not install kubernetes-validate (the helm_chart test will fail)" >&2
fi
