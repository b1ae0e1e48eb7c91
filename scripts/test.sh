#!/usr/bin/env bash
# Set up (first run only), run lint and type checks, then every test, browser tests
# included, in Debian's Chromium. Arguments go to pytest (`bash scripts/test.sh -k timeline`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev --team
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
# The MP4 export pipes its frames to Debian's ffmpeg (tests/test_export_animation.py).
if ! command -v ffmpeg >/dev/null 2>&1; then
  echo "Installing Debian's ffmpeg for the MP4 export tests..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
fi
# The benchmark reads the bytes each server connection sent with iproute2's ss
# (tests/test_bench_tools.py checks that reading).
if ! command -v ss >/dev/null 2>&1; then
  echo "Installing Debian's iproute2 (ss) for the benchmark's byte counts..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends iproute2 >/dev/null
fi
# The PostGIS backend's tests start a throwaway cluster (tests/pg_server.py); they fail,
# not skip, without PostgreSQL and PostGIS, unless AIRBRIDGE_NO_POSTGRES=1 says so.
if [ "${AIRBRIDGE_NO_POSTGRES:-}" != "1" ] && { [ ! -x /usr/lib/postgresql/15/bin/initdb ] \
    || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; }; then
  echo "Installing Debian's postgresql and postgresql-15-postgis-3 for the PostGIS workspace tests..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-15-postgis-3 >/dev/null
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
