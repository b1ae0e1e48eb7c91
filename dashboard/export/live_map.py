"""The live map's HTML for exports: the dashboard's own folium map, made self-contained.

Both the interactive HTML export and the snapshot as seen start from
``dashboard.folium_map.build_standalone_map`` (the same layer builders as the live page)
and ``dashboard.offline_assets.inline_assets`` (Leaflet and plugins inlined), imported
only when needed so that the image and data exports never load folium.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from layers import Snapshot

from dashboard.export.briefing import BriefingSpec
from dashboard.export.errors import MissingComponentError
from dashboard.export.visibility import filter_layers


def build_live_map(snapshot: Snapshot, spec: BriefingSpec) -> Any:
    """Return the dashboard's folium map of ``snapshot`` as ``spec`` asks (layers, basemap, extent)."""
    folium_map = _import("dashboard.folium_map")
    return folium_map.build_standalone_map(
        filter_layers(snapshot, spec.visible_layers), visible_layers=sorted(spec.visible_layers),
        basemap=spec.basemap, extent=spec.extent, title=spec.title, marking=spec.marking)


def render_self_contained(folium_map: Any) -> str:
    """Return the map's HTML page with every script, style sheet and font inlined."""
    offline_assets = _import("dashboard.offline_assets")
    return offline_assets.inline_assets(folium_map.get_root().render())


def find_external_urls(html: str) -> list[str]:
    """Return the addresses the page would still fetch from the network (none for a good export)."""
    return list(_import("dashboard.offline_assets").find_external_urls(html))


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise MissingComponentError(
            f"{name} is not available ({exc.name} missing): the interactive exports need the dashboard's "
            "folium map; the image and data exports work without it") from exc
