"""The scrub index: what the map's script needs to draw any date and window by itself.

The live page's date control runs in the browser (``static/airbridge/airbridge-scrub.js``):
moving it redraws the map within a frame, and Python hears the date only when the hand
settles. So the catalogue carries, besides its texts and geometries, the time rules of
``layers.timeline`` and ``layers.tracks.map_layers`` reduced to day numbers (days since
1970-01-01, UTC), with every feature already encoded as the live layers encode it
(:func:`dashboard.webmap.map_payload.encode_layers`; a flight record, event or observation
as a badge of its own, by :mod:`dashboard.webmap.place_features`), so that the script only
chooses and groups, and never builds a text:

* ``sites``: per site, its variants from the day each takes effect: one per day its display
  can change (``layers.timeline.list_status_change_days``: a row takes effect, a partial
  row turns pending, a status turns stale), with the label rank of the status; a site is ranked busy when an
  in-window flight record ends or stops there (``ends``).
* ``records``: every flight record (and flight made from a track): its first and last
  day, its place (records at one place share a badge), its feature and circle.
* ``routes``: per leg and record type, the route feature of each set of flights the leg
  carries on some date, and per window the runs of days (``spans``) that show each one:
  a route's width, sources and popup depend on the flights in the window, so they are
  built here by ``layers.build_route_layer``, not in the browser (its cut ends and
  uncertain stubs too; a leg that both ends' areas cover is drawn on no day).
* ``events``, ``observations``, ``corridors``: first and last day (events stay on the
  map once shown; observations show while their period meets the window).
* ``tracks``: per flight made from ADS-B positions, its track and last position cut at
  the end of each day it is under way; ``gaps``, shown from the day the aircraft is seen
  again.

``tests/test_scrub_browser.py`` checks that the script draws, for many dates and windows,
exactly the features Python's :func:`layers.build_snapshot` gives. No Streamlit here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from itertools import pairwise
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from layers import Dataset, Snapshot, TimeSelection, build_snapshot
from layers.features import LAYER_COLUMNS, build_corridor_layer, build_layer_frame, build_route_row, build_site_layer
from layers.timeline import list_status_change_days
from layers.tracks.map_layers import build_gap_rows, build_position_rows, build_track_rows

from dashboard.webmap.catalogue import CatalogueBuilder
from dashboard.webmap.coordinates import iter_features, iter_rows
from dashboard.webmap.map_contract import FEATURE_FIELDS
from dashboard.webmap.place_features import (
    GROUP_NOUNS,
    Circles,
    Located,
    encode_event_group,
    encode_flight_group,
    encode_observation_group,
)
from dashboard.webmap.popups import build_group_tooltip

SCRUB_WINDOWS: dict[str, int | None] = {"1": 1, "7": 7, "30": 30, "all": None}
"""The windows the date control offers, by the key the script uses (``all``: cumulative)."""
ROUTE_PROPERTIES = LAYER_COLUMNS["route"]  # a route row's properties, in the order its layer frame has them
EPOCH = dt.date(1970, 1, 1)
Encoded = dict[str, Any]


def day_number(value: dt.date | pd.Timestamp | str) -> int:
    """Return the UTC day of a date, timestamp or ISO text as days since 1970-01-01."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(None)
    return (stamp.date() - EPOCH).days


def build_scrub_index(dataset: Dataset, builder: CatalogueBuilder) -> Encoded:
    """Return the scrub index of ``dataset``, numbering its texts and geometries in ``builder``.

    Parameters
    ----------
    dataset : Dataset
        The validated data (with the workspace's tracks).
    builder : CatalogueBuilder
        The catalogue being built; the index refers to its entries by number.
    """
    first, last = dataset.first_date.date(), dataset.last_date.date()
    cumulative = build_snapshot(dataset, TimeSelection(last, None))
    records, noun_sizes = _encode_records(cumulative, builder)
    events, event_sizes = _encode_points(cumulative.events, "event", builder)
    observations, observation_sizes = _encode_points(cumulative.observations, "observation", builder)
    largest = {"flight": noun_sizes, "event": event_sizes, "observation": observation_sizes}
    return {
        "first": day_number(first), "last": day_number(last), "windows": dict(SCRUB_WINDOWS),
        "sites": _encode_sites(dataset, builder, first, last),
        "records": records, "events": events, "observations": observations,
        "groupTips": {kind: {str(n): builder.text(build_group_tooltip(n, GROUP_NOUNS[kind]))
                             for n in range(2, size + 1)} for kind, size in largest.items()},
        "routes": _encode_routes(dataset, builder, day_number(first), day_number(last)),
        "corridors": _encode_corridors(dataset, builder, first, last),
        **_encode_tracks(dataset, builder, day_number(last)),
    }


