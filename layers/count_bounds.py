"""The one rule that turns a count report's wording and period into a lower bound on its flights.

A count report says how many flights flew in words ("several per day", "about 6",
">=4 aircraft") and, when the source gives a firm figure, in ``count_min``. Route widths,
the flight layer and the analytics' ``flights_reported`` all read the bound from here, so
one figure means one thing everywhere. The rule, in order (docs/data.md, "Count reports"):

1. A stated ``count_min`` always wins: the analyst has read the source.
2. No wording, or one saying no count ("not given", "not stated", "unknown"): no bound,
   ``None`` ("count not stated"). Wherever a number is needed such a report counts as one
   flight (:data:`UNSTATED_COUNTS_AS`): the report says at least one flew.
3. A rate applies to every day of the report's period (``date`` .. ``end_date``, both
   included): "several per day" / "several flights daily" is 2 a day, "N per day" N a day,
   "daily" 1 a day, "near-daily" (or "almost daily") 1 every :data:`NEAR_DAILY_EVERY_DAYS`
   days, rounded down, and "weekly" 1 a week, rounded down (each at least 1).
4. A figure in the wording keeps its count: ">=4 aircraft", "at least nine round trips",
   "2 trips", "two round trips". An approximate figure ("about 6", "around 20", "some 5",
   "a half-dozen") may have been rounded up, so it counts :data:`APPROXIMATE_SHARE` of
   the figure, rounded up: "about 6" is at least 5.
5. "several", "a few", "multiple", "many" (no figure): :data:`SEVERAL` = 2, the least
   that is plural.
6. An upper bound ("up to 10", "no more than 3", "at most 5") gives no lower bound: count
   not stated. A number inside an aircraft type ("Il-76", "An-124") is never a count.
7. Any other wording is "count not stated": no figure is made up from it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from layers.missing import is_present

SEVERAL = 2
"""'several', 'a few', 'multiple': the least that is plural."""
NEAR_DAILY_EVERY_DAYS = 2
"""'near-daily': counted as one flight every second day, the least that still reads as near-daily."""
APPROXIMATE_SHARE = 0.75
"""An 'about N' figure may be rounded up: three quarters of it, rounded up, is still 'about N'."""
UNSTATED_COUNTS_AS = 1
"""Where a number is needed (a route's width), a report whose count is not stated counts as one flight."""

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "a dozen": 12,
                "half-dozen": 6, "half a dozen": 6, "a half-dozen": 6, "half dozen": 6}
_NUMBER = r"(\d+|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
_NO_COUNT = re.compile(r"^(not (given|stated|reported|known)|unknown|unstated|none given|n/?a|\?)$")
_PER_DAY = re.compile(r"(?:^|\s)(several|a few|multiple|" + _NUMBER[1:-1] + r")\b.*\b(per day|a day|daily)\b")
_NEAR_DAILY = re.compile(r"\b(near|nearly|almost)[- ]daily\b")
_DAILY = re.compile(r"^(daily|every day)\b|\bdaily (flights?|shuttle|rotations?)\b")
_WEEKLY = re.compile(r"^(weekly|every week)\b|\bweekly (flights?|shuttle|rotations?)\b")
# "~" and "c." are not word characters: \b before them would never match after a space.
_APPROXIMATE = re.compile(r"(?:\b(?:about|around|approximately|roughly|some)|(?<!\w)(?:~|c\.))\s*" + _NUMBER
                          + r"(?:\b|(?=x\b))")
_APPROXIMATE_WORD = re.compile(r"\b(a half-dozen|half a dozen|half-dozen|half dozen)\b")
# A figure stands alone ("4 aircraft", "2x Il-76"), never inside a type designator ("Il-76").
_FIGURE = re.compile(r"(?:^|[^\w-])" + _NUMBER + r"(?:\b|(?=x\b))")
_DESIGNATOR = re.compile(r"\b[a-z]{1,3}-\d+[a-z]*\b")  # il-76md, an-124, tu-154m: a type, not a count
_UPPER_BOUND = re.compile(r"\b(up to|no more than|at most|fewer than|less than|not more than)\b")
_PLURAL = re.compile(r"\b(several|a few|few|multiple|many|numerous)\b")


def bound_count_report(wording: object, count_min: object, first_day: dt.date,
                       last_day: dt.date | None = None) -> int | None:
    """Return the least number of flights a count report stands for, or None when it states none.

    Parameters
    ----------
    wording : str or None
        The count as the source words it (the ``count`` column).
    count_min : int or None
        The lower bound the analyst read from the source; it wins when present.
    first_day, last_day : date
        The report's period, both days included (``last_day`` None: one day).

    Returns
    -------
    int or None
        The lower bound (at least 1), or None: "count not stated".
    """
    if is_present(count_min):
        return max(int(count_min), 1)  # type: ignore[call-overload]
    text = " ".join(str(wording).lower().split()) if isinstance(wording, str) else ""
    text = _DESIGNATOR.sub(" ", text.replace("≥", ">=").replace("flights", "flight"))
    if not text or _NO_COUNT.match(text):
        return None
    days = ((last_day or first_day) - first_day).days + 1
    if _NEAR_DAILY.search(text):
        return max(days // NEAR_DAILY_EVERY_DAYS, 1)
    rate = _PER_DAY.search(text)
    if rate:
        return _read_figure(rate.group(1)) * days
    if _DAILY.search(text):
        return days
    if _WEEKLY.search(text):
        return max(days // 7, 1)
    if _UPPER_BOUND.search(text):
        return None  # "up to 10" bounds the count from above only: no figure is a lower bound
    approximate = _APPROXIMATE.search(text) or _APPROXIMATE_WORD.search(text)
    if approximate:
        return max(math.ceil(_read_figure(approximate.group(approximate.lastindex or 0)) * APPROXIMATE_SHARE), 1)
    figure = _FIGURE.search(text)
    if figure:
        return max(_read_figure(figure.group(1)), 1)
    if _PLURAL.search(text):
        return SEVERAL
    return None


def bound_record(record: pd.Series | Mapping[Any, Any]) -> int | None:
    """Return :func:`bound_count_report` of a flight record (``count``, ``count_min``, ``date``, ``end_date``)."""
    first = _to_date(record["date"])
    last = _to_date(record["end_date"]) if is_present(record["end_date"]) else None
    return bound_count_report(record["count"], record["count_min"], first, last)


def _read_figure(word: str) -> int:
    if word in ("several", "a few", "multiple"):
        return SEVERAL
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def count_record_flights(record: pd.Series | Mapping[Any, Any]) -> int:
    """Return how many flights a record stands for: a count report's lower bound, else 1.

    The one rule for route widths and the analytics' ``flights_reported``: a count report
    counts the lower bound its wording and period give (this module:
    ``count_min`` when stated, "several per day" over 17 days 34), or 1 when it states
    no count, so no figure overstates what the sources say.
    """
    if record["record_type"] != "count":
        return 1
    bound = bound_record(record)
    return UNSTATED_COUNTS_AS if bound is None else bound
