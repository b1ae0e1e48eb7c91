"""Entry point of ``python -m dashboard.export``."""

from __future__ import annotations

import sys

from dashboard.export.cli import main

if __name__ == "__main__":
    sys.exit(main())