@cache
def _empty_snapshot() -> Snapshot:
    names = {"sites": "site", "routes": "route", "flights": "flight", "corridors": "corridor", "events": "event"}
    return Snapshot(selection=TimeSelection(EPOCH, None),
                    **{attr: build_layer_frame(layer, [], []) for attr, layer in names.items()})


def _snapshot(**frames: Any) -> Snapshot:
    """Return a snapshot of the given layers, the others empty (never changed: encoding only reads them)."""
    return dataclasses.replace(_empty_snapshot(), **frames)


def _encode_one(snapshot: Snapshot, builder: CatalogueBuilder) -> dict[str, list[Encoded]]:
    """Return the features of a snapshot of a few rows, by kind, as ``{field: value}`` objects."""
    from dashboard.webmap.map_payload import encode_layers  # map_payload imports this module

    layers = encode_layers(snapshot, builder)
    return {kind: [{name: columns[name][i] for name in FEATURE_FIELDS[kind]}
                   for i in range(len(columns[FEATURE_FIELDS[kind][0]]))] if columns else []
            for kind, columns in layers.items()}


def _rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict[str, Any], pd.DataFrame]]:
    """Yield (position, properties, one-row frame) of each row, geometry or not."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for position in range(len(frame)):
        one = frame.iloc[position:position + 1]
        yield position, dict(zip(columns, one[columns].iloc[0].tolist(), strict=True)), one


def _encode_sites(dataset: Dataset, builder: CatalogueBuilder, first: dt.date, last: dt.date) -> list[Encoded]:
    changes = list_status_change_days(dataset.site_status)  # rows taking effect, pending, turning stale
    days = sorted({first} | {d for d in changes if first < d <= last})
    variants: dict[str, list[list[Any]]] = {}
    for day in days:
        layer = build_site_layer(dataset, TimeSelection(day, 1))
        # No route or flight in this snapshot: each site gets the label rank of its status.
        encoded = _encode_one(_snapshot(sites=layer), builder)["site"]
        for (props, _), feature in zip(iter_features(layer), encoded, strict=True):
            mine = variants.setdefault(str(props["id"]), [])
            if not mine or mine[-1][1] != feature:
                mine.append([day_number(day), feature])
    return [{"id": site_id, "variants": mine} for site_id, mine in variants.items()]


def _order(frame: pd.DataFrame) -> list[int]:
    """Return each row's rank by (date, id) as text, as ``map_payload`` sorts a place's group."""
    keys = [(str(d), str(i)) for d, i in zip(frame["date"], frame["id"], strict=True)]
    ranking = {key: rank for rank, key in enumerate(sorted(set(keys)))}
    return [ranking[key] for key in keys]


def _last_day(props: dict[str, Any]) -> int:
    end = props.get("end_date")
    return day_number(end if isinstance(end, str) and end else props["date"])


def _encode_records(cumulative: Snapshot, builder: CatalogueBuilder) -> tuple[list[Encoded], int]:
    """Return the flight records one by one (each its own badge and circle), with their days; and the largest place.

    One pass over the frame: a one-row snapshot per record, through ``encode_layers``, cost
    4.6 ms a record (1,030 records: 4.8 s) in pandas' row handling alone.
    """
    flights = cumulative.flights
    order = _order(flights) if len(flights) else []
    records: list[Encoded] = []
    per_place: dict[str | None, int] = {}
    for position, (props, geometry) in enumerate(iter_rows(flights)):
        stops = [props.get("origin"), *(props.get("via") or []), props.get("destination")]
        ends = {str(s) for s in (props.get("origin"), props.get("destination")) if isinstance(s, str)}
        if not isinstance(props.get("icao24"), str) and all(isinstance(s, str) for s in stops):
            ends |= {str(s) for s in stops}  # a record's legs are routes, whose ends are busy too
        feature, circle = _encode_alone(encode_flight_group, "flight", props, geometry, builder)
        place = str(feature["geom"]) if feature else None
        per_place[place] = per_place.get(place, 0) + 1
        records.append({"from": day_number(props["date"]), "to": _last_day(props), "order": order[position],
                        "place": place, "feature": feature, "circle": circle, "ends": sorted(ends)})
    return records, max((n for place, n in per_place.items() if place is not None), default=0)


def _encode_points(frame: pd.DataFrame, kind: str, builder: CatalogueBuilder) -> tuple[list[Encoded], int]:
    """Return the events (or observations) one by one, with their days, place and circle; and the largest place."""
    order = _order(frame) if len(frame) else []
    shown: list[Encoded] = []
    per_place: dict[str, int] = {}
    # An event's star counts it as current only in its window: the browser decides, per date.
    rows = frame.assign(in_window=False) if kind == "event" and len(frame) else frame
    encode = encode_event_group if kind == "event" else encode_observation_group
    for position, (props, geometry) in enumerate(iter_rows(rows)):
        feature, circle = _encode_alone(encode, kind, props, geometry, builder)
        if feature is None:
            continue
        if kind == "event":
            first, last = day_number(props["date"]), _last_day(props)
        else:
            first, last = day_number(props["first_day"]), day_number(props["last_day"])
        place = str(feature["geom"])
        per_place[place] = per_place.get(place, 0) + 1
        shown.append({"from": first, "to": last, "order": order[position], "place": place, "feature": feature,
                      "circle": circle})
    return shown, max(per_place.values(), default=0)


def _encode_alone(encode: Callable[[list[Located], CatalogueBuilder, Circles], Any], kind: str,
                  props: dict[str, Any], geometry: BaseGeometry | None,
                  builder: CatalogueBuilder) -> tuple[Encoded | None, Encoded | None]:
    """Return one row's feature as a group of its own, and its circle (None for either when it has none)."""
    if geometry is None:
        return None, None  # listed elsewhere, never drawn where the sources do not put it
    circles: Circles = {}
    feature = encode([(props, geometry)], builder, circles)
    circle = next(iter(circles.values()), None)
    return _fields(kind, feature), None if circle is None else _fields("circle", circle)


