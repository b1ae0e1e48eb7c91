"""Typed date columns and the uncertainty-area polygons of the GeoPackage export.

The layer frames keep dates as ISO text (``2024-12-20``; a status may be dated ``2025-05``
or ``2015`` only). In a GeoPackage, QGIS's Temporal Controller and date filters need
``DATE`` and ``DATETIME`` fields, so :func:`type_time_columns` turns

* the day columns of :data:`DATE_COLUMNS` into ``DATE`` (written through Arrow, which
  GDAL maps to the GeoPackage ``DATE`` type);
* the instants of :data:`DATETIME_COLUMNS` (ADS-B times) into UTC ``DATETIME``;
* a site's ``status_date``, which may be partial, stays text as the source gives it, and
  ``status_from`` (``DATE``, the first day it can mean: ``2025-05`` -> 2025-05-01) and
  ``status_precision`` say when and how precisely.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

from layers import Snapshot

from dashboard.export.projection import build_geodesic_circle
from dashboard.export.symbology import list_named_places

DATE_COLUMNS = ("date", "end_date", "first_date", "valid_from", "valid_to", "first_day", "last_day")
DATETIME_COLUMNS = ("start", "end", "shown_until", "time", "last_shown")
PARTIAL_DATE_COLUMNS = {"site": {"status_date": "status_from"}, "observation": {}}
"""Columns that may hold a partial date, and the ``DATE`` column added beside them."""
UNCERTAINTY_LAYER = "uncertainty_areas"


def type_time_columns(frame: gpd.GeoDataFrame, layer: str) -> gpd.GeoDataFrame:
    """Return a copy of ``frame`` with its date and time columns typed (see the module docstring)."""
    out = frame.copy()
    partial = PARTIAL_DATE_COLUMNS.get(layer, {})
    for column, added in partial.items():
        if column in out.columns:
            out.insert(list(out.columns).index(column) + 1, added, _to_dates(out[column]))
    for column in DATE_COLUMNS:
        if column in out.columns and column not in partial and (layer != "observation" or column != "date"):
            out[column] = _to_dates(out[column])
    for column in DATETIME_COLUMNS:
        if column in out.columns and out[column].dtype == object:
            out[column] = pd.to_datetime(out[column].where(out[column].map(_is_text)), utc=True, errors="coerce")
    return out


def parse_first_day(value: object) -> dt.date | None:
    """Return the first day an ISO date, month or year can mean, or None.

    Examples
    --------
    >>> parse_first_day("2025-05"), parse_first_day("2015"), parse_first_day(None)
    (datetime.date(2025, 5, 1), datetime.date(2015, 1, 1), None)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not _is_text(value):
        return None
    text = str(value).strip()
    padded = {4: f"{text}-01-01", 7: f"{text}-01"}.get(len(text), text[:10])
    try:
        return dt.date.fromisoformat(padded)
    except ValueError:
        return None


def build_uncertainty_layer(snapshot: Snapshot) -> gpd.GeoDataFrame:
    """Return the uncertainty area of every named place the snapshot uses, as a geodesic circle polygon.

    "Benghazi (airport not named)" is a circle that covers the airfields it may be; the
    static slide draws the same circles (``symbology.list_named_places``).
    """
    places = list_named_places(snapshot)
    rows = [{"layer": "uncertainty", "id": f"area-{index + 1}", "name": name, "radius_km": float(radius),
             "centre_lon": float(lon), "centre_lat": float(lat)}
            for index, (lon, lat, radius, name) in enumerate(places)]
    geometry = [build_geodesic_circle(lon, lat, radius) for lon, lat, radius, _ in places]
    columns = ["layer", "id", "name", "radius_km", "centre_lon", "centre_lat"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry=geometry, crs="EPSG:4326")


def _to_dates(values: pd.Series) -> pd.Series:
    """Return ``values`` as Arrow dates: typed ``DATE`` even when every value is missing."""
    return values.map(parse_first_day).astype("date32[pyarrow]")


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
