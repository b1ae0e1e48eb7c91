"""A workspace's ADS-B positions made into flights and gaps, ready for the map layers.

:func:`build_trackset` is a pure function of the stored positions, the watchlist and the
sites (the analyst's known bases): nothing derived is stored, so undoing a track batch
removes its flights and gaps with it, and a rule change applies to every track at once.

Each flight record is ``individual``, dated on its first position's UTC day, with the
registration and type from the file or else the watchlist, origin and destination
inferred (:mod:`layers.tracks.airfield_match`; the analyst's site id where a site is at
that airfield, else the airportsdata key), its batch's file as its source and the
confidence given at import (``low`` when none).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point, Polygon

from layers.airfields import find_airfield, is_known_airfield
from layers.tracks.airfield_match import Endpoint, infer_endpoint
from layers.tracks.gaps import GAP_MINUTES, GapEnd, build_reach_ellipse, compute_reach_km, measure_gap, rank_candidates
from layers.tracks.performance import find_performance
from layers.tracks.positions import iterate_rows
from layers.tracks.simplify import select_display_vertices
from layers.tracks.splitting import FlightSplit, split_flights
from layers.vocabulary import select_weakest_confidence

FLIGHT_COLUMNS = ("id", "icao24", "callsign", "registration", "aircraft_type", "operator", "start", "end", "date",
                  "end_date", "positions", "origin", "origin_icao", "origin_name", "origin_reason",
                  "origin_candidates", "destination", "destination_icao", "destination_name", "destination_reason",
                  "destination_candidates", "starts_because", "sources", "confidence", "provenance", "simplified",
                  "rows", "display_rows", "display_coords", "display_times", "display_alts", "display_breaks")
GAP_COLUMNS = ("id", "flight_id", "icao24", "callsign", "registration", "start", "end", "last_lat", "last_lon",
               "last_alt_ft", "next_lat", "next_lon", "next_alt_ft", "duration_min", "distance_km",
               "implied_speed_kt", "assumed_speed_kt", "reach_km", "candidates", "ellipse", "sources", "confidence",
               "provenance")


@dataclass(frozen=True)
class BatchSourcing:
    """What a track batch's features cite: the file as a source, and the confidence given."""

    sources: tuple[str, ...]
    confidence: str


@dataclass(frozen=True)
class TrackSet:
    """Positions, the flights split from them and the gaps inside those flights.

    Attributes
    ----------
    positions : pandas.DataFrame
        The position table (with ``batch_id``), in batch then file order.
    flights : pandas.DataFrame
        One row per flight (:data:`FLIGHT_COLUMNS`); ``rows`` and ``display_rows`` are the
        labels of its positions and of the ones kept for display (each part between gaps
        thinned on its own, so both ends of every gap are kept); ``display_breaks`` are the
        display vertices that start a part after a gap.
    gaps : pandas.DataFrame
        One row per gap (:data:`GAP_COLUMNS`), ``candidates`` best first.
    """

    positions: pd.DataFrame
    flights: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FLIGHT_COLUMNS)))
    gaps: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(GAP_COLUMNS)))

    @property
    def empty(self) -> bool:
        """True when there are no positions."""
        return self.positions.empty


