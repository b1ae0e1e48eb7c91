"""Map layers as of a date: sites, routes, flights, corridors, events and observations as GeoDataFrames.

The live page and every export draw these same frames; only the rendering differs.
Every feature carries ``layer``, ``id``, ``name``, ``sources`` (list) and ``confidence``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from layers.count_bounds import bound_record, count_record_flights
from layers.dataset import CRS, Dataset, Location
from layers.geodesic import distance_km
from layers.missing import is_present
from layers.route_ends import trim_route_line
from layers.route_facts import describe_leg, flag_leg_closures
from layers.timeline import (
    TimeSelection,
    filter_by_window,
    filter_corridors,
    filter_events_to_date,
    find_last_day,
    select_status_as_of,
)
from layers.tracks.map_layers import (
    build_gap_rows,
    build_position_rows,
    build_track_flight_rows,
    build_track_rows,
    select_flights,
)
from layers.tracks.performance import split_type_names
from layers.vocabulary import OBSERVATION_METHOD_LABELS, RECORD_TYPE_WORDS, is_russian_presence, select_best_confidence

LAYER_NAMES = ("site", "route", "flight", "corridor", "event", "observation", "reach", "track", "gap",
               "position")
_COMMON = ("layer", "id", "name", "sources", "confidence", "provenance")
# Columns of each layer frame, so that an empty layer (no flight in the window) still
# has them and callers can select columns without checking.
LAYER_COLUMNS: dict[str, tuple[str, ...]] = {
    "site": (*_COMMON, "status", "status_date", "status_precision", "status_stale", "status_pending",
             "status_pending_date", "status_actor", "russian_presence",
             "status_note", "status_sources", "status_confidence", "status_conflict", "kind", "group", "country",
             "icao", "alt_names", "role", "notes", "conflict", "coord_origin"),
    "route": (*_COMMON, "record_type", "flights", "records", "flight_ids", "date", "first_date", "end_date",
              "from_id", "to_id", "from_name", "to_name", "from_radius_km", "to_radius_km", "length_km",
              # Uncertain ends (the line stops at the edge of their area, layers/route_ends.py), the
              # places' centres, and how many count reports on the leg give no figure.
              "from_uncertain", "to_uncertain", "from_lon", "from_lat", "to_lon", "to_lat", "reports_unstated",
              # What the great circle crosses and the reported types' time (layers/route_facts.py).
              "countries_overflown", "est_flight_time_h", "flight_time_basis",
              # The airspace closures it meets on its dates (layers.analytics.airspace, sourced).
              "airspace_closed"),
    "flight": (*_COMMON, "date", "end_date", "record_type", "count", "count_min", "aircraft_type",
               "registration", "operator", "origin", "origin_name", "destination", "destination_name",
               "via", "notes", "conflict", "located_at", "uncertainty_km",
               # Only flights made from ADS-B tracks fill these (None elsewhere).
               "icao24", "callsign", "start", "end", "origin_candidates", "destination_candidates"),
    "corridor": (*_COMMON, "description", "waypoints", "valid_from", "valid_to", "schematic"),
    "event": (*_COMMON, "date", "end_date", "description", "category", "places", "place_names",
              "in_window", "conflict", "uncertainty_km"),
    "observation": (*_COMMON, "date", "date_precision", "first_day", "last_day", "method", "place", "place_name",
                    "observed", "aircraft", "conflict", "uncertainty_km"),
    "track": (*_COMMON, "icao24", "callsign", "registration", "aircraft_type", "flight_id", "start", "end",
              "positions", "shown_until", "times", "altitudes_ft"),
    "gap": (*_COMMON, "icao24", "callsign", "registration", "flight_id", "start", "end", "duration_min",
            "distance_km", "implied_speed_kt", "assumed_speed_kt", "reach_km", "last_alt_ft", "next_alt_ft",
            "candidates"),
    "reach": (*_COMMON, "icao24", "callsign", "registration", "flight_id", "start", "end", "gap_id", "reach_km",
              "duration_min"),
    "position": (*_COMMON, "icao24", "callsign", "registration", "flight_id", "time", "altitude_ft", "on_ground",
                 "ground_speed_kt", "track_deg"),
}


@dataclass(frozen=True)
class Snapshot:
    """Everything visible for one time selection, one GeoDataFrame per layer."""

    selection: TimeSelection
    sites: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame
    flights: gpd.GeoDataFrame
    corridors: gpd.GeoDataFrame
    events: gpd.GeoDataFrame
    observations: gpd.GeoDataFrame = field(default_factory=lambda: _to_frame("observation", [], []))
    reaches: gpd.GeoDataFrame = field(default_factory=lambda: _to_frame("reach", [], []))
    tracks: gpd.GeoDataFrame = field(default_factory=lambda: _to_frame("track", [], []))
    gaps: gpd.GeoDataFrame = field(default_factory=lambda: _to_frame("gap", [], []))
    positions: gpd.GeoDataFrame = field(default_factory=lambda: _to_frame("position", [], []))

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Return the layers by their ``layer`` name, in drawing order (bottom first)."""
        return {"corridor": self.corridors, "route": self.routes, "reach": self.reaches, "track": self.tracks,
                "gap": self.gaps, "site": self.sites, "observation": self.observations, "flight": self.flights,
                "position": self.positions, "event": self.events}


