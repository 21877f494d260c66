#!/usr/bin/env bash
# Puts the Kafka broker's jars (the version of scripts/kafka/pom.xml, from Maven Central,
# as the tests use them) into deploy/compose/kafka/libs/, the build context of the demo
# stack's Kafka image. Run once before `podman-compose -f deploy/compose.yaml up --build`.
set -euo pipefail
cd "$(dirname "$0")/../../.."
classpath=$(./scripts/kafka-local.sh classpath)  # fetches the jars on first use
libs=${classpath#*:}
libs=${libs%/\*}
out=deploy/compose/kafka/libs
rm -rf "$out"
mkdir -p "$out"
cp "$libs"/*.jar "$out"/
echo "fetch-jars: $(ls "$out" | wc -l) jars in $out" >&2
