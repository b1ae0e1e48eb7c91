"""The "Routes and what changed" panel: rotations per route and week, and a two-date comparison.

Both draw from :mod:`layers.analytics` (the same figures as ``python -m layers routes`` and
``diff``), on the shipped data plus the workspace the page shows. The period defaults to
the map's window ending on its date; the chart marks that date. The comparison is mapped
(``dashboard.webmap.change_map``) above its list, on the live map's offline basemap.
"""

from __future__ import annotations

import datetime as dt
import functools

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from layers import Dataset, TimeSelection
from layers.analytics.change_layers import MINUS, build_change_layers
from layers.analytics.changes import Changes, compare_dates
from layers.analytics.itineraries import DEFAULT_MAX_GAP_HOURS, chain_itineraries, describe_itinerary
from layers.analytics.legs import Period, list_legs
from layers.analytics.routes import build_route_statistics
from layers.analytics.tables import (
    CHANGE_COLUMNS,
    ITINERARY_LEG_COLUMNS,
    ROUTE_COLUMNS,
    build_change_rows,
    build_itinerary_rows,
    build_route_rows,
    write_csv,
)
from layers.basemap import BASEMAP_PATH
from layers.style import GAP_STYLE
from layers.timeline import describe_window_length

from dashboard.app.served_files import BASEMAP_FILES, WEBMAP_FILES, serve_folder
from dashboard.webmap.change_map import build_change_map
from dashboard.webmap.static_files import WEBMAP_STATIC_DIR

SHOWN_COLUMNS = ("origin_name", "destination_name", "distance_km", "est_flight_time_h", "flights_individual",
                 "flights_reported", "rotations_per_week", "first_seen", "last_seen", "registrations",
                 "countries_overflown")
"""The table's columns (the CSV download holds every column of ``routes``)."""
DEFAULT_PERIOD_DAYS = 28
WEEK_PICK = "week_pick"  # the chart's selection: a click on a week's bar
CHART_KEY = "airbridge_routes_weekly"
JUMP_KEY = "airbridge_week_jump"  # set by the chart's callback: the page's date moved, redraw the map
PANEL_KEY = "airbridge_analytics_open"
CHANGE_MAP_KEY = "airbridge_changes_map"
CHANGE_MAP_HEIGHT_PX = 460
CLOSED_CAPTION = "Opening the routes table, the weekly chart and the two-date comparison…"
"""What a closed panel holds: the moment it opens, until its content is drawn."""


def render_analytics_panel(dataset: Dataset, selection: TimeSelection) -> None:
    """Draw the routes table, its weekly chart and CSV, then the two-date comparison, in one expander (once opened)."""
    if st.session_state.pop(JUMP_KEY, False):
        st.rerun(scope="app")  # a week was clicked: the map, list and URL follow the new date
    # The expander reports when it opens, and its content is drawn only then (Streamlit's
    # lazy expander): a closed panel on every page load would make the browser fetch and
    # compile the data frame's and Vega's scripts (about 2 MB) while the live map above it
    # waits for its own (measured with bench/bench_apps.py: the first map 0.5-0.7 s sooner without them).
    panel = st.expander("Routes, rotations and what changed", expanded=False, key=PANEL_KEY, on_change="rerun")
    with panel:
        if not panel.open:
            st.caption(CLOSED_CAPTION)
            return
        period = ask_period(dataset, selection)
        render_routes(dataset, period, selection.as_of)
        render_itineraries(dataset, period)
        render_changes(dataset, selection)


def ask_period(dataset: Dataset, selection: TimeSelection) -> Period:
    """Ask for the period of the routes table (default: the four weeks ending on the map's date)."""
    first, last = dataset.first_date.date(), dataset.last_date.date()
    start = max(first, selection.as_of - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1))
    chosen = st.date_input("Period of the routes table", value=(start, selection.as_of), min_value=first,
                           max_value=last, key="airbridge_routes_period",
                           help="Whole UTC days, both included: the figures of python -m layers routes.")
    if isinstance(chosen, tuple) and len(chosen) == 2:
        return Period(chosen[0], chosen[1])
    return Period(start, selection.as_of)  # a range being picked: keep the default until both ends are set


