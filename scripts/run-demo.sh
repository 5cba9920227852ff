#!/usr/bin/env bash
# Install Clinic Desk, build a local demo clinic (once) and start the app on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh postgres
DB="sqlite:///$PWD/demo/clinic.db"
if [[ ! -f demo/clinic.db ]]; then
  mkdir -p demo
  .venv/bin/clinic-desk --db "$DB" seed-demo --patients "${DEMO_PATIENTS:-2000}"
fi
exec .venv/bin/clinic-desk --db "$DB" "$@"
