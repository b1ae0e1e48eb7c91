#!/usr/bin/env bash
# Set up (first run only), run lint and type checks, then every test, browser tests
# included, in Debian's Chromium. Arguments go to pytest (`bash scripts/test.sh -k timeline`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
echo "ruff (lint)..."
.venv/bin/ruff check --quiet .
echo "mypy (types)..."
.venv/bin/mypy
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose, a run without tests proves nothing." >&2
  exit 1
fi
exit "$status"
