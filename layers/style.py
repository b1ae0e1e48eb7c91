"""Symbology shared by the live map and every export, so both show the same thing.

Colours are the Okabe-Ito palette, which stays distinguishable with the common forms of
colour blindness and on washed-out projectors. The labels come from
:mod:`layers.vocabulary`; the order of each table here is the order legends list it in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from layers.vocabulary import GROUP_LABELS, KIND_LABELS, NOT_REPORTED, RECORD_TYPE_LEGENDS, STATUS_LABELS

__all__ = [
    "CORRIDOR_STYLE",
    "EVENT_COLOUR",
    "FLIGHT_COLOUR",
    "GAP_STYLE",
    "GROUP_COLOURS",
    "GROUP_LABELS",
    "KIND_SYMBOLS",
    "POSITION_COLOUR",
    "REACH_FILL_OPACITY",
    "REACH_STYLE",
    "ROUTE_STYLES",
    "STATUS_STYLES",
    "TRACK_STYLE",
    "TRACK_WIDTH",
    "UNCERTAINTY_COLOUR",
    "KindSymbol",
    "LineStyle",
    "StatusStyle",
    "dash_pattern",
    "route_width",
]

GROUP_COLOURS: dict[str, str] = {
    "syria": "#D55E00",   # vermillion: Russian sites in Syria
    "libya": "#0072B2",   # blue: Libyan airfields and ports
    "origin": "#CC79A7",  # reddish purple: origin airfields in Russia and Belarus
    "onward": "#009E73",  # bluish green: onward destinations in Africa
    "other": "#7F7F7F",   # grey: other endpoints
}


@dataclass(frozen=True)
class KindSymbol:
    """How a site kind is drawn: a matplotlib marker and an SVG path in a 20x20 box."""

    label: str
    marker: str
    svg_path: str


KIND_SYMBOLS: dict[str, KindSymbol] = {
    "air_base": KindSymbol(KIND_LABELS["air_base"], "^", "M10 1 L19 18 L1 18 Z"),
    "airport": KindSymbol(KIND_LABELS["airport"], "o", "M10 2 A8 8 0 1 1 9.99 2 Z"),
    "naval_base": KindSymbol(KIND_LABELS["naval_base"], "s", "M2 2 H18 V18 H2 Z"),
    "port": KindSymbol(KIND_LABELS["port"], "p", "M10 1 L19 8 L15.5 18 H4.5 L1 8 Z"),
    "army_base": KindSymbol(KIND_LABELS["army_base"], "D", "M10 1 L19 10 L10 19 L1 10 Z"),
    "logistics_hub": KindSymbol(KIND_LABELS["logistics_hub"], "h", "M5.5 2 H14.5 L19 10 L14.5 18 H5.5 L1 10 Z"),
}


@dataclass(frozen=True)
class StatusStyle:
    """How a site status is drawn: fill, outline and whether it is struck through."""

    label: str
    fill_opacity: float
    outline: str
    dashed: bool
    crossed: bool


STATUS_STYLES: dict[str, StatusStyle] = {
    "active": StatusStyle(STATUS_LABELS["active"], 1.0, "#000000", False, False),
    "reported": StatusStyle(STATUS_LABELS["reported"], 0.45, "#000000", True, False),
    "suspended": StatusStyle(STATUS_LABELS["suspended"], 0.45, "#000000", False, False),
    "drawdown": StatusStyle(STATUS_LABELS["drawdown"], 0.25, "#000000", True, False),
    "withdrawn": StatusStyle(STATUS_LABELS["withdrawn"], 0.0, "#000000", False, True),
    "captured": StatusStyle(STATUS_LABELS["captured"], 0.0, "#000000", False, True),
    NOT_REPORTED: StatusStyle(STATUS_LABELS[NOT_REPORTED], 0.0, "#7F7F7F", True, False),
}


@dataclass(frozen=True)
class LineStyle:
    """How a line layer or route record type is drawn."""

    label: str
    colour: str
    dash: tuple[float, ...] | None  # on/off lengths in line widths; None for solid


ROUTE_STYLES: dict[str, LineStyle] = {
    "individual": LineStyle(RECORD_TYPE_LEGENDS["individual"], "#1A1A1A", None),
    "count": LineStyle(RECORD_TYPE_LEGENDS["count"], "#E69F00", (3.0, 2.0)),
    "plan": LineStyle(RECORD_TYPE_LEGENDS["plan"], "#56B4E9", (1.0, 2.0)),
}
CORRIDOR_STYLE = LineStyle("Documented corridor (schematic)", "#999999", (6.0, 3.0))
# ADS-B: the flown track is solid, the silence dashed in the same colour family, so "seen"
# and "not seen" read apart at a glance; the reach area is a faint fill with a dotted edge.
TRACK_STYLE = LineStyle("ADS-B track (flown, as received)", "#0072B2", None)
GAP_STYLE = LineStyle("Went dark (no positions received)", "#D55E00", (2.0, 2.0))
REACH_STYLE = LineStyle("Where it could have landed while dark", "#D55E00", (1.0, 2.0))
REACH_FILL_OPACITY = 0.08
TRACK_WIDTH = 2.5
POSITION_COLOUR = "#0072B2"  # the aircraft's last position on the date: a filled arrowhead
EVENT_COLOUR = "#F0E442"  # yellow star with a black outline
FLIGHT_COLOUR = "#1A1A1A"
UNCERTAINTY_COLOUR = "#E69F00"


def route_width(flights: int) -> float:
    """Return the line width in pixels for a route carrying ``flights`` flights.

    Grows with the logarithm so that a shuttle of dozens stays readable next to a single
    flight: 1 flight -> 3 px, 4 -> 5.3 px, 15 -> 8 px, capped at 12 px.
    """
    return min(3.0 + 2.0 * math.log2(max(flights, 1)), 12.0)


def dash_pattern(style: LineStyle, width: float) -> str | None:
    """Return an SVG/Leaflet ``dashArray`` for a line style at a given width."""
    if style.dash is None:
        return None
    return " ".join(f"{max(part * width, 2):g}" for part in style.dash)
