"""The embedded offline basemap: Natural Earth country polygons shipped in data/basemap/."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from layers.atomic_file import replace_atomically
from layers.cache_folder import find_cache_dir

BASEMAP_PATH = Path(__file__).resolve().parent.parent / "data" / "basemap" / "countries.geojson"
BASEMAP_ATTRIBUTION = "Basemap: Natural Earth (public domain), via world-atlas"
CACHE_LAYOUT = 1  # bump when the cached file's layout changes: older copies are then never read


def read_basemap(path: Path = BASEMAP_PATH) -> gpd.GeoDataFrame:
    """Return the country polygons (EPSG:4326) drawn under every map.

    Reading the GeoJSON takes about 0.15 s (GDAL's start included), and one export needs
    the countries twice (along each route, then on the map). So the file is read once per
    process and version of its content, and a copy in the Arrow (Feather) format is kept
    under :func:`~layers.cache_folder.find_cache_dir` for the next process, named by a
    digest of the file's bytes and of the library versions that read it: reading that
    takes about 0.03 s and gives the same frame. Each call returns its own copy, which the
    caller may change.

    Raises
    ------
    BasemapMissingError
        If the basemap file is missing from the checkout.
    """
    _require_basemap(path)
    key = hashlib.sha256(path.read_bytes())
    key.update(f"{gpd.__version__} {pd.__version__} {shapely.__version__} {CACHE_LAYOUT}".encode())
    return _read_basemap_version(path.resolve(), key.hexdigest()[:32]).copy()


def read_basemap_text(path: Path = BASEMAP_PATH) -> str:
    """Return the basemap file's GeoJSON text, for maps that embed it as it is.

    Raises
    ------
    BasemapMissingError
        If the basemap file is missing from the checkout.
    """
    _require_basemap(path)
    return path.read_text(encoding="utf-8")


class BasemapMissingError(FileNotFoundError):
    """Raised when the shipped offline basemap file is not where the checkout keeps it."""


def _require_basemap(path: Path) -> None:
    if not path.is_file():
        raise BasemapMissingError(f"offline basemap {path} is missing; see data/basemap/PROVENANCE.md")


@functools.lru_cache(maxsize=4)
def _read_basemap_version(path: Path, key: str) -> gpd.GeoDataFrame:
    """Return the basemap of this content ``key``: from the cached copy if there is one, else from ``path``."""
    try:
        cached: Path | None = find_cache_dir() / "basemap" / f"countries-{key}.feather"
    except RuntimeError:  # no home folder to hold the cache (Path.home): read the file every time
        cached = None
    if cached is not None and (kept := _read_copy(cached)) is not None:
        return kept
    frame = gpd.read_file(path)
    if cached is not None:
        _keep_copy(frame, cached)
    return frame


def _read_copy(cached: Path) -> gpd.GeoDataFrame | None:
    """Return the cached copy, or None when there is none yet or it cannot be read (then the GeoJSON is read)."""
    try:
        frame = gpd.read_feather(cached)
    except (OSError, ValueError):  # ArrowInvalid, a damaged copy, is a ValueError
        return None
    # Arrow keeps the CRS as PROJJSON: name it as GDAL does ("EPSG:4326"), so it prints the same.
    return frame if frame.crs is None else frame.set_crs(frame.crs.to_string(), allow_override=True)


def _keep_copy(frame: gpd.GeoDataFrame, cached: Path) -> None:
    """Write the cached copy atomically (a reader never sees half a file); skip it where the folder is not writable."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with replace_atomically(cached) as temporary:
            frame.to_feather(temporary)
    except OSError:
        # A read-only home or a full disk costs the next export 0.15 s, nothing else.
        return
