"""Air-bridge analytics on shipped plus workspace data: routes, geometry, airspace, itineraries, changes, rings.

Plain Python (no Streamlit); the command line (:mod:`layers.analytics.commands`), the
app and the exports call these:

* :func:`build_route_statistics` - one :class:`RouteStatistics` per directed route in a
  :class:`Period` (flights, count reports apart, rotations per week, weekly counts,
  distance, flight time, countries overflown, airspace flags, avoiding corridors);
* :func:`compare_dates` - what changed between two dates (:class:`Changes`), and
  :func:`build_change_layers` - the same as map layers (:class:`ChangeLayers`);
* :func:`chain_itineraries` / :func:`build_itinerary_layer` - legs of one aircraft in a row;
* :func:`build_range_ring_layer` - documented ranges of a type around a site;
* :func:`measure_route`, :func:`estimate_flight_time`, :data:`CLOSURES` - the pieces.

Every assumption (speeds, ranges, closures) is written once, with its source: the type
figures in :mod:`layers.tracks.performance`, the closures in :mod:`layers.analytics.airspace`.
"""

from layers.analytics.airspace import CLOSURES, AirspaceClosure, flag_closures
from layers.analytics.change_layers import ChangeLayers, build_change_layers
from layers.analytics.changes import Changes, compare_dates
from layers.analytics.geometry import RouteGeometry, estimate_flight_time, measure_route
from layers.analytics.itineraries import Itinerary, build_itinerary_layer, chain_itineraries, describe_itinerary
from layers.analytics.legs import Leg, LegSet, Period, list_legs
from layers.analytics.range_rings import build_range_ring, build_range_ring_layer, list_range_figures
from layers.analytics.routes import RouteStatistics, build_route_statistics, count_flights_per_week
from layers.analytics.tables import (
    CHANGE_COLUMNS,
    ROUTE_COLUMNS,
    build_change_rows,
    build_route_rows,
    describe_changes,
    write_csv,
)

__all__ = [
    "CHANGE_COLUMNS", "CLOSURES", "ROUTE_COLUMNS", "AirspaceClosure", "ChangeLayers", "Changes", "Itinerary", "Leg",
    "LegSet", "Period", "RouteGeometry",
    "RouteStatistics", "build_change_layers", "build_change_rows", "build_itinerary_layer", "build_range_ring",
    "build_range_ring_layer",
    "build_route_rows", "build_route_statistics", "chain_itineraries", "compare_dates", "count_flights_per_week",
    "describe_changes", "describe_itinerary", "estimate_flight_time", "flag_closures", "list_legs",
    "list_range_figures", "measure_route", "write_csv",
]
