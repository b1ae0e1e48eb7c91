"""The Routes and what changed panel, in Streamlit's AppTest on the shipped data."""

from __future__ import annotations

import csv
import datetime as dt
import io

from streamlit.testing.v1 import AppTest

from layers import load_dataset
from layers.analytics.legs import Period
from layers.analytics.routes import build_route_statistics
from layers.analytics.tables import ROUTE_COLUMNS, build_route_rows, write_csv

from dashboard.app.analytics_panel import CLOSED_CAPTION, PANEL_KEY


def panel_app(as_of: str) -> None:
    import datetime as dt

    from layers import TimeSelection, load_dataset

    from dashboard.app.analytics_panel import render_analytics_panel

    render_analytics_panel(load_dataset(), TimeSelection(dt.date.fromisoformat(as_of), 7))


def start(as_of: str = "2024-12-31", opened: bool = True) -> AppTest:
    app = AppTest.from_function(panel_app, kwargs={"as_of": as_of}, default_timeout=60)
    if opened:
        app.session_state[PANEL_KEY] = True  # the analyst opened the panel (its content is drawn only then)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_routes_table_lists_hmeimim_to_al_khadim_with_its_distance() -> None:
    app = start()
    table = app.dataframe[0].value
    row = table.loc[table["origin_name"].str.contains("Hmeimim") & (table["destination_name"] == "al-Khadim Air Base")]
    assert len(row) == 1
    assert 1410 < float(row["distance_km"].iloc[0]) < 1425  # the "about 1,418 km"
    assert "Cyprus" in row["countries_overflown"].iloc[0]


def test_the_routes_csv_holds_every_column_of_the_routes_command() -> None:
    app = start()
    download = next(b for b in app.get("download_button") if "routes" in b.proto.label.lower())
    assert download.proto.label == "Download the routes (CSV)"
    rows = build_route_rows(build_route_statistics(load_dataset(), Period(dt.date(2024, 12, 4), dt.date(2024, 12, 31))))
    header = next(csv.reader(io.StringIO(write_csv(rows, ROUTE_COLUMNS))))
    assert header == list(ROUTE_COLUMNS)


def test_the_two_date_comparison_lists_status_changes() -> None:
    app = start("2024-12-20")
    app.date_input(key="airbridge_changes_from").set_value(dt.date(2024, 12, 1))
    app.run()
    changes = app.dataframe[-1].value
    assert "site status" in set(changes["section"])
    assert "tartus" in set(changes["id"]) and "route-hmeimim-al_khadim" in set(changes["id"])


def test_a_second_date_before_the_first_is_refused_with_a_message() -> None:
    app = start("2024-12-20")
    app.date_input(key="airbridge_changes_to").set_value(dt.date(2024, 12, 1))
    app.run()
    assert any("The second date is before the first" in e.value for e in app.error)


def test_the_panel_lists_the_itinerary_of_ra86561_with_its_stops_and_a_legs_csv() -> None:
    app = start("2024-11-30")  # the default period, the four weeks to 30 Nov, holds 27 Nov 2024
    tables = [frame.value for frame in app.dataframe if "stops" in frame.value.columns]
    assert len(tables) == 1
    row = tables[0].loc[tables[0]["registration"] == "RA-86561"].iloc[0]
    dataset = load_dataset()
    stops = ["moscow_unnamed", "hmeimim", "benghazi_unnamed", "bamako"]
    assert row["stops"] == " → ".join(dataset.locations[stop].name for stop in stops)
    assert row["legs"] == "3" and row["first_day"] == row["last_day"] == "2024-11-27"
    download = next(b for b in app.get("download_button") if "itineraries" in b.proto.label)
    assert download.proto.label == "Download the itineraries' legs (CSV)"


def test_a_closed_panel_holds_one_line_and_draws_its_content_when_opened() -> None:
    # Closed (as every page opens): no table, chart, date field or map for the browser to load
    # before the live map; opened: the routes table and the comparison.
    app = start("2024-12-20", opened=False)
    assert [c.value for c in app.caption] == [CLOSED_CAPTION]
    assert not app.dataframe and not app.date_input and not app.get("arrow_vega_lite_chart")
    app.session_state[PANEL_KEY] = True
    app.run()
    assert len(app.dataframe) >= 2 and app.date_input(key="airbridge_changes_to").value == dt.date(2024, 12, 20)
