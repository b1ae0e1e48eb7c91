"""Start the dashboard's Streamlit server with the page's libraries already imported.

``python -m dashboard.app.serve [OPTIONS]`` is ``python -m streamlit run
dashboard/app/page.py [OPTIONS]`` (``scripts/app.sh`` runs it), except that the libraries
the page's first run would import are imported first, in the server's process, where every
session's run then finds them: folium, GeoPandas with pandas, shapely, pyproj, pyarrow and
Altair, and Airbridge's own data, reader, map and export modules (about 0.8 s on the
2-core machine, which the first visitor after a start no longer waits for; issue 11). Nothing of Streamlit is
imported before its command line has read its configuration, the command line's options
included: streamlit-folium, which reads it when imported, is left to the page.
"""

from __future__ import annotations

import importlib
import sys
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


def main(argv: Sequence[str] | None = None) -> None:
    """Import :data:`PRELOADED`, then run ``streamlit run`` on the page with ``argv`` (its options)."""
    for name in PRELOADED:
        importlib.import_module(name)
    from streamlit.web import cli  # only now: Streamlit reads its configuration from here on

    sys.argv = ["streamlit", "run", str(PAGE), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
