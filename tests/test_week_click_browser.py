"""Clicking a week in the routes chart moves the live map to that week (real Streamlit and Chromium)."""

from __future__ import annotations

import datetime as dt

from tests.browser import open_offline_page
from tests.dashboard_page import DashboardPage

OPENING = dt.date(2024, 12, 31)


def test_clicking_a_weeks_bar_moves_the_map_and_the_url_to_that_week(dashboard_url, browser) -> None:
    offline = open_offline_page(browser, 1600, 1000)
    try:
        page = offline.page
        dashboard = DashboardPage(page)
        dashboard.open(f"{dashboard_url}?date={OPENING.isoformat()}")
        page.get_by_text("Routes, rotations and what changed", exact=True).click()
        # Vega-Lite draws each bar as an SVG mark labelled with its week and count.
        bar = page.locator(".vega-embed [role=graphics-symbol][aria-label^='Week (Monday): Dec 09, 2024;']"
                           ":not([aria-label*='Individual flights: 0;'])").first
        bar.wait_for(timeout=60_000)
        bar.click()
        sunday = dt.date(2024, 12, 15)  # the week of Monday 9 December ends on Sunday 15 December
        dashboard.wait_for_date(sunday)
        page.wait_for_url(f"**date={sunday.isoformat()}**", timeout=30_000)
        assert dashboard.summary()["asOf"] == sunday.isoformat()
        assert offline.blocked == [] and offline.console_errors == []
    finally:
        offline.page.context.close()