def _encode_routes(dataset: Dataset, builder: CatalogueBuilder, first: int, last: int) -> list[Encoded]:
    """Return per leg the route of each set of flights it carries, and the days of each, per window."""
    flights = dataset.flights
    legs: dict[tuple[str, str, str], list[tuple[int, int]]] = {}  # leg -> (position, leg number)
    for position, (stops, kind) in enumerate(zip(
            [[o, *(v or []), d] for o, v, d in zip(flights["origin"], flights["via"], flights["destination"],
                                                    strict=True)], flights["record_type"], strict=True)):
        if all(isinstance(stop, str) for stop in stops):
            for number, (start, end) in enumerate(pairwise(stops)):
                legs.setdefault((start, end, kind), []).append((position, number))
    starts = [day_number(d) for d in flights["date"]]
    ends = [day_number(e) if not pd.isna(e) else s for e, s in zip(flights["end_date"], starts, strict=True)]
    # Once, as plain mappings: each leg's sets of flights read them again (2.5 million reads
    # over 22,000 sets with 10,000 records), and a pandas row read costs a hundred dict reads.
    records: Sequence[Mapping[Any, Any]] = flights.to_dict("records")
    routes = []
    for (start, end, kind), carried in legs.items():
        features: dict[tuple[int, ...], int] = {}
        encoded: list[Encoded] = []
        spans: dict[str, list[list[int]]] = {}
        for key, window in SCRUB_WINDOWS.items():
            runs: list[list[int]] = []
            for day in range(first, last + 1):
                low = None if window is None else day - window + 1
                chosen = tuple(p for p, _ in carried if starts[p] <= day and (low is None or ends[p] >= low))
                if not chosen:
                    continue
                if chosen not in features:
                    route = _encode_route(dataset, builder, chosen, leg=(start, end, kind), carried=carried,
                                          records=records)
                    features[chosen] = len(encoded) if route else -1
                    encoded.extend([route] if route else [])
                index = features[chosen]
                if index < 0:
                    continue  # both ends' areas cover the leg: listed, not drawn (layers/route_ends.py)
                if runs and runs[-1][1] == day - 1 and runs[-1][2] == index:
                    runs[-1][1] = day
                else:
                    runs.append([day, day, index])
            spans[key] = runs
        routes.append({"features": encoded, "spans": spans})
    return routes


def _encode_route(dataset: Dataset, builder: CatalogueBuilder, chosen: tuple[int, ...], *,
                  leg: tuple[str, str, str], carried: list[tuple[int, int]],
                  records: Sequence[Mapping[Any, Any]]) -> Encoded | None:
    """Return the route of ``leg`` carried by the flights at positions ``chosen`` (None where it is not drawn).

    The feature ``build_route_layer`` and ``encode_layers`` would give that leg for those
    flights, made from its one row (``build_route_row``): each leg has hundreds of such
    sets with a year of flights, and a frame per set cost most of the catalogue's build.
    """
    from dashboard.webmap.map_payload import encode_route  # map_payload imports this module

    row, line = build_route_row(dataset, leg, [records[position] for position in chosen])
    if line is None or line.is_empty:
        return None  # both ends' areas cover the leg: listed, not drawn (layers/route_ends.py)
    props = {column: row.get(column) for column in ROUTE_PROPERTIES}  # as the layer's frame holds them
    circles: dict[Any, Any] = {}
    feature = encode_route(props, line, builder, circles)
    number = dict(carried)[chosen[0]]
    return {"feature": _fields("route", feature), "flights": int(row["flights"]),
            "first": chosen[0] * 1000 + number, "circles": [_fields("circle", c) for c in circles.values()]}


