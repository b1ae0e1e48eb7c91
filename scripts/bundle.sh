#!/usr/bin/env bash
# Build the air-gapped bundle, on a machine that reaches the package index:
#   bash scripts/bundle.sh OUT [--worktree]
# OUT/ and OUT.tar.gz hold the pinned wheels for CPython 3.11 on Linux x86-64 (wheels/),
# Airbridge's source with data/ and the vendored map assets (airbridge-src.tar.gz: `git
# archive HEAD`, or with --worktree the files on disk, uncommitted edits included),
# INSTALL.txt and SHA256SUMS over every file. Install with `scripts/setup.sh --offline OUT`.
# BUNDLE_GLIBC caps the manylinux tags (default: this machine's glibc, e.g. 2.36).
set -euo pipefail

usage() {
  echo "usage: bash scripts/bundle.sh OUT [--worktree]" >&2
  exit 2
}

out=""
source_mode="head"
for arg in "$@"; do
  case "$arg" in
    --worktree) source_mode=worktree ;;
    -*) usage ;;
    *) [ -z "$out" ] || usage; out=$arg ;;
  esac
done
[ -n "$out" ] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
name=$(basename "$out")
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "bundle: $out exists and is not empty; remove it or choose another OUT" >&2
  exit 1
fi

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  PYTHON="$root/.venv/bin/python"
  [ -x "$PYTHON" ] || PYTHON=python3.11
  command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
fi

glibc="${BUNDLE_GLIBC:-$(getconf GNU_LIBC_VERSION 2>/dev/null | cut -d' ' -f2)}"
if ! [[ "$glibc" =~ ^2\.([0-9]+)$ ]] || [ "${BASH_REMATCH[1]}" -lt 17 ]; then
  echo "bundle: cannot tell which glibc to build for ('$glibc'); set BUNDLE_GLIBC=2.28 (2.17 or newer)" >&2
  exit 1
fi
# manylinux2014 (glibc 2.17, pip adds manylinux2010 and manylinux1) first, then every newer
# manylinux_2_N up to the cap: pip prefers the earlier tags, the widest-running wheels.
platforms=(--platform manylinux2014_x86_64)
for minor in $(seq 17 "${BASH_REMATCH[1]}"); do
  platforms+=(--platform "manylinux_2_${minor}_x86_64")
done

requirements=(-r "$root/requirements.txt")
pinned="requirements.txt"
if [ -f "$root/requirements-team.txt" ]; then
  requirements+=(-r "$root/requirements-team.txt")
  pinned+=" and requirements-team.txt"
fi

start=$SECONDS
mkdir -p "$out/wheels"
echo "Downloading the wheels pinned by $pinned (CPython 3.11, manylinux x86-64, glibc <= $glibc)..."
"$PYTHON" -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
  --python-version 3.11 --implementation cp --abi cp311 "${platforms[@]}" \
  --dest "$out/wheels" "${requirements[@]}"

if [ "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null)" != "$root" ]; then
  source_mode=folder  # not a git checkout
fi
echo "Archiving Airbridge's source ($source_mode)..."
if [ "$source_mode" = head ]; then
  git -C "$root" archive --format=tar.gz --prefix=airbridge/ -o "$out/airbridge-src.tar.gz" HEAD
  source="git commit $(git -C "$root" rev-parse --short HEAD) (git archive HEAD)"
  if ! git -C "$root" diff --quiet HEAD --; then
    echo "bundle: note: uncommitted changes are not in the bundle (--worktree takes the files on disk)" >&2
  fi
elif [ "$source_mode" = worktree ]; then
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' file; do [ -f "$file" ] && printf '%s\0' "$file"; done \
    | tar --null --files-from=- --transform='s,^,airbridge/,' -czf "$out/airbridge-src.tar.gz")
  source="the working tree of git commit $(git -C "$root" rev-parse --short HEAD) (tracked and untracked files, not ignored)"
