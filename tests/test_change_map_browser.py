"""The "What changed" map in the analytics panel: two dates picked, the changes drawn (real Streamlit and Chromium)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Frame, Page

from layers import load_dataset
from layers.analytics.changes import compare_dates
from tests.browser import open_offline_page
from tests.dashboard_page import MAP_FRAME, DashboardPage

BEFORE, AFTER = dt.date(2024, 12, 1), dt.date(2025, 1, 15)
# The comparison map is ready once drawn and its basemap loaded; its legend names the first date.
CHANGES_READY = """([frames, day]) => [...document.querySelectorAll(frames)].some((frame) => {
  const doc = frame.contentDocument;
  const map = doc && doc.querySelector('.ab-changes');
  const legend = doc && doc.querySelector('.ab-change-legend');
  return !!map && map.dataset.abChangesReady === '1' && !!legend && legend.textContent.includes(day);
})"""
# Read through Leaflet: each ring's tooltip, as the hover shows it.
SITE_TOOLTIPS = """() => { const found = [];
  window.map_div.eachLayer((layer) => {
    const icon = layer.options && layer.options.icon;
    if (icon && icon.options.className === 'ab-change-site') found.push(layer.getTooltip().getContent());
  });
  return found; }"""


def find_changes_frame(page: Page, day: str) -> Frame:
    shows = "(day) => !!document.querySelector('.ab-changes') && document.body.textContent.includes(day)"
    return next(frame for frame in page.frames if frame.evaluate(shows, day))


def test_picking_two_dates_maps_the_sites_and_routes_that_changed(dashboard_url, browser) -> None:
    changes = compare_dates(load_dataset(), BEFORE, AFTER)
    offline = open_offline_page(browser, 1600, 1000)
    try:
        page = offline.page
        dashboard = DashboardPage(page)
        dashboard.open(f"{dashboard_url}?date={AFTER.isoformat()}")
        assert page.locator(MAP_FRAME).count() == 1  # the closed panel draws no second map
        page.get_by_text("Routes, rotations and what changed", exact=True).click()
        # Opening the panel maps the default pair: the week up to the page's date.
        # Polled, not per animation frame: a frame below the fold gets no animation frames.
        page.wait_for_function(CHANGES_READY, arg=[MAP_FRAME, "8 Jan 2025"], timeout=60_000, polling=100)
        first = page.locator("[data-testid=stDateInput]").filter(has_text="From").locator("input")
        assert first.input_value() == "2025-01-08"
        first.fill(BEFORE.isoformat())
        first.press("Enter")
        page.keyboard.press("Escape")  # close the calendar
        page.wait_for_function(CHANGES_READY, arg=[MAP_FRAME, "1 Dec 2024"], timeout=60_000, polling=100)
        frame = find_changes_frame(page, "1 Dec 2024")
        drawn_routes = len(changes.routes_appeared) + len(changes.routes_stopped) + len(changes.routes_changed)
        assert frame.locator(".ab-change-site").count() == len(changes.sites) == 13
        assert frame.locator("path.ab-change-route").count() == drawn_routes == 4
        assert frame.locator("path.ab-change-appeared").count() == len(changes.routes_appeared)
        assert frame.locator("path.ab-change-stopped").count() == len(changes.routes_stopped)
        tips = frame.evaluate(SITE_TOOLTIPS)
        assert any("Tartus" in tip and "Active → Withdrawal under way" in tip for tip in tips)
        assert "1 appeared, 3 stopped, 0 changed" in frame.locator(".ab-change-legend").inner_text()
        assert page.get_by_text("Map of the changes from 2024-12-01 to 2025-01-15").is_visible()
        assert offline.blocked == [] and offline.console_errors == [] and dashboard.script_errors() == []
    finally:
        offline.page.context.close()
