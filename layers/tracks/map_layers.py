"""The track layers of a snapshot: flown tracks, gaps, reach areas, last positions, track flights.

What each holds (the GeoJSON properties are the contract in README.md, "GeoJSON properties"):

* ``track``: one LineString per flight in the window (a MultiLineString of its flown
  stretches where it went dark, and where it crosses the antimeridian), thinned for
  display (:mod:`layers.tracks.simplify`) and cut at the
  end of the selected day, so a flight under way is drawn up to the date; ``times`` holds
  the UTC time of each vertex. Positions flagged implausible are never part of it.
* ``gap``: the line from the last position before a silence to the first after it, with
  its duration, distance, implied speed and ranked candidate airfields;
* ``reach``: the area the aircraft could have reached and come back from during the gap
  (:func:`layers.tracks.gaps.build_reach_ellipse`), one per gap that leaves time to land;
* ``position``: each aircraft's last position up to the end of the selected day, with
  its callsign and registration;
* ``flight`` rows for the flights made from tracks (added to the flight layer), at the
  inferred arrival airfield, else at the last position.
"""

from __future__ import annotations

import bisect
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point

from layers.geodesic import build_geodesic_line
from layers.timeline import TimeSelection
from layers.tracks.airfield_match import describe_airfield_by_code
from layers.tracks.positions import iterate_rows
from layers.tracks.trackset import TrackSet

TRACK_LAYER_NAMES = ("reach", "track", "gap", "position")


def select_flights(tracks: TrackSet, selection: TimeSelection) -> pd.DataFrame:
    """Return the track flights whose first .. last day meets the selection's window."""
    flights = tracks.flights
    if flights.empty:
        return flights
    first = flights["date"]
    last = flights["end_date"].fillna(first)
    start = selection.start
    inside = first <= selection.end
    if start is not None:
        inside &= last >= start
    return flights.loc[inside]


def day_end(selection: TimeSelection) -> pd.Timestamp:
    """Return the first instant after the selected day (UTC): the cut of every track."""
    return (selection.end + pd.Timedelta(days=1)).tz_localize("UTC")


def build_track_rows(tracks: TrackSet, flights: pd.DataFrame, selection: TimeSelection) -> tuple[list[dict],
                                                                                                  list[object]]:
    """Return the ``track`` layer's rows and geometries for the selected flights."""
    cut = _iso(day_end(selection))
    rows, geometries = [], []
    for flight in iterate_rows(flights):
        times, coords, alts = flight.display_times, flight.display_coords, flight.display_alts
        if times and times[-1] >= cut:
            kept = bisect.bisect_left(times, cut)
            times, coords, alts = times[:kept], coords[:kept], alts[:kept]
        parts = [coords[first:stop] for first, stop in pairwise([0, *flight.display_breaks, len(coords)])
                 if stop - first >= 2]
        if not parts:
            continue
        rows.append({
            "layer": "track", "id": f"{flight.id}-track", "name": _name_aircraft(flight),
            "sources": list(flight.sources), "confidence": flight.confidence, "provenance": flight.provenance,
            "icao24": flight.icao24, "callsign": flight.callsign or None, "registration": flight.registration or None,
            "aircraft_type": flight.aircraft_type or None, "flight_id": flight.id,
            "start": _iso(flight.start), "end": _iso(flight.end), "positions": int(flight.positions),
            "shown_until": times[-1], "times": list(times), "altitudes_ft": list(alts),
        })
        geometries.append(_join_parts(parts))
    return rows, geometries


def build_gap_rows(tracks: TrackSet, flights: pd.DataFrame, selection: TimeSelection) -> tuple[
        list[dict], list[object], list[dict], list[object]]:
    """Return the ``gap`` rows and geometries, then the ``reach`` rows and geometries."""
    gaps = tracks.gaps
    if gaps.empty or flights.empty:
        return [], [], [], []
    chosen = gaps.loc[gaps["flight_id"].isin(set(flights["id"])) & (gaps["end"] < day_end(selection))]
    gap_rows, gap_geometries, reach_rows, reach_geometries = [], [], [], []
    for gap in iterate_rows(chosen):
        common = {"sources": list(gap.sources), "confidence": gap.confidence, "provenance": gap.provenance,
                  "icao24": gap.icao24, "callsign": gap.callsign or None, "registration": gap.registration or None,
                  "flight_id": gap.flight_id, "start": _iso(gap.start), "end": _iso(gap.end)}
        who = gap.registration or gap.callsign or gap.icao24
        gap_rows.append({
            "layer": "gap", "id": gap.id, "name": f"{who} dark for {_describe_minutes(gap.duration_min)}", **common,
            "duration_min": gap.duration_min, "distance_km": gap.distance_km,
            "implied_speed_kt": gap.implied_speed_kt, "assumed_speed_kt": gap.assumed_speed_kt,
            "reach_km": gap.reach_km, "last_alt_ft": _round_or_none(gap.last_alt_ft),
            "next_alt_ft": _round_or_none(gap.next_alt_ft), "candidates": list(gap.candidates),
        })
        gap_geometries.append(build_geodesic_line([(gap.last_lon, gap.last_lat), (gap.next_lon, gap.next_lat)]))
        if gap.ellipse is not None:
            reach_rows.append({"layer": "reach", "id": f"{gap.id}-reach",
                               "name": f"Where {who} could have landed while dark", **common, "gap_id": gap.id,
                               "reach_km": gap.reach_km, "duration_min": gap.duration_min})
            reach_geometries.append(gap.ellipse)
    return gap_rows, gap_geometries, reach_rows, reach_geometries


