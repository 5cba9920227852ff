#!/usr/bin/env bash
# Install everything and run every check: lint, format, types, layer contracts, the bundle and
# .deb build (scripts/build.sh: tests/packaging runs what it built in dist/), the tests.
# Each phase says how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."

phase() {
  local name=$1 start=$SECONDS
  shift
  echo "== $name"
  "$@"
  echo "-- $name: $((SECONDS - start)) s"
}

phase "set-up" bash scripts/bootstrap.sh build,test
export QT_QPA_PLATFORM=offscreen
phase "ruff" .venv/bin/ruff check clinic_desk tests scripts
phase "ruff format" .venv/bin/ruff format --check clinic_desk tests scripts
phase "mypy" .venv/bin/mypy
phase "import contracts" .venv/bin/lint-imports
phase "build (bundle and .deb)" bash scripts/build.sh
# Two test processes (pytest-xdist), each file's tests kept together in one of them: the suite
# waits on databases, browsers and child processes as much as on the processor.
# TEST_WORKERS=0 runs everything in this process; arguments after the script go to pytest.
phase "pytest" .venv/bin/pytest -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
