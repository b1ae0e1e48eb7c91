"""Where a route is drawn: cut at the edge of an uncertain end's area, with its uncertain stubs.

A place the sources name only roughly ("Benghazi (airport not named)", "Libya (airport not
named)") is a circle of ``radius_km`` around the centre of its candidate airfields
(docs/data.md). A route to it must not end at that centre, a point no source gives: its
geodesic is cut where it enters the circle, and the last :data:`UNCERTAIN_STUB_SHARE` of
what is left next to that end is the *uncertain stub*, which the live map and every
static export draw dashed and faded (:mod:`layers.route_marks`). When the circles of
both ends leave nothing between them, no line is drawn and the records stay listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from shapely.geometry import LineString, MultiLineString

from layers.dataset import Location
from layers.geodesic import build_geodesic_line, distance_km, find_point_along

UNCERTAIN_STUB_SHARE = 0.15
"""Share of the drawn line, next to each uncertain end, drawn as uncertain."""
Line: TypeAlias = LineString | MultiLineString


@dataclass(frozen=True)
class RouteParts:
    """A drawn route split into its certain part and its uncertain stubs (origin side first)."""

    certain: Line
    uncertain: tuple[Line, ...]


def trim_route_line(origin: Location, destination: Location) -> Line | None:
    """Return the geodesic from ``origin`` to ``destination`` outside both ends' uncertainty circles.

    Parameters
    ----------
    origin, destination : Location
        The ends; a site has ``radius_km`` 0 and keeps its point.

    Returns
    -------
    LineString, MultiLineString or None
        None when the two circles cover the whole way between the ends.
    """
    length = distance_km(origin.lon, origin.lat, destination.lon, destination.lat)
    if origin.radius_km + destination.radius_km >= length:
        return None
    start = find_point_along(origin.lon, origin.lat, destination.lon, destination.lat, origin.radius_km)
    end = find_point_along(destination.lon, destination.lat, origin.lon, origin.lat, destination.radius_km)
    return build_geodesic_line([start, end])


def split_route_line(line: Line, from_uncertain: bool, to_uncertain: bool) -> RouteParts:
    """Return ``line`` (one geodesic, as :func:`trim_route_line` draws it) cut into certain and uncertain parts.

    Parameters
    ----------
    line : LineString or MultiLineString
        The drawn route.
    from_uncertain, to_uncertain : bool
        Whether the origin, the destination is a place with an uncertainty radius.
    """
    if not (from_uncertain or to_uncertain):
        return RouteParts(line, ())
    parts = list(line.geoms) if isinstance(line, MultiLineString) else [line]
    (lon1, lat1), (lon2, lat2) = parts[0].coords[0], parts[-1].coords[-1]
    stub = distance_km(lon1, lat1, lon2, lat2) * UNCERTAIN_STUB_SHARE
    start, end = (lon1, lat1), (lon2, lat2)
    cut_start = find_point_along(lon1, lat1, lon2, lat2, stub) if from_uncertain else start
    cut_end = find_point_along(lon2, lat2, lon1, lat1, stub) if to_uncertain else end
    uncertain = []
    if from_uncertain:
        uncertain.append(build_geodesic_line([start, cut_start]))
    if to_uncertain:
        uncertain.append(build_geodesic_line([cut_end, end]))
    return RouteParts(build_geodesic_line([cut_start, cut_end]), tuple(uncertain))
