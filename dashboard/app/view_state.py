"""The view in the URL: date, window, layers, basemap, map view and event; parsed, clamped, written back.

Pure functions: the page reads ``st.query_params`` and passes the mapping here, so the
rules are testable without Streamlit. A bad value never fails: it is replaced by the
nearest valid one (a date by the nearest day of the data) and a notice says so.

The URL is also the browser's history: a change of ``REPLACED_PARAMS`` alone (a slider
step, a pan or zoom) replaces the current entry, any other change pushes one, so Back
undoes the last deliberate change. The map's script replaces those itself
(``airbridge-view.js``, ``writeUrl``), formatting numbers to ``VIEW_DECIMALS`` as
:func:`format_number` does, so that the page's own write finds the address already
right and Streamlit pushes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from layers import DEFAULT_WINDOW_DAYS, LAYER_NAMES
from layers.escaping import quote_markdown_code
from layers.filters import Filters, parse_filters

from dashboard.webmap.basemaps import BASEMAPS, DEFAULT_BASEMAP
from dashboard.webmap.folium_map import MAX_ZOOM, MIN_ZOOM

DEFAULT_DATE = dt.date(2024, 12, 20)
WINDOW_CHOICES: dict[str, int | None] = {"1": 1, "7": 7, "30": 30, "all": None}
WINDOW_LABELS: dict[str, str] = {"1": "1 day", "7": "7 days", "30": "30 days", "all": "Cumulative"}
DEFAULT_WINDOW = str(DEFAULT_WINDOW_DAYS)
PARAM_NAMES = ("date", "window", "layers", "basemap", "zoom", "center", "event")
REPLACED_PARAMS = ("date", "zoom", "center")  # their changes replace the history entry; the others push one
VIEW_DECIMALS = {"zoom": 2, "center": 4}  # 4 decimals of a degree: about 11 m
MAX_LATITUDE = 85.0511  # the Web Mercator map ends here
NOTICE_VALUE_LIMIT = 40


@dataclass(frozen=True)
class ViewState:
    """What the URL describes: the day, window key, visible layers, basemap, map view and chosen event."""

    as_of: dt.date
    window: str = DEFAULT_WINDOW
    layers: tuple[str, ...] = LAYER_NAMES
    basemap: str = DEFAULT_BASEMAP
    zoom: float | None = None
    center: tuple[float, float] | None = None  # (lat, lon); with zoom, or neither
    event: str | None = None

    @property
    def window_days(self) -> int | None:
        """The window in days, None for cumulative."""
        return WINDOW_CHOICES[self.window]


@dataclass(frozen=True)
class MapView:
    """What the map shows besides the time: for the export panel.

    Attributes
    ----------
    visible_layers : frozenset of str
        Layers switched on.
    basemap : str
        Key of ``dashboard.webmap.basemaps.BASEMAPS``.
    bounds : tuple of float or None
        West, south, east, north in degrees once the user has moved the map, else None.
    """

    visible_layers: frozenset[str]
    basemap: str
    bounds: tuple[float, float, float, float] | None = None


def find_default_date(first: dt.date, last: dt.date) -> dt.date:
    """Return the opening date: 20 Dec 2024, or the nearest day of the data."""
    return clamp_date(DEFAULT_DATE, first, last)


def clamp_date(day: dt.date, first: dt.date, last: dt.date) -> dt.date:
    """Return ``day`` moved into ``first`` .. ``last`` (inclusive)."""
    return min(max(day, first), last)


def step_date(day: dt.date, days: int, first: dt.date, last: dt.date) -> dt.date:
    """Return ``day`` plus ``days``, clamped to the data."""
    return clamp_date(day + dt.timedelta(days=days), first, last)


def parse_view_state(params: Mapping[str, str | Sequence[str]], first: dt.date, last: dt.date,
                     event_ids: Collection[str] | None = None) -> tuple[ViewState, list[str]]:
    """Read the view from URL parameters; return it and the notices about what was changed.

    Parameters
    ----------
    params : mapping
        Query parameters (a value may be a list; the last one counts).
    first, last : datetime.date
        The days the data spans; the date is clamped to them.
    event_ids : collection of str, optional
        The ids of the data's events; an ``event`` not among them is dropped. None takes
        any well-formed id.

    Returns
    -------
    ViewState, list of str
        The view, and one Markdown-safe sentence per parameter that was malformed or out
        of range (empty when the URL was fine or had no parameters).
    """
    notices: list[str] = []
    as_of = find_default_date(first, last)
    raw_date = _last(params.get("date"))
    if raw_date is not None:
        as_of, notice = _parse_date(raw_date, first, last, as_of)
        notices += [notice] if notice else []
    window = DEFAULT_WINDOW
    raw_window = _last(params.get("window"))
    if raw_window is not None:
        if raw_window.strip().lower() in WINDOW_CHOICES:
            window = raw_window.strip().lower()
        else:
            notices.append(f"The window {_quote(raw_window)} in the link is not one of "
                           f"{', '.join(WINDOW_CHOICES)}: showing {WINDOW_LABELS[window].lower()}.")
    layers: tuple[str, ...] = LAYER_NAMES
    raw_layers = _last(params.get("layers"))
    if raw_layers is not None:
        layers, notice = _parse_layers(raw_layers)
        notices += [notice] if notice else []
    basemap = DEFAULT_BASEMAP
    raw_basemap = _last(params.get("basemap"))
    if raw_basemap is not None:
        if raw_basemap.strip() in BASEMAPS:
            basemap = raw_basemap.strip()
        else:
            notices.append(f"The basemap {_quote(raw_basemap)} in the link is unknown (use one of "
                           f"{', '.join(BASEMAPS)}): showing {BASEMAPS[DEFAULT_BASEMAP].label}.")
    (zoom, center), notice = _parse_map_view(_last(params.get("zoom")), _last(params.get("center")))
    notices += [notice] if notice else []
    event, notice = _parse_event(_last(params.get("event")), event_ids)
    notices += [notice] if notice else []
    return ViewState(as_of, window, layers, basemap, zoom, center, event), notices


def encode_view_state(state: ViewState) -> dict[str, str]:
    """Return the URL parameters of ``state``, in ``PARAM_NAMES`` order.

    The first four always (so a shared link is explicit); ``zoom`` and ``center`` once the
    map was moved, ``event`` while one is chosen.
    """
    params = {"date": state.as_of.isoformat(), "window": state.window,
              "layers": ",".join(name for name in LAYER_NAMES if name in state.layers), "basemap": state.basemap}
    if state.zoom is not None and state.center is not None:
        params["zoom"] = format_number(state.zoom, VIEW_DECIMALS["zoom"])
        params["center"] = ",".join(format_number(v, VIEW_DECIMALS["center"]) for v in state.center)
    if state.event:
        params["event"] = state.event
    return params


def parse_map_view(zoom: object, center: object) -> tuple[float, tuple[float, float]] | None:
    """Return (zoom, (lat, lon)) from the ``zoom`` and ``center`` texts (URL or map report), or None if invalid.

    Examples
    --------
    >>> parse_map_view("6.5", "34.8,36.2")
    (6.5, (34.8, 36.2))
    >>> parse_map_view("6.5", "north") is None
    True
    """
    try:
        level = float(str(zoom).strip())
        lat, lon = (float(part) for part in str(center).split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (level, lat, lon)):
        return None
    if not (MIN_ZOOM <= level <= MAX_ZOOM and abs(lat) <= MAX_LATITUDE and abs(lon) <= 180):
        return None
    return level, (lat, lon)


def format_number(value: float, decimals: int) -> str:
    """Return ``value`` rounded to ``decimals``, without trailing zeros (as the map's script writes it).

    Examples
    --------
    >>> format_number(33.12, 4), format_number(6.0, 2), format_number(-0.00001, 4)
    ('33.12', '6', '0')
    """
    # The exact binary value, ties away from zero: as JavaScript's toFixed rounds.
    text = f"{Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def normalise_layers(layers: Iterable[str]) -> tuple[str, ...]:
    """Return the known layer names among ``layers``, in the standard order."""
    chosen = set(layers)
    return tuple(name for name in LAYER_NAMES if name in chosen)


def _parse_date(raw: str, first: dt.date, last: dt.date, fallback: dt.date) -> tuple[dt.date, str | None]:
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return fallback, (f"The date {_quote(raw)} in the link is not a date written YYYY-MM-DD: showing "
                          f"{_day(fallback)}.")
    if day < first:
        return first, f"The date {_day(day)} in the link is before the data starts: showing {_day(first)}."
    if day > last:
        return last, f"The date {_day(day)} in the link is after the data ends: showing {_day(last)}."
    return day, None


def _parse_map_view(raw_zoom: str | None, raw_center: str | None) -> tuple[
        tuple[float | None, tuple[float, float] | None], str | None]:
    if raw_zoom is None and raw_center is None:
        return (None, None), None
    if raw_zoom is None or raw_center is None:
        given, missing = ("zoom", "center") if raw_center is None else ("center", "zoom")
        return (None, None), f"The link gives a {given} but no {missing}: showing the opening extent."
    parsed = parse_map_view(raw_zoom, raw_center)
    if parsed is None:
        return (None, None), (f"The map view in the link (zoom {_quote(raw_zoom)}, center {_quote(raw_center)}) is "
                              f"not a zoom from {MIN_ZOOM} to {MAX_ZOOM} and a center written lat,lon in degrees: "
                              "showing the opening extent.")
    return parsed, None


def _parse_event(raw: str | None, event_ids: Collection[str] | None) -> tuple[str | None, str | None]:
    if raw is None:
        return None, None
    event = raw.strip()
    if event and (event_ids is None or event in event_ids):
        return event, None
    return None, f"The event {_quote(raw)} in the link is not in the data: no event is chosen."


def _parse_layers(raw: str) -> tuple[tuple[str, ...], str | None]:
    names = [part.strip().lower() for part in raw.split(",") if part.strip()]
    unknown = [name for name in names if name not in LAYER_NAMES]
    layers = normalise_layers(names)
    if not unknown:
        return layers, None
    return layers, (f"Unknown layers in the link ({_quote(', '.join(unknown))}) were left out; the layers are "
                    f"{', '.join(LAYER_NAMES)}.")


def _last(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[-1] if len(value) else None


def _quote(value: str) -> str:
    return quote_markdown_code(value, limit=NOTICE_VALUE_LIMIT)


def _day(day: dt.date) -> str:
    return day.isoformat()


def parse_filter_params(params: Mapping[str, str | Sequence[str]],
                        countries: Iterable[str]) -> tuple[Filters, list[str]]:
    """Read the filters from the URL: ``confidence``, ``record_type``, ``category``, ``country``, ``affiliation``.

    Parameters
    ----------
    params : mapping
        Query parameters (a value may be a list; the last one counts).
    countries : iterable of str
        The country codes of the data (``layers.filters.list_countries``).

    Returns
    -------
    Filters, list of str
        The filters of the known values, and one Markdown-safe notice per parameter that
        held unknown ones (left out; a filter left with no value shows everything).
    """
    raw = {name: value for name, value in ((n, _last(v)) for n, v in params.items()) if value is not None}
    filters, problems = parse_filters(raw, countries)
    return filters, [f"Unknown {problem.spec.label.lower()} values in the link "
                     f"({_quote(', '.join(problem.unknown))}) were left out; the values are "
                     f"{', '.join(problem.allowed)}." for problem in problems]
