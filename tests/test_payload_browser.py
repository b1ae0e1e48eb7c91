"""The payload suite in real Chromium: hostile data and titles show literally, run nothing, fetch nothing.

The live page runs on a dataset whose every free-text field holds every payload of
``tests/payloads.py``; the HTML export of the same data with a hostile title and
marking is opened from disk. Every request leaving the machine is aborted and recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from tests.browser import OfflinePage, open_offline_page
from tests.dashboard_page import DashboardPage
from tests.export_cases import AS_OF, GENERATED, WINDOW_DAYS
from tests.payloads import (
    HOSTILE_MARKING,
    HOSTILE_SITE_NAME,
    HOSTILE_TITLE,
    PAYLOAD,
    PWNED_DIR,
    XSS_FLAGS,
    write_hostile_data,
)
from tests.streamlit_server import ROOT, run_streamlit

from dashboard.export.briefing import BriefingSpec
from dashboard.export.product import write_product

FLAGS_JS = "() => [" + ", ".join(f"window.{flag}" for flag in XSS_FLAGS) + "]"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_data(tmp_path_factory.mktemp("hostile-browser"))


@pytest.fixture(scope="module")
def hostile_url(hostile_dir: Path) -> Iterator[str]:
    with run_streamlit(hostile_dir) as url:
        yield url
    assert not (ROOT / PWNED_DIR).exists(), "the server evaluated data text as a template"


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser)
    yield page
    page.page.context.close()


def assert_nothing_ran(offline: OfflinePage, *contexts) -> None:
    for context in contexts:
        assert context.evaluate(FLAGS_JS) == [None] * len(XSS_FLAGS)
        assert context.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert offline.blocked == [], "a request tried to leave the machine"


def test_live_page_draws_hostile_data_literally(offline, hostile_url, artifacts_dir) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{hostile_url}?date=2024-12-26&window=7")
    frame = dashboard.wait_for_map()
    assert dashboard.count(".ab-site") > 0, "the map is drawn despite {% and {# in the data"
    marker = frame.locator(".ab-site", has=frame.locator(".ab-label", has_text="7*7")).first
    assert "{{ 7*7 }}" in marker.locator(".ab-label").text_content()
    marker.locator("svg").first.click()  # the symbol itself: its label may sit away on a leader line
    heading = frame.locator(".leaflet-popup-content h4")
    heading.wait_for()
    assert heading.text_content() == HOSTILE_SITE_NAME
    titles = offline.page.locator(".ab-event-title")
    titles.first.wait_for()
    assert titles.first.text_content() == "Assad falls " + PAYLOAD
    assert "TemplateSyntaxError" not in offline.page.locator("body").inner_text()
    dashboard.screenshot(str(artifacts_dir / "payloads-live-page.png"))
    assert_nothing_ran(offline, offline.page, frame)


def test_a_hostile_link_parameter_is_quoted_not_linked(offline, hostile_url) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{hostile_url}?layers=https://evil.example/login")
    dashboard.wait_for_map()
    notice = offline.page.locator("[data-testid='stAlert']", has_text="evil.example")
    notice.first.wait_for()
    assert notice.first.locator("a").count() == 0
    assert notice.first.locator("code").first.text_content() == "https://evil.example/login"


def test_html_export_of_hostile_data_opens_literally(browser, hostile_dir: Path, tmp_path: Path,
                                                     artifacts_dir) -> None:
    snapshot = build_snapshot(load_dataset(hostile_dir), TimeSelection(AS_OF, WINDOW_DAYS))
    spec = BriefingSpec(TimeSelection(AS_OF, WINDOW_DAYS), format="html", title=HOSTILE_TITLE,
                        marking=HOSTILE_MARKING, generated_at=GENERATED)
    path = write_product(snapshot, spec, tmp_path / "hostile.html")
    offline = open_offline_page(browser)
    try:
        offline.page.goto(path.as_uri())
        offline.page.wait_for_selector(".ab-site", timeout=20_000)
        text = offline.page.locator("body").inner_text()
        assert HOSTILE_TITLE in text and HOSTILE_MARKING in text
        assert offline.page.locator(".ab-site").count() == len(snapshot.sites)
        offline.page.screenshot(path=str(artifacts_dir / "payloads-html-export.png"))
        assert_nothing_ran(offline, offline.page)
        assert offline.console_errors == []
    finally:
        offline.page.context.close()