def render_routes(dataset: Dataset, period: Period, as_of: dt.date) -> None:
    """Show the routes of the period: a table, flights per week per route, and the CSV download."""
    routes = build_route_statistics(dataset, period)
    if not routes:
        st.caption(f"No flight record with both ends located between {period.start} and {period.end}.")
        return
    rows = build_route_rows(routes)
    st.dataframe(as_text_table(rows, ROUTE_COLUMNS)[list(SHOWN_COLUMNS)], hide_index=True)
    st.caption("Individual flights and ADS-B tracks are counted one each; count reports by their stated lower "
               "bound, kept apart (flights_reported). Flight times use the documented cruise speeds "
               "(docs/analytics.md).")
    weekly = pd.DataFrame([{"week": week["week"], "route": f"{r.origin_name} → {r.destination_name}",
                            "flights": week["individual"]} for r in routes for week in r.flights_per_week])
    if not weekly.empty and weekly["flights"].sum():
        first, last = dataset.first_date.date(), dataset.last_date.date()
        st.altair_chart(build_weekly_chart(weekly, as_of), width="stretch", key=CHART_KEY,
                        on_select=functools.partial(pick_week, first, last), selection_mode=WEEK_PICK)
        st.caption("Click a week's bar to move the map to the last day of that week.")
    st.download_button("Download the routes (CSV)", write_csv(rows, ROUTE_COLUMNS),
                       file_name=f"airbridge-routes-{period.start}-to-{period.end}.csv", mime="text/csv",
                       key="airbridge_routes_csv")


def render_itineraries(dataset: Dataset, period: Period) -> None:
    """Show the itineraries of the period: legs one aircraft flew in a row, one line each, and their CSV."""
    described = [describe_itinerary(dataset, itinerary)
                 for itinerary in chain_itineraries(list_legs(dataset, period).legs)]
    st.markdown(f"**Itineraries**: legs one registration flew within {DEFAULT_MAX_GAP_HOURS:g} h of each other")
    if not described:
        st.caption(f"No two legs of one registration chain between {period.start} and {period.end}.")
        return
    names = {leg["origin"]: leg["origin_name"] for i in described for leg in i["legs"]} | {
        leg["destination"]: leg["destination_name"] for i in described for leg in i["legs"]}
    table = pd.DataFrame([{"registration": i["registration"],
                           "stops": " → ".join(names.get(stop, stop) for stop in i["stops"]),
                           "legs": len(i["legs"]), "first_day": i["first_day"], "last_day": i["last_day"],
                           "distance_km": i["distance_km"], "confidence": i["confidence"]} for i in described])
    st.dataframe(table.astype(str), hide_index=True)
    st.download_button("Download the itineraries' legs (CSV)",
                       write_csv(build_itinerary_rows(described), ITINERARY_LEG_COLUMNS),
                       file_name=f"airbridge-itineraries-{period.start}-to-{period.end}.csv", mime="text/csv",
                       key="airbridge_itineraries_csv")


