"""The page with ADS-B tracks, run headless with Streamlit's AppTest: the seen strip and the layers in the URL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from layers import load_dataset
from layers.workspace import load_workspace_dataset
from tests.track_samples import import_sample_track

from dashboard.app.timeline_chart import SEEN_MAX_ROWS, build_seen_strip_html, list_days_seen, place_day

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app" / "page.py")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return import_sample_track(tmp_path_factory.mktemp("tracked") / "ws")


def run_page(monkeypatch: pytest.MonkeyPatch, workspace: Path, cache: Path, **params: str) -> AppTest:
    monkeypatch.delenv("AIRBRIDGE_DATA_DIR", raising=False)
    monkeypatch.setenv("AIRBRIDGE_WORKSPACE", str(workspace))
    monkeypatch.setenv("AIRBRIDGE_CACHE_DIR", str(cache))
    app = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def chart_html(app: AppTest) -> str:
    return next(element.proto.body for element in app.get("html") if "ab-hist-plot" in element.proto.body)


def test_the_seen_strip_marks_the_day_the_aircraft_has_positions(monkeypatch, workspace, tmp_path) -> None:
    app = run_page(monkeypatch, workspace, tmp_path, date="2024-12-27")
    chart = chart_html(app)
    rows = re.findall(r'<div class="ab-seen-row" data-ab-aircraft="154076"><span class="ab-seen-label">(.*?)</span>'
                      r'(.*?)</div></div>', chart)
    assert len(rows) == 1 and rows[0][0] == "RA-82038"
    dataset = load_workspace_dataset(workspace=workspace)
    first, last = dataset.first_date.date(), dataset.last_date.date()
    left = place_day(dt.date(2024, 12, 26), first, last)
    assert re.findall(r'left:([\d.]+)%', rows[0][1]) == [f"{left:.3f}"], "one mark, on the histogram's date axis"
    assert "RA-82038: ADS-B positions on 26 Dec 2024" in rows[0][1]
    assert chart.index('class="ab-hist-plot"') < chart.index('class="ab-seen"'), "under the histogram"


def test_the_strip_is_absent_without_tracks(monkeypatch, tmp_path) -> None:
    app = run_page(monkeypatch, tmp_path / "empty-workspace", tmp_path / "cache")
    assert 'class="ab-seen' not in chart_html(app)
    assert build_seen_strip_html(list_days_seen(load_dataset()), dt.date(2024, 12, 1), dt.date(2024, 12, 31)) == ""


def test_the_strip_shows_a_dozen_aircraft_and_counts_the_rest() -> None:
    seen = pd.DataFrame({"icao24": [f"{n:06x}" for n in range(15)], "label": [f"RA-{n}" for n in range(15)],
                         "day": [dt.date(2024, 12, 26)] * 15})
    html = build_seen_strip_html(seen, dt.date(2024, 12, 1), dt.date(2024, 12, 31))
    assert html.count('class="ab-seen-row"') == SEEN_MAX_ROWS and "and 3 more aircraft" in html


def test_a_url_with_the_adsb_layers_keeps_them(monkeypatch, workspace, tmp_path) -> None:
    app = run_page(monkeypatch, workspace, tmp_path, layers="position,track,gap")
    assert not app.warning
    assert app.query_params["layers"] == "track,gap,position"
    assert app.session_state["ab_layers"] == ("track", "gap", "position")
