"""What a product shows: the snapshot cut down to the visible layers and the map frame."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from layers import Snapshot


def find_layer_fields(snapshot: Snapshot) -> dict[str, str]:
    """Return the Snapshot attribute holding each layer, by layer name (``reach`` -> ``reaches``).

    Found from the snapshot itself (``Snapshot.layers`` returns the attributes' frames),
    so a layer added to ``layers.features`` needs no table here.
    """
    frames = [f.name for f in dataclasses.fields(snapshot) if isinstance(getattr(snapshot, f.name), gpd.GeoDataFrame)]
    found: dict[str, str] = {}
    for name, frame in snapshot.layers().items():
        found[name] = next(f for f in frames if getattr(snapshot, f) is frame and f not in found.values())
    return found


def filter_layers(snapshot: Snapshot, visible_layers: Iterable[str]) -> Snapshot:
    """Return a copy of ``snapshot`` in which the hidden layers are empty.

    An emptied layer keeps its columns, so writers can still name its fields.
    """
    visible = set(visible_layers)
    fields = find_layer_fields(snapshot)
    changes = {fields[name]: frame.iloc[0:0] for name, frame in snapshot.layers().items() if name not in visible}
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
    fields = find_layer_fields(snapshot)
    return dataclasses.replace(snapshot, **{
        fields[name]: _intersecting(layer, frame) for name, layer in snapshot.layers().items()})


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