def as_text_table(rows: list[dict[str, object]], columns: tuple[str, ...]) -> pd.DataFrame:
    """Return rows as a table of text cells (the columns mix numbers, lists and none; lists joined by "; ")."""
    def show(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return "; ".join(str(v) for v in value)
        return str(value)

    return pd.DataFrame([[show(row.get(c)) for c in columns] for row in rows], columns=list(columns), dtype=str)


def pick_week(first: dt.date, last: dt.date) -> None:
    """Move the page's date to the last day (Sunday) of the week clicked in the chart, within the data."""
    chosen = st.session_state.get(CHART_KEY, {}).get("selection", {}).get(WEEK_PICK) or []
    weeks = [point["week"] for point in chosen
             if isinstance(point, dict) and isinstance(point.get("week"), (int, float, str))]
    if not weeks:
        return  # a click beside the bars clears the selection: the date stays
    value: int | float | str = weeks[0]
    # Vega-Lite gives a temporal field as milliseconds since the epoch (UTC).
    start = (pd.Timestamp(value, unit="ms") if isinstance(value, (int, float)) else pd.Timestamp(value)).date()
    st.session_state["ab_date"] = min(max(start + dt.timedelta(days=6), first), last)
    st.session_state[JUMP_KEY] = True


def build_weekly_chart(weekly: pd.DataFrame, as_of: dt.date) -> alt.LayerChart | alt.FacetChart:
    """Return individual flights per week (Monday) stacked by route, with the map's date as a vertical rule."""
    pick = alt.selection_point(name=WEEK_PICK, fields=["week"], on="click")
    bars = alt.Chart(weekly).mark_bar(cursor="pointer").add_params(pick).encode(
        x=alt.X("week:T", title="Week (Monday)"), y=alt.Y("sum(flights):Q", title="Individual flights"),
        color=alt.Color("route:N", title="Route"), tooltip=["route:N", "week:T", "sum(flights):Q"])
    rule = alt.Chart(pd.DataFrame({"date": [as_of.isoformat()]})).mark_rule(
        color=GAP_STYLE.colour, strokeWidth=2).encode(x="date:T")
    return alt.layer(bars, rule).properties(height=180)


def render_changes(dataset: Dataset, selection: TimeSelection) -> None:
    """Ask for two dates; map and list what changed between them, with its CSV."""
    st.markdown("**What changed between two dates**")
    first, last = dataset.first_date.date(), dataset.last_date.date()
    before_default = max(first, selection.as_of - dt.timedelta(days=7))
    left, right = st.columns(2)
    before = left.date_input("From", value=before_default, min_value=first, max_value=last,
                             key="airbridge_changes_from")
    after = right.date_input("To", value=selection.as_of, min_value=first, max_value=last,
                             key="airbridge_changes_to")
    if not isinstance(before, dt.date) or not isinstance(after, dt.date):
        return
    if after < before:
        st.error("The second date is before the first: choose a later To date.")
        return
    changes = compare_dates(dataset, before, after, window_days=selection.window_days or 7)
    rows = build_change_rows(changes)
    if not rows:
        st.caption("Nothing changed between the two dates.")
        return
    render_change_map(dataset, changes)
    st.dataframe(as_text_table(rows, CHANGE_COLUMNS), hide_index=True)
    st.download_button("Download the changes (CSV)", write_csv(rows, CHANGE_COLUMNS),
                       file_name=f"airbridge-changes-{before}-to-{after}.csv", mime="text/csv",
                       key="airbridge_changes_csv")


def render_change_map(dataset: Dataset, changes: Changes) -> None:
    """Map the sites whose status changed and the routes that appeared, stopped or changed, with a caption.

    Nothing is drawn when no site or route changed (only events). Leaflet, the style sheet
    and the basemap come from the app's own files: the map makes no outside request.
    """
    layers = build_change_layers(dataset, changes)
    if layers.sites.empty and layers.routes.empty:
        return
    # The same folder and name the page serves the live map's files under; the basemap is the shipped file.
    asset_url = serve_folder(WEBMAP_FILES, WEBMAP_STATIC_DIR)
    stamp = BASEMAP_PATH.stat()
    basemap_url = (f"{serve_folder(BASEMAP_FILES, BASEMAP_PATH.parent)}/{BASEMAP_PATH.name}"
                   f"?v={stamp.st_mtime_ns:x}{stamp.st_size:x}")  # a new file, a new URL: no stale cache
    # returned_objects=[]: the map sends nothing back, so panning it never reruns the page.
    st_folium(build_change_map(layers, basemap_url=basemap_url, asset_base_url=asset_url), key=CHANGE_MAP_KEY,
              height=CHANGE_MAP_HEIGHT_PX, use_container_width=True, returned_objects=[])
    window = describe_window_length(changes.window_days)
    st.caption(f"Map of the changes from {changes.before} to {changes.after}: a ring marks a site whose status "
               "changed (hover for before → after); green routes appeared, grey dashed ones stopped (no flight "
               f"or report in the later window), blue ones carry the change in flights (+N / {MINUS}N), flights "
               f"counted in the {window} up to each date. Click a ring or line for its sources.")
