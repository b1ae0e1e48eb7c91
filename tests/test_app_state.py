"""The page's widgets and state, run headless with Streamlit's AppTest on tests/data/mini."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers import LAYER_NAMES, load_dataset
from tests.conftest import MINI_DATA

from dashboard.app.analytics_panel import PANEL_KEY
from dashboard.webmap.map_payload import build_catalogue, collect_catalogue_snapshots
from dashboard.webmap.scrub_index import day_number

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app" / "page.py")
MINI_FIRST, MINI_LAST = dt.date(2024, 12, 8), dt.date(2024, 12, 27)


def run_app(monkeypatch: pytest.MonkeyPatch, data_dir: Path = MINI_DATA, **params: str) -> AppTest:
    monkeypatch.setenv("AIRBRIDGE_DATA_DIR", str(data_dir))
    app = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def html_text(app: AppTest) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))


def test_the_maps_date_control_spans_the_data(monkeypatch) -> None:
    # The date control is the map's own (airbridge-scrub.js, driven in tests/test_scrub_browser.py);
    # its bounds are those of the scrub index the page publishes.
    run_app(monkeypatch)
    dataset = load_dataset(MINI_DATA)
    scrub = build_catalogue(collect_catalogue_snapshots(dataset), scrub_dataset=dataset).scrub
    assert scrub is not None
    assert (scrub["first"], scrub["last"]) == (day_number(MINI_FIRST), day_number(MINI_LAST))
    assert (dataset.first_date.date(), dataset.last_date.date()) == (MINI_FIRST, MINI_LAST)


def test_opens_on_20_december_2024_with_a_7_day_window_and_writes_the_url(monkeypatch) -> None:
    app = run_app(monkeypatch)
    assert app.session_state["ab_date"] == dt.date(2024, 12, 20)
    assert app.session_state["ab_window"] == "7"
    assert not app.warning
    assert dict(app.query_params) == {"date": "2024-12-20", "window": "7", "layers": ",".join(LAYER_NAMES),
                                      "basemap": "natural_earth"}


def test_a_date_after_the_data_is_clamped_with_a_notice(monkeypatch) -> None:
    app = run_app(monkeypatch, date="2030-01-01")
    assert app.session_state["ab_date"] == MINI_LAST
    assert len(app.warning) == 1 and "after the data ends" in app.warning[0].value
    assert app.query_params["date"] == "2024-12-27"


def test_a_date_before_the_data_is_clamped_with_a_notice(monkeypatch) -> None:
    app = run_app(monkeypatch, date="2020-05-01")
    assert app.session_state["ab_date"] == MINI_FIRST
    assert "before the data starts" in app.warning[0].value


def test_malformed_url_values_give_notices_and_the_defaults(monkeypatch) -> None:
    app = run_app(monkeypatch, date="2024-02-30", window="5", layers="site,bogus", basemap="google")
    notices = " ".join(w.value for w in app.warning)
    assert len(app.warning) == 4
    assert "not a date" in notices and "window" in notices and "bogus" in notices and "google" in notices
    assert app.session_state["ab_date"] == dt.date(2024, 12, 20)
    assert app.query_params["window"] == "7" and app.query_params["layers"] == "site"
    assert app.query_params["basemap"] == "natural_earth"


def test_layers_window_and_basemap_from_the_url_are_kept(monkeypatch) -> None:
    app = run_app(monkeypatch, date="2024-12-15", window="all", layers="event,site", basemap="osm")
    assert not app.warning
    assert app.session_state["ab_layers"] == ("site", "event")
    assert app.session_state["ab_basemap"] == "osm" and app.session_state["ab_window"] == "all"
    assert dict(app.query_params) == {"date": "2024-12-15", "window": "all", "layers": "site,event",
                                      "basemap": "osm"}


def test_a_date_the_map_reports_moves_the_url(monkeypatch) -> None:
    app = run_app(monkeypatch)
    app.session_state["ab_date"] = dt.date(2024, 12, 26)  # what the map's report sets (page._take_map_report)
    app.run()
    assert app.query_params["date"] == "2024-12-26"


def test_event_list_shows_the_events_of_the_window(monkeypatch) -> None:
    app = run_app(monkeypatch, date="2024-12-26")
    assert "An-124 flies Hmeimim to al-Khadim" in html_text(app)
    assert "Assad regime falls" not in html_text(app), "8 Dec is outside the 7 days to 26 Dec"
    chooser = app.selectbox(key="ab_focus_event")
    assert chooser.label == "Centre the map on an event" and len(chooser.options) == 1


def test_event_list_says_when_the_window_has_no_event(monkeypatch) -> None:
    app = run_app(monkeypatch, date="2024-12-20")
    assert "No event in the window" in html_text(app)
    assert app.selectbox(key="ab_focus_event").disabled


def test_cumulative_window_lists_every_event_so_far(monkeypatch) -> None:
    app = run_app(monkeypatch, date="2024-12-26", window="all")
    assert "Assad regime falls" in html_text(app) and "An-124 flies" in html_text(app)


def test_invalid_data_shows_the_problems_not_a_traceback(monkeypatch, tmp_path) -> None:
    for source in MINI_DATA.glob("*.csv"):
        shutil.copy(source, tmp_path / source.name)
    sites = tmp_path / "site_status.csv"
    sites.write_text(sites.read_text(encoding="utf-8").replace("hmeimim,2024-12-07", "hmeimim,2024-02-30", 1),
                     encoding="utf-8")
    app = run_app(monkeypatch, tmp_path)
    assert len(app.error) == 1 and "problem" in app.error[0].value
    assert "site_status.csv" in app.code[0].value and "2024-02-30" in app.code[0].value
    assert not app.slider


def test_the_page_offers_routes_and_what_changed_below_the_map(monkeypatch) -> None:
    app = run_app(monkeypatch)
    assert "Routes, rotations and what changed" in [e.label for e in app.expander]
    app.session_state[PANEL_KEY] = True  # opened: its content is drawn
    app.run()
    assert app.date_input(key="airbridge_changes_to").value == dt.date(2024, 12, 20)  # the page's date
