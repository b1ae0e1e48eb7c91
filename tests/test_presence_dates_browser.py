"""Russian presence on the live page on the three dates issue 14 names, in real headless Chromium.

On 1 Dec 2024, 1 Jun 2025 and 31 Jan 2026 the page must draw a site as Russian only where
the status row in force names a Russian actor present (``layers.vocabulary.is_russian_presence``,
checked against the sources in ``tests/test_data_truth.py``); every other status row's site
is drawn hollow grey with its actor's letter. The page runs on the shipped data with every
outside request aborted; screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from layers.names import shorten_site_name
from layers.style import choose_actor_mark
from tests.browser import OfflinePage, open_offline_page
from tests.dashboard_page import DashboardPage, find_site_marker, open_on_day

CHECK_DATES = (dt.date(2024, 12, 1), dt.date(2025, 6, 1), dt.date(2026, 1, 31))
# Sites whose sources say who was there on the date (see tests/test_data_truth.py).
KNOWN = {
    dt.date(2024, 12, 1): {"hmeimim": True, "al_khadim": False, "kuweires": False},
    dt.date(2025, 6, 1): {"hmeimim": True, "benina": False, "mombasa": False},
    dt.date(2026, 1, 31): {"bamako": True, "qamishli": False, "kufra": False},
}
# What the page reads each drawn site as: (shortened label, drawn as another actor's).
READ_MARKERS = """() => Array.from(document.querySelectorAll('.ab-site')).map(m => [
    (m.querySelector('.ab-label') || {}).textContent || '',
    !!m.querySelector('svg.ab-other-actor')])"""


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser, 1280, 800)
    yield page
    page.page.context.close()


def read_markers(dashboard: DashboardPage) -> list[tuple[str, bool]]:
    return [tuple(m) for m in dashboard.map_frame.evaluate(READ_MARKERS)]


@pytest.mark.parametrize("day", CHECK_DATES, ids=str)
def test_the_page_draws_a_site_as_russian_only_under_a_russian_actor(offline, dashboard_url, dataset, day,
                                                                      artifacts_dir) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, day)
    assert dashboard.summary()["asOf"] == day.isoformat()
    sites = build_snapshot(dataset, TimeSelection(day, 7)).sites
    expected = sorted((shorten_site_name(name), choose_actor_mark(status, actor) is not None)
                      for name, status, actor in zip(sites["name"], sites["status"], sites["status_actor"],
                                                     strict=True))
    assert sorted(read_markers(dashboard)) == expected
    dashboard.screenshot(str(artifacts_dir / f"presence-{day.isoformat()}.png"))
    # A site drawn in its group's colour is Russian presence or a Russian actor gone
    # (withdrawn, captured): never another actor's row.
    drawn_russian = {label for label, other in read_markers(dashboard) if not other}
    for site_id, present in KNOWN[day].items():
        name = dataset.sites.loc[site_id, "name"]
        text = dashboard.open_popup(find_site_marker(dashboard, name))
        wording = "counts as Russian presence" if present else "not Russian presence"
        assert wording in text, f"{site_id} on {day}: {text[:300]}"
        dashboard.page.keyboard.press("Escape")
        if present:
            assert shorten_site_name(name) in drawn_russian, site_id
    assert offline.blocked == [] and offline.console_errors == [] and dashboard.script_errors() == []
