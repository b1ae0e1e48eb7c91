"""GeoJSON (RFC 7946) of a snapshot: the form QGIS, kepler.gl and scripts take the data in."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import mapping

from layers.features import Snapshot
from layers.missing import is_null

COORDINATE_DECIMALS = 5  # ~1 m: finer than any source, and keeps the file small


def build_feature_collection(snapshot: Snapshot) -> dict[str, Any]:
    """Return one FeatureCollection of every layer of ``snapshot``.

    Features carry the properties documented in README.md ("GeoJSON properties");
    a site without an airfield code has no ``icao`` property, and a feature without a
    place has a null geometry. Foreign members ``as_of`` and ``window_days`` record the
    time selection.
    """
    features = []
    for frame in snapshot.layers().values():
        for record in frame.to_dict("records"):
            geometry = record.pop("geometry")
            properties = {key: _plain(value) for key, value in record.items()}
            if properties["layer"] == "site" and properties.get("icao") is None:
                properties.pop("icao", None)
            features.append({
                "type": "Feature", "id": properties["id"],
                "geometry": _round(mapping(geometry)) if geometry is not None else None,
                "properties": properties,
            })
    return {
        "type": "FeatureCollection",
        "as_of": snapshot.selection.as_of.isoformat(),
        "window_days": snapshot.selection.window_days,
        "features": features,
    }


def dump_feature_collection(collection: dict[str, Any]) -> str:
    """Serialise a FeatureCollection as compact UTF-8 JSON text."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _plain(value: Any) -> Any:
    if is_null(value):
        return None  # NaN, NaT or NA from pandas: JSON's null (allow_nan=False refuses NaN)
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()  # numpy scalar -> Python scalar
    return value


def _round(geometry: dict[str, Any]) -> dict[str, Any]:
    def walk(coords: Any) -> Any:
        if isinstance(coords, (int, float)):
            return round(coords, COORDINATE_DECIMALS)
        return [walk(c) for c in coords]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}
