#!/usr/bin/env sh
# Install the bundle for the current user: ~/.local/opt/psea-desk, a launcher in ~/.local/bin,
# the desktop entry, icon and AppStream metadata. Run from the unpacked bundle folder.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${PREFIX:-$HOME/.local}"
mkdir -p "$prefix/opt" "$prefix/bin"
rm -rf "$prefix/opt/psea-desk"
cp -a "$here" "$prefix/opt/psea-desk"
ln -sf "$prefix/opt/psea-desk/psea-desk" "$prefix/bin/psea-desk"
for f in share/applications/org.psea_desk.PSEADesk.desktop share/metainfo/org.psea_desk.PSEADesk.metainfo.xml \
         share/icons/hicolor/scalable/apps/org.psea_desk.PSEADesk.svg share/icons/hicolor/256x256/apps/org.psea_desk.PSEADesk.png; do
  mkdir -p "$prefix/$(dirname "$f")"
  cp "$here/$f" "$prefix/$f"
done
echo "Installed. Start PSEA Desk from the applications menu or run: psea-desk"
