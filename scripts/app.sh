#!/usr/bin/env bash
# Set up (first run only) and start the Airbridge dashboard on http://localhost:${PORT:-8501}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Publish the map's data before the server starts (once per data version; seconds), so the
# first visitor waits for no catalogue. Should it fail, the page builds it on the first visit.
.venv/bin/python -m dashboard.app.prebuild || echo "Airbridge: the map will be prepared on the first visit." >&2
# The server imports the page's libraries before it listens (dashboard/app/serve.py).
exec .venv/bin/python -m dashboard.app.serve --server.port "${PORT:-8501}" "$@"
