"""Entry point for ``python -m layers``."""

from layers.cli import main

raise SystemExit(main())
