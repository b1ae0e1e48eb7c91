"""The flights of a period as legs: one row per origin -> destination hop, from records and tracks.

A flight record ``origin -> via... -> destination`` gives one leg per hop, as the route
layer draws it (:func:`layers.features.build_route_layer`); a flight made from an ADS-B
track (:mod:`layers.tracks.trackset`) is one leg between its inferred airfields. A record
whose origin or destination cannot be located ("Russia", "not reported") gives no leg:
it is listed in :attr:`LegSet.unlocated` with the source's wording, so nothing is
dropped without a word.

A period is whole UTC days, both ends included; a record is in it when its ``date`` ..
``end_date`` range meets it (the rule of :mod:`layers.timeline`).

A flight both recorded and tracked counts once: an individual record and a track leg are
the same flight when they fly the same directed hop, share a registration (spelt either
way, :func:`normalise_registration`) and the track starts on a day of the record's
``date`` .. ``end_date``. The track leg is kept (it has the flown geometry and times),
with the record's sources added; :attr:`LegSet.merged` lists each (record, track) pair.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pandas as pd

from layers.airfields import find_airfield, is_known_airfield
from layers.count_bounds import count_record_flights
from layers.dataset import Dataset, Location
from layers.missing import is_present
from layers.timeline import TimeSelection, filter_by_window, find_last_day
from layers.tracks.map_layers import select_flights
from layers.tracks.performance import split_type_names

TRACK = "track"
"""The ``record_type`` word of a leg made from an ADS-B track (an individual flight)."""


@dataclass(frozen=True)
class Period:
    """Whole UTC days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> float:
        """Length of the period in weeks (days / 7)."""
        return self.days / 7

    @property
    def selection(self) -> TimeSelection:
        """The period as a time selection: a window of :attr:`days` ending on :attr:`end`."""
        return TimeSelection(self.end, self.days)


@dataclass(frozen=True)
class Leg:
    """One hop of one flight record or track, with what the sources say about it."""

    record_id: str
    record_type: str  # individual, count, plan, or TRACK
    origin: str
    destination: str
    first_day: dt.date
    last_day: dt.date
    start: pd.Timestamp | None  # UTC time of a tracked flight's first position; None for a record
    end: pd.Timestamp | None
    flights: int  # individual flight 1, count report its lower bound (or 1)
    count: str | None  # the count as the source words it
    count_min: int | None
    types: tuple[str, ...]
    registrations: tuple[str, ...]
    operator: str
    sources: tuple[str, ...]
    confidence: str
    provenance: str
    hop: int = 1
    hops: int = 1

    @property
    def individual(self) -> bool:
        """True for an individual flight (a record of one flight, or a track)."""
        return self.record_type in ("individual", TRACK)


@dataclass(frozen=True)
class LegSet:
    """The legs of a period, and the records that could not be made into legs."""

    period: Period
    legs: tuple[Leg, ...]
    unlocated: tuple[dict[str, Any], ...]
    merged: tuple[tuple[str, str], ...] = ()  # (record id, track flight id): one flight, counted once


