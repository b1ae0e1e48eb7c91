"""Symbology shared by the live map and every export, so both show the same thing.

Colours are the Okabe-Ito palette, which stays distinguishable with the common forms of
colour blindness and on washed-out projectors. The labels come from
:mod:`layers.vocabulary`; the order of each table here is the order legends list it in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from layers.vocabulary import (
    ACTOR_LABELS,
    CONFIDENCE_LABELS,
    CONFIDENCE_LEVELS,
    GROUP_LABELS,
    KIND_LABELS,
    NOT_REPORTED,
    RECORD_TYPE_LEGENDS,
    RUSSIAN_ACTORS,
    STALE_STATUS_DAYS,
    STATUS_LABELS,
)

__all__ = [
    "ACTOR_MARKS",
    "CONFIDENCE_MARKS",
    "CONFIDENCE_MARK_LABEL",
    "CORRIDOR_STYLE",
    "EVENT_COLOUR",
    "FLIGHT_COLOUR",
    "GAP_STYLE",
    "GROUP_COLOURS",
    "GROUP_LABELS",
    "KIND_SYMBOLS",
    "OBSERVATION_STYLE",
    "OTHER_ACTOR_STYLE",
    "POSITION_COLOUR",
    "REACH_FILL_OPACITY",
    "REACH_STYLE",
    "ROUTE_STYLES",
    "STALE_LABEL",
    "STALE_OPACITY",
    "STATUS_STYLES",
    "TRACK_STYLE",
    "TRACK_WIDTH",
    "UNCERTAINTY_COLOUR",
    "UNSTATED_ACTOR",
    "ActorMark",
    "GlyphStyle",
    "KindSymbol",
    "LineStyle",
    "StatusStyle",
    "choose_actor_mark",
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


Stroke = tuple[float, float, float, float]
"""A line drawn over a site symbol, ``(x1, y1, x2, y2)`` in its 20x20 box (y down, as in SVG)."""
CROSS: tuple[Stroke, ...] = ((5, 5, 15, 15), (15, 5, 5, 15))  # gone: struck out
SLASH: tuple[Stroke, ...] = ((3.5, 16.5, 16.5, 3.5),)  # taken over: one bar, unlike the cross of withdrawn
MINUS: tuple[Stroke, ...] = ((5, 12, 15, 12),)  # less of it: drawing down
PAUSE: tuple[Stroke, ...] = ((8, 8, 8, 16), (12, 8, 12, 16))  # on hold: suspended


@dataclass(frozen=True)
class StatusStyle:
    """How a site status is drawn: fill, outline, dashes and the strokes over the shape.

    Every status has a symbol of its own (``tests/test_status_display.py`` checks the
    markup differs): the fill says how present, the dashes how certain, the strokes what
    ended or paused it.
    """

    label: str
    fill_opacity: float
    outline: str
    dashed: bool
    strokes: tuple[Stroke, ...] = ()


STATUS_STYLES: dict[str, StatusStyle] = {
    "active": StatusStyle(STATUS_LABELS["active"], 1.0, "#000000", False),
    "reported": StatusStyle(STATUS_LABELS["reported"], 0.45, "#000000", True),
    "suspended": StatusStyle(STATUS_LABELS["suspended"], 0.45, "#000000", False, PAUSE),
    "drawdown": StatusStyle(STATUS_LABELS["drawdown"], 0.25, "#000000", True, MINUS),
    "withdrawn": StatusStyle(STATUS_LABELS["withdrawn"], 0.0, "#000000", False, CROSS),
    "captured": StatusStyle(STATUS_LABELS["captured"], 0.0, "#000000", False, SLASH),
    NOT_REPORTED: StatusStyle(STATUS_LABELS[NOT_REPORTED], 0.0, "#7F7F7F", True),
}

STALE_OPACITY = 0.4
"""Opacity of a whole site symbol whose status is stale (``layers.timeline``): a ghost of it."""
STALE_LABEL = f"Faded: last reported over {STALE_STATUS_DAYS // 365} years before the date"
CONFIDENCE_MARKS: dict[str, str] = {level: CONFIDENCE_LABELS[level][0] for level in CONFIDENCE_LEVELS}
"""The letter in a site symbol's corner: the confidence grade of its status row (H, M, L),
kept apart from the status so that evidence quality never reads as a status."""
CONFIDENCE_MARK_LABEL = "Corner letter = evidence: " + ", ".join(
    f"{letter} {CONFIDENCE_LABELS[level].lower()}" for level, letter in CONFIDENCE_MARKS.items())


@dataclass(frozen=True)
class ActorMark:
    """The letter drawn in a site whose status row is not about Russians, and what it stands for."""

    letter: str
    label: str


@dataclass(frozen=True)
class GlyphStyle:
    """How a point layer with a glyph of its own is drawn: the legend's words and the colours."""

    label: str
    colour: str
    outline: str


UNSTATED_ACTOR = "unstated"
"""The mark of a status row that names no actor (a workspace row imported without one)."""
ACTOR_MARKS: dict[str, ActorMark] = {
    "syria_old": ActorMark("A", ACTOR_LABELS["syria_old"]),
    "syria_new": ActorMark("S", ACTOR_LABELS["syria_new"]),
    "uae": ActorMark("U", ACTOR_LABELS["uae"]),
    "turkey": ActorMark("T", ACTOR_LABELS["turkey"]),
    "sdf": ActorMark("D", ACTOR_LABELS["sdf"]),
    "other": ActorMark("O", ACTOR_LABELS["other"]),
    UNSTATED_ACTOR: ActorMark("?", "Actor not stated"),
}
"""The non-Russian actors (and none stated), in legend order: a site whose status row is theirs
is drawn hollow, outlined in :data:`OTHER_ACTOR_STYLE`, with the letter inside, so it never
looks like a Russian site."""
OTHER_ACTOR_STYLE = GlyphStyle("Not Russian presence: letter = actor", "#4D4D4D", "#4D4D4D")
"""Outline and letter colour of such a site (its fill is white)."""
OBSERVATION_STYLE = GlyphStyle("Observation: satellite image, photo or ground report", "#009E73", "#1A1A1A")
"""An eye on a white disc: the eye in ``colour``, the disc's edge in ``outline``."""


def choose_actor_mark(status: object, actor: object) -> str | None:
    """Return the key of :data:`ACTOR_MARKS` a site is drawn with, or None for a site drawn as Russian.

    A status row of a Russian actor (:data:`layers.vocabulary.RUSSIAN_ACTORS`: present, or
    gone when withdrawn or captured) and a site with no status yet keep the group colour;
    every other row, another actor's or one naming none, gets the hollow grey symbol and
    its letter.

    Examples
    --------
    >>> choose_actor_mark("active", "russia"), choose_actor_mark("active", "uae"), choose_actor_mark("active", None)
    (None, 'uae', 'unstated')
    >>> choose_actor_mark("not_reported", None) is None
    True
    """
    if status == NOT_REPORTED or actor in RUSSIAN_ACTORS:
        return None
    return actor if isinstance(actor, str) and actor in ACTOR_MARKS else UNSTATED_ACTOR


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
