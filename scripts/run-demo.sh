#!/usr/bin/env bash
# Install Clinic Desk, build a local demo clinic (once), say who can sign in, and start the app on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh postgres
DB="sqlite:///$PWD/demo/clinic.db"
mkdir -p demo
# The first time this builds the demo; afterwards it builds nothing and prints the demo staff's
# usernames and passwords again, for the sign-in the window asks for.
if ! .venv/bin/clinic-desk --db "$DB" seed-demo --patients "${DEMO_PATIENTS:-2000}"; then
  echo "run-demo: demo/clinic.db is not a demo clinic of this version; move it away (or delete it)" \
    "and run this again to build a new one." >&2
  exit 1
fi
exec .venv/bin/clinic-desk --db "$DB" "$@"
