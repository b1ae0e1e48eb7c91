"""Route statistics for a period: flights, reports, aircraft, rotations per week, geometry and airspace.

A route is a directed leg origin -> destination (:mod:`layers.analytics.legs`). For each:

* ``flights_individual``: individual flights (records of one flight, and flights made
  from ADS-B tracks, ``flights_tracked`` of them), each counted once;
* ``flights_reported``: flights known only from count reports, each report at its stated
  lower bound by the count rule (:mod:`layers.count_bounds`: the wording and period, 1 where
  no count is stated, ``count_stated`` false; :func:`layers.count_bounds.count_record_flights`),
  kept apart with the wording in ``count_reports``; a report whose window runs past the
  period is counted whole and marked ``extends_beyond_period``;
* ``plans``: planned or claimed flights, never counted as flights;
* ``rotations_per_week``: (individual + reported) flights on the directed leg per week of
  the period (days / 7): one rotation of a shuttle flies the leg once. A lower bound, since
  a report counts at its lower bound. ``flights_per_week`` gives the individual flights
  of each week (weeks start on Monday) and the count reports that meet it, for a chart;
* ``first_seen`` / ``last_seen``: the first and last day of an observed flight or report
  (plans left out), within the period;
* geometry and airspace: :mod:`layers.analytics.geometry`, :mod:`layers.analytics.tracked`,
  :mod:`layers.analytics.airspace`. ``countries_overflown`` is what flown tracks show when
  the route has any (``path_basis``), else what lies under the great circle.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, fields
from typing import Any

from layers.analytics.airspace import find_nationalities, flag_closures
from layers.analytics.geometry import (
    CorridorLine,
    RouteGeometry,
    estimate_flight_time,
    find_place_country,
    list_avoiding_corridors,
    list_corridors_in_use,
    measure_route,
)
from layers.analytics.legs import TRACK, Leg, LegSet, Period, list_legs, locate
from layers.analytics.tracked import measure_tracked_flights
from layers.count_bounds import bound_count_report
from layers.dataset import Dataset
from layers.vocabulary import select_best_confidence

GREAT_CIRCLE = "great circle"


@dataclass(frozen=True)
class RouteStatistics:
    """Everything the routes table, chart and popup show about one directed route in a period."""

    id: str
    origin: str
    destination: str
    origin_name: str
    destination_name: str
    origin_radius_km: float
    destination_radius_km: float
    origin_country: str | None
    destination_country: str | None
    distance_km: float
    distance_nm: float
    flights_individual: int
    flights_tracked: int
    flights_reported: int
    count_reports: list[dict[str, Any]]
    plans: int
    aircraft_types: list[str]
    registrations: list[str]
    operators: list[str]
    first_seen: str | None
    last_seen: str | None
    rotations_per_week: float
    flights_per_week: list[dict[str, Any]]
    est_flight_time_h: float | None
    est_flight_time_by_type: dict[str, float]
    flight_time_basis: str
    path_basis: str
    countries_overflown: list[str]
    countries_possibly_overflown: list[str]
    countries_great_circle: list[str]
    airspace_flags: list[dict[str, Any]]
    avoiding_corridors: list[dict[str, Any]]
    flown_km: list[float]
    flown_hours: list[float]
    record_ids: list[str]
    sources: list[str]
    confidence: str

    @property
    def flights_total(self) -> int:
        """Individual plus reported flights."""
        return self.flights_individual + self.flights_reported

    def as_record(self) -> dict[str, Any]:
        """Return the statistics as a JSON-ready dict (the ``routes --format json`` record).

        The values are the statistics' own lists and dicts (no deep copy: 10,000 flights
        give a million small objects); copy one before changing it.
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}


def build_route_statistics(dataset: Dataset, period: Period) -> list[RouteStatistics]:
    """Return one :class:`RouteStatistics` per directed route flown, reported or planned in ``period``.

    Routes are sorted by flights (individual plus reported, most first), then by origin
    and destination id.

    Parameters
    ----------
    dataset : Dataset
        Shipped plus workspace data (:func:`layers.workspace.load_workspace_dataset`).
    period : Period
    """
    return summarise_legs(dataset, list_legs(dataset, period))


def summarise_legs(dataset: Dataset, legs: LegSet) -> list[RouteStatistics]:
    """Return the route statistics of already selected legs (see :func:`build_route_statistics`)."""
    by_route: dict[tuple[str, str], list[Leg]] = {}
    for leg in legs.legs:
        by_route.setdefault((leg.origin, leg.destination), []).append(leg)
    corridors = list_corridors_in_use(dataset, legs.period)
    summaries = (_summarise(dataset, legs.period, key, members, corridors) for key, members in by_route.items())
    routes = [route for route in summaries if route is not None]
    return sorted(routes, key=lambda r: (-r.flights_total, r.origin, r.destination))


