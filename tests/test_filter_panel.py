"""The Filters panel on the page, run headless with Streamlit's AppTest on tests/data/mini.

The filters come from the URL, show in the panel's multiselects, go back into the URL,
and decide what the event list and the Export briefing panel's file hold.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app_state import html_text, run_app


def export_geojson(app: AppTest) -> dict:
    """Render the sidebar's export as GeoJSON and return the file the download button offers."""
    app.selectbox(key="airbridge_export_format").set_value("geojson").run()
    app.button(key="airbridge_export_render").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return json.loads(app.session_state["airbridge_export"]["data"])


def test_filters_from_the_url_fill_the_panel_and_stay_in_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_app(monkeypatch, date="2024-12-26", confidence="high", record_type="individual")
    assert "Filters" in [e.label for e in app.expander]
    assert app.multiselect(key="ab_filter_confidence").value == ["high"]
    assert app.multiselect(key="ab_filter_record_type").value == ["individual"]
    assert app.multiselect(key="ab_filter_category").value == []
    assert app.query_params["confidence"] == "high" and app.query_params["record_type"] == "individual"
    assert any(c.value == "Filtered: confidence High; record type Individual flight." for c in app.caption)


def test_an_unknown_filter_value_gives_a_notice_and_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_app(monkeypatch, confidence="certain,high")
    assert len(app.warning) == 1 and "`certain`" in app.warning[0].value
    assert app.multiselect(key="ab_filter_confidence").value == ["high"]
    assert app.query_params["confidence"] == "high"


def test_choosing_a_category_filters_the_event_list_and_writes_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_app(monkeypatch, date="2024-12-26", window="all")
    assert "Assad regime falls" in html_text(app) and "An-124 flies" in html_text(app)
    app.multiselect(key="ab_filter_category").select("political").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.query_params["category"] == "political"
    assert "Assad regime falls" in html_text(app) and "An-124 flies" not in html_text(app)
    app.multiselect(key="ab_filter_category").unselect("political").run()
    assert "category" not in app.query_params and "An-124 flies" in html_text(app)


def test_back_to_an_address_with_other_filters_restores_them(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_app(monkeypatch, date="2024-12-26", window="all", category="political")
    assert "An-124 flies" not in html_text(app)
    app.query_params["category"] = "flight"  # what Back does: the page reruns with that entry's address
    app.run()
    assert app.multiselect(key="ab_filter_category").value == ["flight"]
    assert "An-124 flies" in html_text(app) and "Assad regime falls" not in html_text(app)


def test_the_export_panel_exports_what_the_filters_keep_and_names_them(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_app(monkeypatch, date="2024-12-26", window="all", confidence="medium")
    collection = export_geojson(app)
    assert collection["filters"] == {"confidence": "medium"}
    features = collection["features"]
    assert features and {f["properties"]["confidence"] for f in features} == {"medium"}
    assert [f["properties"]["id"] for f in features if f["properties"]["layer"] == "site"] == ["benina"]
