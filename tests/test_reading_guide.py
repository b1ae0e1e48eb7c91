"""The "How to read this map" panel explains every status, grade and record type the map uses."""

from __future__ import annotations

from layers.vocabulary import CONFIDENCE_LABELS, RECORD_TYPE_LABELS, STATUS_LABELS
from tests.browser import open_offline_page
from tests.dashboard_page import DashboardPage

from dashboard.app.reading_guide_panel import GUIDE_TITLE
from dashboard.webmap.reading_guide import (
    CONFIDENCE_MEANINGS,
    RECORD_TYPE_MEANINGS,
    STATUS_MEANINGS,
    build_reading_guide,
)


def test_every_vocabulary_key_has_one_explanation() -> None:
    assert set(STATUS_MEANINGS) == set(STATUS_LABELS)
    assert set(CONFIDENCE_MEANINGS) == set(CONFIDENCE_LABELS)
    assert set(RECORD_TYPE_MEANINGS) == set(RECORD_TYPE_LABELS)
    terms = {term for section in build_reading_guide() for term, _ in section.rows}
    assert {*STATUS_LABELS.values(), *CONFIDENCE_LABELS.values(), *RECORD_TYPE_LABELS.values()} <= terms
    assert {"1 day", "7 days", "30 days", "Cumulative"} <= terms


def test_page_shows_the_guide_when_unfolded(dashboard_url, browser) -> None:
    offline = open_offline_page(browser, 1280, 800)
    try:
        page = offline.page
        DashboardPage(page).open(dashboard_url)
        guide = page.get_by_text(GUIDE_TITLE, exact=True)
        guide.click()
        body = page.locator('[data-testid="stExpander"]').filter(has_text=GUIDE_TITLE)
        body.get_by_text(STATUS_MEANINGS["captured"]).wait_for()
        text = body.inner_text()
        for label in [*STATUS_LABELS.values(), *CONFIDENCE_LABELS.values(), *RECORD_TYPE_LABELS.values()]:
            assert label in text
        assert "Sourcing policy" in text and "the host it really goes to" in text
        assert offline.blocked == [] and offline.console_errors == []
    finally:
        offline.page.context.close()
