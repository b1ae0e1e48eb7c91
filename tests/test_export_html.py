"""The interactive HTML export opens in Chromium with every outside request aborted and draws the map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import launch_browser, open_offline_page
from tests.export_cases import build_case

from dashboard.export.html_export import STATE_ELEMENT_ID
from dashboard.export.product import write_product

TITLE = "HTML export test title"
MARKING = "UNCLASSIFIED // HTML TEST"


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory):
    snapshot, spec = build_case(format="html", title=TITLE, marking=MARKING)
    path = write_product(snapshot, spec, tmp_path_factory.mktemp("html") / "map.html")
    with launch_browser() as browser:
        offline = open_offline_page(browser)
        offline.page.goto(path.as_uri())
        # The map marks itself ready once the layers are drawn and the embedded basemap is loaded.
        offline.page.wait_for_selector(".leaflet-container[data-ab-ready='1']", timeout=20_000)
        counts = offline.page.evaluate("""() => Object.fromEntries(
            ['.ab-site', '.ab-route', '.ab-corridor', '.ab-event-now', '.ab-flight', '.ab-circle']
              .map(s => [s, document.querySelectorAll(s).length]))""")
        yield {"snapshot": snapshot, "offline": offline, "counts": counts, "path": path,
               "text": offline.page.evaluate("document.body.innerText"), "title": offline.page.title(),
               "state": offline.page.evaluate(f"document.getElementById('{STATE_ELEMENT_ID}').textContent")}


def test_page_makes_no_request_outside_the_file(opened) -> None:
    assert opened["offline"].blocked == []
    assert opened["offline"].failed == []
    assert opened["offline"].console_errors == []


def test_page_draws_every_site_route_and_corridor(opened) -> None:
    snapshot, counts = opened["snapshot"], opened["counts"]
    assert counts[".ab-site"] == len(snapshot.sites)
    assert counts[".ab-route"] >= len(snapshot.routes)
    assert counts[".ab-corridor"] >= len(snapshot.corridors)
    assert counts[".ab-event-now"] >= 1 and counts[".ab-flight"] >= 1 and counts[".ab-circle"] >= 1


def test_page_shows_title_marking_and_timeline_state(opened) -> None:
    assert opened["title"].startswith(TITLE)
    assert MARKING in opened["text"] and TITLE in opened["text"]
    assert "27 Dec 2024" in opened["text"]


def test_page_records_the_export_state(opened) -> None:
    state = json.loads(opened["state"])
    assert state["as_of"] == "2024-12-27" and state["window_days"] == 14
    assert state["marking"] == MARKING and state["extent"]["name"] == "theatre"


def test_page_is_one_file(opened) -> None:
    text = Path(opened["path"]).read_text(encoding="utf-8")
    assert "<script src=" not in text and 'rel="stylesheet" href=' not in text