def build_trackset(positions: pd.DataFrame, sourcing: Mapping[str, BatchSourcing], *, watchlist: pd.DataFrame,
                   sites: pd.DataFrame, flight_records: pd.DataFrame, gap_minutes: float = GAP_MINUTES,
                   simplified_batches: frozenset[str] = frozenset(), legs: pd.DataFrame | None = None) -> TrackSet:
    """Split positions into flights, find their gaps and rank where each gap could have ended on the ground.

    Parameters
    ----------
    positions : pandas.DataFrame
        Position table with ``batch_id`` (:meth:`layers.store.WorkspaceStore.read_positions`).
    sourcing : mapping of str to BatchSourcing
        Batch id -> what its features cite.
    watchlist : pandas.DataFrame
        The aircraft watchlist (index icao24; registration, type, operator).
    sites : pandas.DataFrame
        The analyst's sites (index id; ``icao``): the known bases, and how an inferred
        airfield is named by its site id.
    flight_records : pandas.DataFrame
        The dataset's flight records, counted as earlier visits of airfields.
    gap_minutes : float
        Silences longer than this inside a flight are gaps.
    simplified_batches : frozenset of str
        Batches whose source thinned the track (OpenSky ``/tracks``): no gaps are made
        from them, since their silences are the thinning's, not the aircraft's.
    legs : pandas.DataFrame, optional
        Flight legs files stated (OpenSky ``/flights``,
        :meth:`layers.store.WorkspaceStore.read_legs`): each becomes a flight record with
        the source's departure and arrival estimates, and no track.
    """
    site_of = {str(code): str(sid) for sid, code in sites["icao"].items() if isinstance(code, str) and code}
    site_names = {str(sid): str(name) for sid, name in sites["name"].items()}
    icao_of_site = {sid: code for code, sid in site_of.items()}
    types = {str(code): str(kind) for code, kind in watchlist["type"].items() if isinstance(kind, str) and kind}
    splits = split_flights(positions, types)
    flights = [_describe_flight(split, positions, sourcing=sourcing, watchlist=watchlist, site_of=site_of,
                                site_names=site_names, simplified_batches=simplified_batches,
                                gap_minutes=math.inf if _is_simplified(split, positions, simplified_batches)
                                else gap_minutes) for split in splits]
    if legs is not None:
        flights += [_describe_leg(leg, sourcing=sourcing, watchlist=watchlist, site_of=site_of, site_names=site_names)
                    for leg in iterate_rows(legs)]
    visits: Counter[str] = Counter()
    for column in ("origin", "destination"):
        for ref in flight_records[column]:
            if isinstance(ref, str) and ref in icao_of_site:
                visits[icao_of_site[ref]] += 1
    for flight in flights:
        for key in ("origin_icao", "destination_icao"):
            if flight[key]:
                visits[flight[key]] += 1
    gaps = [gap for flight in flights if not flight["simplified"]
            for gap in _find_gaps(flight, positions, gap_minutes, visits, site_of)]
    return TrackSet(positions, pd.DataFrame(flights, columns=list(FLIGHT_COLUMNS)),
                    pd.DataFrame(gaps, columns=list(GAP_COLUMNS)))


def _describe_flight(split: FlightSplit, positions: pd.DataFrame, *, sourcing: Mapping[str, BatchSourcing],
                     watchlist: pd.DataFrame, site_of: Mapping[str, str], site_names: Mapping[str, str],
                     simplified_batches: frozenset[str], gap_minutes: float) -> dict[str, Any]:
    rows = positions.loc[split.rows]
    first, last = rows.iloc[0], rows.iloc[-1]
    listed = _look_up_watchlist(watchlist, split.icao24)
    registration = _first_text(rows["registration"]) or listed["registration"]
    aircraft_type = _first_text(rows["aircraft_type"]) or listed["type"]
    departure = infer_endpoint(first["lat"], first["lon"], first["alt_baro_ft"], bool(first["on_ground"]), "departure")
    arrival = infer_endpoint(last["lat"], last["lon"], last["alt_baro_ft"], bool(last["on_ground"]), "arrival")
    batches = list(dict.fromkeys(rows["batch_id"]))
    sources = list(dict.fromkeys(s for b in batches for s in sourcing[b].sources))
    display, breaks = _select_display(rows, gap_minutes)
    shown = positions.loc[display]
    start, end = pd.Timestamp(first["time"]), pd.Timestamp(last["time"])
    return {
        "id": f"trk-{split.icao24 or 'unknown'}-{start:%Y%m%dt%H%M%S}",
        "icao24": split.icao24, "callsign": _first_text(rows["callsign"]), "registration": registration,
        "aircraft_type": aircraft_type, "operator": listed["operator"],
        "start": start, "end": end, "date": start.normalize().tz_localize(None),
        "end_date": end.normalize().tz_localize(None) if end.date() != start.date() else pd.NaT,
        "positions": len(rows),
        **_describe_endpoint("origin", departure, site_of, site_names),
        **_describe_endpoint("destination", arrival, site_of, site_names),
        "starts_because": split.starts_because, "sources": sources,
        "confidence": select_weakest_confidence(sourcing[b].confidence for b in batches),
        "provenance": "; ".join(dict.fromkeys(rows["provenance"])),
        "simplified": any(b in simplified_batches for b in batches),
        "rows": rows.index.to_numpy(), "display_rows": display,
        # Made once here, so a date step only selects and cuts them (ISO text sorts as time does).
        "display_coords": list(zip(shown["lon"].tolist(), shown["lat"].tolist(), strict=True)),
        "display_times": shown["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ").tolist(),
        "display_alts": [None if pd.isna(a) else round(float(a)) for a in shown["alt_baro_ft"]],
        "display_breaks": breaks,
    }


