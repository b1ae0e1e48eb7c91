"""What a product shows: the snapshot cut down to the visible layers and the map frame."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from layers import Snapshot

# The Snapshot attribute holding each layer (``layers.features.Snapshot.layers`` names them).
LAYER_FIELDS = {"site": "sites", "route": "routes", "flight": "flights", "corridor": "corridors", "event": "events",
                "reach": "reaches", "track": "tracks", "gap": "gaps", "position": "positions"}


def filter_layers(snapshot: Snapshot, visible_layers: Iterable[str]) -> Snapshot:
    """Return a copy of ``snapshot`` in which the hidden layers are empty.

    An emptied layer keeps its columns, so writers can still name its fields.
    """
    visible = set(visible_layers)
    changes = {attr: frame.iloc[0:0] for name, frame in snapshot.layers().items()
               for attr in [LAYER_FIELDS[name]] if name not in visible}
    return dataclasses.replace(snapshot, **changes)


def filter_to_frame(snapshot: Snapshot, frame: BaseGeometry) -> Snapshot:
    """Return a copy of ``snapshot`` keeping only the features drawn inside ``frame``.

    Parameters
    ----------
    snapshot : Snapshot
        EPSG:4326 layers.
    frame : shapely geometry
        The map frame as a lon/lat polygon. Features without a geometry are dropped: a
        map cannot show them, so it must not footnote them either.
    """
    return dataclasses.replace(snapshot, **{
        LAYER_FIELDS[name]: _intersecting(layer, frame) for name, layer in snapshot.layers().items()})


def count_features(snapshot: Snapshot) -> dict[str, int]:
    """Return the number of features of each layer, by layer name."""
    return {name: len(frame) for name, frame in snapshot.layers().items()}


def _intersecting(layer: gpd.GeoDataFrame, frame: BaseGeometry) -> gpd.GeoDataFrame:
    if layer.empty:
        return layer
    located = layer.geometry.notna() & ~layer.geometry.is_empty
    keep = located.copy()
    keep[located] = layer.geometry[located].intersects(frame)
    return layer[keep]
