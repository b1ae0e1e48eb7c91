"""Which numbered footnotes each labelled place on a briefing map carries, as superscripts by its label.

A place is keyed by its position (``place_key``): a site, a named place's centre, an
ADS-B last position. It carries the notes of every source behind what is drawn there:
its status, the events and observations at it, the flights whose badge is at it, the
routes that end at it (or start at it, when their end is off the map), and the track of
the aircraft last seen at it. The numbers are those of ``footnotes.build_footnotes`` for the same snapshot, so a reader
goes from a superscript to the line in the footnotes block that carries the number.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from layers import Snapshot
from layers.sources import parse_source

from dashboard.export.footnotes import SourceNote

PlaceKey = tuple[float, float]
KEY_DECIMALS = 3  # about 100 m: the same place in every layer, never two airfields


def place_key(lon: float, lat: float) -> PlaceKey:
    """Return the key of a map position (lon, lat rounded to ``KEY_DECIMALS``), as every layer writes it.

    Examples
    --------
    >>> place_key(35.9487, 35.4011)
    (35.949, 35.401)
    """
    return round(float(lon), KEY_DECIMALS), round(float(lat), KEY_DECIMALS)


def format_place_key(key: PlaceKey) -> str:
    """Return a place key as the map's artists name it (``gid``), e.g. ``35.949,35.401``.

    Examples
    --------
    >>> format_place_key(place_key(35.9487, 35.4011))
    '35.949,35.401'
    """
    return f"{key[0]:.{KEY_DECIMALS}f},{key[1]:.{KEY_DECIMALS}f}"


def map_place_notes(snapshot: Snapshot, notes: list[SourceNote]) -> dict[PlaceKey, tuple[int, ...]]:
    """Return the footnote numbers of each place the map draws something at, in order.

    Parameters
    ----------
    snapshot : Snapshot
        What the product draws (cut to the frame), the snapshot ``notes`` were built from.
    notes : list of SourceNote
        ``build_footnotes(snapshot)``; a source without a note (none should be) is skipped.
    """
    number_of = {note.url: note.number for note in notes}
    found: dict[PlaceKey, set[int]] = {}

    def add(lon: float | None, lat: float | None, sources: Iterable[str]) -> None:
        if lon is None or lat is None or pd.isna(lon) or pd.isna(lat):
            return
        numbers = {number_of.get(parse_source(s).url) for s in sources}
        found.setdefault(place_key(float(lon), float(lat)), set()).update(n for n in numbers if n is not None)

    for _, site in _rows(snapshot.sites):
        add(site.geometry.x, site.geometry.y, site["status_sources"] or [])
    drawn = {place_key(row.geometry.x, row.geometry.y)
             for frame in (snapshot.sites, snapshot.flights, snapshot.events, snapshot.observations)
             for _, row in _rows(frame) if row.geometry is not None}
    for _, route in _rows(snapshot.routes):
        # A route's numbers go where its arrow points (its destination, where the flight badge
        # is), or to its origin when the destination is off the map: on both ends they would
        # repeat every route of a hub (Hmeimim) in one long run.
        ends = [(route[f"{end}_lon"], route[f"{end}_lat"]) for end in ("to", "from")]
        shown = [end for end in ends if not pd.isna(end[0]) and place_key(*end) in drawn]
        lon, lat = (shown or ends)[0]
        add(lon, lat, route["sources"])
    for frame in (snapshot.flights, snapshot.events, snapshot.observations):
        for _, row in _rows(frame):
            if row.geometry is not None and ("in_window" not in row or row["in_window"]):
                add(row.geometry.x, row.geometry.y, row["sources"])
    track_sources: dict[str, list[str]] = {}
    for frame in (snapshot.tracks, snapshot.gaps, snapshot.reaches, snapshot.positions):
        for _, row in _rows(frame):
            track_sources.setdefault(row["flight_id"], []).extend(row["sources"])
    for _, position in _rows(snapshot.positions):
        add(position.geometry.x, position.geometry.y, track_sources[position["flight_id"]])
    return {key: tuple(sorted(numbers)) for key, numbers in found.items() if numbers}


def format_note_numbers(numbers: Iterable[int]) -> str:
    """Return note numbers as a label's superscript says them: runs of three or more as ranges.

    Examples
    --------
    >>> format_note_numbers([4, 1, 2, 3, 7, 9, 10])
    '1–4,7,9,10'
    >>> format_note_numbers([])
    ''
    """
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for number in ordered:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [f"{run[0]}–{run[-1]}" if len(run) >= 3 else ",".join(map(str, run)) for run in runs]
    return ",".join(parts)


def _rows(frame: pd.DataFrame):
    return frame.iterrows() if not frame.empty else iter(())
