"""What the map's measuring tools need (``airbridge-measure.js``): documented ranges and the sites to ring.

The measure tool needs nothing from Python: it computes geodesics on the WGS84 ellipsoid in
the browser (Vincenty's formulae, as pyproj.Geod does to well under a metre at these
distances). The range rings need the ranges documented in
:mod:`layers.tracks.performance` (the one table of type figures, with their sources) and
the sites they can be drawn from; both travel once, in the catalogue. Like every text of
the catalogue, each name, label and source is escaped HTML (:func:`layers.escaping.escape_text`);
the script reads them as text through an inert document, so data can never become markup.
"""

from __future__ import annotations

from typing import TypedDict

import geopandas as gpd

from layers.escaping import escape_text
from layers.tracks.performance import TYPES


class RangeEntry(TypedDict):
    """One documented range of a type."""

    label: str  # the load the figure is for, e.g. "maximum payload (150 t)"; escaped HTML, as every text here
    km: float
    source: str


class RangeType(TypedDict):
    """An aircraft type and its documented ranges."""

    name: str
    ranges: list[RangeEntry]


class RingOrigin(TypedDict):
    """A site a ring can be drawn from."""

    id: str
    name: str
    lat: float
    lon: float


class ToolTable(TypedDict):
    """The catalogue's ``tools``: the types with documented ranges and the sites, each sorted by name."""

    types: list[RangeType]
    origins: list[RingOrigin]


def build_tool_table(sites: gpd.GeoDataFrame) -> ToolTable:
    """Return the range table and ring origins for the map (sites: a snapshot's site layer)."""
    types = [RangeType(name=escape_text(p.name), ranges=[RangeEntry(label=escape_text(r.label), km=r.km,
                                                                    source=escape_text(r.source)) for r in p.ranges])
             for p in TYPES.values() if p.ranges]
    origins = [RingOrigin(id=escape_text(row["id"]), name=escape_text(row["name"]), lat=round(row.geometry.y, 5),
                          lon=round(row.geometry.x, 5))
               for _, row in sites.iterrows() if row.geometry is not None and not row.geometry.is_empty]
    return ToolTable(types=sorted(types, key=lambda t: t["name"]), origins=sorted(origins, key=lambda o: o["name"]))
