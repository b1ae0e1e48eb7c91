"""Actors and observations on the live page, in real headless Chromium with every outside request aborted.

The dashboard runs on the shipped data (``dashboard_url``). On 5 Dec 2024 al-Khadim's status
in force is the UAE's of 2016 (active) while Hmeimim is active for Russia; on 13 Dec 2024
Maxar imaged Hmeimim and Planet imaged the ships off Tartus (two observations). Screenshots
go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from layers import LAYER_NAMES, TimeSelection, build_snapshot, load_dataset
from layers.style import GROUP_COLOURS, OBSERVATION_STYLE, OTHER_ACTOR_STYLE, choose_actor_mark
from layers.vocabulary import LAYER_TITLES
from tests.browser import OfflinePage, open_offline_page
from tests.dashboard_page import DashboardPage, find_site_marker, open_on_day

UAE_DAY, MAXAR_DAY = dt.date(2024, 12, 5), dt.date(2024, 12, 13)
POPUP = ".leaflet-popup-content"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser, 1280, 800)
    yield page
    page.page.context.close()


def assert_clean(offline: OfflinePage, dashboard: DashboardPage) -> None:
    assert offline.blocked == [] and offline.console_errors == [] and dashboard.script_errors() == []


def test_a_non_russian_active_site_is_drawn_apart_from_a_russian_active_one(offline, dashboard_url, dataset,
                                                                            artifacts_dir) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, UAE_DAY)
    sites = build_snapshot(dataset, TimeSelection(UAE_DAY, 7)).sites
    expected = sum(choose_actor_mark(s, a) is not None for s, a in zip(sites["status"], sites["status_actor"],
                                                                         strict=True))
    assert dashboard.count(".ab-site svg.ab-other-actor") == expected > 0
    uae = find_site_marker(dashboard, dataset.sites.loc["al_khadim", "name"]).locator("svg")
    # The UAE row of 2016 is over two years old: the symbol is also faded (ab-stale).
    assert "ab-other-actor" in uae.get_attribute("class") and uae.get_attribute("data-ab-actor") == "uae"
    shape = uae.locator("path").nth(1)
    assert (shape.get_attribute("fill"), shape.get_attribute("stroke")) == ("#FFFFFF", OTHER_ACTOR_STYLE.outline)
    assert uae.locator("text").first.text_content() == "U"  # then the evidence letter in the corner
    russian = find_site_marker(dashboard, dataset.sites.loc["hmeimim", "name"]).locator("svg")
    assert "ab-other-actor" not in (russian.get_attribute("class") or "")
    # Only the evidence letter of the status in force (the 27 Nov 2024 row, medium), no actor letter.
    grade = sites.set_index("id").loc["hmeimim", "status_confidence"]
    assert russian.get_attribute("data-ab-actor") is None
    assert russian.locator("text").all_text_contents() == [grade[0].upper()]
    assert russian.locator("path").nth(1).get_attribute("fill") == GROUP_COLOURS["syria"]
    text = dashboard.open_popup(find_site_marker(dashboard, dataset.sites.loc["al_khadim", "name"]))
    assert "Actor: United Arab Emirates · not Russian presence" in text and "since 23 Jul 2016" in text
    dashboard.screenshot(str(artifacts_dir / "actor-al-khadim-2024-12-05.png"))
    assert_clean(offline, dashboard)


def test_a_status_known_to_the_month_is_shown_as_a_month(offline, dashboard_url, dataset) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, MAXAR_DAY)
    text = dashboard.open_popup(find_site_marker(dashboard, dataset.sites.loc["qamishli", "name"]))
    # On 13 Dec 2024 the month-only row is pending (docs/data.md, the time rule of a status).
    assert "In December 2024, day not known" in text and "since November 2019, day not known" in text
    assert "Actor: Russia (armed forces, MoD, EMERCOM) · counts as Russian presence" in text
    assert_clean(offline, dashboard)


def test_the_observations_of_13_december_have_their_symbol_legend_row_and_popup(offline, dashboard_url, dataset,
                                                                                 artifacts_dir) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, MAXAR_DAY)
    observations = build_snapshot(dataset, TimeSelection(MAXAR_DAY, 7)).observations
    frame = dashboard.map_frame
    assert dashboard.summary()["observations"] == len(observations) == 2
    assert dashboard.count(".ab-observation svg.ab-eye") == observations.geometry.nunique() == 2
    eye = frame.locator(".ab-observation svg.ab-eye circle").nth(1)
    assert eye.get_attribute("fill") == OBSERVATION_STYLE.colour
    dashboard.screenshot(str(artifacts_dir / "observations-2024-12-13.png"))
    texts = [dashboard.open_popup(frame.locator(".ab-observation").nth(i)) for i in range(2)]
    maxar = next(t for t in texts if "Hmeimim" in t)
    assert "Observation, not a flight · 13 Dec 2024 · Satellite image" in maxar
    assert "Aircraft counted:" in maxar and "An-124" in maxar
    assert "[repost]" in maxar or "[wire copy]" in maxar, "each source link shows its kind"
    assert frame.locator(POPUP, has_text="Hmeimim").locator("a[href^='https://']").count() >= 1
    frame.locator(".ab-legend summary").click()
    legend = frame.locator(".ab-legend section[data-ab-layer='observation']")
    assert legend.is_visible() and OBSERVATION_STYLE.label in legend.inner_text()
    assert frame.locator(".ab-legend", has_text=OTHER_ACTOR_STYLE.label).is_visible()
    dashboard.screenshot(str(artifacts_dir / "observations-2024-12-13-legend.png"))
    assert_clean(offline, dashboard)


def test_the_observations_toggle_hides_them_and_their_legend_row(offline, dashboard_url) -> None:
    dashboard = open_on_day(offline.page, dashboard_url, MAXAR_DAY)
    frame = dashboard.map_frame
    frame.locator(".leaflet-control-layers").hover()  # a folded layer list opens on hover
    frame.get_by_label(LAYER_TITLES["observation"]).uncheck()
    offline.page.wait_for_function(
        "(expected) => new URLSearchParams(location.search).get('layers') === expected",
        arg=",".join(name for name in LAYER_NAMES if name != "observation"), timeout=15_000)
    assert dashboard.count(".ab-observation") == 0
    assert not frame.locator(".ab-legend section[data-ab-layer='observation']").is_visible()
    frame.get_by_label(LAYER_TITLES["observation"]).check()
    frame.locator(".ab-observation").first.wait_for()
    assert dashboard.count(".ab-observation") == 2
    assert_clean(offline, dashboard)
