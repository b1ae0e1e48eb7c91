"""How geometries travel to the map's script: coordinates rounded, as the contract lays them out.

``[lon, lat]`` for a point, a list of lines (each a list of ``[lon, lat]``) for a line
layer, a list of rings (outer ring first) for an area; see
:mod:`dashboard.webmap.map_contract`. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from dashboard.webmap.map_contract import Geometry

POINT_DECIMALS = 4  # about 10 m
LINE_DECIMALS = 3  # about 100 m; route vertices are 100 km apart, track vertices are thinned for display


def encode_point(geometry: Point) -> Geometry:
    """Return ``[lon, lat]`` rounded to about 10 m."""
    return [round(geometry.x, POINT_DECIMALS), round(geometry.y, POINT_DECIMALS)]


def encode_lines(geometry: BaseGeometry) -> Geometry:
    """Return the lines of a (Multi)LineString as lists of ``[lon, lat]`` rounded to about 100 m."""
    return [[[round(x, LINE_DECIMALS), round(y, LINE_DECIMALS)] for x, y, *_ in line.coords]
            for line in iter_lines(geometry)]


def encode_rings(geometry: BaseGeometry) -> Geometry:
    """Return the rings of a Polygon (the first polygon of a MultiPolygon), outer first, rounded to about 100 m.

    Raises
    ------
    TypeError
        If the geometry is not a polygon.
    """
    if isinstance(geometry, MultiPolygon):
        geometry = geometry.geoms[0]
    if not isinstance(geometry, Polygon):
        raise TypeError(f"an area must be a Polygon, not a {geometry.geom_type}")
    rings = [geometry.exterior, *geometry.interiors]
    return [[[round(x, LINE_DECIMALS), round(y, LINE_DECIMALS)] for x, y, *_ in ring.coords] for ring in rings]


def iter_lines(geometry: BaseGeometry) -> Iterator[LineString]:
    """Yield the lines of a LineString (itself) or a MultiLineString (its parts)."""
    if isinstance(geometry, MultiLineString):
        yield from geometry.geoms
    else:
        yield geometry


def iter_rows(frame: pd.DataFrame) -> Iterator[tuple[dict[str, Any], BaseGeometry | None]]:
    """Yield (properties, geometry) of every row of a layer frame; the geometry is None where nothing is drawn."""
    if frame.empty:
        return
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for values, geometry in zip(frame[columns].itertuples(index=False, name=None), frame.geometry, strict=True):
        drawn = None if geometry is None or geometry.is_empty else geometry
        yield dict(zip(columns, values, strict=True)), drawn


def iter_features(frame: pd.DataFrame) -> Iterator[tuple[dict[str, Any], BaseGeometry]]:
    """Yield (properties, geometry) of each row of a layer frame that has a geometry to draw."""
    for props, geometry in iter_rows(frame):
        if geometry is not None:  # else listed elsewhere, never drawn where the sources do not put it
            yield props, geometry
