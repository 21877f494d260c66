#!/usr/bin/env bash
# Sets up (if needed), builds and runs every test. Warnings are errors here.
#   ./scripts/test.sh            the dev build: every test
#   PRESET=asan ./scripts/test.sh   the same under AddressSanitizer + UBSan (or tsan)
# The unit tests first (in parallel), then the integration tests, one at a time against a
# real Kafka broker that they start and stop themselves (docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."

preset=${PRESET:-dev}
./scripts/setup.sh
cmake --preset "$preset" -DIIOT_WERROR=ON >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" -L unit --timeout 600 -j2
ctest --preset "$preset" -L integration --timeout 900 --no-tests=error
