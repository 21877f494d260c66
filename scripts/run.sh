#!/usr/bin/env bash
# Sets up (if needed), builds the release binary and runs the simulator.
# With no arguments: 10,000 devices in real time into the embedded in-process Kafka
# cluster; Ctrl-C stops it with a summary. Any arguments go to iiot-producer
# (try ./scripts/run.sh --help).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target iiot-producer >/dev/null

if [ $# -eq 0 ]; then
  set -- --devices 10000
fi
exec ./build/release/iiot-producer "$@"
