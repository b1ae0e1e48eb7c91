"""Dates of a batch export: one date, a list, or a range with a step.

Syntax of ``--as-of`` (items separated by commas, each item one of)::

    2024-12-20                   one day
    2024-12-08..2024-12-29       every day from the first to the last, both included
    2024-12-08..2024-12-29/7d    every 7th day from the first (8, 15, 22, 29 Dec)
    2024-12-01..2025-03-01/2w    every 2 weeks (d = days, w = weeks)

``--every N`` gives the ranges without a step one of N days
(``--as-of 2024-12-08..2024-12-29 --every 7`` is ``2024-12-08..2024-12-29/7d``).

Items combine: ``2024-12-08,2024-12-15..2024-12-29/7d``. Dates are sorted and each is
exported once. The last day of a range is included only when a step lands on it.
"""

from __future__ import annotations

import datetime as dt
import re

from dashboard.export.errors import ExportInputError

MAX_DATES = 1000
RANGE = re.compile(r"^(?P<first>[^.]+)\.\.(?P<last>[^/]+)(?:/(?P<step>\d+)(?P<unit>[dw]))?$")
UNIT_DAYS = {"d": 1, "w": 7}


def parse_dates(text: str, *, every_days: int | None = None) -> list[dt.date]:
    """Return the sorted distinct dates that ``text`` names (see the module docstring).

    ``every_days`` (``--every N``) is the step of the ranges that give none
    (``2024-12-08..2024-12-29`` with 7: 8, 15, 22, 29 Dec).

    Raises
    ------
    ExportInputError
        With the part that is wrong and how to write it.
    """
    dates: set[dt.date] = set()
    ranged = False
    for item in (part.strip() for part in text.split(",")):
        if not item:
            raise ExportInputError(f"--as-of {text!r} has an empty item: separate dates with single commas")
        match = RANGE.match(item)
        if not match:
            dates.add(_parse_day(item))
            continue
        first, last = _parse_day(match["first"]), _parse_day(match["last"])
        if last < first:
            raise ExportInputError(f"range {item!r} ends before it starts: write FIRST..LAST")
        step = (int(match["step"]) * UNIT_DAYS[match["unit"]] if match["step"] else every_days or 1)
        if step < 1:
            raise ExportInputError(f"range {item!r}: the step must be 1 day or more, e.g. /7d")
        count = (last - first).days // step + 1
        if len(dates) + count > MAX_DATES:
            raise ExportInputError(f"--as-of {text!r} names more than {MAX_DATES} dates: use a larger step")
        dates.update(first + dt.timedelta(days=i * step) for i in range(count))
        ranged = True
    if every_days is not None and not ranged:
        raise ExportInputError(f"--every {every_days} steps through a range: write --as-of FIRST..LAST "
                               f"(e.g. 2024-12-08..2024-12-29 --every {every_days})")
    return sorted(dates)


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else _fail(text)
    except ValueError:
        return _fail(text)


def _fail(text: str) -> dt.date:
    raise ExportInputError(
        f"{text.strip()!r} is not a date: write YYYY-MM-DD (e.g. 2024-12-20), a list "
        "(2024-12-08,2024-12-20) or a range with a step (2024-12-08..2024-12-29/7d)")
