"""The map projection of static exports, the map frame, and a scale bar true on the ground.

Static maps are drawn in a **Lambert conformal conic** projection fitted to the extent
(standard parallels at 1/6 and 5/6 of its latitude span, centred on its middle), or in
Mercator centred on the extent when it straddles the equator. Both are conformal, so
shapes and bearings look right, and across the presets the scale varies by only a few
percent (stated on the map). The scale bar is measured with ``pyproj.Geod``: a geodesic
of a round number of kilometres is laid due east from the map centre and projected, so
the bar is true at the centre latitude, whatever the projection.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import pyproj
from shapely.geometry import Polygon, box

from layers.extents import Extent

GEOD = pyproj.Geod(ellps="WGS84")
NICE_STEPS = (1, 2, 2.5, 5)
FRAME_VERTICES_PER_SIDE = 64
Coordinates = float | np.ndarray | Sequence[float]
"""One coordinate, or many as an array or a sequence."""


@dataclass(frozen=True)
class MapProjection:
    """A projected CRS with its forward and inverse transforms (x/y in metres)."""

    crs: pyproj.CRS
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "_forward", pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True))
        object.__setattr__(self, "_inverse", pyproj.Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True))

    # pyproj gives floats for floats and arrays for arrays (or sequences); the overloads say so.
    @overload
    def to_map(self, lon: float, lat: float) -> tuple[float, float]: ...
    @overload
    def to_map(self, lon: np.ndarray | Sequence[float], lat: np.ndarray | Sequence[float]
               ) -> tuple[np.ndarray, np.ndarray]: ...
    def to_map(self, lon: Coordinates, lat: Coordinates) -> tuple[Any, Any]:
        """Project lon/lat degrees to map metres."""
        return self._forward.transform(lon, lat)  # type: ignore[attr-defined]

    @overload
    def to_lonlat(self, x: float, y: float) -> tuple[float, float]: ...
    @overload
    def to_lonlat(self, x: np.ndarray | Sequence[float], y: np.ndarray | Sequence[float]
                  ) -> tuple[np.ndarray, np.ndarray]: ...
    def to_lonlat(self, x: Coordinates, y: Coordinates) -> tuple[Any, Any]:
        """Unproject map metres to lon/lat degrees."""
        return self._inverse.transform(x, y)  # type: ignore[attr-defined]

    def measure_scale_factor(self, lon: float, lat: float) -> float:
        """Return the point scale factor (map length / ground length) at a place."""
        return float(pyproj.Proj(self.crs).get_factors(lon, lat).meridional_scale)


@dataclass(frozen=True)
class MapFrame:
    """The rectangle a map shows, in map metres, and the same area as a lon/lat polygon."""

    xmin: float
    xmax: float
    ymin: float
    ymax: float
    lonlat: Polygon

    @property
    def centre(self) -> tuple[float, float]:
        """(x, y) of the middle of the frame in map metres."""
        return (self.xmin + self.xmax) / 2, (self.ymin + self.ymax) / 2


@dataclass(frozen=True)
class ScaleBar:
    """A graphic scale bar: its ground length, map length and segments."""

    km: float
    map_length: float
    segments: int
    latitude: float
    variation: float  # largest relative difference of scale between the centre and the frame


WEB_MERCATOR = MapProjection(pyproj.CRS.from_epsg(3857), "Web Mercator (EPSG:3857), as on the live map")


def frame_bounds(projection: MapProjection, west: float, south: float, east: float, north: float) -> MapFrame:
    """Return the frame whose corners are the given lon/lat edges (for a north-up cylindrical map)."""
    xs, ys = projection.to_map([west, east], [south, north])
    outline = _densify_box(float(xs[0]), float(ys[0]), float(xs[1]), float(ys[1]))
    lons, lats = projection.to_lonlat(outline[:, 0], outline[:, 1])
    return MapFrame(float(xs[0]), float(xs[1]), float(ys[0]), float(ys[1]),
                    Polygon(zip(lons, lats, strict=True)).buffer(0))


def choose_projection(extent: Extent) -> MapProjection:
    """Return the conformal projection fitted to ``extent`` (see the module docstring)."""
    lat0, lon0 = extent.centre
    if extent.south < 0 < extent.north or abs(lat0) < 5:
        crs = pyproj.CRS.from_proj4(f"+proj=merc +lon_0={lon0:.4f} +datum=WGS84 +units=m +no_defs")
        return MapProjection(crs, f"Mercator centred on {lon0:.1f}° E")
    span = extent.north - extent.south
    lat1, lat2 = extent.south + span / 6, extent.north - span / 6
    crs = pyproj.CRS.from_proj4(
        f"+proj=lcc +lat_1={lat1:.4f} +lat_2={lat2:.4f} +lat_0={lat0:.4f} +lon_0={lon0:.4f} "
        "+datum=WGS84 +units=m +no_defs")
    return MapProjection(crs, f"Lambert conformal conic, standard parallels {lat1:.1f}° and {lat2:.1f}°")


def fit_frame(projection: MapProjection, extent: Extent, aspect: float) -> MapFrame:
    """Return the smallest frame of width/height ``aspect`` that holds all of ``extent``.

    The extent's edges are densified before projection, because parallels are curves in
    a conic projection. The frame is widened (or heightened) about its centre.
    """
    outline = _densify_box(extent.west, extent.south, extent.east, extent.north)
    xs, ys = projection.to_map(outline[:, 0], outline[:, 1])
    xmin, xmax, ymin, ymax = float(np.min(xs)), float(np.max(xs)), float(np.min(ys)), float(np.max(ys))
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        xmin, xmax = xmin - grow, xmax + grow
    else:
        grow = (width / aspect - height) / 2
        ymin, ymax = ymin - grow, ymax + grow
    edge = _densify_box(xmin, ymin, xmax, ymax)
    lons, lats = projection.to_lonlat(edge[:, 0], edge[:, 1])
    return MapFrame(xmin, xmax, ymin, ymax, Polygon(zip(lons, lats, strict=True)).buffer(0))


def measure_scale_bar(projection: MapProjection, frame: MapFrame, fraction: float = 0.22) -> ScaleBar:
    """Return a scale bar of a round length near ``fraction`` of the frame's width.

    The ground length is laid along a geodesic due east from the frame centre with
    ``pyproj.Geod.fwd`` and both ends are projected, so the bar is true at the centre
    latitude (a plain degree-based bar would be 1/cos(latitude) too long).
    """
    cx, cy = frame.centre
    lon0, lat0 = (float(v) for v in projection.to_lonlat(cx, cy))
    map_per_metre = _measure_map_length(projection, lon0, lat0, 100_000.0) / 100_000.0
    target_km = fraction * (frame.xmax - frame.xmin) / map_per_metre / 1000
    km = _round_down_nicely(target_km)
    map_length = _measure_map_length(projection, lon0, lat0, km * 1000)
    mantissa = km / 10 ** math.floor(math.log10(km))
    segments = 5 if mantissa in (2.5, 5) else 4  # 2500 -> 5 x 500, 200 -> 4 x 50, 1000 -> 4 x 250
    corners = [projection.to_lonlat(x, y) for x in (frame.xmin, frame.xmax) for y in (frame.ymin, frame.ymax)]
    k0 = projection.measure_scale_factor(lon0, lat0)
    variation = max(abs(projection.measure_scale_factor(float(lon), float(lat)) / k0 - 1) for lon, lat in corners)
    return ScaleBar(km, map_length, segments, lat0, variation)


def build_geodesic_circle(lon: float, lat: float, radius_km: float, vertices: int = 90) -> Polygon:
    """Return the lon/lat polygon of all points ``radius_km`` from a centre (geodesic)."""
    azimuths = np.linspace(0, 360, vertices, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(vertices, lon), np.full(vertices, lat), azimuths,
                             np.full(vertices, radius_km * 1000))
    return Polygon(zip(lons, lats, strict=True))


def measure_north_angle(projection: MapProjection, x: float, y: float) -> float:
    """Return the direction of true north at a map point, in degrees anticlockwise from up."""
    lon, lat = projection.to_lonlat(x, y)
    nx, ny = projection.to_map(lon, min(float(lat) + 0.5, 89.9))
    return math.degrees(math.atan2(float(nx) - x, float(ny) - y)) * -1


def _measure_map_length(projection: MapProjection, lon: float, lat: float, metres: float) -> float:
    lon2, lat2, _ = GEOD.fwd(lon, lat, 90.0, metres)
    x1, y1 = projection.to_map(lon, lat)
    x2, y2 = projection.to_map(lon2, lat2)
    return math.hypot(float(x2) - float(x1), float(y2) - float(y1))


def _round_down_nicely(value: float) -> float:
    exponent = math.floor(math.log10(value))
    for step in reversed(NICE_STEPS):
        candidate = step * 10 ** exponent
        if candidate <= value:
            return candidate
    return 10 ** exponent


def _densify_box(west: float, south: float, east: float, north: float) -> np.ndarray:
    ring = np.asarray(box(west, south, east, north).exterior.coords)
    points = []
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        t = np.linspace(0, 1, FRAME_VERTICES_PER_SIDE, endpoint=False)
        points.append(np.column_stack([x1 + (x2 - x1) * t, y1 + (y2 - y1) * t]))
    return np.vstack(points)
