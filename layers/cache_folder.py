"""Where Airbridge keeps files it can always rebuild: ``$AIRBRIDGE_CACHE_DIR``, else the user's cache folder."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_ENV = "AIRBRIDGE_CACHE_DIR"


def find_cache_dir() -> Path:
    """Return the folder for rebuildable run-time files (it may not exist yet).

    ``$AIRBRIDGE_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/airbridge``, else
    ``~/.cache/airbridge`` (the XDG base directory rule). The page's published map
    files (``dashboard.webmap.static_files``) and the basemap's cached copy
    (``layers.basemap``) both live here.
    """
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser().resolve() / "airbridge"
