"""The map legend as HTML, built from the shared symbology and the layers shown.

Each section carries ``data-ab-layer`` so that the map's script can hide the sections of
layers the user switches off, without the legend being sent again. The ADS-B layers
(:data:`TRACK_LAYERS`) share one section, ``data-ab-layer="track gap reach position"``,
whose rows carry their own layer. Both also carry ``data-ab-when="drawn"``: the script
shows a row only while its layer has features on the map, and the section while any of
its layers does, so a map without tracks does not explain them.
"""

from __future__ import annotations

from collections.abc import Iterable

from layers import LAYER_NAMES
from layers.route_marks import (
    UNCERTAIN_END_DASH,
    UNCERTAIN_END_LABEL,
    UNCERTAIN_END_OPACITY,
    UNSTATED_LABEL,
    WIDTH_MEANS,
    stripe_width,
    stub_width,
)
from layers.style import (
    ACTOR_MARKS,
    CONFIDENCE_MARK_LABEL,
    CONFIDENCE_MARKS,
    CORRIDOR_STYLE,
    GAP_STYLE,
    GROUP_COLOURS,
    GROUP_LABELS,
    KIND_SYMBOLS,
    OBSERVATION_STYLE,
    OTHER_ACTOR_STYLE,
    REACH_STYLE,
    ROUTE_STYLES,
    STALE_LABEL,
    STATUS_STYLES,
    TRACK_STYLE,
    TRACK_WIDTH,
    UNCERTAINTY_COLOUR,
    route_width,
)
from layers.vocabulary import LAYER_TITLES

from dashboard.webmap.popups import escape_text
from dashboard.webmap.symbols import (
    build_area_sample,
    build_event_symbol,
    build_flight_badge,
    build_line_sample,
    build_observation_symbol,
    build_position_symbol,
    build_site_symbol,
    build_uncertainty_sample,
)

LEGEND_TITLE = "Legend"
LEGEND_STATUS_KIND = "air_base"  # the shape used to show the status styles
WIDTH_EXAMPLES = (1, 4, 15)
LEGEND_ORDER = ("site", "route", "flight", "event", "observation", "corridor")
TRACK_LAYERS = ("track", "gap", "reach", "position")  # one section, rows in this order


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
                "event": _event_section, "observation": _observation_section, "corridor": _corridor_section}
    body = "".join(sections[name]() for name in LEGEND_ORDER if name in layers)
    body += _track_section([name for name in TRACK_LAYERS if name in layers])
    return (f'<details class="ab-legend" open><summary>{LEGEND_TITLE}</summary>'
            f'<div class="ab-legend-body">{body}</div></details>')


def _section(layer: str, title: str, rows: list[str], columns: int = 2, when: str = "") -> str:
    return (f'<section data-ab-layer="{layer}"{when}><h5>{escape_text(title)}</h5>'
            f'<div class="ab-legend-grid ab-columns-{columns}">{"".join(rows)}</div></section>')


def _item(symbol: str, label: str, layer: str | None = None) -> str:
    shown_with = f' data-ab-layer="{layer}" data-ab-when="drawn"' if layer else ""
    return (f'<div class="ab-legend-item"{shown_with}><span class="ab-legend-symbol">{symbol}</span>'
            f"{escape_text(label)}</div>")


def _site_section() -> str:
    kinds = [_item(build_site_symbol(kind, None, "active", 18), symbol.label) for kind, symbol in KIND_SYMBOLS.items()]
    groups = [_item(f'<span class="ab-swatch" style="background:{colour}"></span>', GROUP_LABELS[group])
              for group, colour in GROUP_COLOURS.items()]
    statuses = [_item(build_site_symbol(LEGEND_STATUS_KIND, None, status, 18), style.label)
                for status, style in STATUS_STYLES.items()]
    # Age and evidence are drawn apart from the status (a faded symbol, a corner letter), in
    # a one-column section: their long labels would widen the status grid's two columns.
    age = [_item(build_site_symbol(LEGEND_STATUS_KIND, None, "active", 18, stale=True), STALE_LABEL),
           _item("".join(build_site_symbol(LEGEND_STATUS_KIND, None, "active", 18, grade=level)
                         for level in CONFIDENCE_MARKS), CONFIDENCE_MARK_LABEL)]
    # A status row of another actor (or naming none) is drawn hollow and grey, its letter inside.
    actors = [_item(build_site_symbol(LEGEND_STATUS_KIND, None, "active", 18, mark=key), mark.label)
              for key, mark in ACTOR_MARKS.items()]
    return (_section("site", "Sites: shape = kind", kinds, 3) + _section("site", "Colour = affiliation", groups, 2)
            + _section("site", "Status on the date", statuses, 2)
            + _section("site", "Age and evidence of the status", age, 1)
            + _section("site", OTHER_ACTOR_STYLE.label, actors, 2))


