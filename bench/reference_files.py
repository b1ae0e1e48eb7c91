"""What both reference apps share with Streamlit: the files they serve, the opening day and the map height."""

from __future__ import annotations

import datetime as dt

from layers.basemap import BASEMAP_PATH

from dashboard.app.served_files import serve_folder
from dashboard.webmap.static_files import WEBMAP_STATIC_DIR

OPENING_DAY = dt.date(2024, 12, 20)  # the benchmark's first date, as for Airbridge
MAP_HEIGHT_PX = 600  # as Airbridge's map


def serve_reference_files() -> tuple[str, str]:
    """Serve the vendored Leaflet and the offline basemap; return (vendor folder URL, basemap file URL).

    Through Streamlit's component file server, as Airbridge serves its map files
    (``dashboard.app.served_files``).
    """
    vendor_url = serve_folder("reference_webmap", WEBMAP_STATIC_DIR) + "/vendor"
    basemap_url = serve_folder("reference_basemap", BASEMAP_PATH.parent) + "/" + BASEMAP_PATH.name
    return vendor_url, basemap_url