def build_snapshot(dataset: Dataset, selection: TimeSelection) -> Snapshot:
    """Build every layer as of ``selection``.

    Parameters
    ----------
    dataset : Dataset
        The validated data.
    selection : TimeSelection
        Date and window.
    """
    flights = filter_by_window(dataset.flights, selection)
    tracked = select_flights(dataset.tracks, selection)
    gap_rows, gap_lines, reach_rows, reach_areas = build_gap_rows(dataset.tracks, tracked, selection)
    return Snapshot(
        selection=selection,
        sites=build_site_layer(dataset, selection),
        routes=build_route_layer(dataset, flights),
        flights=_append(build_flight_layer(dataset, flights), "flight",
                        *build_track_flight_rows(dataset.tracks, tracked)),
        corridors=build_corridor_layer(dataset, selection),
        events=build_event_layer(dataset, selection),
        observations=build_observation_layer(dataset, selection),
        reaches=_to_frame("reach", reach_rows, reach_areas),
        tracks=_to_frame("track", *build_track_rows(dataset.tracks, tracked, selection)),
        gaps=_to_frame("gap", gap_rows, gap_lines),
        positions=_to_frame("position", *build_position_rows(dataset.tracks, tracked, selection)),
    )


def _append(frame: gpd.GeoDataFrame, layer: str, rows: list[dict], geometries: list) -> gpd.GeoDataFrame:
    if not rows:
        return frame
    extra = _to_frame(layer, rows, geometries)
    return gpd.GeoDataFrame(pd.concat([frame, extra], ignore_index=True), geometry="geometry", crs=CRS)


def build_site_layer(dataset: Dataset, selection: TimeSelection) -> gpd.GeoDataFrame:
    """Return every site with the status in force on the selection's date.

    ``status_actor`` is the actor that status row names (None before the first row, or for
    a workspace row imported without one) and ``russian_presence`` whether that row shows a
    Russian actor present (:func:`layers.vocabulary.is_russian_presence`): a query over the
    row in force, so a later row about another actor is what the site shows from its date.
    ``status_stale`` says the row in force is older than the stale age, ``status_pending`` /
    ``status_pending_date`` name a partial row not yet in force (:mod:`layers.timeline`).
    """
    sites = dataset.sites
    status = select_status_as_of(dataset.site_status, sites.index, selection.as_of)
    rows = []
    states = status.to_dict("index")  # one lookup table: .loc per site costs more than the layer
    for site_id, site in sites.iterrows():
        state = states[site_id]
        in_force = isinstance(state["note"], str)
        rows.append({
            "layer": "site", "id": site_id, "name": site["name"],
            "sources": list(site["sources"]), "confidence": site["confidence"],
            "provenance": _join_provenance([site["provenance"], state.get("provenance") if in_force else None]),
            "status": state["status"],
            "status_date": state["date"] if in_force else None,
            "status_precision": state["precision"] if in_force else None,
            "status_stale": bool(in_force and state["stale"]),
            "status_pending": _text_or_none(state["pending_status"]),
            "status_pending_date": _text_or_none(state["pending_date"]),
            "status_actor": _text_or_none(state.get("actor")) if in_force else None,
            "russian_presence": in_force and is_russian_presence(state.get("actor"), state["status"]),
            "status_note": state["note"] if in_force else None,
            "status_sources": list(state["sources"]) if in_force else [],
            "status_confidence": state["confidence"] if in_force else None,
            "status_conflict": _text_or_none(state["conflict"]) if in_force else None,
            "kind": site["kind"], "group": site["group"], "country": site["country"],
            "icao": _text_or_none(site["icao"]),
            "alt_names": list(site["alt_names"] or []),
            "role": site["role"], "notes": _text_or_none(site["notes"]),
            "conflict": _text_or_none(site["conflict"]), "coord_origin": site["coord_origin"],
        })
    return _to_frame("site", rows, list(sites.geometry))


