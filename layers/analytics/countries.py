"""Which countries a path or an area lies over, from the embedded Natural Earth basemap.

The basemap (:mod:`layers.basemap`, Natural Earth 1:50m Admin 0 via world-atlas) gives
the country polygons; a country is *overflown* when the path's line meets its polygon
(land borders as Natural Earth draws them, so the sea between is no country's). The
polygons are Admin 0 land areas, not flight information regions, and territorial waters
(12 NM) are not drawn: a path that passes just off a coast is not counted over it.

A path is taken segment by segment: the order in which countries are listed is the order
of the first segment that meets each one, so a flight from Moscow lists the countries as
it reaches them.

The index may be queried from several threads at once (Streamlit runs each session's script
in its own thread, and the server warms its caches in another): GEOS's prepared geometries
build their internal indexes lazily and are not thread-safe (libgeos/geos#825; two threads
measuring routes crashed the server in 12 of 20 tries), so every query holds the index's
lock, and the index prepares its own copy of the basemap's polygons, never the shared ones.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.basemap import read_basemap

ENDPOINT_SEARCH_DEG = 0.3
"""How far from an airfield on the coast (about 30 km) its country is looked for when the point is in the sea."""


@dataclass(frozen=True)
class CountryIndex:
    """The basemap's country polygons, prepared and indexed for repeated queries.

    Attributes
    ----------
    names : numpy.ndarray
        Natural Earth short name of each polygon (``Libya``, ``N. Cyprus``).
    geometries : numpy.ndarray
        The (multi)polygons, EPSG:4326, prepared.
    tree : shapely.STRtree
        Bounding-box index over ``geometries``.
    lock : threading.Lock
        Held by every query: the prepared geometries must not be used by two threads at once.
    """

    names: np.ndarray
    geometries: np.ndarray
    tree: shapely.STRtree
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def list_countries_along(self, line: BaseGeometry) -> list[str]:
        """Return the countries a (multi)line passes over, in the order the path reaches them.

        Parameters
        ----------
        line : LineString or MultiLineString
            The path in lon/lat degrees, densified so that its segments follow the
            geodesic (:func:`layers.geodesic.build_geodesic_line`).
        """
        segments = _split_segments(line)
        if segments.size == 0:
            return []
        with self.lock:
            segment_at, country_at = self.tree.query(segments)
            meets = shapely.intersects(self.geometries[country_at], segments[segment_at])
        first: dict[int, int] = {}
        for segment, country in zip(segment_at[meets].tolist(), country_at[meets].tolist(), strict=True):
            if country not in first or segment < first[country]:
                first[country] = segment
        return [str(self.names[c]) for c in sorted(first, key=lambda c: (first[c], str(self.names[c])))]

    def list_countries_in(self, area: BaseGeometry) -> list[str]:
        """Return the countries an area (a polygon) meets, by name."""
        with self.lock:
            candidates = self.tree.query(area)
            hits = candidates[shapely.intersects(self.geometries[candidates], area)]
        return sorted(str(self.names[c]) for c in hits)

    def find_country_at(self, lon: float, lat: float) -> str | None:
        """Return the country a point lies in, else the nearest within :data:`ENDPOINT_SEARCH_DEG`, else None.

        An airfield on the coast can fall a few hundred metres into the sea at the
        basemap's 0.001-degree precision; the nearest country is its own.
        """
        point = shapely.Point(lon, lat)
        with self.lock:
            inside = self.tree.query(point, predicate="within")
            if inside.size:
                return str(self.names[inside[0]])
            nearest = self.tree.query_nearest(point, max_distance=ENDPOINT_SEARCH_DEG)
        return str(self.names[nearest[0]]) if nearest.size else None


_BUILD_LOCK = threading.Lock()  # one index per process, even when two threads ask for it first


def load_country_index() -> CountryIndex:
    """Return the basemap's countries, read and indexed once per process (safe to call from any thread)."""
    with _BUILD_LOCK:
        return _build_country_index()


@cache
def _build_country_index() -> CountryIndex:
    basemap = read_basemap()
    # A copy: preparing the cached basemap's own polygons would make every other reader of
    # them (the static map's drawing) use prepared geometries too, outside this index's lock.
    geometries = shapely.from_wkb(shapely.to_wkb(basemap.geometry.to_numpy()))
    shapely.prepare(geometries)
    return CountryIndex(basemap["name"].astype(str).to_numpy(), geometries, shapely.STRtree(geometries))


def _split_segments(line: BaseGeometry) -> np.ndarray:
    parts = getattr(line, "geoms", [line])
    segments: list[np.ndarray] = []
    for part in parts:
        coords = shapely.get_coordinates(part)
        if len(coords) >= 2:
            segments.append(shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1)))
    return np.concatenate(segments) if segments else np.array([], dtype=object)
