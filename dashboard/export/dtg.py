"""Date-time groups (``DDHHMMZ MON YY``, UTC) and the date wording used on briefing products."""

from __future__ import annotations

import datetime as dt

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def format_dtg(moment: dt.datetime) -> str:
    """Return the military date-time group of ``moment`` in UTC, e.g. ``201430Z DEC 24``.

    Parameters
    ----------
    moment : datetime.datetime
        Timezone-aware; a naive datetime is refused rather than guessed.

    Raises
    ------
    ValueError
        If ``moment`` has no timezone.
    """
    if moment.tzinfo is None:
        raise ValueError("a date-time group needs a timezone-aware datetime (UTC is assumed nowhere)")
    utc = moment.astimezone(dt.UTC)
    return f"{utc:%d%H%M}Z {MONTHS[utc.month - 1]} {utc:%y}"


def format_day(day: dt.date) -> str:
    """Return a day as briefings write it, e.g. ``20 DEC 2024``."""
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def format_day_range(first: dt.date, last: dt.date) -> str:
    """Return ``14-20 DEC 2024``, ``28 NOV - 04 DEC 2024`` or a range across years."""
    if first == last:
        return format_day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day:02d}-{format_day(last)}"
    if first.year == last.year:
        return f"{first.day:02d} {MONTHS[first.month - 1]} - {format_day(last)}"
    return f"{format_day(first)} - {format_day(last)}"
