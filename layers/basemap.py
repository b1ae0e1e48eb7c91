"""The embedded offline basemap: Natural Earth country polygons shipped in data/basemap/."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

BASEMAP_PATH = Path(__file__).resolve().parent.parent / "data" / "basemap" / "countries.geojson"
BASEMAP_ATTRIBUTION = "Basemap: Natural Earth (public domain), via world-atlas"


def read_basemap(path: Path = BASEMAP_PATH) -> gpd.GeoDataFrame:
    """Return the country polygons (EPSG:4326) drawn under every map.

    Raises
    ------
    BasemapMissingError
        If the basemap file is missing from the checkout.
    """
    _require_basemap(path)
    return gpd.read_file(path)


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