def _select_display(rows: pd.DataFrame, gap_minutes: float) -> tuple[np.ndarray, list[int]]:
    """Return the labels of the positions kept for display and where each part after a gap starts.

    Each stretch between gaps is thinned on its own: thinning the whole flight at once
    could drop the last position before a silence and join the two sides with a straight
    "flown" line across it.
    """
    seconds = rows["time"].to_numpy(dtype="datetime64[ns]").astype("int64") / 1e9
    starts = [0, *(np.flatnonzero(np.diff(seconds) > gap_minutes * 60) + 1).tolist(), len(rows)]
    labels, lon, lat = rows.index.to_numpy(), rows["lon"].to_numpy(), rows["lat"].to_numpy()
    kept: list[np.ndarray] = []
    breaks: list[int] = []
    for first, stop in pairwise(starts):
        if kept:
            breaks.append(sum(len(part) for part in kept))
        kept.append(labels[first:stop][select_display_vertices(lon[first:stop], lat[first:stop])])
    return np.concatenate(kept), breaks


def _describe_leg(leg: Any, *, sourcing: Mapping[str, BatchSourcing], watchlist: pd.DataFrame,
                  site_of: Mapping[str, str], site_names: Mapping[str, str]) -> dict[str, Any]:
    listed = _look_up_watchlist(watchlist, leg.icao24)
    start, end = pd.Timestamp(leg.first_seen), pd.Timestamp(leg.last_seen)
    endpoints: dict[str, Any] = {}
    for role, code, key in (("origin", leg.departure, "estDepartureAirport"),
                            ("destination", leg.arrival, "estArrivalAirport")):
        known_code = code if code and is_known_airfield(code) else None
        site = site_of.get(known_code) if known_code else None
        name = (site_names[site] if site else find_airfield(known_code).name if known_code else "not estimated")
        endpoints |= {role: site or known_code, f"{role}_icao": known_code, f"{role}_name": name,
                      f"{role}_reason": f"OpenSky's estimate ({key} {code or 'null'})",
                      f"{role}_candidates": [{"icao": known_code, "id": site, "name": name, "distance_km": None}]
                      if known_code else []}
    return {
        "id": f"leg-{leg.icao24 or 'unknown'}-{start:%Y%m%dt%H%M%S}", "icao24": leg.icao24, "callsign": leg.callsign,
        "registration": listed["registration"], "aircraft_type": listed["type"], "operator": listed["operator"],
        "start": start, "end": end,
        "date": start.normalize().tz_localize(None),
        "end_date": end.normalize().tz_localize(None) if end.date() != start.date() else pd.NaT, "positions": 0,
        **endpoints, "starts_because": "a flight leg the file states", "sources": list(sourcing[leg.batch_id].sources),
        "confidence": sourcing[leg.batch_id].confidence, "provenance": f"batch {leg.batch_id}", "simplified": True,
        "rows": np.array([], dtype="int64"), "display_rows": np.array([], dtype="int64"), "display_coords": [],
        "display_times": [], "display_alts": [], "display_breaks": [],
    }


def _is_simplified(split: FlightSplit, positions: pd.DataFrame, simplified_batches: frozenset[str]) -> bool:
    """Return whether a flight's positions come from a thinned source (its silences are not gaps)."""
    return bool(simplified_batches) and bool(positions.loc[split.rows, "batch_id"].isin(simplified_batches).any())


