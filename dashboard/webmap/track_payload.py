"""The ADS-B layers of a state: tracks, gaps, reach areas and last positions as map features.

Only what the map draws travels: the display vertices of each track (already thinned by
``layers.tracks.simplify``), the two ends of each gap, the outline of each reach area,
one point per aircraft; never the positions, nor the vertex times and altitudes (the
popups say what matters of them).

A track is drawn as flown only: its line is broken where it went dark
(:func:`cut_track_at_gaps`), so the solid line never runs under a gap's dashes and
"seen" and "not seen" read apart at a glance. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from layers import Snapshot

from dashboard.webmap.catalogue import References
from dashboard.webmap.coordinates import encode_lines, encode_point, encode_rings, iter_features, iter_lines
from dashboard.webmap.map_contract import Feature, GapFeature, PositionFeature, ReachFeature, TrackFeature
from dashboard.webmap.popups import build_popup, build_tooltip
from dashboard.webmap.track_popups import build_position_label

TRACK_KINDS = ("reach", "track", "gap", "position")
"""The feature kinds of the ADS-B layers (each is also a layer of ``layers.LAYER_NAMES``)."""


def encode_track_features(snapshot: Snapshot, refs: References) -> dict[str, list[Feature]]:
    """Return the features of the ADS-B layers of ``snapshot``, by kind, referring through ``refs``."""
    gaps = list(iter_features(snapshot.gaps))
    gaps_of: dict[str, list[tuple[dict[str, Any], BaseGeometry]]] = {}
    for props, geometry in gaps:
        gaps_of.setdefault(str(props.get("flight_id")), []).append((props, geometry))
    features: dict[str, list[Feature]] = {kind: [] for kind in TRACK_KINDS}
    for props, geometry in iter_features(snapshot.reaches):
        features["reach"].append(ReachFeature(geom=refs.geometry(encode_rings(geometry)),
                                              popup=refs.text(build_popup(props)), tip=refs.text(build_tooltip(props))))
    for props, geometry in iter_features(snapshot.tracks):
        flown = cut_track_at_gaps(props, geometry, gaps_of.get(str(props.get("flight_id")), []))
        features["track"].append(TrackFeature(geom=refs.geometry(encode_lines(flown)),
                                              popup=refs.text(build_popup(props)), tip=refs.text(build_tooltip(props))))
    for props, geometry in gaps:
        features["gap"].append(GapFeature(geom=refs.geometry(encode_lines(geometry)),
                                          popup=refs.text(build_popup(props)), tip=refs.text(build_tooltip(props))))
    for props, geometry in iter_features(snapshot.positions):
        heading = props.get("track_deg")
        features["position"].append(PositionFeature(
            geom=refs.geometry(encode_point(geometry)), popup=refs.text(build_popup(props)),
            tip=refs.text(build_tooltip(props)), label=refs.text(build_position_label(props)),
            heading=None if heading is None or pd.isna(heading) else round(float(heading)) % 360))
    return features


def cut_track_at_gaps(track: Mapping[str, Any], geometry: BaseGeometry,
                      gaps: Iterable[tuple[Mapping[str, Any], BaseGeometry]]) -> BaseGeometry:
    """Return the track's line broken at its gaps: a piece ends at a gap's last position, the next starts after it.

    Parameters
    ----------
    track : mapping
        The track's properties; ``times`` holds the UTC time of each vertex.
    geometry : shapely geometry
        The track's line (display vertices).
    gaps : iterable of (mapping, geometry)
        The gaps of the same flight: ``start`` and ``end`` times, and the line from the
        last position to the next.

    Returns
    -------
    shapely geometry
        A MultiLineString of the flown pieces; the line unchanged when it has no gap, or
        when its vertices and times do not pair up (a track cut at the antimeridian).
    """
    spans = sorted(((_read_utc(props["start"]), _read_utc(props["end"]), line) for props, line in gaps
                    if props.get("start") is not None and props.get("end") is not None), key=lambda span: span[0])
    times = list(track.get("times") or [])
    if not spans or not isinstance(geometry, LineString) or len(times) != len(geometry.coords):
        return geometry
    coords = list(geometry.coords)
    stamps = list(pd.to_datetime(times, utc=True))
    pieces: list[list[tuple[float, ...]]] = []
    current: list[tuple[float, ...]] = []
    index = 0
    for start, end, line in spans:
        parts = list(iter_lines(line))
        while index < len(coords) and stamps[index] <= start:
            current.append(coords[index])
            index += 1
        current.append(parts[0].coords[0])
        pieces.append(current)
        current = [parts[-1].coords[-1]]
        while index < len(coords) and stamps[index] < end:
            index += 1  # a vertex inside the silence: none should be, none is drawn
    pieces.append(current + coords[index:])
    lines = [LineString(piece) for piece in (_drop_repeats(p) for p in pieces) if len(piece) >= 2]
    return MultiLineString(lines) if lines else geometry


def _read_utc(value: object) -> pd.Timestamp:
    stamp = pd.Timestamp(str(value))
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _drop_repeats(points: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
    kept: list[tuple[float, ...]] = []
    for point in points:
        if not kept or tuple(point[:2]) != tuple(kept[-1][:2]):
            kept.append(point)
    return kept
