"""GeoJSON export: the ``python -m layers geojson`` collection, with the briefing's title and marking."""

from __future__ import annotations

from pathlib import Path

from layers import Snapshot, build_feature_collection, dump_feature_collection
from layers.filters import format_filters

from dashboard.export.briefing import BriefingSpec
from dashboard.export.visibility import filter_layers


def write_geojson(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write every visible feature as one RFC 7946 FeatureCollection (UTF-8).

    The collection is ``layers.build_feature_collection`` (properties documented in the
    README) with the foreign members ``title``, ``marking`` and ``generated`` added, and
    ``filters`` (the URL form, ``{"confidence": "high"}``; empty when none applied).
    """
    collection = build_feature_collection(filter_layers(snapshot, spec.visible_layers))
    collection = {"type": collection.pop("type"), "title": spec.title, "marking": spec.marking,
                  "generated": spec.generated_at.isoformat(timespec="seconds"),
                  "filters": format_filters(spec.filters), **collection}
    path.write_text(dump_feature_collection(collection) + "\n", encoding="utf-8")
