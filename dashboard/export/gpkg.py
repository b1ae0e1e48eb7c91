"""GeoPackage export for QGIS: one layer per kind of feature, lists stored as JSON text."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio

from layers import Snapshot
from layers.filters import describe_filters
from layers.missing import is_null
from layers.timeline import CUMULATIVE
from layers.tracks.trackset import TrackSet

from dashboard.export.briefing import BriefingSpec
from dashboard.export.gpkg_columns import UNCERTAINTY_LAYER, build_uncertainty_layer, type_time_columns
from dashboard.export.gpkg_styles import write_layer_styles
from dashboard.export.position_table import build_position_table
from dashboard.export.visibility import filter_layers

# GeoPackage layer name and geometry type of each layer. Routes, corridors, tracks and gaps
# are written as MultiLineString, because a geodesic split at the antimeridian is one.
# ``positions`` holds every raw ADS-B position of the track flights (position_table.py),
# not only the last one the map draws.
GPKG_LAYERS: dict[str, tuple[str, str]] = {
    "uncertainty": (UNCERTAINTY_LAYER, "Polygon"),
    "corridor": ("corridors", "MultiLineString"),
    "route": ("routes", "MultiLineString"),
    "reach": ("reach", "Polygon"),
    "track": ("tracks", "MultiLineString"),
    "gap": ("gaps", "MultiLineString"),
    "site": ("sites", "Point"),
    "observation": ("observations", "Point"),
    "flight": ("flights", "Point"),
    "position": ("positions", "Point"),
    "event": ("events", "Point"),
}


def write_gpkg(snapshot: Snapshot, spec: BriefingSpec, path: Path, *, tracks: TrackSet | None = None) -> None:
    """Write one layer per kind of feature (:data:`GPKG_LAYERS`).

    Every layer is written, an empty one too, so a QGIS project can rely on the names.
    Flights made from ADS-B tracks are rows of ``flights`` (with ``icao24``, ``callsign``,
    ``start``, ``end`` and the candidate airfields filled). List columns (``sources``,
    ``via``, a gap's ``candidates``, a track's ``times``...) become JSON in text columns,
    and each layer's metadata records the title, marking, date and window of the export.

    Parameters
    ----------
    snapshot, spec, path
        What to write, as for every writer.
    tracks : TrackSet, optional
        ``dataset.tracks``: the raw positions for the ``positions`` layer. Without it that
        layer holds the last position of each aircraft only, with a warning.
    """
    visible = filter_layers(snapshot, spec.visible_layers)
    metadata = {"title": spec.title, "marking": spec.marking, "as_of": spec.selection.as_of.isoformat(),
                "window_days": CUMULATIVE if spec.selection.window_days is None else str(spec.selection.window_days),
                "generated": spec.generated_at.isoformat(timespec="seconds"), "software": "Airbridge",
                "filters": describe_filters(spec.filters) or "none"}
    # Bottom first, as the map draws them: the uncertainty areas under every other layer.
    frames = {"uncertainty": build_uncertainty_layer(visible), **visible.layers()}
    for index, (name, frame) in enumerate(frames.items()):
        layer, geometry_type = GPKG_LAYERS[name]
        table = build_position_table(visible, tracks) if name == "position" else frame
        # Arrow writes date objects as GeoPackage DATE fields (the plain path writes TEXT).
        pyogrio.write_dataframe(
            type_time_columns(flatten_lists(table), name), path, layer=layer, driver="GPKG",
            geometry_type=geometry_type, promote_to_multi=geometry_type.startswith("Multi"), append=index > 0,
            layer_metadata={**metadata, "layer": name}, use_arrow=True)
    write_layer_styles(path, [GPKG_LAYERS[name][0] for name in frames])


def flatten_lists(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``frame`` ready for a GeoPackage: lists as JSON text, numbers as numbers.

    GeoPackage has no lists, so list and dict cells become JSON text. The layer frames
    hold every column as objects (so that a missing value stays None); a column whose
    values are all numbers, or all true/false, is written as a number or boolean field,
    so QGIS can filter and style by it (a gap's ``duration_min``, a route's ``flights``).
    """
    out = frame.copy()
    for column in out.columns:
        if column == out.geometry.name or out[column].dtype != object:
            continue
        values = out[column]
        if values.map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[column] = values.map(
                lambda v: json.dumps(list(v) if isinstance(v, tuple) else v, ensure_ascii=False)
                if isinstance(v, (list, tuple, dict)) else (None if is_null(v) else v))
            continue
        present = [v for v in values if not is_null(v)]
        if not present:
            continue
        if all(isinstance(v, (bool, np.bool_)) for v in present):
            out[column] = values.astype("boolean")
        elif all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in present):
            out[column] = values.astype("Int64")
        elif all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
                 for v in present):
            out[column] = values.astype("float64")
    return out
