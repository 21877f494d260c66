#!/usr/bin/env bash
# Sets up (if needed), builds and runs every test. Warnings are errors here, and the
# sources must be clang-formatted.
#   ./scripts/test.sh                     the dev build: unit, then integration tests
#   PRESET=asan ./scripts/test.sh         the same under AddressSanitizer + UBSan (or tsan)
#   LABELS=unit ./scripts/test.sh         only the unit tests (also: integration, fault)
# The unit tests run in parallel; the integration tests one at a time against a real Kafka
# broker that they start and stop themselves (docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."

preset=${PRESET:-dev}
labels=${LABELS:-unit integration fault}
./scripts/setup.sh --deploy-tests

if git rev-parse --git-dir >/dev/null 2>&1; then
  git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' |
    xargs clang-format --dry-run --Werror
fi

cmake --preset "$preset" -DIIOT_WERROR=ON >/dev/null
cmake --build --preset "$preset"
for label in $labels; do
  case "$label" in
    unit) ctest --preset "$preset" -L unit --timeout 600 -j2 ;;
    integration) ctest --preset "$preset" -L integration --timeout 900 --no-tests=error ;;
    fault) ctest --preset "$preset" -L fault --timeout 900 ;;
    *) echo "test.sh: unknown label $label (unit, integration, fault)" >&2; exit 2 ;;
  esac
done
