"""The features drawn at a point: flight records, events and observations grouped by place, and uncertainty circles.

Records at one place share a badge (a star for events): its popups are the records' own,
newest first for events and observations, and its tooltip counts them. A place the sources
name only roughly (a region, a "near ...") also gets its uncertainty circle, once per place,
radius and layer. The live map's state (:func:`dashboard.webmap.map_payload.encode_layers`)
and the scrub index (:mod:`dashboard.webmap.scrub_index`, one record per group) encode
them here, so that the browser draws the same features either way. No Streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from dashboard.webmap.catalogue import References
from dashboard.webmap.coordinates import POINT_DECIMALS, encode_point
from dashboard.webmap.map_contract import CircleFeature, EventFeature, FlightFeature, ObservationFeature, TextRef
from dashboard.webmap.popups import (
    build_group_tooltip,
    build_popup,
    build_tooltip,
    build_uncertainty_tooltip,
    escape_text,
)

GROUP_NOUNS = {"flight": "flight record", "event": "event", "observation": "observation"}
"""What a group's tooltip counts, per layer ("3 flight records")."""
LABEL_RANK_BUSY = 0  # label priority of an end of a route or flight in the window (lower: placed first)
# A named place (its airfield not named) is labelled as a busy site when a route or flight
# of the window ends there, else as a site Russia left: shown where there is room.
PLACE_LABEL_RANK = {"route": LABEL_RANK_BUSY, "flight": LABEL_RANK_BUSY}
PLACE_LABEL_RANK_OTHER = 2

Located = tuple[dict[str, Any], Point]
"""A row's properties and its point."""
Circles = dict[tuple[str, float, str], CircleFeature]
"""The circles drawn so far, by (place, radius, layer): a place gets one circle, whoever names it."""


def group_by_place(features: Iterable[tuple[dict[str, Any], BaseGeometry]],
                   newest_first: bool = False) -> list[list[Located]]:
    """Return the rows grouped by their drawn point, each group ordered by (date, id) (newest first if asked)."""
    groups: dict[tuple[float, ...], list[Located]] = {}
    for props, geometry in features:
        groups.setdefault(tuple(encode_point(geometry)), []).append((props, geometry))
    result = []
    for group in groups.values():
        group.sort(key=lambda item: (str(item[0].get("date")), str(item[0].get("id"))), reverse=newest_first)
        result.append(group)
    return result


def encode_flight_group(group: list[Located], refs: References, circles: Circles) -> FlightFeature:
    """Return the badge of the flight records at one place; add the place's circle if it is named roughly."""
    props0, geometry = group[0]
    add_circle(circles, refs, (geometry.x, geometry.y), props0.get("uncertainty_km"),
               props0.get(f"{props0.get('located_at')}_name"), layer="flight")
    return FlightFeature(geom=refs.geometry(encode_point(geometry)),
                         popups=[refs.text(build_popup(p)) for p, _ in group],
                         tips=_group_tooltips(refs, group, GROUP_NOUNS["flight"]))


def encode_event_group(group: list[Located], refs: References, circles: Circles) -> EventFeature:
    """Return the star of the events at one place (``current``: how many are in the window); add its circle."""
    props0, geometry = group[0]
    names = props0.get("place_names") or []
    add_circle(circles, refs, (geometry.x, geometry.y), props0.get("uncertainty_km"),
               names[0] if len(names) else "", layer="event")
    return EventFeature(geom=refs.geometry(encode_point(geometry)),
                        popups=[refs.text(build_popup(p)) for p, _ in group],
                        tips=_group_tooltips(refs, group, GROUP_NOUNS["event"]),
                        current=sum(bool(p["in_window"]) for p, _ in group))


def encode_observation_group(group: list[Located], refs: References, circles: Circles) -> ObservationFeature:
    """Return the mark of the observations at one place; add its circle."""
    props0, geometry = group[0]
    add_circle(circles, refs, (geometry.x, geometry.y), props0.get("uncertainty_km"), props0.get("place_name"),
               layer="observation")
    return ObservationFeature(geom=refs.geometry(encode_point(geometry)),
                              popups=[refs.text(build_popup(p)) for p, _ in group],
                              tips=_group_tooltips(refs, group, GROUP_NOUNS["observation"]))


def add_circle(circles: Circles, refs: References, point: tuple[float, float], radius: Any, name: object, *,
               layer: str) -> None:
    """Add the uncertainty circle of a place named only roughly (``radius`` km; none when 0 or missing)."""
    if radius is None or pd.isna(radius) or float(radius) <= 0:
        return
    coords = [round(point[0], POINT_DECIMALS), round(point[1], POINT_DECIMALS)]
    key = (json.dumps(coords), float(radius), layer)
    if key not in circles:
        label = escape_text(str(name)) if isinstance(name, str) else ""  # the full name: it says what is not named
        circles[key] = CircleFeature(geom=refs.geometry(coords), km=compact_number(float(radius)),
                                     tip=refs.text(build_uncertainty_tooltip(name, float(radius))), layer=layer,
                                     label=refs.text(label), rank=PLACE_LABEL_RANK.get(layer, PLACE_LABEL_RANK_OTHER))


def compact_number(value: float) -> float:
    """Return ``value`` as an int when it is whole: JSON then writes ``3``, not ``3.0`` (the script reads the same)."""
    return int(value) if value.is_integer() else value


def _group_tooltips(refs: References, group: list[Located], noun: str) -> list[TextRef]:
    tips = [refs.text(build_tooltip(props)) for props, _ in group]
    if len(group) == 1:
        return tips
    return [refs.text(build_group_tooltip(len(group), noun)), *tips]
