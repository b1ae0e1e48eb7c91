"""Thinning a track for display: Douglas-Peucker in metres, keeping the time of each kept vertex.

A day of readsb positions is ~10,000 points a flight; the map needs a few hundred. Each
flight is projected to an azimuthal equidistant plane centred on it (distances true to
within a fraction of a percent over a flight's extent), simplified with shapely
(GEOS Douglas-Peucker, :data:`TOLERANCE_M`), and the positions kept are returned by their
index, so each vertex keeps its own time, altitude and flags.
"""

from __future__ import annotations

import numpy as np
from pyproj import CRS, Transformer
from shapely.geometry import LineString

TOLERANCE_M = 250.0
"""Largest distance a thinned line may stray from the flown one (a few pixels at zoom 10)."""
MAX_GAP_BETWEEN_VERTICES_M = 100_000.0
"""A position is kept at least every 100 km: a map draws straight segments in its own
projection (Web Mercator bends a long one away from the geodesic, 10-15 px when zoomed in),
so a straight flight needs more than its two ends (the routes use the same limit)."""


def select_display_vertices(lon: np.ndarray, lat: np.ndarray, tolerance_m: float = TOLERANCE_M) -> np.ndarray:
    """Return the indices of the positions kept for display (the first and last always kept).

    Parameters
    ----------
    lon, lat : numpy.ndarray
        The flight's positions in order, in degrees.
    tolerance_m : float
        Douglas-Peucker tolerance in metres.
    """
    count = len(lon)
    if count <= 2:
        return np.arange(count)
    centre_lon, centre_lat = float(np.median(lon)), float(np.median(lat))
    plane = CRS.from_proj4(f"+proj=aeqd +lat_0={centre_lat} +lon_0={centre_lon} +datum=WGS84 +units=m")
    x, y = Transformer.from_crs("EPSG:4326", plane, always_xy=True).transform(lon, lat)
    # The index rides along as Z: GEOS keeps the coordinates of the vertices it keeps.
    line = LineString(np.column_stack([x, y, np.arange(count, dtype="float64")]))
    kept = np.rint(np.asarray(line.simplify(tolerance_m, preserve_topology=False).coords)[:, 2]).astype("int64")
    along = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    every = np.flatnonzero(np.diff(np.floor(along / MAX_GAP_BETWEEN_VERTICES_M)) > 0) + 1
    return np.unique(np.concatenate([kept, every]))
