"""Itineraries: legs flown by one aircraft in a row (Hmeimim -> al-Khadim -> Bamako), shown as one feature.

Legs chain when they are individual flights (a record of one flight, or a track) of the
same registration (spellings compared without dashes and case, ``RA-82038`` =
``RA82038``) and the next leg can have started within ``max_gap_hours`` of the end of
the one before. The hops of one record (``origin -> via -> destination``) always chain,
with or without a registration.

Records are dated by day, so the gap is the smallest the dates allow: from the end of the
earlier leg's last day to the start of the later leg's first day (legs on the same or on
consecutive days: 0 h); a tracked flight has its real first and last position times. Each
leg after the first says whether it starts where the one before ended (``connected``:
the same site, or a named place that includes that airfield; None when not comparable),
so a chain with a missing leg shows the hole instead of hiding it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, MultiLineString

from layers.analytics.geometry import measure_route
from layers.analytics.legs import Leg, Period, list_legs, locate, normalise_registration
from layers.dataset import CRS, Dataset
from layers.vocabulary import select_weakest_confidence

DEFAULT_MAX_GAP_HOURS = 24.0
ITINERARY_COLUMNS = ("layer", "id", "name", "sources", "confidence", "provenance", "registration", "legs",
                     "stops", "first_day", "last_day", "distance_km", "max_gap_hours")


@dataclass(frozen=True)
class Itinerary:
    """Legs of one aircraft chained in time order."""

    id: str
    registration: str | None
    legs: tuple[Leg, ...]
    gaps_h: tuple[float | None, ...]  # smallest gap before each leg (None for the first)

    @property
    def stops(self) -> list[str]:
        """The places in order: the first origin, then each leg's destination."""
        return [self.legs[0].origin, *(leg.destination for leg in self.legs)]


def chain_itineraries(legs: tuple[Leg, ...] | list[Leg], max_gap_hours: float = DEFAULT_MAX_GAP_HOURS,
                      ) -> list[Itinerary]:
    """Return the chains of two or more legs (see the module docstring), earliest first.

    Parameters
    ----------
    legs : sequence of Leg
        :attr:`layers.analytics.legs.LegSet.legs`; count reports and plans are left out.
    max_gap_hours : float
        Longest gap between two legs of one chain.
    """
    if max_gap_hours < 0:
        raise ValueError(f"max_gap_hours must be 0 or more; got {max_gap_hours}")
    by_aircraft: dict[str, list[Leg]] = {}
    for leg in legs:
        if not leg.individual:
            continue
        key = (f"reg:{normalise_registration(leg.registrations[0])}" if len(leg.registrations) == 1
               else f"record:{leg.record_id}")
        by_aircraft.setdefault(key, []).append(leg)
    found: list[Itinerary] = []
    for key, members in by_aircraft.items():
        members.sort(key=lambda leg: (_earliest_start(leg), leg.record_id, leg.hop))
        chain: list[Leg] = [members[0]]
        gaps: list[float | None] = [None]
        for leg in members[1:]:
            gap = _smallest_gap_hours(chain[-1], leg)
            if gap <= max_gap_hours or (leg.record_id == chain[-1].record_id and leg.hop == chain[-1].hop + 1):
                chain.append(leg)
                gaps.append(gap)
                continue
            found += _close(key, chain, gaps)
            chain, gaps = [leg], [None]
        found += _close(key, chain, gaps)
    return sorted(found, key=lambda i: (_earliest_start(i.legs[0]), i.id))


def describe_itinerary(dataset: Dataset, itinerary: Itinerary) -> dict[str, Any]:
    """Return an itinerary as a JSON-ready dict: its legs with names, days, distances, gaps and ``connected``."""
    legs = []
    total = 0.0
    for position, (leg, gap) in enumerate(zip(itinerary.legs, itinerary.gaps_h, strict=True)):
        origin, destination = locate(dataset, leg.origin), locate(dataset, leg.destination)
        distance = measure_route(origin, destination).distance_km if origin and destination else None
        total += distance or 0.0
        previous = itinerary.legs[position - 1] if position else None
        legs.append({"record_id": leg.record_id, "hop": leg.hop, "origin": leg.origin,
                     "origin_name": origin.name if origin else leg.origin, "destination": leg.destination,
                     "destination_name": destination.name if destination else leg.destination,
                     "first_day": leg.first_day.isoformat(), "last_day": leg.last_day.isoformat(),
                     "distance_km": round(distance, 1) if distance is not None else None,
                     "gap_h": gap, "connected": is_same_place(dataset, previous.destination, leg.origin)
                     if previous else None})
    return {"id": itinerary.id, "registration": itinerary.registration, "stops": itinerary.stops, "legs": legs,
            "first_day": itinerary.legs[0].first_day.isoformat(),
            "last_day": max(leg.last_day for leg in itinerary.legs).isoformat(), "distance_km": round(total, 1),
            "sources": list(dict.fromkeys(s for leg in itinerary.legs for s in leg.sources)),
            "confidence": select_weakest_confidence(leg.confidence for leg in itinerary.legs)}


