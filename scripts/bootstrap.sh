#!/usr/bin/env bash
# Set up everything Clinic Desk needs on a fresh Debian/Ubuntu machine:
# the Qt runtime libraries (when missing), a virtualenv in .venv and the app in it;
# with the test extras, also what the screen-reader test needs (AT-SPI, an X server).
# Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
EXTRAS="${1:-test}"

# Shared libraries PySide6 loads at run time, and the Debian packages that carry them.
# (The xcb ones are for a real screen; offscreen runs need only the first group.)
declare -A NEEDED=(
  [libEGL.so.1]=libegl1 [libGL.so.1]=libgl1 [libxkbcommon.so.0]=libxkbcommon0
  [libfontconfig.so.1]=libfontconfig1 [libfreetype.so.6]=libfreetype6 [libdbus-1.so.3]=libdbus-1-3
  [libglib-2.0.so.0]=libglib2.0-0
  [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb-icccm.so.4]=libxcb-icccm4 [libxcb-keysyms.so.1]=libxcb-keysyms1
  [libxcb-image.so.0]=libxcb-image0 [libxcb-render-util.so.0]=libxcb-render-util0
  [libxkbcommon-x11.so.0]=libxkbcommon-x11-0 [libxcb-shape.so.0]=libxcb-shape0
  [libxcb-randr.so.0]=libxcb-randr0 [libxcb-xinerama.so.0]=libxcb-xinerama0 [libX11-xcb.so.1]=libx11-xcb1
)
missing=()
for lib in "${!NEEDED[@]}"; do
  if ! ldconfig -p 2>/dev/null | grep -q "$lib"; then missing+=("${NEEDED[$lib]}"); fi
done
if ! fc-list 2>/dev/null | grep -qi "dejavu\|liberation\|noto"; then missing+=(fonts-dejavu-core fontconfig); fi
# The screen-reader test (tests/ui/a11y) reads the real window over AT-SPI, as Orca does: an X
# server, a private D-Bus session with the accessibility bus, and pyatspi for the system's Python.
if [[ "$EXTRAS" == *test* ]]; then
  command -v xvfb-run >/dev/null || missing+=(xvfb xauth)
  command -v dbus-run-session >/dev/null || missing+=(dbus-daemon dbus-session-bus-common)
  [[ -x /usr/libexec/at-spi-bus-launcher ]] || missing+=(at-spi2-core)
  /usr/bin/python3 -c "import pyatspi" 2>/dev/null || missing+=(python3-pyatspi gir1.2-atspi-2.0)
  # The portal's browser tests: Playwright drives the system's Chromium (no browser download).
  command -v chromium >/dev/null || missing+=(chromium)
  # The connection dialog's test through a real PgBouncer (tests/ui/connection).
  [[ -x /usr/sbin/pgbouncer ]] || command -v pgbouncer >/dev/null || missing+=(pgbouncer)
fi
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null; then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    echo "Installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Please install these packages' equivalents for your system: ${missing[*]}" >&2
  fi
fi

if [[ ! -x .venv/bin/python ]]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian's own Python keeps venv/ensurepip in a separate package.
    rm -rf .venv
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "python${version}-venv" >/dev/null \
      || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    "$PYTHON" -m venv .venv
  fi
fi
stamp=".venv/.installed-$EXTRAS-$(cat pyproject.toml | cksum | cut -d' ' -f1)"
if [[ ! -f "$stamp" ]]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
