#!/usr/bin/env bash
# Build the self-contained one-folder bundle: dist/psea-desk/psea-desk (Linux; on macOS also
# "dist/PSEA Desk.app"). Prints the bundle's size. Usage: packaging/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || python3 -m venv .venv
"$PY" -m pip install -q -e ".[dev]" "pyinstaller>=6.10,<7"
"$PY" -m i18n.tools compile
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build packaging/psea-desk.spec
if [ "$(uname)" = "Linux" ]; then
  install -Dm644 packaging/linux/psea-desk.desktop dist/psea-desk/share/applications/org.psea_desk.PSEADesk.desktop
  install -Dm644 packaging/linux/org.psea_desk.PSEADesk.metainfo.xml dist/psea-desk/share/metainfo/org.psea_desk.PSEADesk.metainfo.xml
  install -Dm644 packaging/linux/psea-desk.svg dist/psea-desk/share/icons/hicolor/scalable/apps/org.psea_desk.PSEADesk.svg
  install -Dm644 packaging/linux/psea-desk-256.png dist/psea-desk/share/icons/hicolor/256x256/apps/org.psea_desk.PSEADesk.png
  install -Dm755 packaging/linux/install.sh dist/psea-desk/install.sh
fi
echo "bundle: dist/psea-desk ($(du -sh dist/psea-desk | cut -f1))"
