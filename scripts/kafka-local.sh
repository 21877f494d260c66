#!/usr/bin/env bash
# Runs a real Apache Kafka cluster (KRaft, 1 or 3 nodes) on 127.0.0.1 for the
# integration tests, the end-to-end benchmark and anyone trying the producer:
#   scripts/kafka-local.sh start | stop | status | topic ... | kill N | restart-node N | help
# The work is done by the Python package tests/kafkalocal (standard library only), which
# the tests also import directly. Java, Maven and openssl come from scripts/setup.sh.
# See docs/kafka-local.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v python3 >/dev/null 2>&1 ||
  { echo "kafka-local: error: python3 not found (scripts/setup.sh installs it)" >&2; exit 1; }
export KAFKA_LOCAL_PROG=${KAFKA_LOCAL_PROG:-scripts/kafka-local.sh}
export PYTHONPATH="$root/tests${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
exec python3 -m kafkalocal "$@"