def _route_section() -> str:
    rows = [_item(build_line_sample(style, 3.0, arrow=True), style.label) for style in ROUTE_STYLES.values()]
    widths = "".join(build_line_sample(ROUTE_STYLES["individual"], route_width(n), length_px=26)
                     for n in WIDTH_EXAMPLES)
    rows.append(_item(widths, f"{', '.join(map(str, WIDTH_EXAMPLES))} flights. {WIDTH_MEANS}"))
    rows.append(_item(_build_marked_route_sample(stub=False), UNSTATED_LABEL))
    rows.append(_item(_build_marked_route_sample(stub=True), UNCERTAIN_END_LABEL))
    rows.append(_item(build_uncertainty_sample(18), "Airfield not named: the area it lies in"))
    return _section("route", "Routes in the window (arrow = direction)", rows)


def _build_marked_route_sample(*, stub: bool) -> str:
    # As the script draws them (airbridge-layers.js createRoute): a hollow line, or a line
    # whose last stretch, at the edge of an uncertain end's circle, is thin, dashed and faded.
    style, width = ROUTE_STYLES["individual"], route_width(WIDTH_EXAMPLES[1])
    if stub:
        thin = stub_width(width)
        dash = " ".join(f"{max(part * thin, 2):g}" for part in UNCERTAIN_END_DASH)
        marks = (f'<line x1="2" y1="9" x2="26" y2="9" stroke="{style.colour}" stroke-width="{width:g}"/>'
                 f'<line x1="26" y1="9" x2="44" y2="9" stroke="{style.colour}" stroke-width="{thin:g}" '
                 f'stroke-dasharray="{dash}" stroke-opacity="{UNCERTAIN_END_OPACITY:g}"/>'
                 f'<circle cx="54" cy="9" r="8" fill="none" stroke="{UNCERTAINTY_COLOUR}" stroke-width="1.4" '
                 f'stroke-dasharray="3 2"/>')
    else:
        marks = (f'<line x1="2" y1="9" x2="44" y2="9" stroke="{style.colour}" stroke-width="{width:g}"/>'
                 f'<line x1="2" y1="9" x2="44" y2="9" stroke="#ffffff" stroke-width="{stripe_width(width):g}"/>')
    size = 64 if stub else 46
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="18" aria-hidden="true">{marks}</svg>'


def _flight_section() -> str:
    return _section("flight", "Flights", [_item(build_flight_badge(3), "Records in the window, at destination")], 1)


def _event_section() -> str:
    return _section("event", "Events", [_item(build_event_symbol(True, 18), "In the window"),
                                        _item(build_event_symbol(False, 18), "Earlier")])


def _observation_section() -> str:
    return _section("observation", LAYER_TITLES["observation"],
                    [_item(build_observation_symbol(18), OBSERVATION_STYLE.label)], 1)


def _corridor_section() -> str:
    return _section("corridor", "Corridors", [_item(build_line_sample(CORRIDOR_STYLE, 2.5), CORRIDOR_STYLE.label)], 1)


def _track_section(layers: list[str]) -> str:
    if not layers:
        return ""
    rows = {
        "track": [_item(build_line_sample(TRACK_STYLE, TRACK_WIDTH), TRACK_STYLE.label, "track")],
        "gap": [_item(build_line_sample(GAP_STYLE, TRACK_WIDTH), GAP_STYLE.label, "gap")],
        "reach": [_item(build_area_sample(36, 18), REACH_STYLE.label, "reach")],
        "position": [_item(build_position_symbol(True, 18), "Last position (arrow = heading)", "position"),
                     _item(build_position_symbol(False, 18), "Last position, heading not reported", "position")],
    }
    return _section(" ".join(layers), LAYER_TITLES["track"], [row for name in layers for row in rows[name]], 2,
                    ' data-ab-when="drawn"')