else
  # .gitignore's patterns as tar's: "/x/" from the top only, "x/" and "*.pyc" anywhere.
  excludes=(--exclude=./.git --exclude=.mypy_cache --exclude=.ruff_cache --exclude="./${out#"$root"/}")
  while IFS= read -r pattern; do
    pattern=${pattern%/}
    case "$pattern" in
      "" | "#"* | "!"*) ;;
      /*) excludes+=(--exclude="./${pattern#/}") ;;
      *) excludes+=(--exclude="$pattern") ;;
    esac
  done < <(cat "$root/.gitignore" 2>/dev/null)
  tar -C "$root" "${excludes[@]}" --transform='s,^\.,airbridge,' -czf "$out/airbridge-src.tar.gz" .
  source="the folder $root (not a git checkout; files not ignored by .gitignore)"
fi

megabytes() {  # decimal, as file managers and USB sticks count
  echo $(( $(du -sb "$1" | cut -f1) / 1000000 ))
}
wheel_count=$(find "$out/wheels" -name '*.whl' | wc -l)
wheel_mb=$(megabytes "$out/wheels")
# The newest glibc the bundle needs: each wheel runs from the oldest glibc of its tags.
needs_glibc=$("$PYTHON" - "$out/wheels" <<'EOF'
import pathlib, re, sys
OLD_TAGS = {"manylinux1": 5, "manylinux2010": 12, "manylinux2014": 17}
need = 0
for wheel in pathlib.Path(sys.argv[1]).glob("*.whl"):
    minors = []
    for tag in wheel.name[:-len(".whl")].split("-")[-1].split("."):
        match = re.fullmatch(r"manylinux_2_(\d+)_x86_64", tag)
        minors.append(int(match[1]) if match else OLD_TAGS.get(tag.split("_")[0], 0))
    need = max(need, min(minors))
print(f"2.{need}")
EOF
)

apt_version() {
  local version=""
  command -v apt-cache >/dev/null 2>&1 && version=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
  [ -n "$version" ] && [ "$version" != "(none)" ] || version="(version: apt-cache policy $1)"
  echo "$version"
}

team_line=""
if [ -f "$root/requirements-team.txt" ]; then
  team_line="
For a team workspace on PostgreSQL/PostGIS, add its driver (requirements-team.txt) too:

    bash airbridge/scripts/setup.sh --offline $name --team
"
fi

cat > "$out/INSTALL.txt" <<EOF
Airbridge offline bundle $name, built $(date -u +%Y-%m-%d) from $source.

Holds airbridge-src.tar.gz (the app, data/ and the vendored map assets) and $wheel_count wheels
($wheel_mb MB) for CPython 3.11 on Linux x86-64 with glibc $needs_glibc or newer (\`ldd --version\`
shows yours), pinned by $pinned. SHA256SUMS covers every file.

Install on a machine with Python 3.11 and no network, in the folder that holds $name.tar.gz:

    tar -xzf $name.tar.gz && tar -xzf $name/airbridge-src.tar.gz
    bash airbridge/scripts/setup.sh --offline $name
    bash airbridge/scripts/app.sh

setup.sh checks every file against SHA256SUMS, then installs the wheels into airbridge/.venv
with the package index off; app.sh starts the dashboard on http://localhost:8501.
$team_line
System packages, not in this bundle (Debian 12 names; versions apt offered when it was built):

    chromium $(apt_version chromium)    browser tests (scripts/test.sh), the "PNG as seen" export
    postgresql $(apt_version postgresql)    the team store (PostgreSQL 15)
    postgresql-15-postgis-3 $(apt_version postgresql-15-postgis-3)    PostGIS for the team store

Bring them in from a connected Debian 12 amd64 machine, with their dependencies:

    mkdir debs && cd debs && apt-get download \$(apt-cache depends --recurse --no-recommends \\
      --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \\
      chromium postgresql postgresql-15-postgis-3 | grep '^\w' | sort -u)

then on the closed machine: sudo dpkg -i debs/*.deb (or sudo apt-get install ./debs/*.deb).
EOF

sums=$(cd "$out" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum)
printf '%s\n' "$sums" > "$out/SHA256SUMS"
# Wheels are compressed already: gzip -1 comes within 0.1% of the default level, faster.
tar -C "$(dirname "$out")" -cf - "$name" | gzip -1 > "$out.tar.gz"

echo "Bundle $out ($(megabytes "$out") MB; $out.tar.gz $(megabytes "$out.tar.gz") MB):"
echo "  $wheel_count wheels for CPython 3.11, Linux x86-64, glibc >= $needs_glibc; source: $source"
echo "Built in $((SECONDS - start)) s. Install: see $out/INSTALL.txt"
