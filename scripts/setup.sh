#!/usr/bin/env bash
# Create .venv (Python 3.11) with the pinned requirements; reused when already up to date.
#   bash scripts/setup.sh [--dev] [--team]  from the package index
#   bash scripts/setup.sh --offline BUNDLE [--team]  from a bundle of scripts/bundle.sh, nothing else
set -euo pipefail

usage() {
  echo "usage: bash scripts/setup.sh [--dev] [--team] | --offline BUNDLE [--team]" >&2
  exit 2
}

# --dev adds the lint and type checkers (requirements-dev.txt), for the tests; --team adds
# psycopg (requirements-team.txt), for a team workspace on PostgreSQL/PostGIS.
dev=false
team=false
bundle=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dev) dev=true ;;
    --team) team=true ;;
    --offline)
      [ $# -ge 2 ] || usage
      if [ ! -d "$2" ]; then
        echo "setup: no bundle folder '$2' (unpack the bundle's .tar.gz first)" >&2
        exit 1
      fi
      bundle=$(cd "$2" && pwd)  # before the cd below: BUNDLE may be relative
      shift ;;
    *) usage ;;
  esac
  shift
done
if $dev && [ -n "$bundle" ]; then
  echo "setup: --dev needs the package index; a bundle carries the app's wheels only" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || {
  echo "Airbridge needs Python 3.11 (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
}

# Every file of the bundle against its SHA256SUMS, and every wheel listed there, before
# anything is installed from it.
verify_bundle() {
  local report line wheel unlisted=()
  if [ ! -f "$bundle/SHA256SUMS" ]; then
    echo "setup: $bundle has no SHA256SUMS: not a bundle made by scripts/bundle.sh" >&2
    exit 1
  fi
  if ! report=$(cd "$bundle" && LC_ALL=C sha256sum --check --strict --quiet SHA256SUMS 2>&1); then
    echo "setup: the bundle $bundle does not match its SHA256SUMS; nothing was installed:" >&2
    while IFS= read -r line; do
      case "$line" in
        *": FAILED open or read") echo "  missing: ${line%: FAILED open or read}" ;;
        *": FAILED") echo "  altered: ${line%: FAILED} (its SHA-256 differs from SHA256SUMS)" ;;
        "sha256sum: WARNING:"* | *": No such file or directory") ;;
        *) echo "  $line" ;;
      esac
    done <<< "$report" >&2
    echo "Copy the bundle again, or rebuild it with: bash scripts/bundle.sh OUT" >&2
    exit 1
  fi
  for wheel in "$bundle"/wheels/*.whl; do
    [ -e "$wheel" ] || continue
    cut -c67- "$bundle/SHA256SUMS" | grep -qxF "wheels/${wheel##*/}" || unlisted+=("wheels/${wheel##*/}")
  done
  if [ "${#unlisted[@]}" -gt 0 ]; then
    echo "setup: the bundle $bundle has wheels SHA256SUMS does not list; nothing was installed:" >&2
    printf '  unlisted: %s\n' "${unlisted[@]}" >&2
    echo "Remove them, or rebuild the bundle with: bash scripts/bundle.sh OUT" >&2
    exit 1
  fi
  echo "Bundle $bundle matches its SHA256SUMS."
}

# pip with the bundle's wheels and nothing else: no index, no pip configuration or PIP_* variables.
install_from_bundle() {
  local file=$1 log missing
  log=$(mktemp)
  echo "Installing the pinned $file from $bundle/wheels (no package index)..."
  if ! PIP_CONFIG_FILE=/dev/null .venv/bin/python -m pip --isolated install --quiet --no-index \
      --disable-pip-version-check --find-links "$bundle/wheels" -r "$file" >"$log" 2>&1; then
    missing=$(sed -n 's/.*No matching distribution found for \(.*\)$/\1/p' "$log" | head -n 1)
    if [ -n "$missing" ]; then
      echo "setup: the bundle has no wheel for '$missing', which $file needs." >&2
      echo "It was built for other pins or another platform: rebuild it on a machine with the" >&2
      echo "package index (bash scripts/bundle.sh OUT, from this checkout) and copy it again." >&2
    else
      cat "$log" >&2
      echo "setup: pip could not install $file from $bundle/wheels (its output is above)" >&2
    fi
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
}

[ -z "$bundle" ] || verify_bundle
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $("$PYTHON" --version)..."
  "$PYTHON" -m venv .venv
fi
files=(requirements.txt)
$dev && files+=(requirements-dev.txt)
$team && files+=(requirements-team.txt)
# Reinstall a file's pins only when it changed since its last successful install.
for file in "${files[@]}"; do
  stamp=".venv/.${file%.txt}.sha256"
  want=$(sha256sum "$file" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    if [ -n "$bundle" ]; then
      install_from_bundle "$file"
    else
      echo "Installing the pinned $file into .venv..."
      .venv/bin/python -m pip install --quiet --upgrade pip
      .venv/bin/python -m pip install --quiet -r "$file"
    fi
    echo "$want" > "$stamp"
  fi
done
