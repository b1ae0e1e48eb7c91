"""The histogram over the timeline: flight records and events per week, the date and window marked.

The bars are static HTML, drawn once per page load; the date and the window are drawn by
CSS variables that each slider step sets with a style element of about 150 bytes. A
charting library would re-send and re-draw the whole chart on every step (measured with
Vega-Lite: 4.4 KB and about 35 ms of browser time per step).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from layers import Dataset, TimeSelection
from layers.style import EVENT_COLOUR, FLIGHT_COLOUR

from dashboard.webmap.popups import escape_text

SERIES_COLOURS = {"Flight records": FLIGHT_COLOUR, "Events": EVENT_COLOUR}
SERIES_CLASSES = {"Flight records": "ab-bar-flight", "Events": "ab-bar-event"}
DATE_COLOUR = "#D55E00"  # vermillion: the eye goes to it
WINDOW_COLOUR = "rgba(86, 180, 233, 0.3)"
PLOT_HEIGHT_PX = 80
HISTOGRAM_CSS = f"""<style>
.ab-hist {{ font-size: 13px; margin: 0 0 2px 0; }}
.ab-hist-head {{ display: flex; gap: 16px; align-items: center; opacity: 0.85; }}
.ab-hist-key {{ display: inline-block; width: 12px; height: 12px; border: 1px solid #333; margin-right: 4px;
  vertical-align: -1px; }}
.ab-hist-plot {{ position: relative; height: {PLOT_HEIGHT_PX}px; border-bottom: 1px solid #888; overflow: hidden; }}
.ab-hist-window {{ position: absolute; top: 0; bottom: 0; left: var(--ab-window-left, 0%);
  width: var(--ab-window-width, 0%); background: {WINDOW_COLOUR}; }}
.ab-hist-date {{ position: absolute; top: 0; bottom: 0; left: var(--ab-date-left, -10%); width: 0;
  border-left: 3px solid {DATE_COLOUR}; margin-left: -1px; }}
.ab-bar {{ position: absolute; box-sizing: border-box; border: 1px solid #333; }}
.ab-bar-flight {{ background: {FLIGHT_COLOUR}; }}
.ab-bar-event {{ background: {EVENT_COLOUR}; }}
.ab-hist-axis {{ position: relative; height: 18px; }}
.ab-hist-tick {{ position: absolute; top: 0; height: 4px; border-left: 1px solid #888; }}
.ab-hist-label {{ position: absolute; top: 2px; transform: translateX(-50%); white-space: nowrap; opacity: 0.85; }}
</style>"""


def count_per_week(dataset: Dataset) -> pd.DataFrame:
    """Return ``week`` (Monday), ``week_end``, ``series``, ``count``, ``bottom`` and ``top`` per bar.

    Records count in the week of their (first) date; ``bottom``/``top`` stack the events
    on the flight records. Weeks without records are left out.
    """
    frames = []
    for series, dates in (("Flight records", dataset.flights["date"]), ("Events", dataset.events["date"])):
        weeks = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
        counted = weeks.value_counts().rename_axis("week").reset_index(name="count")
        counted["series"] = series
        frames.append(counted)
    counts = pd.concat(frames, ignore_index=True)
    counts["week_end"] = counts["week"] + pd.Timedelta(days=7)
    counts["order"] = counts["series"].map({name: i for i, name in enumerate(SERIES_COLOURS)})
    counts = counts.sort_values(["week", "order"]).reset_index(drop=True)
    counts["top"] = counts.groupby("week")["count"].cumsum()
    counts["bottom"] = counts["top"] - counts["count"]
    return counts[["week", "week_end", "series", "count", "bottom", "top"]]


def place_day(day: dt.date, first: dt.date, last: dt.date) -> float:
    """Return the position of the start of ``day`` on the axis, in percent (first day 0, after last 100)."""
    span = (last - first).days + 1
    return max(0.0, min(100.0, 100.0 * (day - first).days / span))


def build_histogram_html(counts: pd.DataFrame, first: dt.date, last: dt.date) -> str:
    """Return the histogram: stacked weekly bars on a time axis from ``first`` to ``last``.

    The window band and the date line take their place from the CSS variables
    ``--ab-window-left``, ``--ab-window-width`` and ``--ab-date-left`` (see
    :func:`build_marker_css`).
    """
    peak = int(counts["top"].max()) if len(counts) else 1
    bars = []
    columns = ["week", "week_end", "series", "count", "bottom"]
    for week_start, week_stop, series, count, bottom in counts[columns].itertuples(index=False, name=None):
        week, week_end = pd.Timestamp(week_start).date(), pd.Timestamp(week_stop).date()
        left = place_day(week, first, last)
        width = place_day(week_end, first, last) - left
        if width <= 0:
            continue
        title = f"Week of {week:%d %b %Y}: {int(count)} {str(series).lower()}"
        bars.append(f'<div class="ab-bar {SERIES_CLASSES[str(series)]}" style="left:{left:.3f}%;width:{width:.3f}%;'
                    f'bottom:{100 * float(bottom) / peak:.1f}%;height:{100 * float(count) / peak:.1f}%" '
                    f'title="{escape_text(title)}"></div>')
    ticks = []
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            left = place_day(month, first, last)
            ticks.append(f'<div class="ab-hist-tick" style="left:{left:.3f}%"></div>')
            if month.month in (1, 4, 7, 10):
                label = escape_text(f"{month:%b %Y}")
                ticks.append(f'<div class="ab-hist-label" style="left:{left:.3f}%">{label}</div>')
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    keys = "".join(f'<span><span class="ab-hist-key {SERIES_CLASSES[name]}"></span>{escape_text(name)}</span>'
                   for name in SERIES_COLOURS)
    label = f"Flight records and events per week, {first:%d %b %Y} to {last:%d %b %Y}; highest week {peak}"
    return (f'{HISTOGRAM_CSS}<div class="ab-hist" role="img" aria-label="{escape_text(label)}">'
            f'<div class="ab-hist-head">{keys}<span>per week (highest: {peak})</span></div>'
            f'<div class="ab-hist-plot"><div class="ab-hist-window"></div>{"".join(bars)}'
            f'<div class="ab-hist-date"></div></div><div class="ab-hist-axis">{"".join(ticks)}</div></div>')


def build_marker_css(selection: TimeSelection, first: dt.date, last: dt.date) -> str:
    """Return the style element that puts the date line and window band on the histogram."""
    start = selection.start.date() if selection.start is not None else first
    window_left = place_day(max(start, first), first, last)
    window_right = place_day(selection.as_of + dt.timedelta(days=1), first, last)
    date_left = (place_day(selection.as_of, first, last) + window_right) / 2
    return (f"<style>:root{{--ab-window-left:{window_left:.3f}%;--ab-window-width:{window_right - window_left:.3f}%;"
            f"--ab-date-left:{date_left:.3f}%}}</style>")


def render_histogram(counts: pd.DataFrame, first: dt.date, last: dt.date) -> None:
    """Draw the histogram (once per page run; the marker moves by :func:`render_marker`)."""
    st.html(build_histogram_html(counts, first, last))


def render_marker(selection: TimeSelection, first: dt.date, last: dt.date) -> None:
    """Move the date line and window band of the histogram to ``selection``."""
    st.html(build_marker_css(selection, first, last))
