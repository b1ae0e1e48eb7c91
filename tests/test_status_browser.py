"""Site statuses on the live page on 1 Dec 2024, in real headless Chromium with every outside request aborted.

The dashboard runs on the shipped data (``dashboard_url``). On 1 Dec 2024 Tartus has the
status of its 2017 agreement (over two years old: "last reported 2017"), Tiyas (T4) the
2021 withdrawal ("last reported 2021"), and Qamishli its 2019 status with the month-only
Dec 2024 row pending. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from layers import load_dataset
from layers.style import CONFIDENCE_MARK_LABEL, STALE_LABEL, STALE_OPACITY
from tests.browser import OfflinePage, open_offline_page
from tests.dashboard_page import DashboardPage, find_site_marker, open_on_day

FIRST_DEC = dt.date(2024, 12, 1)
POPUP, TOOLTIP = ".leaflet-popup-content", ".leaflet-tooltip"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser, 1280, 800)
    yield page
    page.page.context.close()


def read_tooltip(dashboard: DashboardPage, marker) -> str:
    marker.dispatch_event("mouseover")  # the tooltip Leaflet opens on hover
    tip = dashboard.map_frame.locator(TOOLTIP).last
    tip.wait_for()
    text = tip.inner_text()
    marker.dispatch_event("mouseout")
    return text


def assert_clean(offline: OfflinePage, dashboard: DashboardPage) -> None:
    assert offline.blocked == [] and offline.console_errors == [] and dashboard.script_errors() == []


def test_on_1_december_2024_tartus_and_tiyas_show_their_status_and_its_age(offline, dashboard_url, dataset,
                                                                           artifacts_dir) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, FIRST_DEC)
    tartus = find_site_marker(dashboard, dataset.sites.loc["tartus", "name"])
    tip = read_tooltip(dashboard, tartus)
    assert "Active · last reported 2017" in tip and "No status reported yet" not in tip
    text = dashboard.open_popup(tartus)
    assert "Status: Active since 18 Jan 2017 · last reported 2017" in text
    assert "Evidence for the status: High confidence (H on the symbol)" in text
    assert "49 years" in text
    tiyas = find_site_marker(dashboard, dataset.sites.loc["tiyas_t4", "name"])
    assert "Withdrawn · last reported 2021" in read_tooltip(dashboard, tiyas)
    symbol = tiyas.locator("svg")
    assert "ab-stale" in (symbol.get_attribute("class") or "")
    assert symbol.locator("g").first.get_attribute("opacity") == f"{STALE_OPACITY:g}"
    assert "last reported 2021" in dashboard.open_popup(tiyas)
    dashboard.map_frame.evaluate("() => { map.closePopup(); }")
    dashboard.screenshot(str(artifacts_dir / "status-2024-12-01.png"))
    assert_clean(offline, dashboard)


def test_the_confidence_letter_is_visible_on_the_site_symbol(offline, dashboard_url, dataset) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, FIRST_DEC)
    letter = find_site_marker(dashboard, dataset.sites.loc["tiyas_t4", "name"]).locator("svg text", has_text="L")
    assert letter.count() == 1 and letter.is_visible()
    box = letter.bounding_box()
    assert box is not None and box["width"] > 2 and box["height"] > 4, "drawn at a readable size"
    tartus = find_site_marker(dashboard, dataset.sites.loc["tartus", "name"])
    assert tartus.locator("svg text", has_text="H").is_visible()
    assert_clean(offline, dashboard)


def test_qamishli_keeps_its_2019_status_on_1_december_with_the_december_row_pending(offline, dashboard_url,
                                                                                   dataset) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, FIRST_DEC)
    text = dashboard.open_popup(find_site_marker(dashboard, dataset.sites.loc["qamishli", "name"]))
    assert "Status: Active since November 2019, day not known · last reported 2019" in text
    assert "In December 2024, day not known: Presence reported, unconfirmed" in text
    assert_clean(offline, dashboard)


def test_the_legend_explains_fading_and_the_evidence_letter(offline, dashboard_url, artifacts_dir) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, FIRST_DEC)
    frame = dashboard.map_frame
    frame.locator(".ab-legend summary").click()
    legend = frame.locator(".ab-legend")
    assert legend.locator(".ab-legend-item", has_text=STALE_LABEL).is_visible()
    assert legend.locator(".ab-legend-item", has_text=CONFIDENCE_MARK_LABEL).is_visible()
    assert legend.locator(".ab-legend-item", has_text="Captured by another force").is_visible()
    dashboard.screenshot(str(artifacts_dir / "status-legend-2024-12-01.png"))
    assert_clean(offline, dashboard)