def list_legs(dataset: Dataset, period: Period) -> LegSet:
    """Return the legs of the records and tracks in ``period``.

    Parameters
    ----------
    dataset : Dataset
        Shipped plus workspace data (:func:`layers.workspace.load_workspace_dataset`).
    period : Period
    """
    legs: list[Leg] = []
    unlocated: list[dict[str, Any]] = []
    records = filter_by_window(dataset.flights, period.selection)
    for record in records.to_dict("records"):
        stops = [record["origin"], *(record["via"] or []), record["destination"]]
        if not all(isinstance(stop, str) and stop for stop in stops):
            unlocated.append({"id": record["id"], "record_type": record["record_type"],
                              "origin": record["origin_as_reported"],
                              "destination": record["destination_as_reported"], "count": _text(record["count"])})
            continue
        first = record["date"].date()
        last = find_last_day(record).date()
        for hop, (start, end) in enumerate(pairwise(stops), start=1):
            legs.append(Leg(
                record["id"], record["record_type"], start, end, first, last, None, None,
                count_record_flights(record), _text(record["count"]),
                int(record["count_min"]) if is_present(record["count_min"]) else None,
                tuple(split_type_names(record["aircraft_type"])), tuple(split_registrations(record["registration"])),
                _text(record["operator"]) or "", tuple(record["sources"]), record["confidence"],
                str(record["provenance"]), hop, len(stops) - 1))
    for flight in select_flights(dataset.tracks, period.selection).to_dict("records"):
        if not (isinstance(flight["origin"], str) and isinstance(flight["destination"], str)):
            unlocated.append({"id": flight["id"], "record_type": TRACK, "origin": flight["origin_name"],
                              "destination": flight["destination_name"], "count": None})
            continue
        legs.append(Leg(
            flight["id"], TRACK, flight["origin"], flight["destination"], flight["date"].date(),
            find_last_day(flight).date(),
            pd.Timestamp(flight["start"]), pd.Timestamp(flight["end"]), 1, None, None,
            tuple(split_type_names(flight["aircraft_type"])), tuple(split_registrations(flight["registration"])),
            str(flight["operator"] or ""), tuple(flight["sources"]), flight["confidence"],
            str(flight["provenance"])))
    kept, merged = merge_recorded_and_tracked(legs)
    return LegSet(period, tuple(kept), tuple(unlocated), tuple(merged))


def merge_recorded_and_tracked(legs: list[Leg]) -> tuple[list[Leg], list[tuple[str, str]]]:
    """Return the legs with each recorded flight that a track also shows folded into the track leg.

    The rule is the module's: same directed hop, a shared registration, the track starting
    on a day of the record. Each track absorbs one record at most (the first in the data's
    order), and the kept track leg carries the record's sources after its own.
    """
    tracks = [leg for leg in legs if leg.record_type == TRACK and leg.registrations]
    absorbed: dict[str, list[str]] = {}
    kept: list[Leg] = []
    merged: list[tuple[str, str]] = []
    for leg in legs:
        if leg.record_type == "individual" and leg.registrations:
            names = {normalise_registration(r) for r in leg.registrations}
            match = next((track for track in tracks if track.record_id not in absorbed
                          and (track.origin, track.destination) == (leg.origin, leg.destination)
                          and leg.first_day <= track.first_day <= leg.last_day
                          and names & {normalise_registration(r) for r in track.registrations}), None)
            if match is not None:
                absorbed[match.record_id] = list(leg.sources)
                merged.append((leg.record_id, match.record_id))
                continue
        kept.append(leg)
    kept = [dataclasses.replace(leg, sources=tuple(dict.fromkeys([*leg.sources, *absorbed[leg.record_id]])))
            if leg.record_type == TRACK and leg.record_id in absorbed else leg for leg in kept]
    return kept, merged


def locate(dataset: Dataset, ref: str) -> Location | None:
    """Return where a leg end is: a site or named place id, else an airportsdata key (a track's airfield)."""
    if ref in dataset.locations:
        return dataset.locations[ref]
    if is_known_airfield(ref):
        airfield = find_airfield(ref)
        return Location(ref, airfield.name, airfield.lon, airfield.lat, 0.0)
    return None


def split_registrations(text: object) -> list[str]:
    """Return the registrations a cell lists (``RA-76841; RA-76845``), as written.

    Examples
    --------
    >>> split_registrations("RA-76841; RA-76845"), split_registrations(None)
    (['RA-76841', 'RA-76845'], [])
    """
    if not isinstance(text, str):
        return []
    return list(dict.fromkeys(part.strip() for part in text.split(";") if part.strip()))


def normalise_registration(registration: str) -> str:
    """Return the key two spellings of one registration share (``RA-82038``, ``ra82038`` -> ``RA82038``)."""
    return "".join(ch for ch in registration.upper() if ch.isalnum())


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
