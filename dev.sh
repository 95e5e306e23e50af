#!/usr/bin/env bash
# PSEA Desk developer entry point.
#   ./dev.sh run    set up (venv, packages, catalogs) and start the application; a demo workspace is
#                   created on first start (passphrase shown in the terminal)
#   ./dev.sh test   set up (incl. Debian packages the tests need) and run the whole test suite
#   ./dev.sh bench  set up and run the benchmarks (bench/), printing ratios to their floors
#   ./dev.sh i18n   extract strings and update the six catalogs (then translate, then ./dev.sh test)
#   ./dev.sh i18n review [FILE.xlsx]   the six languages side by side for translators;
#   ./dev.sh i18n review-read FILE.xlsx   their corrections back into the catalogs
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY="$VENV/bin/python"

need_apt=()
apt_packages() {
  # Debian packages: fonts for Qt's window in Arabic and Chinese, poppler for checking PDFs,
  # gettext for msgfmt --check, Xvfb for a real screen, libraries Qt's xcb/offscreen plugins load.
  local wanted=(poppler-utils gettext xvfb libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3
                libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 fonts-noto-core
                fonts-wqy-microhei)
  for p in "${wanted[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
  done
  if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing Debian packages: ${need_apt[*]}"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    else
      echo "Missing Debian packages (run as root to install): ${need_apt[*]}" >&2
    fi
  fi
}

python_env() {
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    "$PY" -m pip install -q --upgrade pip >/dev/null
    "$PY" -m pip install -q -e ".[dev]"
    touch "$stamp"
  fi
  "$PY" -m i18n.tools compile
}

cmd="${1:-run}"
shift || true
case "$cmd" in
  run)
    apt_packages
    python_env
    exec "$VENV/bin/psea-desk" gui --demo-if-missing "$@"
    ;;
  test)
    apt_packages
    python_env
    export QT_QPA_PLATFORM=offscreen
    "$VENV/bin/ruff" check storage desktop ui i18n tests bench
    "$VENV/bin/lint-imports" --no-logo
    exec "$PY" -m pytest "$@"
    ;;
  bench)
    python_env
    export QT_QPA_PLATFORM=offscreen
    exec "$PY" -m bench "$@"
    ;;
  i18n)
    python_env
    if [ "${1:-}" = review ] || [ "${1:-}" = review-read ]; then
      exec "$PY" -m i18n.tools "$@"   # the translators' review sheet (i18n/review.py)
    fi
    "$PY" -m i18n.tools update
    "$PY" -m i18n.tools compile
    "$PY" -m i18n.tools stats || true
    ;;
  *)
    echo "usage: ./dev.sh run|test|bench|i18n" >&2
    exit 2
    ;;
esac
