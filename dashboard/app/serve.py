"""Start the dashboard's Streamlit server with the page's libraries already imported.

``python -m dashboard.app.serve [OPTIONS]`` is ``python -m streamlit run
dashboard/app/page.py [OPTIONS]`` (``scripts/app.sh`` runs it), except that the libraries
the page's first run would import are imported first, in the server's process, where every
session's run then finds them: folium, GeoPandas with pandas, shapely, pyproj, pyarrow and
Altair, and Airbridge's own data, reader, map and export modules (about 0.7 s on the 2-core
machine, which the first visitor after a start no longer waits for; issue 11). Nothing of
Streamlit is imported before its command line has read its configuration, the command
line's options included: streamlit-folium, which reads it when imported, is left to the
page. Once Streamlit's runtime exists, a thread fills the page's caches for the default view
(``dashboard.app.cache.warm_default_view``: the dataset, the published catalogue, the
histogram's counts; 0.3 s of the first run's 0.5 s): the first visitor's run then reads
them as any later one does. Before any thread starts, the C allocator is held to two arenas
(:func:`limit_malloc_arenas`).
"""

from __future__ import annotations

import ctypes
import faulthandler
import importlib
import os
import platform
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

PAGE = Path(__file__).resolve().parent / "page.py"
PRELOADED = (
    "folium", "folium.plugins", "geopandas", "pyarrow", "shapely", "pyproj", "altair",
    "layers", "layers.workspace", "layers.filters", "layers.readers.dispatch", "layers.store",
    "dashboard.webmap.folium_map", "dashboard.webmap.map_payload", "dashboard.webmap.map_publication",
    "dashboard.export.product", "dashboard.export.choices",
)
"""What the page's first run imports that Streamlit does not: none of it imports Streamlit."""
MALLOC_ARENAS = 2
"""How many arenas glibc's allocator may keep (``M_ARENA_MAX``; its default is 8 per core)."""
M_ARENA_MAX = -8  # glibc's malloc.h
RUNTIME_WAIT_S = 60.0  # how long the warm-up waits for Streamlit's runtime (it starts in about a second)


def warm_caches_once_running() -> None:
    """Wait for Streamlit's runtime, then fill the page's caches for the default view.

    Problems with the data, the workspace or the cache folder are left to the page's first
    run, which shows them in full (``dashboard.app.prebuild`` has reported them on one line).
    """
    from streamlit.runtime import Runtime  # the command line has read the configuration by now

    deadline = time.monotonic() + RUNTIME_WAIT_S
    while not Runtime.exists():
        if time.monotonic() > deadline:
            return  # no runtime, no cache to fill: the first visitor fills it
        time.sleep(0.05)
    from layers import DataValidationError
    from layers.basemap import BasemapMissingError
    from layers.store import WorkspaceError

    from dashboard.app import cache

    try:
        cache.warm_default_view()
    except (DataValidationError, WorkspaceError, BasemapMissingError, OSError):
        return  # the page's first run raises it again and shows it in full


def limit_malloc_arenas(count: int = MALLOC_ARENAS) -> bool:
    """Hold glibc's allocator to ``count`` arenas for the threads started from now on; return whether it was set.

    Every Streamlit session runs the page in a thread of its own, and glibc gives each new
    thread an arena of its own, which keeps the memory the run freed: with 10,000 flight
    records the server grew by 20-45 MB a session and ended at 416-431 MB after six
    sessions, 371-387 MB with two arenas (three runs each of ``bench/bench_apps.py``'s visits; the
    data itself is a few MB, issue 11). Left alone where ``MALLOC_ARENA_MAX`` is set (the
    operator's choice) or the C library is not glibc (no such setting).
    """
    if "MALLOC_ARENA_MAX" in os.environ or platform.libc_ver()[0] != "glibc":
        return False
    return bool(ctypes.CDLL(None).mallopt(M_ARENA_MAX, count))


def main(argv: Sequence[str] | None = None) -> None:
    """Import :data:`PRELOADED`, then run ``streamlit run`` on the page with ``argv`` (its options)."""
    # A crash in a native library (GEOS, GDAL, PROJ) then leaves every thread's Python stack
    # in the server's log, where it would otherwise end the server without a word.
    faulthandler.enable()
    limit_malloc_arenas()
    for name in PRELOADED:
        importlib.import_module(name)
    from streamlit.web import cli  # only now: Streamlit reads its configuration from here on

    threading.Thread(target=warm_caches_once_running, name="airbridge-warm-up", daemon=True).start()

    sys.argv = ["streamlit", "run", str(PAGE), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