def build_route_layer(dataset: Dataset, flights: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return one geodesic line per directed leg and record type of the given flights.

    A flight origin -> via... -> destination gives one leg per stop. Records of one type
    on the same leg are merged: ``flights`` counts individual flights and plans one each,
    and count reports by their lower bound (:func:`layers.count_bounds.count_record_flights`), so the width
    never overstates what the sources say; ``reports_unstated`` counts the reports that
    give no figure. ``confidence`` is that of the best-sourced record on the leg: the leg
    exists if that record is right.

    An end whose airfield is not named (``radius_km`` > 0) is ``from_uncertain`` /
    ``to_uncertain`` and the line stops at the edge of its circle
    (:func:`layers.route_ends.trim_route_line`); when the two circles leave nothing
    between them the geometry is None: the leg is listed, not drawn. ``length_km`` is the
    distance between the ends' centres.
    """
    legs: dict[tuple[str, str, str], list[pd.Series]] = {}
    for _, flight in flights.iterrows():
        stops = [flight["origin"], *(flight["via"] or []), flight["destination"]]
        if any(not isinstance(stop, str) for stop in stops):
            continue  # an unlocated endpoint: the record shows as a flight point only
        for start, end in pairwise(stops):
            legs.setdefault((start, end, flight["record_type"]), []).append(flight)
    rows: list[dict[str, Any]] = []
    geometries: list[BaseGeometry | None] = []
    for leg, records in legs.items():
        row, line = build_route_row(dataset, leg, records)
        rows.append(row)
        geometries.append(line)
    return _to_frame("route", rows, geometries)


def build_route_row(dataset: Dataset, leg: tuple[str, str, str],
                    records: Sequence[pd.Series | Mapping[Any, Any]]) -> tuple[dict[str, Any], BaseGeometry | None]:
    """Return the row and line of one leg (start, end, record type) carried by ``records``.

    The records are flight rows (``dataset.flights``, as Series or plain mappings), one per time each flies the leg;
    :func:`build_route_layer` gives each leg of a set of flights this row. The scrub
    index (``dashboard.webmap.scrub_index``) builds the row of one leg for each set of
    flights a window shows, without making a frame of them.
    """
    start, end, record_type = leg
    origin, destination = dataset.locations[start], dataset.locations[end]
    line = trim_route_line(origin, destination)
    dates = [r["date"] for r in records]
    # The last day the records cover: a count report's period runs to its end date.
    last_day = max(find_last_day(r) for r in records)
    types = [name for r in records for name in split_type_names(r["aircraft_type"])]
    facts = describe_leg(dataset, start, end, types)
    row = {
        "layer": "route", "id": f"route-{start}-{end}-{record_type}",
        "name": f"{origin.name} → {destination.name}",
        "sources": _merge_sources(records), "confidence": _best_confidence(records),
        "provenance": _join_provenance([r["provenance"] for r in records]),
        "record_type": record_type,
        "flights": sum(count_record_flights(r) for r in records),
        "records": len(records), "flight_ids": [r["id"] for r in records],
        "date": max(dates).date().isoformat(), "first_date": min(dates).date().isoformat(),
        "end_date": last_day.date().isoformat(),
        "from_id": start, "to_id": end, "from_name": origin.name, "to_name": destination.name,
        "from_radius_km": origin.radius_km, "to_radius_km": destination.radius_km,
        "length_km": round(distance_km(origin.lon, origin.lat, destination.lon, destination.lat), 1),
        "from_uncertain": origin.radius_km > 0, "to_uncertain": destination.radius_km > 0,
        "from_lon": origin.lon, "from_lat": origin.lat, "to_lon": destination.lon, "to_lat": destination.lat,
        "reports_unstated": sum(r["record_type"] == "count" and bound_record(r) is None for r in records),
        "countries_overflown": list(facts.countries), "est_flight_time_h": facts.hours,
        "flight_time_basis": facts.basis,
        "airspace_closed": flag_leg_closures(
            facts, first=min(dates).date(), last=last_day.date(),
            registrations=[str(r["registration"]) for r in records if is_present(r["registration"])],
            operators=[str(r["operator"]) for r in records if is_present(r["operator"])]),
    }
    return row, line


def build_flight_layer(dataset: Dataset, flights: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return one point per flight record: at its destination, else at its origin.

    A record whose endpoints are both unlocated keeps a null geometry, so it is listed
    but never drawn somewhere the sources do not put it.
    """
    rows, geometries = [], []
    for _, flight in flights.iterrows():
        anchor, at = _locate_first(dataset, [("destination", flight["destination"]),
                                             ("origin", flight["origin"])])
        rows.append({
            "layer": "flight", "id": flight["id"], "name": _describe_flight(flight),
            "sources": list(flight["sources"]), "confidence": flight["confidence"],
            "provenance": flight["provenance"],
            "date": flight["date"].date().isoformat(), "end_date": _iso_or_none(flight["end_date"]),
            "record_type": flight["record_type"], "count": _text_or_none(flight["count"]),
            "count_min": int(flight["count_min"]) if is_present(flight["count_min"]) else None,
            "aircraft_type": _text_or_none(flight["aircraft_type"]),
            "registration": _text_or_none(flight["registration"]),
            "operator": _text_or_none(flight["operator"]),
            "origin": _text_or_none(flight["origin"]), "origin_name": flight["origin_as_reported"],
            "destination": _text_or_none(flight["destination"]),
            "destination_name": flight["destination_as_reported"],
            "via": list(flight["via"] or []), "notes": _text_or_none(flight["notes"]),
            "conflict": _text_or_none(flight["conflict"]),
            "located_at": at, "uncertainty_km": anchor.radius_km if anchor else None,
        })
        geometries.append(Point(anchor.lon, anchor.lat) if anchor else None)
    return _to_frame("flight", rows, geometries)


def build_corridor_layer(dataset: Dataset, selection: TimeSelection) -> gpd.GeoDataFrame:
    """Return the documented corridors in use on the selection's date."""
    corridors = filter_corridors(dataset.corridors, selection)
    rows = [{
        "layer": "corridor", "id": cid, "name": row["name"], "sources": list(row["sources"]),
        "confidence": row["confidence"], "provenance": row["provenance"], "description": row["description"],
        "waypoints": list(row["waypoints"]), "valid_from": _iso_or_none(row["valid_from"]),
        "valid_to": _iso_or_none(row["valid_to"]), "schematic": True,
    } for cid, row in corridors.iterrows()]
    return _to_frame("corridor", rows, list(corridors.geometry))


def build_event_layer(dataset: Dataset, selection: TimeSelection) -> gpd.GeoDataFrame:
    """Return the events up to the selection's date, at their first place (or no place)."""
    events = filter_events_to_date(dataset.events, selection)
    rows, geometries = [], []
    for _, event in events.iterrows():
        places = list(event["places"] or [])
        anchor = dataset.locations[places[0]] if places else None
        rows.append({
            "layer": "event", "id": event["id"], "name": event["title"],
            "sources": list(event["sources"]), "confidence": event["confidence"],
            "provenance": event["provenance"],
            "date": event["date"].date().isoformat(), "end_date": _iso_or_none(event["end_date"]),
            "description": event["description"], "category": event["category"],
            "places": places, "place_names": [dataset.locations[p].name for p in places],
            "in_window": bool(event["in_window"]), "conflict": _text_or_none(event["conflict"]),
            "uncertainty_km": anchor.radius_km if anchor else None,
        })
        geometries.append(Point(anchor.lon, anchor.lat) if anchor else None)
    return _to_frame("event", rows, geometries)


def build_observation_layer(dataset: Dataset, selection: TimeSelection) -> gpd.GeoDataFrame:
    """Return the observations whose date meets the selection's window, at their place.

    An observation dated to a month or year spans that whole period (``first_day`` ..
    ``last_day``) and is in the window while the period meets it, as a flight record is.
    """
    observations = dataset.observations
    window = observations[["start", "end"]].set_axis(["date", "end_date"], axis=1)
    shown = observations.loc[filter_by_window(window, selection).index]
    rows, geometries = [], []
    for _, obs in shown.iterrows():
        place = dataset.locations[obs["place"]]
        method = OBSERVATION_METHOD_LABELS[obs["method"]]
        rows.append({
            "layer": "observation", "id": obs["id"], "name": f"{method}: {place.name}",
            "sources": list(obs["sources"]), "confidence": obs["confidence"], "provenance": obs["provenance"],
            "date": obs["date"], "date_precision": obs["precision"],
            "first_day": obs["start"].date().isoformat(), "last_day": obs["end"].date().isoformat(),
            "method": obs["method"], "place": obs["place"], "place_name": place.name,
            "observed": obs["observed"], "aircraft": _text_or_none(obs["aircraft"]),
            "conflict": _text_or_none(obs["conflict"]), "uncertainty_km": place.radius_km,
        })
        geometries.append(Point(place.lon, place.lat))
    return _to_frame("observation", rows, geometries)


def build_layer_frame(layer: str, rows: list[dict], geometries: list) -> gpd.GeoDataFrame:
    """Return the frame of ``layer`` holding ``rows`` at ``geometries``, typed as every snapshot layer is."""
    return _to_frame(layer, rows, geometries)


def _to_frame(layer: str, rows: list[dict], geometries: list) -> gpd.GeoDataFrame:
    # Object columns keep None as None (not NaN) in every column, whichever rows are present.
    frame = pd.DataFrame(rows, columns=list(LAYER_COLUMNS[layer]), dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometries, crs=CRS), crs=CRS)


