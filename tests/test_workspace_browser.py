"""An analyst's imported placemarks on the live map and in the HTML export, in real Chromium.

The KML carries script in every text it can (name, description, ExtendedData); the
imported site must show literally, with where it came from, and nothing may run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from layers import TimeSelection, build_snapshot
from layers import cli as layers_cli
from layers.workspace import load_workspace_dataset
from tests.browser import OfflinePage, open_offline_page
from tests.dashboard_page import DashboardPage
from tests.payloads import XSS_FLAGS
from tests.streamlit_server import run_streamlit

from dashboard.export.briefing import BriefingSpec
from dashboard.export.product import write_product

NAME = "Strip <img src=x onerror=window.__xss=1>"
DESCRIPTION = 'Seen "><svg onload=window.__xss2=1> <script>window.__xss3=1</script> ${window.__xss2=1} `t`'
KML = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>air_base</name>
<Placemark><name>{NAME.replace("<", "&lt;")}</name>
<description><![CDATA[{DESCRIPTION}]]></description>
<ExtendedData><Data name="country"><value>LY</value></Data>
<Data name="role"><value>&lt;b onmouseover=window.__xss=1&gt;role&lt;/b&gt;</value></Data></ExtendedData>
<Point><coordinates>21.5,31.0</coordinates></Point></Placemark>
</Folder></Document></kml>
"""
FLAGS_JS = "() => [" + ", ".join(f"window.{flag}" for flag in XSS_FLAGS) + "]"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-workspace")
    kml = folder / "hostile.kml"
    kml.write_text(KML, encoding="utf-8")
    assert layers_cli.main(["import", str(kml), "--workspace", str(folder / "ws")]) == 0
    return folder / "ws"


@pytest.fixture(scope="module")
def workspace_url(workspace: Path) -> Iterator[str]:
    with run_streamlit(workspace=workspace) as url:
        yield url


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser)
    yield page
    page.page.context.close()


def test_an_imported_placemark_shows_literally_with_its_provenance(offline, workspace_url, artifacts_dir) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{workspace_url}?date=2024-12-20")
    frame = dashboard.map_frame
    marker = frame.locator(".ab-site", has=frame.locator(".ab-label", has_text="onerror")).first
    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("h4").text_content() == NAME
    assert "From batch b0001 (hostile.kml)" in popup.text_content()
    text = popup.text_content()
    assert "Seen" in text and "${window.__xss2=1} `t`" in text, "the description is kept as plain text"
    assert "imported file hostile.kml" in text
    dashboard.screenshot(str(artifacts_dir / "workspace-hostile-placemark.png"))
    for context in (offline.page, frame):
        assert context.evaluate(FLAGS_JS) == [None] * len(XSS_FLAGS)
        assert context.evaluate("() => document.querySelectorAll('img[src=\"x\"], svg[onload]').length") == 0
    assert offline.blocked == []


def test_the_html_export_of_a_workspace_runs_nothing(browser, workspace: Path, tmp_path: Path) -> None:
    selection = TimeSelection(dt.date(2024, 12, 20))
    snapshot = build_snapshot(load_workspace_dataset(workspace=workspace), selection)
    assert NAME in set(snapshot.sites["name"])
    path = write_product(snapshot, BriefingSpec(selection, format="html"), tmp_path / "map.html")
    offline = open_offline_page(browser)
    try:
        offline.page.goto(path.as_uri())
        offline.page.wait_for_selector(".ab-site", timeout=20_000)
        assert offline.page.evaluate(FLAGS_JS) == [None] * len(XSS_FLAGS)
        assert offline.blocked == [] and offline.console_errors == []
    finally:
        offline.page.context.close()
