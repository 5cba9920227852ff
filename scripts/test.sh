#!/usr/bin/env bash
# Install everything and run every check: lint, format, types, layer contracts, the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
export QT_QPA_PLATFORM=offscreen
echo "== ruff" && .venv/bin/ruff check clinic_desk tests scripts
echo "== ruff format" && .venv/bin/ruff format --check clinic_desk tests scripts
echo "== mypy" && .venv/bin/mypy
echo "== import contracts" && .venv/bin/lint-imports
echo "== pytest" && .venv/bin/pytest "$@"