def _summarise(dataset: Dataset, period: Period, key: tuple[str, str], legs: list[Leg],
               in_use: list[CorridorLine]) -> RouteStatistics | None:
    origin, destination = locate(dataset, key[0]), locate(dataset, key[1])
    if origin is None or destination is None:
        return None
    geometry = measure_route(origin, destination, origin_country=find_place_country(dataset, key[0]),
                             destination_country=find_place_country(dataset, key[1]))
    individual = [leg for leg in legs if leg.individual]
    reports = [leg for leg in legs if leg.record_type == "count"]
    observed = individual + reports
    # A report's window can run past the period: what was seen is kept within the period asked about.
    first = max(min(leg.first_day for leg in observed), period.start) if observed else None
    last = min(max(leg.last_day for leg in observed), period.end) if observed else None
    types = list(dict.fromkeys(name for leg in legs for name in leg.types))
    registrations = sorted({r for leg in legs for r in leg.registrations})
    operators = sorted({leg.operator for leg in legs if leg.operator})
    tracked = measure_tracked_flights(dataset.tracks, [leg.record_id for leg in legs if leg.record_type == TRACK])
    flown = tracked.flights > 0
    ends = (geometry.origin_country, geometry.destination_country)
    countries = [c for c in tracked.countries if c not in ends] if flown else list(geometry.countries)
    possibly = [c for c in tracked.possibly if c not in countries and c not in ends]
    flags, corridors = _check_airspace(dataset, period, geometry, countries=countries, possibly=possibly,
                                       in_use=in_use, days=(first or period.start, last or period.end),
                                       nations=find_nationalities(registrations, operators))
    time = estimate_flight_time(geometry.distance_km, types)
    flights_reported = sum(leg.flights for leg in reports)
    return RouteStatistics(
        id=f"route-{key[0]}-{key[1]}", origin=key[0], destination=key[1],
        origin_name=origin.name, destination_name=destination.name,
        origin_radius_km=origin.radius_km, destination_radius_km=destination.radius_km,
        origin_country=geometry.origin_country, destination_country=geometry.destination_country,
        distance_km=round(geometry.distance_km, 1), distance_nm=round(geometry.distance_nm, 1),
        flights_individual=len(individual), flights_tracked=sum(leg.record_type == TRACK for leg in legs),
        flights_reported=flights_reported,
        count_reports=[_describe_report(leg, period) for leg in reports],
        plans=sum(leg.record_type == "plan" for leg in legs),
        aircraft_types=types, registrations=registrations, operators=operators,
        first_seen=first.isoformat() if first else None, last_seen=last.isoformat() if last else None,
        rotations_per_week=round((len(individual) + flights_reported) / period.weeks, 2),
        flights_per_week=count_flights_per_week(legs, period),
        est_flight_time_h=time.hours, est_flight_time_by_type=time.by_type, flight_time_basis=time.basis,
        path_basis=(f"ADS-B tracks ({tracked.flights} flight{'' if tracked.flights == 1 else 's'})" if flown
                    else GREAT_CIRCLE),
        countries_overflown=countries, countries_possibly_overflown=possibly,
        countries_great_circle=list(geometry.countries), airspace_flags=flags, avoiding_corridors=corridors,
        flown_km=list(tracked.flown_km), flown_hours=list(tracked.hours),
        record_ids=list(dict.fromkeys(leg.record_id for leg in legs)),
        sources=list(dict.fromkeys(s for leg in legs for s in leg.sources)),
        confidence=select_best_confidence(leg.confidence for leg in legs),
    )


def _check_airspace(dataset: Dataset, period: Period, geometry: RouteGeometry, *, countries: list[str],
                    possibly: list[str], in_use: list[CorridorLine], days: tuple[dt.date, dt.date],
                    nations: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the closures the path meets (those met only while dark marked) and the corridors that avoid them."""
    ends = (geometry.origin_country, geometry.destination_country)

    def flag(on_path: list[str]) -> list[dict[str, Any]]:
        return flag_closures(on_path, ends=ends, first=days[0], last=days[1], nationalities=nations)

    flags = flag(countries)
    flagged = {f["id"] for f in flags}
    flags += [{**f, "possibly_overflown": True} for f in flag(possibly) if f["id"] not in flagged]
    corridors = []
    if flag(list(geometry.countries)):
        for corridor in list_avoiding_corridors(dataset, geometry, period, in_use=in_use):
            closed = flag(corridor["countries_overflown"])
            corridors.append({**corridor, "closures_on_path": [f["id"] for f in closed]})
    return flags, corridors


def count_flights_per_week(legs: list[Leg], period: Period) -> list[dict[str, Any]]:
    """Return one row per week (Monday first) of the period: individual flights, and the count reports meeting it.

    An individual flight is counted in the week of its first day; a count report is listed
    (by id) in every week its date range meets, never spread as invented weekly figures.

    Examples
    --------
    >>> from layers.analytics.legs import Period
    >>> [w["week"] for w in count_flights_per_week([], Period(dt.date(2024, 12, 4), dt.date(2024, 12, 16)))]
    ['2024-12-02', '2024-12-09', '2024-12-16']
    """
    def monday(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=day.weekday())

    individual = Counter(monday(leg.first_day) for leg in legs if leg.individual)
    reports = [leg for leg in legs if leg.record_type == "count"]
    weeks = []
    week = monday(period.start)
    while week <= period.end:
        week_end = week + dt.timedelta(days=6)
        weeks.append({
            "week": week.isoformat(), "individual": individual.get(week, 0),
            "count_reports": list(dict.fromkeys(leg.record_id for leg in reports
                                                if leg.first_day <= week_end and leg.last_day >= week))
            if reports else [],
        })
        week += dt.timedelta(days=7)
    return weeks


def _describe_report(leg: Leg, period: Period) -> dict[str, Any]:
    stated = bound_count_report(leg.count, leg.count_min, leg.first_day, leg.last_day) is not None
    return {"id": leg.record_id, "count": leg.count, "count_min": leg.count_min, "counted_as": leg.flights,
            "count_stated": stated, "first_day": leg.first_day.isoformat(), "last_day": leg.last_day.isoformat(),
            "extends_beyond_period": leg.first_day < period.start or leg.last_day > period.end}
