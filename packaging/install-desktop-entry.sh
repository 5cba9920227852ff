#!/usr/bin/env bash
# Add Clinic Desk to the desktop's application menu for this user (Linux, freedesktop.org).
# Run after scripts/bootstrap.sh; it points the menu entry at this checkout's .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
mkdir -p "$apps" "$icons"
cp resources/icons/secure-message.svg "$icons/clinic-desk.svg"
sed "s|^Exec=.*|Exec=$PWD/.venv/bin/clinic-desk|" packaging/clinic-desk.desktop > "$apps/clinic-desk.desktop"
echo "Added Clinic Desk to the application menu ($apps/clinic-desk.desktop)."
