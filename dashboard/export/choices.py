"""The export panel's choices as plain data, and the spec they make (no Streamlit here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from layers import LAYER_NAMES, TimeSelection
from layers.extents import EXTENT_LABELS as PRESET_LABELS
from layers.extents import EXTENTS, Extent
from layers.filters import NO_FILTERS, Filters

from dashboard.export.briefing import A4_LANDSCAPE, DEFAULT_MARKING, DEFAULT_TITLE, BriefingSpec, PageSize
from dashboard.export.errors import ExportInputError
from dashboard.export.formats import FORMATS
from dashboard.webmap.basemaps import BASEMAPS

AS_SEEN = "png-as-seen"
FORMAT_LABELS: dict[str, str] = {**{key: f.label for key, f in FORMATS.items()},
                                 AS_SEEN: "PNG of the live map as seen (online basemap, tiles included)"}
CURRENT_VIEW = "view"
EXTENT_LABELS: dict[str, str] = {CURRENT_VIEW: "Current map view", **PRESET_LABELS}  # the map's buttons' names
SIZE_LABELS: dict[str, str] = {"1920x1080": "1920 x 1080 (16:9 slide)", "3840x2160": "3840 x 2160 (16:9, 4K)",
                               "1280x720": "1280 x 720 (16:9, small)", "a4": "A4 landscape"}


@dataclass(frozen=True)
class PanelChoice:
    """What the analyst picked in the export panel."""

    format: str = "png"
    title: str = DEFAULT_TITLE
    marking: str = DEFAULT_MARKING
    extent: str = "theatre"
    size: str = "1920x1080"


def list_formats(basemap: str) -> list[str]:
    """Return the format keys the panel offers; "as seen" only with an online basemap."""
    keys = list(FORMATS)
    known = BASEMAPS.get(basemap)
    if known is not None and not known.offline:
        keys.insert(1, AS_SEEN)
    return keys


def default_size(format_key: str) -> str:
    """Return the size the panel proposes first: A4 landscape for PDF, 16:9 otherwise."""
    return "a4" if format_key == "pdf" else "1920x1080"


def build_spec(choice: PanelChoice, selection: TimeSelection, *, visible_layers: frozenset[str] | None = None,
               basemap: str = "natural_earth", view_bounds: tuple[float, float, float, float] | None = None,
               now: dt.datetime | None = None, filters: Filters = NO_FILTERS) -> BriefingSpec:
    """Return the spec of the analyst's choice (``filters``: the page's, which the export names).

    Raises
    ------
    ExportInputError
        If the current view was chosen but the map has not reported one, or the title or
        marking is empty, too long or holds a forbidden character (``briefing.check_caption``,
        which ``BriefingSpec`` applies, so the panel and the command line refuse the same text).
    """
    if choice.extent == CURRENT_VIEW:
        if view_bounds is None:
            raise ExportInputError("the map has not reported its view yet: pick a preset extent")
        extent, extent_name = clamp_bounds(view_bounds), CURRENT_VIEW
    else:
        extent, extent_name = EXTENTS[choice.extent], choice.extent
    size = A4_LANDSCAPE if choice.size == "a4" else PageSize.from_pixels(*map(int, choice.size.split("x")))
    return BriefingSpec(
        selection, format="png" if choice.format == AS_SEEN else choice.format, title=choice.title,
        marking=choice.marking, extent=extent, extent_name=extent_name, size=size,
        visible_layers=frozenset(LAYER_NAMES if visible_layers is None else visible_layers), basemap=basemap,
        filters=filters, generated_at=now or dt.datetime.now(dt.UTC))


def clamp_bounds(bounds: tuple[float, float, float, float]) -> Extent:
    """Return the extent of a map view, clamped to valid degrees (a zoomed-out view can pass them)."""
    west, south, east, north = bounds
    west, east = max(west, -180.0), min(east, 180.0)
    south, north = max(south, -85.0), min(north, 85.0)
    try:
        return Extent(west, south, east, north)
    except ValueError as exc:
        raise ExportInputError(f"the current view cannot be exported ({exc}): pick a preset extent") from None
