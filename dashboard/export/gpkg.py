"""GeoPackage export for QGIS: one layer per kind of feature, lists stored as JSON text."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio

from layers import Snapshot
from layers.missing import is_null
from layers.timeline import CUMULATIVE

from dashboard.export.briefing import BriefingSpec
from dashboard.export.visibility import filter_layers

# GeoPackage layer name and geometry type of each layer. Routes and corridors are written
# as MultiLineString, because a geodesic split at the antimeridian is one.
GPKG_LAYERS: dict[str, tuple[str, str]] = {
    "site": ("sites", "Point"),
    "route": ("routes", "MultiLineString"),
    "flight": ("flights", "Point"),
    "corridor": ("corridors", "MultiLineString"),
    "event": ("events", "Point"),
}


def write_gpkg(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write the five layers (``sites``, ``routes``, ``flights``, ``corridors``, ``events``).

    Every layer is written, an empty one too, so a QGIS project can rely on the names.
    List columns (``sources``, ``via``, ...) become JSON arrays in text columns, and each
    layer's metadata records the title, marking, date and window of the export.
    """
    visible = filter_layers(snapshot, spec.visible_layers)
    metadata = {"title": spec.title, "marking": spec.marking, "as_of": spec.selection.as_of.isoformat(),
                "window_days": CUMULATIVE if spec.selection.window_days is None else str(spec.selection.window_days),
                "generated": spec.generated_at.isoformat(timespec="seconds"), "software": "Airbridge"}
    for index, (name, frame) in enumerate(visible.layers().items()):
        layer, geometry_type = GPKG_LAYERS[name]
        pyogrio.write_dataframe(
            flatten_lists(frame), path, layer=layer, driver="GPKG", geometry_type=geometry_type,
            promote_to_multi=geometry_type.startswith("Multi"), append=index > 0,
            layer_metadata={**metadata, "layer": name})


def flatten_lists(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``frame`` whose list and dict cells are JSON text (GeoPackage has no lists)."""
    out = frame.copy()
    for column in out.columns:
        if column == out.geometry.name or out[column].dtype != object:
            continue
        if out[column].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[column] = out[column].map(
                lambda v: json.dumps(list(v) if isinstance(v, tuple) else v, ensure_ascii=False)
                if isinstance(v, (list, tuple, dict)) else (None if is_null(v) else v))
    return out
