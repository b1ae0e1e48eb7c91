"""The ADS-B layers of a state: tracks, gaps, reach areas and last positions as map features.

Only what the map draws travels: the display vertices of each track (already thinned by
``layers.tracks.simplify``), the two ends of each gap, the outline of each reach area,
one point per aircraft; never the positions, nor the vertex times and altitudes (the
popups say what matters of them).

A track comes from ``layers`` already broken where it went dark, so its solid line never
runs under a gap's dashes and "seen" and "not seen" read apart at a glance. No Streamlit
here.
"""

from __future__ import annotations

import pandas as pd

from layers import Snapshot

from dashboard.webmap.catalogue import References
from dashboard.webmap.coordinates import encode_lines, encode_point, encode_rings, iter_features
from dashboard.webmap.map_contract import Feature, GapFeature, PositionFeature, ReachFeature, TrackFeature
from dashboard.webmap.popups import build_popup, build_tooltip
from dashboard.webmap.track_popups import build_position_label

TRACK_KINDS = ("reach", "track", "gap", "position")
"""The feature kinds of the ADS-B layers (each is also a layer of ``layers.LAYER_NAMES``)."""


def encode_track_features(snapshot: Snapshot, refs: References) -> dict[str, list[Feature]]:
    """Return the features of the ADS-B layers of ``snapshot``, by kind, referring through ``refs``."""
    features: dict[str, list[Feature]] = {kind: [] for kind in TRACK_KINDS}
    for props, geometry in iter_features(snapshot.reaches):
        features["reach"].append(ReachFeature(geom=refs.geometry(encode_rings(geometry)),
                                              popup=refs.text(build_popup(props)), tip=refs.text(build_tooltip(props))))
    for props, geometry in iter_features(snapshot.tracks):
        features["track"].append(TrackFeature(geom=refs.geometry(encode_lines(geometry)),
                                              popup=refs.text(build_popup(props)), tip=refs.text(build_tooltip(props))))
    for props, geometry in iter_features(snapshot.gaps):
        features["gap"].append(GapFeature(geom=refs.geometry(encode_lines(geometry)),
                                          popup=refs.text(build_popup(props)), tip=refs.text(build_tooltip(props))))
    for props, geometry in iter_features(snapshot.positions):
        heading = props.get("track_deg")
        features["position"].append(PositionFeature(
            geom=refs.geometry(encode_point(geometry)), popup=refs.text(build_popup(props)),
            tip=refs.text(build_tooltip(props)), label=refs.text(build_position_label(props)),
            heading=None if heading is None or pd.isna(heading) else round(float(heading)) % 360))
    return features
