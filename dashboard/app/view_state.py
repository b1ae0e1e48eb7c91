"""The view in the URL: date, window, visible layers and basemap; parsed, clamped, written back.

Pure functions: the page reads ``st.query_params`` and passes the mapping here, so the
rules are testable without Streamlit. A bad value never fails: it is replaced by the
nearest valid one (a date by the nearest day of the data) and a notice says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from layers import DEFAULT_WINDOW_DAYS, LAYER_NAMES
from layers.escaping import quote_markdown_code

from dashboard.webmap.basemaps import BASEMAPS, DEFAULT_BASEMAP

DEFAULT_DATE = dt.date(2024, 12, 20)
WINDOW_CHOICES: dict[str, int | None] = {"1": 1, "7": 7, "30": 30, "all": None}
WINDOW_LABELS: dict[str, str] = {"1": "1 day", "7": "7 days", "30": "30 days", "all": "Cumulative"}
DEFAULT_WINDOW = str(DEFAULT_WINDOW_DAYS)
PARAM_NAMES = ("date", "window", "layers", "basemap")
NOTICE_VALUE_LIMIT = 40


@dataclass(frozen=True)
class ViewState:
    """What the URL describes: the day, the window key, the visible layers and the basemap."""

    as_of: dt.date
    window: str = DEFAULT_WINDOW
    layers: tuple[str, ...] = LAYER_NAMES
    basemap: str = DEFAULT_BASEMAP

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


def parse_view_state(params: Mapping[str, str | Sequence[str]], first: dt.date,
                     last: dt.date) -> tuple[ViewState, list[str]]:
    """Read the view from URL parameters; return it and the notices about what was changed.

    Parameters
    ----------
    params : mapping
        Query parameters (a value may be a list; the last one counts).
    first, last : datetime.date
        The days the data spans; the date is clamped to them.

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
    return ViewState(as_of, window, layers, basemap), notices


def encode_view_state(state: ViewState) -> dict[str, str]:
    """Return the URL parameters of ``state`` (all four, so a shared link is explicit)."""
    return {"date": state.as_of.isoformat(), "window": state.window,
            "layers": ",".join(name for name in LAYER_NAMES if name in state.layers), "basemap": state.basemap}


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
