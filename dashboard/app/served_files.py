"""Folders the Streamlit server hands to the browser, outside Streamlit's own static folder.

Streamlit's static serving only serves a ``static/`` folder beside the page script, in
the source tree. Airbridge serves its map files through Streamlit's component file
server instead (``/component/<name>/<file>``, which refuses paths outside the folder):
the shipped ``dashboard/webmap/static`` read-only, and the published map data from the
cache directory, so nothing is ever written into the installation.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

WEBMAP_FILES = "airbridge_webmap"
PUBLISHED_FILES = "airbridge_published"
BASEMAP_FILES = "airbridge_basemap"  # the shipped data/basemap folder, read-only (the two-date comparison map)


def serve_folder(name: str, folder: Path) -> str:
    """Serve ``folder`` to the browser; return the absolute URL path it is served under.

    Parameters
    ----------
    name : str
        A name for the folder, unique in the app (one of :data:`WEBMAP_FILES`,
        :data:`PUBLISHED_FILES`, :data:`BASEMAP_FILES`).
    folder : Path
        An existing folder.
    """
    component = components.declare_component(name, path=str(folder))
    return f"/component/{component.name}"
