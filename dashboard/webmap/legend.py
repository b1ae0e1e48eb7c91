"""The map legend as HTML, built from the shared symbology and the layers shown.

Each section carries ``data-ab-layer`` so that the map's script can hide the sections of
layers the user switches off, without the legend being sent again. The ADS-B sections
(:data:`TRACK_LAYERS`) also carry ``data-ab-when="drawn"``: the script shows them only
while their layer has features on the map, so a map without tracks does not explain them.
"""

from __future__ import annotations

from collections.abc import Iterable

from layers import LAYER_NAMES
from layers.style import (
    CORRIDOR_STYLE,
    GAP_STYLE,
    GROUP_COLOURS,
    GROUP_LABELS,
    KIND_SYMBOLS,
    REACH_STYLE,
    ROUTE_STYLES,
    STATUS_STYLES,
    TRACK_STYLE,
    TRACK_WIDTH,
    route_width,
)
from layers.vocabulary import LAYER_TITLES

from dashboard.webmap.popups import escape_text
from dashboard.webmap.symbols import (
    build_area_sample,
    build_event_symbol,
    build_flight_badge,
    build_line_sample,
    build_position_symbol,
    build_site_symbol,
    build_uncertainty_sample,
)

LEGEND_TITLE = "Legend"
LEGEND_STATUS_KIND = "air_base"  # the shape used to show the status styles
WIDTH_EXAMPLES = (1, 4, 15)
LEGEND_ORDER = ("site", "route", "flight", "event", "corridor", "track", "gap", "reach", "position")
TRACK_LAYERS = ("track", "gap", "reach", "position")


def build_legend_html(visible_layers: Iterable[str] | None = None) -> str:
    """Return the legend HTML.

    Parameters
    ----------
    visible_layers : iterable of str, optional
        Layers to explain (names of ``layers.LAYER_NAMES``). None gives every section; the
        live map then hides sections of switched-off layers (and of ADS-B layers with
        nothing drawn).

    Raises
    ------
    ValueError
        If a layer name is unknown.
    """
    layers = list(LAYER_NAMES) if visible_layers is None else list(visible_layers)
    unknown = set(layers) - set(LAYER_NAMES)
    if unknown:
        raise ValueError(f"unknown layers {sorted(unknown)}: use {', '.join(LAYER_NAMES)}")
    sections = {"site": _site_section, "route": _route_section, "flight": _flight_section,
                "event": _event_section, "corridor": _corridor_section, "track": _track_section,
                "gap": _gap_section, "reach": _reach_section, "position": _position_section}
    body = "".join(sections[name]() for name in LEGEND_ORDER if name in layers)
    return (f'<details class="ab-legend" open><summary>{LEGEND_TITLE}</summary>'
            f'<div class="ab-legend-body">{body}</div></details>')


def _section(layer: str, title: str, rows: list[str], columns: int = 2) -> str:
    when = ' data-ab-when="drawn"' if layer in TRACK_LAYERS else ""
    return (f'<section data-ab-layer="{layer}"{when}><h5>{escape_text(title)}</h5>'
            f'<div class="ab-legend-grid ab-columns-{columns}">{"".join(rows)}</div></section>')


def _item(symbol: str, label: str) -> str:
    return f'<div class="ab-legend-item"><span class="ab-legend-symbol">{symbol}</span>{escape_text(label)}</div>'


def _site_section() -> str:
    kinds = [_item(build_site_symbol(kind, None, "active", 18), symbol.label) for kind, symbol in KIND_SYMBOLS.items()]
    groups = [_item(f'<span class="ab-swatch" style="background:{colour}"></span>', GROUP_LABELS[group])
              for group, colour in GROUP_COLOURS.items()]
    statuses = [_item(build_site_symbol(LEGEND_STATUS_KIND, None, status, 18), style.label)
                for status, style in STATUS_STYLES.items()]
    return (_section("site", "Sites: shape = kind", kinds, 3) + _section("site", "Colour = affiliation", groups, 2)
            + _section("site", "Status on the date", statuses, 2))


def _route_section() -> str:
    rows = [_item(build_line_sample(style, 3.0, arrow=True), style.label) for style in ROUTE_STYLES.values()]
    widths = "".join(build_line_sample(ROUTE_STYLES["individual"], route_width(n), length_px=26)
                     for n in WIDTH_EXAMPLES)
    rows.append(_item(widths, "1, 4, 15 flights"))
    rows.append(_item(build_uncertainty_sample(18), "Airfield not named"))
    return _section("route", "Routes in the window (arrow = direction)", rows)


def _flight_section() -> str:
    return _section("flight", "Flights", [_item(build_flight_badge(3), "Records in the window, at destination")], 1)


def _event_section() -> str:
    return _section("event", "Events", [_item(build_event_symbol(True, 18), "In the window"),
                                        _item(build_event_symbol(False, 18), "Earlier")])


def _corridor_section() -> str:
    return _section("corridor", "Corridors", [_item(build_line_sample(CORRIDOR_STYLE, 2.5), CORRIDOR_STYLE.label)], 1)


def _track_section() -> str:
    return _section("track", LAYER_TITLES["track"], [_item(build_line_sample(TRACK_STYLE, TRACK_WIDTH),
                                                           TRACK_STYLE.label)], 1)


def _gap_section() -> str:
    return _section("gap", LAYER_TITLES["gap"], [_item(build_line_sample(GAP_STYLE, TRACK_WIDTH), GAP_STYLE.label)], 1)


def _reach_section() -> str:
    return _section("reach", LAYER_TITLES["reach"], [_item(build_area_sample(36, 18), REACH_STYLE.label)], 1)


def _position_section() -> str:
    return _section("position", LAYER_TITLES["position"],
                    [_item(build_position_symbol(True, 18), "Last position on the date, arrow = heading"),
                     _item(build_position_symbol(False, 18), "Heading not reported")], 2)