def _fields(kind: str, feature: Any) -> Encoded:
    """Return a feature as ``{field: value}``, as ``_encode_one`` gives it."""
    return {name: getattr(feature, name) for name in FEATURE_FIELDS[kind]}


def _encode_corridors(dataset: Dataset, builder: CatalogueBuilder, first: dt.date, last: dt.date) -> list[Encoded]:
    corridors = dataset.corridors
    days = sorted({first} | {d.date() for d in corridors["valid_from"].dropna() if first < d.date() <= last})
    seen: set[str] = set()
    shown = []
    for day in days:
        for _, props, one in _rows(build_corridor_layer(dataset, TimeSelection(day, 1))):
            if str(props["id"]) in seen:
                continue
            seen.add(str(props["id"]))
            encoded = _encode_one(_snapshot(corridors=one), builder)["corridor"]
            valid_from, valid_to = corridors.loc[props["id"], ["valid_from", "valid_to"]]
            if encoded:
                shown.append({"from": None if pd.isna(valid_from) else day_number(valid_from),
                              "to": None if pd.isna(valid_to) else day_number(valid_to), "feature": encoded[0]})
    return shown


def _encode_tracks(dataset: Dataset, builder: CatalogueBuilder, last: int) -> dict[str, list[Encoded]]:
    """Return ``tracks`` (per flight: track and last position per day) and ``gaps`` (with their reach)."""
    tracks = dataset.tracks
    flights = tracks.flights
    if flights.empty:
        return {"tracks": [], "gaps": []}
    encoded_tracks = []
    for position in range(len(flights)):
        one = flights.iloc[position:position + 1]
        flight = one.iloc[0]
        start_day = day_number(flight["date"])
        end_day = day_number(flight["end_date"]) if not pd.isna(flight["end_date"]) else start_day
        track_variants: list[list[Any]] = []
        position_variants: list[list[Any]] = []
        for day in range(start_day, max(end_day, start_day) + 1):
            selection = TimeSelection(EPOCH + dt.timedelta(days=day), 1)
            rows = build_track_rows(tracks, one, selection)
            drawn = _encode_one(_snapshot(tracks=build_layer_frame("track", *rows)), builder)["track"]
            _add_variant(track_variants, day, drawn[0] if drawn else None)
            spots = build_position_rows(tracks, one, selection)
            marked = _encode_one(_snapshot(positions=build_layer_frame("position", *spots)), builder)["position"]
            _add_variant(position_variants, day, marked[0] if marked else None)
        encoded_tracks.append({
            "id": str(flight["id"]), "icao24": str(flight["icao24"]), "from": start_day, "to": end_day,
            "start": pd.Timestamp(flight["start"]).timestamp(), "startDay": day_number(flight["start"]),
            "drawn": int(flight["positions"]) > 0, "track": track_variants, "position": position_variants})
    selection = TimeSelection(EPOCH + dt.timedelta(days=last + 1), None)
    gap_rows, gap_lines, reach_rows, reach_areas = build_gap_rows(tracks, flights, selection)
    gaps = _encode_one(_snapshot(gaps=build_layer_frame("gap", gap_rows, gap_lines)), builder)["gap"]
    reaches = _encode_one(_snapshot(reaches=build_layer_frame("reach", reach_rows, reach_areas)), builder)["reach"]
    reach_by_gap = {row["gap_id"]: reaches[i] for i, row in enumerate(reach_rows)}
    ends = dict(zip(tracks.gaps["id"], tracks.gaps["end"], strict=True))
    encoded_gaps = [{"flight": str(row["flight_id"]), "day": day_number(ends[row["id"]]), "gap": gaps[i],
                     "reach": reach_by_gap.get(row["id"])} for i, row in enumerate(gap_rows)]
    return {"tracks": encoded_tracks, "gaps": encoded_gaps}


def _add_variant(variants: list[list[Any]], day: int, feature: Encoded | None) -> None:
    if not variants or variants[-1][1] != feature:
        variants.append([day, feature])
