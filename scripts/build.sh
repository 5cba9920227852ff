#!/usr/bin/env bash
# Build Clinic Desk as a one-folder bundle (dist/clinic-desk/) with PyInstaller and, on Debian or
# Ubuntu, a .deb from it (dist/clinic-desk_VERSION_ARCH.deb), then check the package with
# desktop-file-validate, appstreamcli and lintian. From a fresh clone this one command does it all:
# it sets up .venv (scripts/bootstrap.sh build,test) and apt-installs the packaging tools it lacks.
#
#   bash scripts/build.sh            # bundle + .deb (the .deb only where dpkg-deb exists)
#   CLINIC_DESK_PYTHON=/path/to/venv/bin/python bash scripts/build.sh   # use that Python, no set-up
#   CLINIC_DESK_UNTRIMMED=1 ...      # no trimming of Qt (to measure what the trimming saves)
#
# Sizes and times are printed at the end. See packaging/README.md for what was and was not tried.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
start=$SECONDS

if [[ -n "${CLINIC_DESK_PYTHON:-}" ]]; then
  PY=$CLINIC_DESK_PYTHON
else
  bash scripts/bootstrap.sh build,test
  PY=$ROOT/.venv/bin/python
fi
VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

# The packaging tools (Debian/Ubuntu), installed when missing, before the bundle: patchelf cleans it.
need=()
command -v dpkg-deb >/dev/null || need+=(dpkg)
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
command -v lintian >/dev/null || need+=(lintian)
command -v appstreamcli >/dev/null || need+=(appstream)
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v help2man >/dev/null || need+=(help2man)
command -v fakeroot >/dev/null || need+=(fakeroot)
command -v patchelf >/dev/null || need+=(patchelf)
if [[ "$(uname -s)" == Linux ]] && command -v apt-get >/dev/null && ((${#need[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "Installing packaging tools: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- the bundle ---------------------------------------------------------------------------------
echo "== PyInstaller bundle"
rm -rf dist/clinic-desk
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/clinic-desk.spec
BUNDLE=dist/clinic-desk
size_of() { du -sm "$1" | cut -f1; }
echo "Bundle: $BUNDLE ($(size_of "$BUNDLE") MB)"
echo "-- bundle: $((SECONDS - start)) s"

case "$(uname -s)" in
  Linux) ;;
  *) echo "Not Linux: the bundle is in $BUNDLE; the Debian package is built on Debian/Ubuntu only."
     echo "== build: $((SECONDS - start)) s"; exit 0 ;;
esac

# Every library and Qt plugin kept must find what it links to inside the bundle or on the system:
# the trimming must not have removed a library that something kept loads.
qt_dir=$(find "$BUNDLE/_internal" -type d -path '*PySide6/Qt' | head -1)
broken=$(find "$BUNDLE/_internal" -name '*.so*' -type f -print0 \
  | LD_LIBRARY_PATH="$qt_dir/lib:$BUNDLE/_internal" xargs -0 ldd 2>/dev/null | grep 'not found' | sort -u || true)
if [[ -n "$broken" ]]; then
  echo "A kept library or Qt plugin needs a library the trimming left out:" >&2
  echo "$broken" >&2
  exit 1
fi
# The interpreter's libraries remember where Python was built (RUNPATH /root/.pyenv/...): a
# folder a target machine must not be made to search. Paths relative to the bundle ($ORIGIN) stay.
if command -v patchelf >/dev/null; then
  while IFS= read -r -d '' library; do
    runpath=$(patchelf --print-rpath "$library" 2>/dev/null || true)
    if [[ -n "$runpath" && "$runpath" != *'$ORIGIN'* ]]; then patchelf --remove-rpath "$library"; fi
  done < <(find "$BUNDLE/_internal" -name '*.so*' -type f -print0)
fi
"$BUNDLE/clinic-desk" --version

# --- the Debian package -------------------------------------------------------------------------
if ! command -v dpkg-deb >/dev/null; then
  echo "No dpkg here: the bundle is in $BUNDLE; no .deb built."
  echo "== build: $((SECONDS - start)) s"; exit 0
fi

echo "== Debian package"
ARCH=$(dpkg --print-architecture)
STAGE=build/deb/clinic-desk_${VERSION}_$ARCH
rm -rf build/deb
mkdir -p "$STAGE/DEBIAN" "$STAGE/usr/lib" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/metainfo" "$STAGE/usr/share/icons/hicolor" "$STAGE/usr/share/man/man1" \
  "$STAGE/usr/share/doc/clinic-desk"
cp -a "$BUNDLE" "$STAGE/usr/lib/clinic-desk"
# The system libraries PyInstaller copied from this Debian (GLib, the X client libraries, zlib...)
# are left to Debian in the package: it depends on them instead (dpkg-shlibdeps below), so they
# get Debian's security updates. Only those a Debian package provides under the same name go;
# Qt's, Python's and psycopg's own libraries stay.
mapfile -t system_copies < <(
  while IFS=$'\t' read -r dest source; do
    [[ "$dest" == */* || "$dest" != lib*.so* ]] && continue  # only the top level: not Qt's, not psycopg's
    # Merged /usr: dpkg knows a file by the path its package ships, /lib/... or /usr/lib/...
    if dpkg -S "$source" >/dev/null 2>&1 || dpkg -S "$(realpath "$source")" >/dev/null 2>&1; then
      echo "$STAGE/usr/lib/clinic-desk/_internal/$dest"
    fi
  done < build/pyinstaller/clinic-desk/binaries.txt
)
rm -f "${system_copies[@]}"
echo "Left to Debian's own packages: ${#system_copies[@]} libraries"
missing=$(find "$STAGE/usr/lib/clinic-desk" -name '*.so*' -type f -print0 \
  | LD_LIBRARY_PATH="$STAGE/usr/lib/clinic-desk/_internal" xargs -0 ldd 2>/dev/null | grep 'not found' | sort -u || true)
if [[ -n "$missing" ]]; then
  echo "The package would miss these libraries:" >&2; echo "$missing" >&2; exit 1
fi
ln -s ../lib/clinic-desk/clinic-desk "$STAGE/usr/bin/clinic-desk"
install -m 644 packaging/clinic-desk.desktop "$STAGE/usr/share/applications/clinic-desk.desktop"
install -m 644 packaging/org.example.ClinicDesk.metainfo.xml "$STAGE/usr/share/metainfo/"
QT_QPA_PLATFORM=offscreen "$PY" packaging/render_icons.py resources/icons/secure-message.svg \
  "$STAGE/usr/share/icons/hicolor"
# The man page from --help (help2man also reads --version).
help2man --no-info --section 1 --name "see and fix a patient's patient-portal access" \
  --output "$STAGE/usr/share/man/man1/clinic-desk.1" "$BUNDLE/clinic-desk"
gzip -9n "$STAGE/usr/share/man/man1/clinic-desk.1"
install -m 644 packaging/debian/copyright "$STAGE/usr/share/doc/clinic-desk/copyright"
install -D -m 644 packaging/debian/lintian-overrides "$STAGE/usr/share/lintian/overrides/clinic-desk"
sed "s/@VERSION@/$VERSION/; s/@DATE@/$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")/" \
  packaging/debian/changelog | gzip -9n > "$STAGE/usr/share/doc/clinic-desk/changelog.gz"

# Depends: the system libraries the bundle's programs and libraries need (PyInstaller leaves out
# libc, libGL, fontconfig, the X and Wayland client libraries...), found by dpkg-shlibdeps.
shlib_work=$(mktemp -d)
mkdir -p "$shlib_work/debian"
printf 'Source: clinic-desk\n\nPackage: clinic-desk\nArchitecture: any\n' > "$shlib_work/debian/control"
mapfile -t elves < <(find "$STAGE/usr/lib/clinic-desk" -type f \( -name '*.so*' -o -name clinic-desk \) \
  -exec sh -c 'head -c4 "$1" | grep -q "ELF" && echo "$(realpath "$1")"' _ {} \;)
lib_dirs=$(find "$ROOT/$STAGE/usr/lib/clinic-desk" -name '*.so*' -printf '-l%h\n' | sort -u | tr '\n' ' ')
# shellcheck disable=SC2086 # one -l per folder
depends=$(cd "$shlib_work" && dpkg-shlibdeps -O --ignore-missing-info $lib_dirs "${elves[@]}" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
rm -rf "$shlib_work"
[[ -n "$depends" ]] || { echo "dpkg-shlibdeps found no dependencies: something is wrong" >&2; exit 1; }
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$INSTALLED_KB/" -e "s/@DEPENDS@/$depends/" \
  packaging/debian/control > "$STAGE/DEBIAN/control"
# The database drivers' and Qt's files are read-only for everybody but root; no setuid anywhere.
find "$STAGE" -type d -exec chmod 755 {} +
find "$STAGE/usr/share" -type f -exec chmod 644 {} +
find "$STAGE/usr/lib/clinic-desk" -type f -name '*.so*' -exec chmod 644 {} +  # loaded, never run
(cd "$STAGE" && find usr -type f -exec md5sum {} + | sort -k2 > DEBIAN/md5sums)
chmod 644 "$STAGE/DEBIAN/md5sums" "$STAGE/DEBIAN/control"
DEB=dist/clinic-desk_${VERSION}_$ARCH.deb
fakeroot dpkg-deb --build -Zxz --root-owner-group "$STAGE" "$DEB" >/dev/null

echo "== checks"
desktop-file-validate "$STAGE/usr/share/applications/clinic-desk.desktop"
appstreamcli validate --no-net "$STAGE/usr/share/metainfo/org.example.ClinicDesk.metainfo.xml"
# Every tag lintian still reports is explained, one by one, in packaging/debian/lintian-overrides
# (installed in the package, as Debian does); any other error or warning fails the build.
lintian --fail-on error,warning --info "$DEB" || {
  echo "lintian found a problem not explained in packaging/debian/lintian-overrides" >&2; exit 1; }

echo "== built in $((SECONDS - start)) s"
trimmed=$(cat build/pyinstaller/clinic-desk/trimmed-bytes.txt 2>/dev/null || echo 0)
echo "Bundle $BUNDLE: $(size_of "$BUNDLE") MB after trimming; the trimming left out $((trimmed / 1024 / 1024)) MB of" \
  "Qt plugins, translations and libraries before stripping (untrimmed, measured once: 230 MB; packaging/README.md)"
echo "Debian package $DEB: $(($(stat -c %s "$DEB") / 1024 / 1024)) MB ($((INSTALLED_KB / 1024)) MB installed)"