def _describe_endpoint(role: str, endpoint: Endpoint, site_of: Mapping[str, str],
                       site_names: Mapping[str, str]) -> dict[str, Any]:
    chosen = endpoint.candidates[0] if endpoint.icao else None
    site = site_of.get(endpoint.icao) if endpoint.icao else None
    # The analyst's name for a known site ("Hmeimim (Khmeimim) Air Base"), else airportsdata's.
    name = site_names[site] if site else chosen.name if chosen else "not inferred"
    return {
        role: site or endpoint.icao,
        f"{role}_icao": endpoint.icao,
        f"{role}_name": name,
        f"{role}_reason": endpoint.reason,
        f"{role}_candidates": [{"icao": c.icao, "id": site_of.get(c.icao), "name": c.name,
                                "distance_km": c.distance_km} for c in endpoint.candidates],
    }


def _find_gaps(flight: Mapping[str, Any], positions: pd.DataFrame, gap_minutes: float, visits: Counter[str],
               site_of: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = positions.loc[flight["rows"]]
    seconds = rows["time"].to_numpy(dtype="datetime64[ns]").astype("int64") / 1e9
    silent = np.flatnonzero(np.diff(seconds) > gap_minutes * 60)
    fastest = float(np.nanmax(rows["ground_speed_kt"].to_numpy(dtype="float64"), initial=0.0))
    speed = max(find_performance(str(flight["aircraft_type"])).top_speed_kt, fastest)
    found: list[dict[str, Any]] = []
    for index in silent:
        before, after = _to_end(rows.iloc[index]), _to_end(rows.iloc[index + 1])
        minutes, distance, implied = measure_gap(before, after)
        reach = compute_reach_km(minutes, speed)
        candidates = rank_candidates(before, after, reach, visits=visits, known_bases=site_of)
        ellipse: Polygon | None = build_reach_ellipse(before, after, reach)
        found.append({
            "id": f"{flight['id']}-gap{len(found) + 1}", "flight_id": flight["id"], "icao24": flight["icao24"],
            "callsign": flight["callsign"], "registration": flight["registration"],
            "start": before.time, "end": after.time, "last_lat": before.lat, "last_lon": before.lon,
            "last_alt_ft": before.altitude_ft, "next_lat": after.lat, "next_lon": after.lon,
            "next_alt_ft": after.altitude_ft, "duration_min": round(minutes, 1), "distance_km": round(distance, 1),
            "implied_speed_kt": round(implied) if math.isfinite(implied) else None,
            "assumed_speed_kt": round(speed), "reach_km": round(reach, 1),
            "candidates": [{"icao": c.icao, "id": c.site_id, "name": c.name, "score": c.score,
                            "reasons": list(c.reasons)} for c in candidates],
            "ellipse": ellipse, "sources": flight["sources"], "confidence": flight["confidence"],
            "provenance": flight["provenance"],
        })
    return found


def _to_end(row: pd.Series) -> GapEnd:
    return GapEnd(pd.Timestamp(row["time"]), float(row["lat"]), float(row["lon"]), float(row["alt_baro_ft"]),
                  float(row["vertical_rate_fpm"]), float(row["track_deg"]), bool(row["on_ground"]))


def build_track_line(positions: pd.DataFrame, labels: np.ndarray) -> LineString | None:
    """Return the line through the positions ``labels`` (lon, lat), or None for fewer than two."""
    if len(labels) < 2:
        return None
    rows = positions.loc[labels]
    return LineString(np.column_stack([rows["lon"].to_numpy(), rows["lat"].to_numpy()]))


def build_point(lon: float, lat: float) -> Point:
    """Return a Point (lon, lat)."""
    return Point(lon, lat)


def _look_up_watchlist(watchlist: pd.DataFrame, icao24: str) -> dict[str, str]:
    """Return the watchlist's registration, type and operator of an aircraft ("" for each when unlisted)."""
    row = watchlist.loc[icao24] if icao24 in watchlist.index else None
    return {name: _text(row[name]) if row is not None else "" for name in ("registration", "type", "operator")}


def _first_text(values: pd.Series) -> str:
    return next((str(v) for v in values if isinstance(v, str) and v), "")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
