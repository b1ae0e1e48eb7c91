"""Time semantics: the state of the world *as of* a date.

All bounds are inclusive and in whole UTC days:

* a site's status on day D is the status of its latest timeline row that takes effect on
  or before D; before its first row a site is ``not_reported``. A day-precise row takes
  effect on its day. A partial row (``2025-05``, ``2015``) may mean any day of its period,
  so it is certain only once the period is over: it takes effect on the day after
  (``2025-06-01``) and, until then, is *pending* (the site keeps its earlier status and
  says "in May 2025, day not known"). A partial row never overrides a more precise row of
  the same site dated inside its period: such a row *supersedes* it, and it never takes
  effect (:func:`order_status_rows`);
* a status row in force whose period ended more than
  :data:`layers.vocabulary.STALE_STATUS_DAYS` days before D is *stale*: shown as
  "last reported YEAR", faded;
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
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import geopandas as gpd
import pandas as pd

from layers.missing import is_present
from layers.schema import parse_partial_date
from layers.vocabulary import NOT_REPORTED, STALE_STATUS_DAYS

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


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}  # finer first: a finer row beats a coarser one


def order_status_rows(site_status: pd.DataFrame) -> pd.DataFrame:
    """Return the status rows with the days the time rule gives them, in the order they take effect.

    Computed once per frame object (:func:`_order_once`); callers must not change the result.

    Parameters
    ----------
    site_status : DataFrame
        ``Dataset.site_status`` (``site_id``, ``start``, ``precision``, ...).

    Returns
    -------
    DataFrame
        The rows, sorted by site and ``takes_effect``, with these columns added:
        ``period_end`` (the last day the date can mean), ``takes_effect`` (the first day
        the row is in force: its day, or the day after a partial row's period; NaT when a
        more precise row of the site dated inside the period supersedes it) and
        ``pending_until`` (the last day a partial row is pending: the day before it takes
        effect, or before the first row that supersedes it; NaT for a day-precise row).
        On one day a day-precise row is ordered after a partial row, which it follows.
    """
    return _order_once(site_status)


def _compute_order(site_status: pd.DataFrame) -> pd.DataFrame:
    rows = site_status.copy()
    one_day = pd.Timedelta(days=1)
    year_end = pd.to_datetime(rows["start"].dt.year.astype(str) + "-12-31")
    month_end = rows["start"] + pd.offsets.MonthEnd(0)
    rank = rows["precision"].map(_PRECISION_RANK).fillna(0)
    rows["period_end"] = rows["start"].where(rank == 0, month_end.where(rank == 1, year_end))
    plain = list(zip(rows["site_id"], rows["start"], rows["period_end"], rank, strict=True))
    by_site: dict[object, list[tuple[pd.Timestamp, float]]] = {}
    for site_id, start, _, row_rank in plain:
        by_site.setdefault(site_id, []).append((start, row_rank))
    first_finer: list[pd.Timestamp | None] = []  # None when no finer row lies in the period
    for site_id, start, end, row_rank in plain:
        finer = [day for day, other in by_site[site_id] if other < row_rank and start <= day <= end]
        first_finer.append(min(finer) if finer else None)
    superseder = pd.Series(first_finer, index=rows.index, dtype="datetime64[ns]")
    rows["takes_effect"] = rows["start"].where(rank == 0, (rows["period_end"] + one_day).where(superseder.isna()))
    rows["pending_until"] = ((rows["period_end"].where(superseder.isna(), superseder - one_day))
                             .where(rank > 0))
    rows["_day_last"] = rank == 0
    ordered = rows.sort_values(["site_id", "takes_effect", "_day_last"], kind="stable", na_position="first")
    return ordered.drop(columns="_day_last")


def find_effective_day(date: str) -> dt.date:
    """Return the day a status row dated ``date`` (as written) takes effect when it is in force.

    Examples
    --------
    >>> find_effective_day("2024-12-05"), find_effective_day("2019-11"), find_effective_day("2015")
    (datetime.date(2024, 12, 5), datetime.date(2019, 12, 1), datetime.date(2016, 1, 1))
    """
    parsed = parse_partial_date(date)
    return parsed.start if parsed.precision == "day" else parsed.end + dt.timedelta(days=1)


def is_status_stale(period_end: pd.Timestamp | dt.date, as_of: dt.date) -> bool:
    """Return whether a status row whose period ended on ``period_end`` is stale on ``as_of``.

    Examples
    --------
    >>> is_status_stale(dt.date(2021, 2, 17), dt.date(2024, 12, 1))
    True
    >>> is_status_stale(dt.date(2024, 12, 5), dt.date(2025, 1, 1))
    False
    """
    return (pd.Timestamp(as_of) - pd.Timestamp(period_end)).days > STALE_STATUS_DAYS


def list_status_change_days(site_status: pd.DataFrame) -> list[dt.date]:
    """Return every day on which some site's status display can change, sorted.

    The days a row takes effect, the first and last-plus-one days it is pending, and the
    day it turns stale: the scrub index and the catalogue build a site variant for each.
    """
    rows = order_status_rows(site_status)
    stale = rows["period_end"] + pd.Timedelta(days=STALE_STATUS_DAYS + 1)
    after_pending = rows["pending_until"] + pd.Timedelta(days=1)
    days = pd.concat([rows["start"], rows["takes_effect"], after_pending, stale]).dropna()
    return sorted({stamp.date() for stamp in days})


def select_status_as_of(site_status: pd.DataFrame, sites: pd.Index, as_of: dt.date) -> pd.DataFrame:
    """Return the status row in force on ``as_of`` for every site (the rule of the module docstring).

    Parameters
    ----------
    site_status : DataFrame
        ``Dataset.site_status``.
    sites : Index
        Every site id; sites without a row in force get ``not_reported``.
    as_of : datetime.date

    Returns
    -------
    DataFrame
        Indexed by site id, columns of the status row (``status``, ``date``, ``note``,
        ``sources``, ``confidence``, ...); NaN/None for not-reported sites. Added:
        ``stale`` (the row in force is older than ``STALE_STATUS_DAYS``), and
        ``pending_status`` / ``pending_date`` (the latest partial row pending on the day,
        as written; None when there is none).
    """
    day = pd.Timestamp(as_of)
    rows = order_status_rows(site_status)
    in_force = rows[rows["takes_effect"] <= day]
    latest = in_force.groupby("site_id", sort=False).tail(1).set_index("site_id")
    latest = latest.reindex(sites)
    latest["status"] = latest["status"].fillna(NOT_REPORTED)
    latest["stale"] = [isinstance(end, pd.Timestamp) and not pd.isna(end) and is_status_stale(end, as_of)
                       for end in latest["period_end"]]
    pending: dict[object, tuple[pd.Timestamp, str, str]] = {}
    partials = rows[rows["pending_until"].notna()]
    for site_id, start, until, status, date in zip(partials["site_id"], partials["start"], partials["pending_until"],
                                                   partials["status"], partials["date"], strict=True):
        if start <= day <= until and (site_id not in pending or pending[site_id][0] <= start):
            pending[site_id] = (start, status, date)  # the latest partial row pending on the day
    latest["pending_status"] = [pending[s][1] if s in pending else None for s in latest.index]
    latest["pending_date"] = [pending[s][2] if s in pending else None for s in latest.index]
    return latest


_ORDERED: dict[int, tuple[weakref.ref[pd.DataFrame], pd.DataFrame]] = {}


def _order_once(site_status: pd.DataFrame) -> pd.DataFrame:
    """Return the ordered rows of a frame, computed once per frame object.

    The scrub index and the catalogue ask for the status on every day a display can change
    (54 in the shipped data's range); ordering the rows each time made a site layer's status
    4x slower (27 ms against 7 ms measured). Dataset frames are never changed in place, so
    the frame's identity is a key.
    """
    key = id(site_status)
    cached = _ORDERED.get(key)
    if cached is not None and cached[0]() is site_status:
        return cached[1]
    ordered = _compute_order(site_status)
    _ORDERED[key] = (weakref.ref(site_status, partial(_forget_order, key)), ordered)
    return ordered


def _forget_order(key: int, _gone: object) -> None:
    _ORDERED.pop(key, None)  # the frame was collected: its id may be reused


def find_last_day(record: pd.Series | Mapping[Any, Any]) -> pd.Timestamp:
    """Return the last day a record (a flight or event row) covers: its ``end_date``, else its ``date``.

    The rule :func:`filter_by_window` applies to a whole frame, for one row.

    Examples
    --------
    >>> find_last_day({"date": pd.Timestamp("2024-12-15"), "end_date": pd.Timestamp("2024-12-31")}).date()
    datetime.date(2024, 12, 31)
    >>> find_last_day({"date": pd.Timestamp("2024-12-15"), "end_date": pd.NaT}).date()
    datetime.date(2024, 12, 15)
    """
    return record["end_date"] if is_present(record["end_date"]) else record["date"]


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
