"""Time semantics: the state of the world *as of* a date.

All bounds are inclusive and in whole UTC days:

* a site's status on day D is the status of its latest timeline row that takes effect on
  or before D (a partial date ``2025-05`` takes effect on 2025-05-01); before its first
  row a site is ``not_reported``;
* a window of N days ending on D covers D-(N-1) .. D, so a 1-day window is D alone and
  the default 7-day window is D-6 .. D; a flight or count report spanning
  ``date`` .. ``end_date`` is in the window when the two ranges share at least one day;
  a cumulative selection (``window_days=None``) covers every day up to and including D;
* an event is shown from its ``date`` on (never before it) and stays on the map; it is
  *in the window* when its ``date`` .. ``end_date`` range meets the window;
* a corridor is shown on the days between its ``valid_from`` and ``valid_to`` (open ends
  are unbounded).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from layers.vocabulary import NOT_REPORTED

DEFAULT_WINDOW_DAYS = 7
CUMULATIVE = "cumulative"
"""The word for a window with no start: every day up to the date (also the CLI's value)."""


def describe_window_length(window_days: int | None, *, as_window: bool = False) -> str:
    """Say how long a flight window is: the one wording of every caption, subtitle and label.

    Parameters
    ----------
    window_days : int or None
        Days in the window; None for cumulative.
    as_window : bool
        Use the attributive form, ``7-day window``, for the briefing subtitle. A 1-day
        window stays ``1 day``: "1-day window" says the same at twice the length.

    Examples
    --------
    >>> describe_window_length(1), describe_window_length(7), describe_window_length(None)
    ('1 day', '7 days', 'cumulative')
    >>> describe_window_length(14, as_window=True)
    '14-day window'
    """
    if window_days is None:
        return CUMULATIVE
    if window_days == 1:
        return "1 day"
    return f"{window_days}-day window" if as_window else f"{window_days} days"


@dataclass(frozen=True)
class TimeSelection:
    """A date and the window of days that ends on it.

    Parameters
    ----------
    as_of : datetime.date
        The day the map shows (inclusive).
    window_days : int or None
        Length of the flight window ending on ``as_of``; None for cumulative.
    """

    as_of: dt.date
    window_days: int | None = DEFAULT_WINDOW_DAYS

    def __post_init__(self) -> None:
        if self.window_days is not None and self.window_days < 1:
            raise ValueError(f"window_days must be 1 or more, or None for cumulative; got {self.window_days}")

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the window (``as_of``)."""
        return pd.Timestamp(self.as_of)

    @property
    def start(self) -> pd.Timestamp | None:
        """The first day of the window, or None when cumulative."""
        if self.window_days is None:
            return None
        return self.end - pd.Timedelta(days=self.window_days - 1)

    def describe(self) -> str:
        """Say the window in words, e.g. '7 days to 2024-12-20 (2024-12-14 - 2024-12-20)'."""
        length = describe_window_length(self.window_days)
        start = self.start
        if start is None:
            return f"{length} to {self.as_of.isoformat()}"
        return f"{length} to {self.as_of.isoformat()} ({start.date().isoformat()} - {self.as_of.isoformat()})"


def select_status_as_of(site_status: pd.DataFrame, sites: pd.Index, as_of: dt.date) -> pd.DataFrame:
    """Return the status row in force on ``as_of`` for every site.

    Parameters
    ----------
    site_status : DataFrame
        ``Dataset.site_status`` (sorted by site and start).
    sites : Index
        Every site id; sites without a row in force get ``not_reported``.
    as_of : datetime.date

    Returns
    -------
    DataFrame
        Indexed by site id, columns of the status row (``status``, ``date``, ``note``,
        ``sources``, ``confidence``, ...); NaN/None for not-reported sites.
    """
    in_force = site_status[site_status["start"] <= pd.Timestamp(as_of)]
    latest = in_force.groupby("site_id", sort=False).tail(1).set_index("site_id")
    latest = latest.reindex(sites)
    latest["status"] = latest["status"].fillna(NOT_REPORTED)
    return latest


def filter_by_window(records: pd.DataFrame, selection: TimeSelection) -> pd.DataFrame:
    """Return the records whose ``date`` .. ``end_date`` range meets the selection's window."""
    last_day = records["end_date"].fillna(records["date"])
    visible = records["date"] <= selection.end
    if selection.start is not None:
        visible &= last_day >= selection.start
    return records[visible]


def filter_events_to_date(events: pd.DataFrame, selection: TimeSelection) -> pd.DataFrame:
    """Return the events dated on or before ``as_of``, flagged ``in_window``."""
    shown = events[events["date"] <= selection.end].copy()
    shown["in_window"] = shown.index.isin(filter_by_window(shown, selection).index)
    return shown


def filter_corridors(corridors: gpd.GeoDataFrame, selection: TimeSelection) -> gpd.GeoDataFrame:
    """Return the corridors documented in use on ``as_of``."""
    day = selection.end
    started = corridors["valid_from"].isna() | (corridors["valid_from"] <= day)
    not_ended = corridors["valid_to"].isna() | (corridors["valid_to"] >= day)
    return corridors[started & not_ended]
