"""Countries under flown ADS-B tracks: overflown where positions were received, possibly where the aircraft was dark.

A tracked flight (:mod:`layers.tracks.trackset`) is cut at its gaps: between two gaps the
line through its positions (those flagged implausible left out) is what it flew, and the
countries under it are **overflown**. Across a gap the aircraft could have been anywhere
it could reach and still make the next position in time: the ellipse with the two
positions as foci whose distances sum to the gap's duration at the type's top speed
(:func:`layers.tracks.gaps.build_reach_ellipse`, with no ground stop). The countries that
ellipse meets, and that the flown line does not, are **possibly overflown**. A gap flown
faster than that speed leaves no ellipse; its straight line is used instead.

Flight legs that a file stated without positions (OpenSky ``/flights``) have no track;
they count as flights on their route, and their path is the great circle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString, Polygon

from layers.analytics.countries import load_country_index
from layers.analytics.geometry import OVERFLIGHT_SEGMENT_KM
from layers.geodesic import build_geodesic_line, measure_line_km
from layers.tracks.gaps import GapEnd, build_reach_ellipse
from layers.tracks.positions import KM_PER_NM
from layers.tracks.trackset import TrackSet


@dataclass(frozen=True)
class TrackedPath:
    """What the tracks of some flights show about their path."""

    flights: int  # flights with a track (two positions or more)
    countries: tuple[str, ...]  # overflown where positions were received, in path order
    possibly: tuple[str, ...]  # possibly overflown while dark, not in ``countries``
    flown_km: tuple[float, ...]  # per flight: the track's length, gaps as straight lines
    hours: tuple[float, ...]  # per flight: first to last position


def measure_tracked_flights(tracks: TrackSet, flight_ids: Iterable[str]) -> TrackedPath:
    """Return the overflown and possibly overflown countries of the given track flights.

    Parameters
    ----------
    tracks : TrackSet
        ``Dataset.tracks``.
    flight_ids : iterable of str
        Ids of flights made from tracks (``trk-...``); ids without positions are skipped.
    """
    wanted = list(dict.fromkeys(flight_ids))
    if not wanted or tracks.flights.empty:
        return TrackedPath(0, (), (), (), ())
    index = load_country_index()
    flights = tracks.flights[tracks.flights["id"].isin(wanted) & (tracks.flights["positions"] >= 2)]
    flights = flights.set_index("id")
    countries: dict[str, None] = {}
    possibly: dict[str, None] = {}
    lengths, hours = [], []
    for flight_id, flight in flights.iterrows():
        rows = tracks.positions.loc[flight["rows"]]
        rows = rows[~rows["implausible"].astype(bool)]
        if len(rows) < 2:
            continue
        gaps = tracks.gaps[tracks.gaps["flight_id"] == flight_id]
        runs = _split_at_gaps(rows, gaps)
        length = 0.0
        for run in runs:
            line = LineString(run)
            countries.update(dict.fromkeys(index.list_countries_along(line)))
            length += measure_line_km(line)
        for gap in gaps.to_dict("records"):
            area = _reach_area(gap)
            possibly.update(dict.fromkeys(index.list_countries_in(area) if area is not None
                                          else index.list_countries_along(_gap_line(gap))))
            length += float(gap["distance_km"])
        lengths.append(round(length, 1))
        hours.append(round((pd.Timestamp(flight["end"]) - pd.Timestamp(flight["start"])).total_seconds() / 3600, 2))
    return TrackedPath(len(lengths), tuple(countries), tuple(c for c in possibly if c not in countries),
                       tuple(lengths), tuple(hours))


def _split_at_gaps(rows: pd.DataFrame, gaps: pd.DataFrame) -> list[np.ndarray]:
    coords = np.column_stack([rows["lon"].to_numpy(dtype=float), rows["lat"].to_numpy(dtype=float)])
    if gaps.empty:
        return [coords]
    times = pd.DatetimeIndex(rows["time"]).asi8
    # A gap starts at the last position before the silence: the run ends there.
    cuts = np.searchsorted(times, pd.DatetimeIndex(gaps["start"]).asi8, side="right")
    runs = np.split(coords, sorted({int(c) for c in cuts if 0 < c < len(coords)}))
    return [run for run in runs if len(run) >= 2]


def _reach_area(gap: Mapping[Any, Any]) -> Polygon | None:
    before = GapEnd(None, float(gap["last_lat"]), float(gap["last_lon"]), np.nan, np.nan, np.nan, False)
    after = GapEnd(None, float(gap["next_lat"]), float(gap["next_lon"]), np.nan, np.nan, np.nan, False)
    reach = float(gap["assumed_speed_kt"]) * KM_PER_NM * float(gap["duration_min"]) / 60.0
    return build_reach_ellipse(before, after, reach)


def _gap_line(gap: Mapping[Any, Any]) -> LineString | MultiLineString:
    return build_geodesic_line([(float(gap["last_lon"]), float(gap["last_lat"])),
                                (float(gap["next_lon"]), float(gap["next_lat"]))],
                               max_segment_km=OVERFLIGHT_SEGMENT_KM)
