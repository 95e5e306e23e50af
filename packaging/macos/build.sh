#!/usr/bin/env bash
# Build "PSEA Desk.app" and a .dmg on macOS (run on a Mac with Python 3.11+ from python.org).
# Signing and notarisation need the entity's Apple Developer ID: set CODESIGN_IDENTITY to sign.
set -euo pipefail
cd "$(dirname "$0")/../.."
packaging/build.sh
app="dist/PSEA Desk.app"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --deep --force --options runtime --sign "$CODESIGN_IDENTITY" "$app"
fi
hdiutil create -volname "PSEA Desk" -srcfolder "$app" -ov -format UDZO dist/PSEA-Desk.dmg
echo "dist/PSEA-Desk.dmg"
