"""Interactive HTML export: one file that opens with no network and shows the live map.

The page is the dashboard's own standalone map (``dashboard.webmap.folium_map``: the same layer
builders, drawing code, legend and banner with the title and marking as the live page),
with Leaflet and every plugin inlined and the Natural Earth basemap embedded
(``dashboard.webmap.offline_assets``). Added here: the page title, and the timeline state of the
export (date, window, extent, layers, basemap, generation time) as readable metadata.
"""

from __future__ import annotations

import html
from pathlib import Path

from layers import Snapshot
from layers.filters import format_filters

from dashboard.export.briefing import BriefingSpec
from dashboard.export.errors import ExportError
from dashboard.export.live_map import build_live_map, find_external_urls, render_self_contained
from dashboard.export.subtitle import describe_subtitle
from dashboard.webmap.map_payload import dump_script_json

STATE_ELEMENT_ID = "airbridge-export-state"


def write_html(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write the self-contained interactive map page (UTF-8).

    Raises
    ------
    ExportError
        If the page would still fetch a script, style sheet or font from the network.
    """
    path.write_text(build_html(snapshot, spec), encoding="utf-8")


def build_html(snapshot: Snapshot, spec: BriefingSpec) -> str:
    """Return the page text (see the module docstring)."""
    page = render_self_contained(build_live_map(snapshot, spec))
    external = find_external_urls(page)
    if external:
        raise ExportError(f"the HTML export would need the network for {external[0]} "
                          f"(and {len(external) - 1} more): the offline assets are incomplete")
    return add_export_state(page, spec)


def add_export_state(page: str, spec: BriefingSpec) -> str:
    """Return ``page`` with a ``<title>``, a description and the export's timeline state in ``<head>``."""
    selection = spec.selection
    state = {
        "title": spec.title, "marking": spec.marking, "as_of": selection.as_of.isoformat(),
        "window_days": selection.window_days, "window": selection.describe(),
        "extent": {"name": spec.extent_name, "west": spec.extent.west, "south": spec.extent.south,
                   "east": spec.extent.east, "north": spec.extent.north},
        "visible_layers": sorted(spec.visible_layers), "basemap": spec.basemap,
        "filters": format_filters(spec.filters),
        "generated": spec.generated_at.isoformat(timespec="seconds"),
    }
    state_json = dump_script_json(state)
    head = (f"<title>{html.escape(spec.title)} ({html.escape(spec.marking)})</title>\n"
            f'<meta name="description" content="{html.escape(describe_subtitle(spec))}">\n'
            f'<script type="application/json" id="{STATE_ELEMENT_ID}">{state_json}</script>\n')
    marker = "<head>"
    at = page.find(marker)
    if at < 0:
        raise ExportError("the map page has no <head>: cannot add the export's title and state")
    return page[: at + len(marker)] + "\n" + head + page[at + len(marker):]
