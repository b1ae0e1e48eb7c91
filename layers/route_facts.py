"""What a route leg crosses and how long it takes: countries under its great circle, estimated flight time.

The route layer (:func:`layers.features.build_route_layer`) carries these so that the live
map's route popup and every export state the same figures as ``python -m layers routes``
(:mod:`layers.analytics.geometry`: the Natural Earth basemap, the documented cruise speeds).
The analytics import the feature layer (its count rule), so the analytics are imported
here when first asked, not when :mod:`layers.features` is imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from layers.dataset import Dataset


@dataclass(frozen=True)
class LegFacts:
    """Countries a leg's great circle crosses (its ends' countries left out) and its estimated flight time."""

    countries: tuple[str, ...]
    hours: float | None  # the slowest reported type's time; None when no type has a documented cruise speed
    basis: str  # the speeds assumed, with their sources


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
    return LegFacts(tuple(route.countries), round(time.hours, 1) if time.hours is not None else None, time.basis)