def build_position_rows(tracks: TrackSet, flights: pd.DataFrame, selection: TimeSelection) -> tuple[
        list[dict], list[object]]:
    """Return one ``position`` row per aircraft of the selected flights: its last position up to the date."""
    if flights.empty:
        return [], []
    cut = day_end(selection)
    rows, geometries = [], []
    positions = tracks.positions
    drawn = flights.loc[flights["positions"] > 0]  # stated legs have no position to mark
    for icao24, group in drawn.groupby("icao24", sort=True):
        started = group.loc[group["start"] < cut]
        if started.empty:
            continue
        flight = started.iloc[int(np.argmax(started["start"].to_numpy()))]
        labels = flight["rows"]
        if flight["end"] >= cut:
            # Under way at the end of the day: the last position before the cut, by bisection.
            times = positions["time"].to_numpy(dtype="datetime64[ns]")[labels]
            labels = labels[: max(int(np.searchsorted(times, cut.tz_localize(None).to_datetime64(), side="left")), 1)]
        last = positions.loc[labels[-1]]
        rows.append({
            "layer": "position", "id": f"position-{str(icao24) or flight['id']}", "name": _name_aircraft(flight),
            "sources": list(flight["sources"]), "confidence": flight["confidence"],
            "provenance": flight["provenance"], "icao24": icao24, "callsign": flight["callsign"] or None,
            "registration": flight["registration"] or None, "flight_id": flight["id"], "time": _iso(last["time"]),
            "altitude_ft": _round_or_none(last["alt_baro_ft"]), "on_ground": bool(last["on_ground"]),
            "ground_speed_kt": _round_or_none(last["ground_speed_kt"]),
            "track_deg": _round_or_none(last["track_deg"]),
        })
        geometries.append(Point(float(last["lon"]), float(last["lat"])))
    return rows, geometries


def build_track_flight_rows(tracks: TrackSet, flights: pd.DataFrame) -> tuple[list[dict], list[object]]:
    """Return the flight-layer rows of the flights made from tracks."""
    rows, geometries = [], []
    positions = tracks.positions
    for flight in iterate_rows(flights):
        arrival = describe_airfield_by_code(flight.destination_icao) if flight.destination_icao else None
        if arrival:
            geometries.append(Point(arrival.lon, arrival.lat))
        elif len(flight.rows):
            last = positions.loc[flight.rows[-1]]
            geometries.append(Point(float(last["lon"]), float(last["lat"])))
        else:
            geometries.append(None)  # a stated leg with no arrival estimate: listed, not drawn
        rows.append({
            "layer": "flight", "id": flight.id, "name": f"{_name_aircraft(flight)}, {flight.origin_name} → "
                                                       f"{flight.destination_name} (from its track)",
            "sources": list(flight.sources), "confidence": flight.confidence, "provenance": flight.provenance,
            "date": flight.date.date().isoformat(),
            "end_date": None if pd.isna(flight.end_date) else flight.end_date.date().isoformat(),
            "record_type": "individual", "count": None, "count_min": None,
            "aircraft_type": flight.aircraft_type or None, "registration": flight.registration or None,
            "operator": flight.operator or None, "origin": flight.origin, "origin_name": flight.origin_name,
            "destination": flight.destination, "destination_name": flight.destination_name, "via": [],
            "notes": (f"Made from {flight.positions:,} ADS-B positions. " if flight.positions else
                      "A flight leg the file states, without positions. ")
                     + f"Departure: {flight.origin_reason}. Arrival: {flight.destination_reason}.",
            "conflict": None,
            "located_at": "destination" if arrival else "last position" if len(flight.rows) else None,
            "uncertainty_km": None, "icao24": flight.icao24, "callsign": flight.callsign or None,
            "start": _iso(flight.start), "end": _iso(flight.end),
            "origin_candidates": list(flight.origin_candidates),
            "destination_candidates": list(flight.destination_candidates),
        })
    return rows, geometries


def _join_parts(parts: list[list[tuple[float, float]]]) -> LineString | MultiLineString:
    """Return one line per flown stretch: a MultiLineString where the aircraft went dark or crossed +/-180."""
    # Consecutive positions are seconds apart: a straight segment is the flown path. Only a
    # crossing of +/-180 needs cutting (build_geodesic_line does that and adds no vertex
    # for segments under its length limit).
    lines: list[LineString] = []
    for part in parts:
        line = build_geodesic_line(part, max_segment_km=1e9)
        lines.extend(line.geoms if isinstance(line, MultiLineString) else [line])
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


def _name_aircraft(flight: object) -> str:
    registration = getattr(flight, "registration", "") if not isinstance(flight, pd.Series) else flight["registration"]
    callsign = getattr(flight, "callsign", "") if not isinstance(flight, pd.Series) else flight["callsign"]
    icao24 = getattr(flight, "icao24", "") if not isinstance(flight, pd.Series) else flight["icao24"]
    kind = getattr(flight, "aircraft_type", "") if not isinstance(flight, pd.Series) else flight["aircraft_type"]
    label = registration or callsign or (icao24.upper() if icao24 else "unknown aircraft")
    extra = [part for part in (callsign if callsign != label else "", kind) if part]
    return f"{label} ({', '.join(extra)})" if extra else label


def _describe_minutes(minutes: float) -> str:
    if minutes < 60:
        return f"{minutes:.0f} min"
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest:02d} min"


def _iso(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _round_or_none(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else round(float(value))
