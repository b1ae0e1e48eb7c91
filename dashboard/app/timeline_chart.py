"""The histogram over the timeline: flight records and events per week, the date and window marked.

The bars are static HTML, drawn once per page load; the date and the window are drawn by
CSS variables that each slider step sets with a style element of about 150 bytes. A
charting library would re-send and re-draw the whole chart on every step (measured with
Vega-Lite: 4.4 KB and about 35 ms of browser time per step).

Under the bars, when the workspace holds ADS-B tracks, a "seen" strip has one row per
aircraft (its registration, else its ICAO address) with a mark on each UTC day it has
positions, on the same date axis, with the same date line (:func:`build_seen_strip_html`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from layers import Dataset, TimeSelection
from layers.style import EVENT_COLOUR, FLIGHT_COLOUR, TRACK_STYLE

from dashboard.webmap.popups import escape_text

SERIES_COLOURS = {"Flight records": FLIGHT_COLOUR, "Events": EVENT_COLOUR}
SERIES_CLASSES = {"Flight records": "ab-bar-flight", "Events": "ab-bar-event"}
DATE_COLOUR = "#D55E00"  # vermillion: the eye goes to it
WINDOW_COLOUR = "rgba(86, 180, 233, 0.3)"
PLOT_HEIGHT_PX = 80
SEEN_ROW_PX = 16
SEEN_MAX_ROWS = 12  # aircraft shown in the strip; the rest are counted
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
.ab-seen {{ font-size: 12px; margin: 0 0 4px 0; }}
.ab-seen-head {{ opacity: 0.85; }}
.ab-seen-rows {{ position: relative; border-bottom: 1px solid #888; }}
.ab-seen-row {{ position: relative; height: {SEEN_ROW_PX}px; border-top: 1px dotted #bbb; }}
.ab-seen-label {{ position: absolute; left: 2px; top: 0; line-height: {SEEN_ROW_PX}px; white-space: nowrap;
  opacity: 0.8; pointer-events: none; }}
.ab-seen-mark {{ position: absolute; top: 3px; height: {SEEN_ROW_PX - 6}px; min-width: 3px;
  background: {TRACK_STYLE.colour}; z-index: 1; }}
.ab-seen .ab-hist-date {{ z-index: 2; }}
.ab-seen-more {{ opacity: 0.85; }}
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


def list_days_seen(dataset: Dataset) -> pd.DataFrame:
    """Return one row per aircraft and UTC day with ADS-B positions: ``icao24``, ``label``, ``day``.

    ``label`` is the aircraft's registration (from its positions or flights, as the
    watchlist completes them), else its ICAO address. Positions flagged implausible are
    left out, as on the map. Rows are ordered by the aircraft's first day, then by day.
    """
    positions = dataset.tracks.positions
    columns = ["icao24", "label", "day"]
    if positions.empty:
        return pd.DataFrame(columns=columns)
    kept = positions.loc[~positions["implausible"].astype(bool)] if "implausible" in positions else positions
    times = pd.to_datetime(kept["time"], utc=True)
    days = pd.DataFrame({"icao24": kept["icao24"].astype(str),
                         "day": times.dt.tz_convert(None).dt.normalize().dt.date}).drop_duplicates()
    labels: dict[str, str] = {}
    for frame in (dataset.tracks.flights, kept):
        for icao24, registration in frame[["icao24", "registration"]].itertuples(index=False, name=None):
            if isinstance(registration, str) and registration.strip():
                labels.setdefault(str(icao24), registration.strip())
    days["label"] = [labels.get(icao24) or icao24 for icao24 in days["icao24"]]
    first_day = days.groupby("icao24")["day"].transform("min")
    return days.assign(first=first_day).sort_values(["first", "icao24", "day"])[columns].reset_index(drop=True)


def build_seen_strip_html(seen: pd.DataFrame, first: dt.date, last: dt.date) -> str:
    """Return the "seen" strip: a row per aircraft, a mark per day with positions (empty text when none).

    The marks use :func:`place_day`, as the bars above; the date line takes its place from
    ``--ab-date-left`` (see :func:`build_marker_css`).
    """
    if seen.empty:
        return ""
    rows, aircraft = [], list(dict.fromkeys(seen["icao24"]))
    for icao24 in aircraft[:SEEN_MAX_ROWS]:
        mine = seen.loc[seen["icao24"] == icao24]
        label = str(mine["label"].iloc[0])
        marks = []
        for day in mine["day"]:
            left = place_day(day, first, last)
            width = place_day(day + dt.timedelta(days=1), first, last) - left
            title = f"{label}: ADS-B positions on {day.day} {day:%b %Y}"
            marks.append(f'<div class="ab-seen-mark" style="left:{left:.3f}%;width:{width:.3f}%" '
                         f'title="{escape_text(title)}"></div>')
        rows.append(f'<div class="ab-seen-row" data-ab-aircraft="{escape_text(icao24)}">'
                    f'<span class="ab-seen-label">{escape_text(label)}</span>{"".join(marks)}</div>')
    more = len(aircraft) - SEEN_MAX_ROWS
    extra = f'<div class="ab-seen-more">and {more} more aircraft</div>' if more > 0 else ""
    per_aircraft = seen.groupby("icao24", sort=False).agg(label=("label", "first"), days=("day", "size"))
    summary = "Days with ADS-B positions: " + "; ".join(
        f"{label} on {days} day{'s' if days != 1 else ''}" for label, days in per_aircraft.itertuples(index=False))
    return (f'<div class="ab-seen" role="img" aria-label="{escape_text(summary)}">'
            f'<div class="ab-seen-head">Seen: days with ADS-B positions, by aircraft</div>'
            f'<div class="ab-seen-rows">{"".join(rows)}<div class="ab-hist-date"></div></div>{extra}</div>')


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


def render_histogram(counts: pd.DataFrame, first: dt.date, last: dt.date, seen: pd.DataFrame | None = None) -> None:
    """Draw the histogram and, when there are tracks, the seen strip (once per page run; see :func:`render_marker`)."""
    strip = build_seen_strip_html(seen, first, last) if seen is not None else ""
    st.html(build_histogram_html(counts, first, last) + strip)


def render_marker(selection: TimeSelection, first: dt.date, last: dt.date) -> None:
    """Move the date line and window band of the histogram to ``selection``."""
    st.html(build_marker_css(selection, first, last))
