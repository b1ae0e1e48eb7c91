"""Source links on the live page name the outlet and the host they really go to."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from layers import TimeSelection, build_snapshot, load_dataset
from layers.sources import parse_source
from tests.browser import open_offline_page
from tests.dashboard_page import DashboardPage

OPENING_DAY = dt.date(2024, 12, 20)


def test_event_list_links_read_outlet_and_real_host(dashboard_url, browser) -> None:
    events = build_snapshot(load_dataset(), TimeSelection(OPENING_DAY, 7)).events
    in_window = events[events["in_window"].astype(bool)]
    reposted = {parse_source(s).display: parse_source(s) for sources in in_window["sources"] for s in sources
                if ", via " in parse_source(s).display}
    assert reposted, "the opening window has no reposted source to check"
    offline = open_offline_page(browser, 1600, 1000)
    try:
        DashboardPage(offline.page).open(dashboard_url)
        links = offline.page.locator("ol.ab-event-sources a")
        links.first.wait_for()
        shown = {links.nth(i).inner_text().strip(): links.nth(i).get_attribute("href")
                 for i in range(links.count())}
        for display, source in reposted.items():
            assert display in shown, f"no link reads {display!r}"
            href = shown[display] or ""
            assert (urlsplit(href).hostname or "").removeprefix("www.") == source.host
            assert display.split(", via ")[-1].split(" [")[0] == source.host
    finally:
        offline.page.context.close()
