#!/usr/bin/env bash
# Set up (first run only) and start the Airbridge dashboard on http://localhost:${PORT:-8501}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run dashboard/app/page.py --server.port "${PORT:-8501}" "$@"
