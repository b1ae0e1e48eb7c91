"""The live map's HTML for exports: the dashboard's own folium map, made self-contained.

Both the interactive HTML export and the snapshot as seen start from
``dashboard.webmap.folium_map.build_standalone_map`` (the same layer builders as the live
page) and ``dashboard.webmap.offline_assets.inline_assets`` (Leaflet and plugins
inlined). folium is imported only when one of these runs, so that the image and data
exports never load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers import Snapshot

from dashboard.export.briefing import BriefingSpec
from dashboard.export.visibility import filter_layers

if TYPE_CHECKING:
    import folium


def build_live_map(snapshot: Snapshot, spec: BriefingSpec) -> folium.Map:
    """Return the dashboard's folium map of ``snapshot`` as ``spec`` asks (layers, basemap, extent)."""
    from dashboard.webmap.folium_map import build_standalone_map

    return build_standalone_map(filter_layers(snapshot, spec.visible_layers),
                                visible_layers=sorted(spec.visible_layers), basemap=spec.basemap,
                                extent=spec.extent, title=spec.title, marking=spec.marking)


def render_self_contained(folium_map: folium.Map) -> str:
    """Return the map's HTML page with every script, style sheet and font inlined."""
    from dashboard.webmap.offline_assets import inline_assets

    return inline_assets(folium_map.get_root().render())


def find_external_urls(html: str) -> list[str]:
    """Return the addresses the page would still fetch from the network (none for a good export)."""
    from dashboard.webmap import offline_assets

    return list(offline_assets.find_external_urls(html))
