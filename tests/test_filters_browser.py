"""Filters and search on the live page, in real headless Chromium with every outside request aborted.

A URL with ``confidence=high`` draws, on every date the date control is moved to, exactly
what Python builds from the filtered data (compared field by field as in
``test_scrub_browser``); picking a filter in the panel redraws the map with nothing of the
old filter left; the map's search box centres the map on a registration or a site and
opens its popup, from the keyboard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Frame
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from layers import TimeSelection, build_snapshot, load_dataset
from layers.filters import apply_filters, build_filters
from tests.browser import OfflinePage, open_offline_page
from tests.conftest import MALICIOUS_NAME
from tests.dashboard_page import MAP_FRAME, WAIT_MS, DashboardPage
from tests.test_scrub_browser import MOVE, browser_features, describe_difference, python_features

from dashboard.webmap.map_payload import build_catalogue, collect_catalogue_snapshots, count_features

HIGH = build_filters(confidence=["high"])
SCRUB_DAYS = [dt.date(2024, 12, 8), dt.date(2024, 12, 15), dt.date(2024, 12, 26), dt.date(2025, 5, 16),
              dt.date(2025, 10, 26), dt.date(2026, 1, 27)]
POPUP_TEXT = "() => [...document.querySelectorAll('.leaflet-popup-content')].map(p => p.textContent).join('\\n')"
# The map frame's summary once it is ready (the frame may be a new one after a rerun).
SITES_DRAWN = """([selector, n]) => { const f = document.querySelector(selector); const w = f && f.contentWindow;
  const s = w && w.Airbridge && w.Airbridge.summary; const m = w && w.document.querySelector('#map_div');
  return !!s && s.sites === n && !!m && m.dataset.abReady === '1'; }"""


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def high(dataset):
    return apply_filters(dataset, HIGH)


@pytest.fixture(scope="module")
def high_catalogue(high):
    return build_catalogue(collect_catalogue_snapshots(high), scrub_dataset=high)


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser, 1600, 1000)
    yield page
    page.page.context.close()


def in_view(frame: Frame, lat: float, lon: float) -> bool:
    return frame.evaluate("([lat, lon]) => window.map.getBounds().contains([lat, lon])", [lat, lon])


def test_a_url_with_confidence_high_draws_only_high_features_on_every_date(offline, dashboard_url, dataset, high,
                                                                           high_catalogue) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{dashboard_url}?date=2024-12-20&window=7&confidence=high")
    high_sites = int((dataset.sites["confidence"] == "high").sum())
    assert dashboard.count(".ab-site") == high_sites < len(dataset.sites)
    frame = dashboard.map_frame
    for key, window in (("7", 7), ("all", None)):
        for day in SCRUB_DAYS:
            frame.evaluate(MOVE, [day.isoformat(), key])
            expected = python_features(high, high_catalogue, day, window)
            drawn = browser_features(frame, high_catalogue)
            for kind, features in expected.items():
                wanted = sorted(set(features))
                assert drawn.get(kind, []) == wanted, describe_difference(kind, day, key, drawn.get(kind, []), wanted)
    # From the keyboard too: a step keeps the filter, and the URL keeps it once the hand settles.
    frame.evaluate(MOVE, ["2024-12-25", "7"])
    dashboard.focus_slider()
    dashboard.step_right(dt.date(2024, 12, 26))
    summary = dashboard.summary()
    whole = count_features(build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 26), 7)))
    kept = count_features(build_snapshot(high, TimeSelection(dt.date(2024, 12, 26), 7)))
    assert (summary["sites"], summary["flights"], summary["events"]) == (kept["site"], kept["flight"], kept["event"])
    assert summary["flights"] < whole["flight"]
    offline.page.wait_for_function("() => new URLSearchParams(location.search).get('date') === '2024-12-26'",
                                   timeout=WAIT_MS)
    assert "confidence=high" in offline.page.url
    assert dashboard.script_errors() == [] and offline.blocked == []


def test_picking_a_filter_in_the_panel_redraws_the_map_without_the_old_features(offline, dashboard_url, dataset,
                                                                                artifacts_dir) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{dashboard_url}?date=2024-12-26&window=7")
    assert dashboard.count(".ab-site") == len(dataset.sites)
    page = offline.page
    dashboard.wait_until_settled()  # a rerun after the map's first report would close the list again
    page.get_by_text("Filters", exact=True).click()
    high = page.get_by_role("option", name="High", exact=True)
    for _ in range(4):  # the drop-down can close again right after it opens: open it again
        page.get_by_role("combobox", name="Confidence").click()
        try:
            high.click(timeout=5_000)
            page.wait_for_function("() => new URLSearchParams(location.search).get('confidence') === 'high'",
                                   timeout=10_000)
            break
        except PlaywrightTimeoutError:
            continue
    high_sites = int((dataset.sites["confidence"] == "high").sum())
    # A filter not seen before builds its catalogue first (seconds).
    page.wait_for_function(SITES_DRAWN, arg=[MAP_FRAME, high_sites], timeout=90_000)
    dashboard.wait_for_map()
    assert dashboard.count(".ab-site") == high_sites, "features of the unfiltered map are still drawn"
    page.wait_for_function("() => new URLSearchParams(location.search).get('confidence') === 'high'",
                           timeout=WAIT_MS)
    dashboard.screenshot(str(artifacts_dir / "filters-confidence-high.png"))
    assert dashboard.script_errors() == [] and offline.blocked == []


def test_searching_a_registration_centres_the_map_and_opens_its_popup(offline, dashboard_url, dataset,
                                                                      artifacts_dir) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{dashboard_url}?date=2024-12-26&window=7")
    frame = dashboard.map_frame
    box = frame.get_by_role("searchbox", name="Search")
    box.fill("RA-82038")
    box.press("Enter")
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-popup-content').length === 1", timeout=WAIT_MS)
    # Its record first in the badge's popup, before the count reports at al-Khadim.
    assert frame.evaluate(POPUP_TEXT).startswith("An-124 RA-82038, Latakia/Hmeimim → al-Khadim")
    destination = dataset.locations["al_khadim"]
    assert in_view(frame, destination.lat, destination.lon) and dashboard.map_view()[2] >= 7
    assert "Showing 2024-12-26: An-124 RA-82038" in frame.locator(".ab-search-status").inner_text()
    box.fill("ra82038")  # case and punctuation do not matter
    assert frame.locator(".ab-search-result").first.inner_text().startswith("2024-12-26: An-124 RA-82038")
    dashboard.screenshot(str(artifacts_dir / "search-registration.png"))
    assert dashboard.script_errors() == [] and offline.blocked == []


def test_searching_a_registration_flown_on_another_date_moves_the_date_to_it(offline, dashboard_url) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{dashboard_url}?date=2024-12-20&window=7")  # RA-82038 flew on 26 Dec
    frame = dashboard.map_frame
    box = frame.get_by_role("searchbox", name="Search")
    box.fill("RA-82038")
    first = frame.locator(".ab-search-result").first
    assert first.inner_text() == ("2024-12-26: An-124 RA-82038, Latakia/Hmeimim \u2192 al-Khadim \u2014 flight "
                                  "record, another date (moves the date)")
    box.press("Enter")
    dashboard.wait_for_date(dt.date(2024, 12, 26))
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-popup-content').length === 1", timeout=WAIT_MS)
    assert frame.evaluate(POPUP_TEXT).startswith("An-124 RA-82038, Latakia/Hmeimim → al-Khadim")
    assert dashboard.slider_date() == dt.date(2024, 12, 26)
    offline.page.wait_for_function("() => new URLSearchParams(location.search).get('date') === '2024-12-26'",
                                   timeout=WAIT_MS)
    assert dashboard.script_errors() == [] and offline.blocked == []


def test_searching_a_site_by_name_from_the_keyboard_opens_its_popup_and_no_match_says_so(offline, dashboard_url,
                                                                                         dataset) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{dashboard_url}?date=2024-12-20&window=7")
    frame = dashboard.map_frame
    box = frame.get_by_role("searchbox", name="Search")
    results = frame.locator(".ab-search-result")
    box.fill("Tartous")  # one of its other names
    assert results.first.inner_text().startswith("Tartus naval facility")
    box.fill("Tartus")
    box.press("ArrowDown")
    assert frame.evaluate("() => document.activeElement.classList.contains('ab-search-result')")
    offline.page.keyboard.press("Enter")  # on the focused result: a button
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-popup-content').length === 1", timeout=WAIT_MS)
    assert frame.evaluate(POPUP_TEXT).startswith("Tartus naval facility")
    tartus = dataset.locations["tartus"]
    assert in_view(frame, tartus.lat, tartus.lon)
    box.fill("no such place")
    status = frame.locator(".ab-search-status").inner_text()
    assert status == "No match on the map for \u201cno such place\u201d on this date."
    assert results.count() == 0
    assert dashboard.script_errors() == [] and offline.blocked == []


def test_a_site_name_written_as_markup_is_searched_and_shown_as_text(offline, malicious_dashboard_url) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{malicious_dashboard_url}?date=2024-12-26&window=7")
    frame = dashboard.map_frame
    box = frame.get_by_role("searchbox", name="Search")
    box.fill("onerror")
    result = frame.locator(".ab-search-result").first
    assert result.text_content() == f"{MALICIOUS_NAME} \u2014 site"
    box.press("Enter")
    heading = frame.locator(".leaflet-popup-content h4")
    heading.wait_for()
    assert heading.text_content() == MALICIOUS_NAME
    for context in (offline.page, frame):
        assert context.evaluate("() => [window.__xss, window.__xss2, window.__xss3]") == [None, None, None]
        assert context.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert dashboard.script_errors() == [] and offline.blocked == []