def build_itinerary_layer(dataset: Dataset, period: Period,
                          max_gap_hours: float = DEFAULT_MAX_GAP_HOURS) -> gpd.GeoDataFrame:
    """Return one feature per itinerary of the period: a MultiLineString of its great-circle legs.

    Properties: the common ones (``layer`` = ``itinerary``, ``id``, ``name``, ``sources``,
    ``confidence``, ``provenance``) and ``registration``, ``legs`` (list of dicts as in
    :func:`describe_itinerary`), ``stops``, ``first_day``, ``last_day``, ``distance_km``,
    ``max_gap_hours``.
    """
    rows, geometries = [], []
    for itinerary in chain_itineraries(list_legs(dataset, period).legs, max_gap_hours):
        described = describe_itinerary(dataset, itinerary)
        names = [leg["origin_name"] for leg in described["legs"]] + [described["legs"][-1]["destination_name"]]
        rows.append({"layer": "itinerary", "id": itinerary.id, "name": " → ".join(names),
                     "sources": described["sources"], "confidence": described["confidence"],
                     "provenance": "; ".join(dict.fromkeys(leg.provenance for leg in itinerary.legs)),
                     "registration": itinerary.registration, "legs": described["legs"], "stops": itinerary.stops,
                     "first_day": described["first_day"], "last_day": described["last_day"],
                     "distance_km": described["distance_km"], "max_gap_hours": max_gap_hours})
        geometries.append(_build_lines(dataset, itinerary))
    frame = pd.DataFrame(rows, columns=list(ITINERARY_COLUMNS), dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometries, crs=CRS), crs=CRS)


def is_same_place(dataset: Dataset, first: str, second: str) -> bool | None:
    """Return whether two leg ends can be the same airfield (a place that includes a site's airfield counts).

    None when either end is neither a site, a named place nor an airfield key.
    """
    if first == second:
        return True
    fields = [_airfields(dataset, ref) for ref in (first, second)]
    if not fields[0] or not fields[1]:
        return None
    return bool(fields[0] & fields[1])


def _airfields(dataset: Dataset, ref: str) -> set[str]:
    if ref in dataset.places.index:
        return set(dataset.places.loc[ref, "airfields"])
    if ref in dataset.sites.index:
        code = dataset.sites.loc[ref, "icao"]
        return {str(code)} if isinstance(code, str) and code else {f"site:{ref}"}
    return {ref} if locate(dataset, ref) is not None else set()


def _earliest_start(leg: Leg) -> pd.Timestamp:
    return leg.start if leg.start is not None else pd.Timestamp(leg.first_day, tz="UTC")


def _latest_end(leg: Leg) -> pd.Timestamp:
    return leg.end if leg.end is not None else pd.Timestamp(leg.last_day + dt.timedelta(days=1), tz="UTC")


def _smallest_gap_hours(earlier: Leg, later: Leg) -> float:
    return max(0.0, (_earliest_start(later) - _latest_end(earlier)).total_seconds() / 3600)


def _close(key: str, chain: list[Leg], gaps: list[float | None]) -> list[Itinerary]:
    if len(chain) < 2:
        return []
    registration = chain[0].registrations[0] if key.startswith("reg:") else None
    name = normalise_registration(registration) if registration else chain[0].record_id
    return [Itinerary(f"itin-{name.lower()}-{chain[0].first_day.isoformat()}", registration, tuple(chain),
                      tuple(round(g, 1) if g is not None else None for g in gaps))]


def _build_lines(dataset: Dataset, itinerary: Itinerary) -> MultiLineString | None:
    lines: list[LineString] = []
    for leg in itinerary.legs:
        origin, destination = locate(dataset, leg.origin), locate(dataset, leg.destination)
        if origin and destination:
            line = measure_route(origin, destination).line
            lines.extend(getattr(line, "geoms", [line]))
    return MultiLineString(lines) if lines else None
