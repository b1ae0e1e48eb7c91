"""The named contract between Python and the map's script: every field, declared once.

What Python sends to ``static/airbridge/*.js`` is declared here and nowhere else on the
Python side; the script reads the same names (``site.popup``, ``state.caption``...) and
``tests/test_map_contract.py`` checks that both sides agree, field by field.

**Layers are columnar.** A layer of the state is one object of equal-length arrays, one
array per field, so each field name travels once per layer and not once per feature::

    "site": {"geom": [3, 4], "popup": [12, 15], "tip": [13, 16], "label": [14, 17],
             "symbol": [2, 2], "rank": [0, 3]}

A layer without features is ``{}``. The script turns the columns back into one object
per feature (``readFeatures`` in ``airbridge-core.js``, which lists the same names in
its ``FIELDS``). On the shipped data the state of 2024-12-20 with a 7-day window is
1,780 bytes, against 1,832 with the positional arrays this replaced (over every date
and window: 4 % less in all, the largest state 4,605 bytes instead of 4,842; states whose
layers hold one to three features each grow by up to 78 bytes of names).

**References.** A text, geometry or symbol field holds a number into the catalogue
(:class:`dashboard.webmap.catalogue.Catalogue`), or the value itself when the catalogue
lacks it (always, for a state encoded without a catalogue):

* ``TextRef``: a number into ``catalogue.texts``, or escaped HTML;
* ``GeometryRef``: a number into ``catalogue.geoms``, or coordinates: ``[lon, lat]`` for a
  point, ``[[[lon, lat], ...], ...]`` (a list of lines) for a route, corridor, track or gap,
  and a list of rings, outer ring first, for a reach area;
* ``SymbolRef``: a number into ``catalogue.symbols``, or the SVG.

Only fields the script reads are declared: a count that equals the length of a list
(``popups``) is not sent again, and neither is anything the script would ignore.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

Geometry = list[Any]  # [lon, lat] for a point; [[[lon, lat], ...], ...] for lines
TextRef = int | str
GeometryRef = int | Geometry
SymbolRef = int | str


@dataclass(frozen=True, slots=True)
class SiteFeature:
    """A site: symbol and label at a point.

    Attributes
    ----------
    geom : GeometryRef
        The point.
    popup, tip, label : TextRef
        HTML of the popup, of the tooltip, and of the short name beside the symbol.
    symbol : SymbolRef
        The SVG of kind, group and status.
    rank : int
        Label priority, lower first (``place_features.LABEL_RANK_BUSY``, ``map_payload.STATUS_LABEL_RANK``).
    """

    geom: GeometryRef
    popup: TextRef
    tip: TextRef
    label: TextRef
    symbol: SymbolRef
    rank: int


@dataclass(frozen=True, slots=True)
class RouteFeature:
    """A route leg: a line with an arrowhead, as wide as it has flights.

    Attributes
    ----------
    geom : GeometryRef
        The lines.
    popup : list of TextRef
        HTML of the popup in pieces, joined in order without a separator
        (``popups.build_route_popup_parts``): a leg's popups for different sets of flights
        share most pieces, which the catalogue holds once.
    tip : TextRef
        HTML of the tooltip.
    kind : str
        The record type, a key of ``layers.style.ROUTE_STYLES`` (colour, CSS class).
    width : float
        Line width in pixels.
    dash : str or None
        SVG dash array, or None for a solid line.
    stubs : GeometryRef or None
        The uncertain ends: the last stretch of the line next to a place whose airfield
        is not named, drawn dashed and faded (``layers.route_marks``); ``geom`` is the
        rest. None when both ends are known.
    unstated : bool
        A count report on the leg gives no figure: drawn hollow.
    """

    geom: GeometryRef
    popup: list[TextRef]
    tip: TextRef
    kind: str
    width: float
    dash: str | None
    stubs: GeometryRef | None
    unstated: bool


@dataclass(frozen=True, slots=True)
class FlightFeature:
    """The flight records placed at one point: a badge with their number.

    Attributes
    ----------
    geom : GeometryRef
        The point.
    popups : list of TextRef
        One popup per record, oldest first; the badge shows how many.
    tips : list of TextRef
        One per record, after a "n flight records" heading when there are several.
    """

    geom: GeometryRef
    popups: list[TextRef]
    tips: list[TextRef]


@dataclass(frozen=True, slots=True)
class EventFeature:
    """The events placed at one point: a star, with their number when several.

    Attributes
    ----------
    geom : GeometryRef
        The point (also how an event focus names the marker to open).
    popups : list of TextRef
        One popup per event, newest first.
    tips : list of TextRef
        One per event, after a "n events" heading when there are several.
    current : int
        How many of them fall in the window (the star is drawn "now" when any does).
    """

    geom: GeometryRef
    popups: list[TextRef]
    tips: list[TextRef]
    current: int


@dataclass(frozen=True, slots=True)
class ObservationFeature:
    """The observations placed at one point: an eye (``catalogue.eye``), with their number when several.

    Attributes
    ----------
    geom : GeometryRef
        The point.
    popups : list of TextRef
        One popup per observation, newest first.
    tips : list of TextRef
        One per observation, after a "n observations" heading when there are several.
    """

    geom: GeometryRef
    popups: list[TextRef]
    tips: list[TextRef]


@dataclass(frozen=True, slots=True)
class CorridorFeature:
    """An air corridor: a dashed line.

    Attributes
    ----------
    geom : GeometryRef
        The lines.
    popup, tip : TextRef
        HTML of the popup and of the tooltip.
    """

    geom: GeometryRef
    popup: TextRef
    tip: TextRef


@dataclass(frozen=True, slots=True)
class CircleFeature:
    """An uncertainty circle around a place named only roughly.

    Attributes
    ----------
    geom : GeometryRef
        The centre.
    km : float
        The radius in kilometres.
    tip : TextRef
        HTML of the tooltip.
    layer : str
        The layer whose place it outlines; the circle shows and hides with it.
    label : TextRef
        HTML of the place's name, written in italics at the centre.
    rank : int
        Label priority, as a site's (``place_features.PLACE_LABEL_RANK``).
    """

    geom: GeometryRef
    km: float
    tip: TextRef
    layer: str
    label: TextRef
    rank: int


@dataclass(frozen=True, slots=True)
class TrackFeature:
    """A flown ADS-B track: a solid line (style: ``layers.style.TRACK_STYLE``).

    Attributes
    ----------
    geom : GeometryRef
        The lines: the display vertices of the track, broken where it went dark (the gaps
        are drawn on their own), so a solid line is only ever where positions were received.
    popup, tip : TextRef
        HTML of the popup and of the tooltip.
    """

    geom: GeometryRef
    popup: TextRef
    tip: TextRef


@dataclass(frozen=True, slots=True)
class GapFeature:
    """Where a track went dark: a dashed line from the last position to the next (``GAP_STYLE``).

    Attributes
    ----------
    geom : GeometryRef
        The lines.
    popup, tip : TextRef
        HTML of the popup (with the ranked candidate airfields) and of the tooltip.
    """

    geom: GeometryRef
    popup: TextRef
    tip: TextRef


@dataclass(frozen=True, slots=True)
class ReachFeature:
    """Where the aircraft could have landed while dark: a faint area with a dotted edge (``REACH_STYLE``).

    Attributes
    ----------
    geom : GeometryRef
        The rings of the area.
    popup, tip : TextRef
        HTML of the popup and of the tooltip.
    """

    geom: GeometryRef
    popup: TextRef
    tip: TextRef


@dataclass(frozen=True, slots=True)
class PositionFeature:
    """An aircraft's last position up to the date: an arrowhead turned to its heading, and a label.

    Attributes
    ----------
    geom : GeometryRef
        The point.
    popup, tip, label : TextRef
        HTML of the popup, of the tooltip, and of the label (registration, else callsign,
        else ICAO address).
    heading : int or None
        Track over the ground in degrees clockwise from north; None draws a dot, not an arrow.
    """

    geom: GeometryRef
    popup: TextRef
    tip: TextRef
    label: TextRef
    heading: int | None


Feature = (SiteFeature | RouteFeature | FlightFeature | EventFeature | ObservationFeature | CorridorFeature
           | CircleFeature | TrackFeature | GapFeature | ReachFeature | PositionFeature)
FEATURE_TYPES: dict[str, type[Feature]] = {
    "site": SiteFeature, "route": RouteFeature, "flight": FlightFeature, "event": EventFeature,
    "observation": ObservationFeature, "corridor": CorridorFeature, "circle": CircleFeature, "track": TrackFeature,
    "gap": GapFeature, "reach": ReachFeature, "position": PositionFeature,
}
"""The feature kinds of ``state.layers`` and the record of each (the script has its own drawing order)."""


class DateState(TypedDict):
    """What a state holds for a date and window (``map_payload.encode_state_layers``)."""

    asOf: str  # ISO date; camelCase, as the script spells its names
    window: int | None  # days, None for everything up to the date
    caption: str  # HTML of the date box
    layers: dict[str, dict[str, list[Any]]]  # kind -> field -> column (see FEATURE_TYPES)


class FocusState(TypedDict):
    """A view to show once: an event chosen in the list, or the map view of a URL (shared, or Back)."""

    geom: GeometryRef | None  # the event's point, naming the marker whose popup opens; None: no event
    popup: TextRef | None  # that event's own popup, shown first in its place's list; None: the list as it is
    centre: list[float] | None  # [lon, lat] to centre on exactly, at ``zoom``; None: centre on ``geom``
    zoom: float  # exact with ``centre``; else the least zoom to show the event at
    request: int  # changes with each new request, so the same event can be chosen again


class MapView(TypedDict):
    """What the view adds to a state (``map_payload.attach_view``)."""

    visible: list[str]  # names of the layers switched on
    basemap: str  # key of ``dashboard.webmap.basemaps.BASEMAPS``
    focus: NotRequired[FocusState]


class Stars(TypedDict):
    """SVG of the event star: an event in the window, or an older one."""

    now: str
    past: str


class CataloguePayload(TypedDict):
    """What the catalogue holds (``Catalogue.to_payload``), sent once."""

    texts: list[str]  # escaped HTML
    geoms: list[Geometry]
    symbols: list[str]  # SVG of the site symbols
    legend: str  # HTML
    stars: Stars
    eye: str  # SVG of the observation symbol
    scrub: dict[str, Any] | None  # every date's rules, for the date control (``scrub_index``); None: one date only
    tools: dict[str, Any] | None  # ranges and ring origins of the measuring tools (``measure_tools.ToolTable``)


def list_fields(record: type) -> tuple[str, ...]:
    """Return the field names of a feature dataclass or the keys of a TypedDict, in order."""
    if dataclasses.is_dataclass(record):
        return tuple(item.name for item in dataclasses.fields(record))
    return tuple(record.__annotations__)


FEATURE_FIELDS: dict[str, tuple[str, ...]] = {kind: list_fields(record) for kind, record in FEATURE_TYPES.items()}
"""Kind -> the names of its columns (``FIELDS`` in ``airbridge-core.js``)."""

CONTRACT: dict[str, tuple[str, ...]] = {
    **FEATURE_FIELDS,
    "state": (*list_fields(DateState), *list_fields(MapView)),
    "focus": list_fields(FocusState),
    "catalogue": list_fields(CataloguePayload),
    "stars": list_fields(Stars),
}
"""Every object the script reads -> the names it may read, and must read, on it."""


def encode_columns(kind: str, features: Sequence[Feature]) -> dict[str, list[Any]]:
    """Return the columns of one layer: each field of ``kind`` -> its values, feature by feature.

    A layer without features has no columns (``{}``): on most dates some layer is empty,
    and its names would be most of what it sends.

    Raises
    ------
    TypeError
        If a feature is not of the kind's type.
    """
    record = FEATURE_TYPES[kind]
    for feature in features:
        if type(feature) is not record:
            raise TypeError(f"a {type(feature).__name__} in the {kind} layer, which holds {record.__name__}")
    if not features:
        return {}
    return {name: [getattr(feature, name) for feature in features] for name in FEATURE_FIELDS[kind]}
