"""What a route leg crosses and how long it takes: countries under its great circle, estimated flight time.

The route layer (:func:`layers.features.build_route_layer`) carries these so that the live
map's route popup and every export state the same figures as ``python -m layers routes``
(:mod:`layers.analytics.geometry`: the Natural Earth basemap, the documented cruise speeds).
The analytics import the feature layer (its count rule), so the analytics are imported
here when first asked, not when :mod:`layers.features` is imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from layers.dataset import Dataset
from layers.sources import parse_source


@dataclass(frozen=True)
class LegFacts:
    """Countries a leg's great circle crosses (its ends' countries left out) and its estimated flight time."""

    countries: tuple[str, ...]
    hours: float | None  # the slowest reported type's time; None when no type has a documented cruise speed
    basis: str  # the speeds assumed, with their sources
    ends: tuple[str | None, str | None] = (None, None)  # the basemap countries of the two ends


def describe_leg(dataset: Dataset, start: str, end: str, type_names: Iterable[str]) -> LegFacts:
    """Return the countries overflown between two places and the time the reported types would take.

    A named place is taken at its centre and its country is that of its airfields where
    they share one (:func:`layers.analytics.geometry.find_place_country`), so "Benghazi,
    airport not named" does not count the sea as a country or Libya as overflown.
    """
    from layers.analytics.geometry import estimate_flight_time, find_place_country, measure_route

    origin, destination = dataset.locations[start], dataset.locations[end]
    route = measure_route(origin, destination, origin_country=find_place_country(dataset, start),
                          destination_country=find_place_country(dataset, end))
    time = estimate_flight_time(route.distance_km, list(type_names))
    return LegFacts(tuple(route.countries), round(time.hours, 1) if time.hours is not None else None, time.basis,
                    (route.origin_country, route.destination_country))


def flag_leg_closures(facts: LegFacts, *, first: dt.date, last: dt.date, registrations: Iterable[str],
                      operators: Iterable[str]) -> list[dict[str, Any]]:
    """Return the airspace closures a leg meets on its dates (:func:`layers.analytics.airspace.flag_closures`).

    The path is the leg's :attr:`LegFacts.countries` and its ends' countries (which decide
    closures tied to an end: Turkey's, to flights to or from Syria), as ``python -m layers
    routes`` checks a great circle. The aircraft's nationality comes from the records'
    registrations and operators; a closure aimed at other nationalities is left out, one
    whose nationality is not known is kept with ``applies`` None. Each dict keeps ``id``,
    ``name``, ``countries``, ``applies`` and ``sources``.
    """
    from layers.analytics.airspace import find_nationalities, flag_closures

    flags = flag_closures(list(facts.countries), ends=facts.ends, first=first, last=last,
                          nationalities=find_nationalities(registrations, operators))
    return [{key: flag[key] for key in ("id", "name", "countries", "applies", "sources")} for flag in flags]


def describe_closure(flag: dict[str, Any]) -> str:
    """Return one closure a leg meets as ``Cyprus (CAPA 2022-02-28)``: the closed countries and its first source.

    ``, nationality not reported`` is added when the aircraft's nationality is not known
    (``applies`` None), so the reader knows the closure may not bind them.

    Examples
    --------
    >>> describe_closure({"countries": ["Cyprus"], "applies": True,
    ...                   "sources": ["https://capa.example/x (CAPA, 2022-02-28)"]})
    'Cyprus (CAPA, 2022-02-28)'
    """
    parsed = parse_source(str(flag["sources"][0]))
    unknown = ", nationality not reported" if flag["applies"] is None else ""
    return f"{', '.join(flag['countries'])} ({parsed.label or parsed.host}{unknown})"


NO_OTHER_COUNTRY = "no other country (sea, or the ends' own)"
"""What a leg's great circle crosses when it meets no country but its ends' (the popup and the exports say it)."""


def describe_countries(countries: Iterable[str]) -> str:
    """Return the countries a leg's great circle crosses as running text, or :data:`NO_OTHER_COUNTRY`.

    Examples
    --------
    >>> describe_countries(["Cyprus", "N. Cyprus"])
    'Cyprus, N. Cyprus'
    >>> describe_countries([])
    "no other country (sea, or the ends' own)"
    """
    return ", ".join(countries) or NO_OTHER_COUNTRY


def find_timed_type(basis: str) -> str | None:
    """Return the type whose cruise speed gives a leg's time (the slowest named in ``basis``), e.g. ``Il-76``.

    ``basis`` is :attr:`LegFacts.basis` (the route layer's ``flight_time_basis``), which
    names each timed type as ``NAME at SPEED km/h`` from the one type table
    (:mod:`layers.tracks.performance`); None when it names none.

    Examples
    --------
    >>> find_timed_type("...; Antonov An-124 at 800 km/h (...); Ilyushin Il-76 at 785 km/h (...)")
    'Il-76'
    """
    from layers.tracks.performance import TYPES

    timed = [p for p in TYPES.values() if p.cruise_kmh is not None and f"{p.name} at {p.cruise_kmh:.0f} km/h" in basis]
    if not timed:
        return None
    slowest = min(timed, key=lambda p: p.cruise_kmh or 0.0)
    return slowest.name.split(" ", 1)[-1]  # "Ilyushin Il-76" -> "Il-76", as the sources name the type
