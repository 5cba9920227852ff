#!/usr/bin/env bash
# Install Clinic Desk, build a local demo clinic (once), say who can sign in, and start the app on it,
# with the demo's whole loop on this computer: a mail catcher (127.0.0.1:8025) that keeps every email
# the desk sends, and the patient portal (http://127.0.0.1:8080) whose links those emails carry.
# Help ▸ "Open the demo mailbox" in the window (or http://127.0.0.1:8080/demo-mailbox) shows them.
# Both stop when the window closes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh postgres
DB="sqlite:///$PWD/demo/clinic.db"
PORTAL_PORT="${DEMO_PORTAL_PORT:-8080}"
MAIL_PORT="${DEMO_MAIL_PORT:-8025}"
mkdir -p demo/mailbox
# The first time this builds the demo; afterwards it builds nothing and prints the demo staff's
# usernames and passwords again, for the sign-in the window asks for. Either way the demo clinic's
# settings point at the catcher and the portal below (clinic.update_settings, as its administrator).
if ! .venv/bin/clinic-desk --db "$DB" seed-demo --patients "${DEMO_PATIENTS:-2000}" \
    --portal-url "http://127.0.0.1:$PORTAL_PORT" --mail-port "$MAIL_PORT"; then
  echo "run-demo: demo/clinic.db is not a demo clinic of this version; move it away (or delete it)" \
    "and run this again to build a new one." >&2
  exit 1
fi

helpers=()
stop_helpers() {
  for pid in "${helpers[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${helpers[@]}" 2>/dev/null || true
}
trap stop_helpers EXIT
trap 'exit 130' INT TERM
.venv/bin/clinic-desk demo-mail --folder demo/mailbox --port "$MAIL_PORT" &
helpers+=($!)
.venv/bin/clinic-desk portal --db "$DB" --port "$PORTAL_PORT" --demo-mailbox demo/mailbox &
helpers+=($!)
echo "run-demo: the portal is at http://127.0.0.1:$PORTAL_PORT; the caught emails at" \
  "http://127.0.0.1:$PORTAL_PORT/demo-mailbox (Help ▸ Open the demo mailbox)."
.venv/bin/clinic-desk --db "$DB" "$@"
