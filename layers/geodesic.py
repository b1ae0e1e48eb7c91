"""Geodesic geometry on the WGS84 ellipsoid: lines, distances and centres (pyproj.Geod)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

WGS84 = Geod(ellps="WGS84")
MAX_SEGMENT_KM = 100.0


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the geodesic distance between two points in kilometres."""
    return WGS84.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


MEAN_EARTH_RADIUS_KM = 6371.0088
"""The IUGG mean radius: for great-circle screening, where the ellipsoid's 0.5% does not matter."""


def measure_haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """Return great-circle distances in km between points given in radians (floats or arrays, broadcast).

    For vectorised screening over many points (jump tests, the airfield pool); exact
    distances use :func:`distance_km` on the ellipsoid.
    """
    half = (np.sin((np.asarray(lat2) - lat1) / 2) ** 2
            + np.cos(lat1) * np.cos(lat2) * np.sin((np.asarray(lon2) - lon1) / 2) ** 2)
    return 2 * MEAN_EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))


def find_spherical_centre(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Return the (lon, lat) of the mean of ``points`` taken as unit vectors on a sphere.

    Unlike averaging degrees, this is right across the antimeridian.
    """
    x = y = z = 0.0
    for lon, lat in points:
        lam, phi = math.radians(lon), math.radians(lat)
        x += math.cos(phi) * math.cos(lam)
        y += math.cos(phi) * math.sin(lam)
        z += math.sin(phi)
    return math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y)))


def build_geodesic_line(
    points: Sequence[tuple[float, float]], max_segment_km: float = MAX_SEGMENT_KM
) -> LineString | MultiLineString:
    """Return the geodesic path through ``points`` (lon, lat), densified and split.

    Parameters
    ----------
    points : sequence of (lon, lat)
        Two or more vertices, in travel order.
    max_segment_km : float
        No straight segment of the result is longer than this.

    Returns
    -------
    LineString or MultiLineString
        A MultiLineString only where the path crosses the antimeridian: it is split at
        +/-180 degrees so that GeoJSON viewers (RFC 7946 section 3.1.9) draw it right.
    """
    if len(points) < 2:
        raise ValueError("a line needs at least two points")
    first_lon, first_lat = points[0]
    coords: list[tuple[float, float]] = [(first_lon, first_lat)]
    for (lon1, lat1), (lon2, lat2) in pairwise(points):
        length_km = distance_km(lon1, lat1, lon2, lat2)
        inner = max(math.ceil(length_km / max_segment_km) - 1, 0)
        coords.extend(WGS84.npts(lon1, lat1, lon2, lat2, inner) if inner else [])
        coords.append((lon2, lat2))
    return _split_at_antimeridian(coords)


def _split_at_antimeridian(coords: list[tuple[float, float]]) -> LineString | MultiLineString:
    parts: list[list[tuple[float, float]]] = [[coords[0]]]
    for (lon1, lat1), (lon2, lat2) in pairwise(coords):
        if abs(lon2 - lon1) > 180.0:
            # Crossing: interpolate the latitude at +/-180 on the unwrapped segment.
            side = 180.0 if lon1 > 0 else -180.0
            lon2_unwrapped = lon2 + 360.0 if lon1 > 0 else lon2 - 360.0
            share = (side - lon1) / (lon2_unwrapped - lon1)
            lat_cross = lat1 + share * (lat2 - lat1)
            parts[-1].append((side, lat_cross))
            parts.append([(-side, lat_cross)])
        parts[-1].append((lon2, lat2))
    if len(parts) == 1:
        return LineString(parts[0])
    return MultiLineString(parts)


def measure_line_km(line: LineString | MultiLineString) -> float:
    """Return the geodesic length of a line in kilometres."""
    return WGS84.geometry_length(line) / 1000.0


def find_point_along(lon1: float, lat1: float, lon2: float, lat2: float, km: float) -> tuple[float, float]:
    """Return the (lon, lat) ``km`` along the geodesic from the first point towards the second.

    Any two points of one geodesic are joined by that same geodesic, so a line cut at such
    points (:func:`build_geodesic_line`) follows the uncut one exactly.
    """
    azimuth = WGS84.inv(lon1, lat1, lon2, lat2)[0]
    lon, lat, _ = WGS84.fwd(lon1, lat1, azimuth, km * 1000.0)
    return float(lon), float(lat)