def _locate_first(dataset: Dataset, candidates: Iterable[tuple[str, object]]) -> tuple[Location | None, str | None]:
    for role, ref in candidates:
        if isinstance(ref, str):
            return dataset.locations[ref], role
    return None, None


def _describe_flight(flight: pd.Series) -> str:
    aircraft = _text_or_none(flight["aircraft_type"]) or "aircraft type not reported"
    registration = _text_or_none(flight["registration"])
    count = _text_or_none(flight["count"])
    # An individual flight is the default, so only the other record types name themselves.
    record_type = flight["record_type"]
    label = "" if record_type == "individual" else f"{RECORD_TYPE_WORDS[record_type].capitalize()}: "
    what = f"{aircraft} {registration}" if registration else aircraft
    if count:
        what = f"{count} × {what}"
    return f"{label}{what}, {flight['origin_as_reported']} → {flight['destination_as_reported']}"


def _join_provenance(values: Iterable[object]) -> str:
    """Say where a feature's rows came from: ``shipped``, or ``shipped; batch b0002 (notes.csv)``."""
    return "; ".join(dict.fromkeys(str(v) for v in values if is_present(v)))


def _merge_sources(records: Sequence[pd.Series | Mapping[Any, Any]]) -> list[str]:
    return list(dict.fromkeys(source for r in records for source in r["sources"]))


def _best_confidence(records: Sequence[pd.Series | Mapping[Any, Any]]) -> str:
    return select_best_confidence(r["confidence"] for r in records)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _iso_or_none(value: dt.date | None) -> str | None:
    return pd.Timestamp(value).date().isoformat() if is_present(value) else None
