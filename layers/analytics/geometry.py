"""Geometry of a route: geodesic distance, the countries under the great circle, flight times, corridors.

* Distance is the geodesic on the WGS84 ellipsoid (:mod:`layers.geodesic`, pyproj.Geod),
  in kilometres and nautical miles (1 NM = 1.852 km exactly).
* The path is the great circle, densified every :data:`OVERFLIGHT_SEGMENT_KM` so that its
  straight lon/lat segments follow the geodesic closely; the countries under it come from
  the embedded basemap (:mod:`layers.analytics.countries`). The countries at the two ends
  are given apart (``origin_country``, ``destination_country``) and left out of
  ``countries``: a route from Hmeimim "crosses" what lies between Syria and Libya.
* An estimated flight time is the great-circle distance at the type's published cruise
  speed (:mod:`layers.tracks.performance`): no wind, no climb and descent, no detour; the
  real block time is longer.
* A documented corridor (``corridors.csv``) is an alternative to a route when its two ends
  lie within :data:`CORRIDOR_END_KM` of the route's ends (either way round); its path is
  the connector from the origin, the corridor's schematic line and the connector on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString

from layers.airfields import find_airfield
from layers.analytics.countries import load_country_index
from layers.analytics.legs import Period
from layers.dataset import Dataset, Location
from layers.geodesic import WGS84, build_geodesic_line, distance_km, measure_line_km
from layers.tracks.performance import find_performance
from layers.tracks.positions import KM_PER_NM

OVERFLIGHT_SEGMENT_KM = 50.0
"""Longest straight segment of a path tested against the country polygons. A 50 km lon/lat chord strays from
the geodesic by under about 50 m at 45 degrees of latitude (L**2 / 8R * tan(lat)), less than the basemap's
0.001-degree (110 m) grid."""
CORRIDOR_END_KM = 500.0
"""A corridor end this close to a route end (Chkalovsky for 'Moscow', al-Khadim for Benina) serves it."""


@dataclass(frozen=True)
class RouteGeometry:
    """The great-circle path between two places and what lies under it."""

    origin: Location
    destination: Location
    distance_km: float
    line: LineString | MultiLineString
    countries: tuple[str, ...]
    origin_country: str | None
    destination_country: str | None

    @property
    def distance_nm(self) -> float:
        """The geodesic distance in nautical miles."""
        return self.distance_km / KM_PER_NM


@dataclass(frozen=True)
class FlightTime:
    """Estimated flight times over a distance for the types reported on it."""

    hours: float | None  # the slowest reported type's time; None when no type has a cruise speed
    by_type: dict[str, float]  # designator -> hours
    basis: str  # what was assumed, with the sources


@lru_cache(maxsize=8192)
def measure_route(origin: Location, destination: Location, *, origin_country: str | None = None,
                  destination_country: str | None = None) -> RouteGeometry:
    """Return the geodesic distance, great-circle line and countries between two places (cached).

    Parameters
    ----------
    origin, destination : Location
        Where the route starts and ends (a named place at its centre).
    origin_country, destination_country : str, optional
        The basemap country of an end when known otherwise (a named place's airfields,
        :func:`find_place_country`); by default the country at the point, or the nearest.
    """
    index = load_country_index()
    line = build_path((origin.lon, origin.lat), (destination.lon, destination.lat))
    ends = (origin_country or index.find_country_at(origin.lon, origin.lat),
            destination_country or index.find_country_at(destination.lon, destination.lat))
    countries = tuple(c for c in index.list_countries_along(line) if c not in ends)
    return RouteGeometry(origin, destination, distance_km(origin.lon, origin.lat, destination.lon, destination.lat),
                         line, countries, *ends)


def build_path(start: tuple[float, float], end: tuple[float, float]) -> LineString | MultiLineString:
    """Return the geodesic from ``start`` to ``end`` (lon, lat), densified every :data:`OVERFLIGHT_SEGMENT_KM`.

    The same line as :func:`layers.geodesic.build_geodesic_line`, made with numpy when it
    does not cross the antimeridian (most routes), which is several times faster.
    """
    length = distance_km(*start, *end)
    inner = max(math.ceil(length / OVERFLIGHT_SEGMENT_KM) - 1, 0)
    between = np.array(WGS84.npts(*start, *end, inner) if inner else [], dtype=float).reshape(-1, 2)
    coords = np.vstack([start, between, end])
    if (np.abs(np.diff(coords[:, 0])) > 180.0).any():
        return build_geodesic_line([start, end], max_segment_km=OVERFLIGHT_SEGMENT_KM)
    return shapely.linestrings(coords)


def find_place_country(dataset: Dataset, ref: str) -> str | None:
    """Return the country of a named place's airfields when they all lie in one (``libya_unnamed``: Libya).

    A place's centre can fall in the sea (the centre of Benghazi, Sirte and Tripoli is in
    the Gulf of Sirte); its airfields cannot. None for a site, an airfield key or a place
    whose airfields lie in several countries (``moscow_or_minsk_unnamed``).
    """
    if ref not in dataset.places.index:
        return None
    index = load_country_index()
    countries = set()
    for code in dataset.places.loc[ref, "airfields"]:
        airfield = find_airfield(code)
        countries.add(index.find_country_at(airfield.lon, airfield.lat))
    return countries.pop() if len(countries) == 1 else None


def estimate_flight_time(distance: float, type_names: Iterable[str]) -> FlightTime:
    """Return the time to fly ``distance`` km at the cruise speed of each reported type.

    Parameters
    ----------
    distance : float
        Kilometres (the geodesic, or a corridor's length).
    type_names : iterable of str
        Types as the sources name them (``Il-76MD``, ``An-124-100``); those without a
        documented cruise speed are named in the basis and left out.

    Examples
    --------
    >>> estimate_flight_time(1600.0, ["An-124"]).hours
    2.0
    """
    by_type: dict[str, float] = {}
    notes: list[str] = []
    unknown: list[str] = []
    for name in type_names:
        performance = find_performance(name)
        if performance.cruise_kmh is None:
            unknown.append(name)
            continue
        if performance.designator not in by_type:
            by_type[performance.designator] = round(distance / performance.cruise_kmh, 2)
            notes.append(f"{performance.name} at {performance.cruise_kmh:.0f} km/h ({performance.cruise_source})")
    if unknown:
        notes.append(f"no documented cruise speed for: {', '.join(dict.fromkeys(unknown))}")
    if not by_type and not unknown:
        notes.append("aircraft type not reported")
    return FlightTime(max(by_type.values()) if by_type else None, by_type,
                      "great-circle distance at cruise speed, no wind, climb or descent; " + "; ".join(notes))


@dataclass(frozen=True)
class CorridorLine:
    """A documented corridor's line and ends, ready to match against routes."""

    id: str
    name: str
    sources: tuple[str, ...]
    first: tuple[float, float]
    last: tuple[float, float]
    wkb: bytes
    reversed_wkb: bytes


def list_corridors_in_use(dataset: Dataset, period: Period) -> list[CorridorLine]:
    """Return the corridors documented in use on any day of ``period`` (``valid_from`` .. ``valid_to``)."""
    corridors = dataset.corridors
    in_use = ((corridors["valid_from"].isna() | (corridors["valid_from"] <= pd.Timestamp(period.end)))
              & (corridors["valid_to"].isna() | (corridors["valid_to"] >= pd.Timestamp(period.start))))
    found = []
    for corridor_id, name, sources, geometry in zip(corridors.index[in_use], corridors["name"][in_use],
                                                    corridors["sources"][in_use], corridors.geometry[in_use],
                                                    strict=True):
        coords = shapely.get_coordinates(geometry)
        found.append(CorridorLine(str(corridor_id), str(name), tuple(sources),
                                  (float(coords[0][0]), float(coords[0][1])),
                                  (float(coords[-1][0]), float(coords[-1][1])),
                                  shapely.to_wkb(geometry), shapely.to_wkb(shapely.reverse(geometry))))
    return found


def list_avoiding_corridors(dataset: Dataset, route: RouteGeometry, period: Period, *,
                            in_use: list[CorridorLine] | None = None) -> list[dict[str, Any]]:
    """Return the documented corridors in use in ``period`` that connect the route's two ends.

    Parameters
    ----------
    dataset : Dataset
    route : RouteGeometry
    period : Period
    in_use : list of CorridorLine, optional
        :func:`list_corridors_in_use` of the period, when already made (many routes).

    Returns
    -------
    list of dict
        ``id``, ``name``, ``distance_km`` (origin -> corridor -> destination),
        ``extra_km`` (over the great circle), ``countries_overflown`` (path order, ends
        left out), ``schematic`` (always True: a corridor is a reference line) and ``sources``.
    """
    found = []
    for corridor in list_corridors_in_use(dataset, period) if in_use is None else in_use:
        ends = _match_ends(route, corridor.first, corridor.last)
        if ends is None:
            continue
        near, far = ends
        line = corridor.wkb if near == corridor.first else corridor.reversed_wkb
        countries, length = _measure_via(route.origin, route.destination, near, far, line)
        found.append({"id": corridor.id, "name": corridor.name, "distance_km": round(length, 1),
                      "extra_km": round(length - route.distance_km, 1),
                      "countries_overflown": [c for c in countries
                                              if c not in (route.origin_country, route.destination_country)],
                      "schematic": True, "sources": list(corridor.sources)})
    return found


@lru_cache(maxsize=4096)
def _measure_via(origin: Location, destination: Location, near: tuple[float, float], far: tuple[float, float],
                 line_wkb: bytes) -> tuple[tuple[str, ...], float]:
    """Return the countries along origin -> corridor -> destination and its length in km (cached)."""
    index = load_country_index()
    parts = [_connect(origin, near), shapely.from_wkb(line_wkb), _connect(far, destination)]
    countries = tuple(dict.fromkeys(c for part in parts if part is not None for c in index.list_countries_along(part)))
    return countries, sum(measure_line_km(part) for part in parts if part is not None)


def _match_ends(route: RouteGeometry, first: tuple[float, float],
                last: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Return (the corridor end near the origin, the one near the destination), or None."""
    def near(place: Location, point: tuple[float, float]) -> bool:
        return distance_km(place.lon, place.lat, point[0], point[1]) <= CORRIDOR_END_KM

    if near(route.origin, first) and near(route.destination, last):
        return first, last
    if near(route.origin, last) and near(route.destination, first):
        return last, first
    return None


def _connect(start: Location | tuple[float, float],
             end: Location | tuple[float, float]) -> LineString | MultiLineString | None:
    a = (start.lon, start.lat) if isinstance(start, Location) else start
    b = (end.lon, end.lat) if isinstance(end, Location) else end
    if math.isclose(a[0], b[0], abs_tol=1e-6) and math.isclose(a[1], b[1], abs_tol=1e-6):
        return None
    return build_path(a, b)
