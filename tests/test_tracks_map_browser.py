"""The ADS-B layers as a user sees them, in real headless Chromium with every outside request aborted.

The live page runs on the shipped data with the sample track imported (RA-82038, Hmeimim ->
al-Khadim on 26 Dec 2024, dark for 40 min); the standalone HTML map shows a track whose
registration and callsign are markup. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from layers.style import GAP_STYLE, REACH_STYLE, TRACK_STYLE, TRACK_WIDTH, dash_pattern
from layers.workspace import load_workspace_dataset
from tests.browser import OfflinePage, open_offline_page
from tests.conftest import warm_up
from tests.dashboard_page import DashboardPage
from tests.streamlit_server import run_streamlit
from tests.test_tracks_map import HOSTILE_CALLSIGN, HOSTILE_REGISTRATION, import_hostile_track
from tests.track_samples import import_sample_track

from dashboard.webmap.folium_map import build_standalone_map
from dashboard.webmap.offline_assets import inline_assets

GAP_DASH = dash_pattern(GAP_STYLE, TRACK_WIDTH)
# Zoom the map onto the reach area as the code does (no report to Streamlit, so no rerun).
ZOOM_TO_GAP = """() => Airbridge.parts.silently(() => map.fitBounds(
    Airbridge.parts.ab.groups.reach.getLayers()[1].getBounds(), {animate: false}))"""
GAP_HIT_POINT = """() => {
    const hit = Airbridge.parts.ab.groups.gap.getLayers().find(l => (l.options.className || '').includes('ab-hit'));
    const p = map.latLngToContainerPoint(hit.getCenter()); return [p.x, p.y]; }"""
LABEL_BOXES = """() => [...document.querySelectorAll('.ab-site .ab-label:not(.ab-hidden)')].map(e => {
    const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return import_sample_track(tmp_path_factory.mktemp("tracked") / "ws")


@pytest.fixture(scope="module")
def tracked_url(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with run_streamlit(workspace=workspace, cache_dir=tmp_path_factory.mktemp("cache")) as url:
        warm_up(url)
        yield url


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser, 1280, 900)
    yield page
    page.page.context.close()


def open_map(offline: OfflinePage, url: str) -> DashboardPage:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{url}?date=2024-12-27&window=7")
    offline.page.locator("iframe[title='streamlit_folium.st_folium']").scroll_into_view_if_needed()
    return dashboard


def test_the_track_and_its_gap_are_drawn_apart(offline, tracked_url, workspace, artifacts_dir) -> None:
    dashboard = open_map(offline, tracked_url)
    snapshot = build_snapshot(load_workspace_dataset(workspace=workspace), TimeSelection(dt.date(2024, 12, 27), 7))
    summary = dashboard.summary()
    assert (summary["tracks"], summary["gaps"], summary["reaches"], summary["positions"]) == (1, 1, 1, 1)
    assert dashboard.count(f'path.ab-gap[stroke-dasharray="{GAP_DASH}"]') == len(snapshot.gaps) == 1
    track = dashboard.map_frame.locator("path.ab-track")
    assert track.count() == 1 and track.get_attribute("stroke-dasharray") is None, "the flown track is solid"
    assert track.get_attribute("stroke") == TRACK_STYLE.colour
    assert track.get_attribute("d").count("M") == 2, "the solid line stops where it went dark"
    assert dashboard.count(f'path.ab-reach[stroke="{REACH_STYLE.colour}"]') == 1
    dashboard.screenshot(str(artifacts_dir / "tracks-theatre.png"))
    assert offline.blocked == [] and offline.console_errors == [] and dashboard.script_errors() == []


def test_the_aircraft_is_labelled_with_its_registration_clear_of_site_labels(offline, tracked_url) -> None:
    dashboard = open_map(offline, tracked_url)
    frame = dashboard.map_frame
    label = frame.locator(".ab-position .ab-aircraft-label")
    assert label.text_content() == "RA-82038"
    assert "ab-hidden" not in (label.get_attribute("class") or "")
    box = label.bounding_box()
    assert box is not None
    for name, left, top, right, bottom in frame.evaluate(LABEL_BOXES):
        overlap = min(right, box["x"] + box["width"]) > max(left, box["x"]) and \
            min(bottom, box["y"] + box["height"]) > max(top, box["y"])
        assert not overlap, f"the aircraft label covers the label of {name}"


def test_the_legend_explains_the_adsb_layers_drawn(offline, tracked_url) -> None:
    dashboard = open_map(offline, tracked_url)
    frame = dashboard.map_frame
    if not frame.locator(".ab-legend").evaluate("(legend) => legend.open"):
        frame.locator(".ab-legend summary").click()  # folded where it would hide much of the map
    section = frame.locator('section[data-ab-layer~="gap"]')
    assert section.is_visible()
    for text in (TRACK_STYLE.label, GAP_STYLE.label, REACH_STYLE.label, "Last position (arrow = heading)"):
        assert frame.get_by_text(text, exact=True).is_visible(), text


def test_the_gap_popup_ranks_al_khadim_first_with_its_reasons(offline, tracked_url, artifacts_dir) -> None:
    dashboard = open_map(offline, tracked_url)
    frame = dashboard.map_frame
    frame.evaluate(ZOOM_TO_GAP)
    dashboard.wait_until_settled()
    x, y = frame.evaluate(GAP_HIT_POINT)
    frame.locator("#map_div").click(position={"x": x, "y": y})
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("h4").text_content() == "Went dark for 40 min"
    first = popup.locator("ol.ab-candidates > li").first
    assert first.locator("b").first.text_content() == "Al Khadim Airport"
    assert "(HL59, al_khadim)" in first.text_content()
    reasons = first.locator("ul.ab-reasons > li").all_text_contents()
    assert len(reasons) == 4 and reasons[-1] == "a known site (al_khadim)"
    assert frame.locator(".ab-caption").is_hidden(), "the date box steps aside for the popup"
    dashboard.screenshot(str(artifacts_dir / "tracks-gap-popup.png"))


def write_standalone(snapshot, path: Path) -> Path:
    path.write_text(inline_assets(build_standalone_map(snapshot).get_root().render()), encoding="utf-8")
    return path


def test_a_hostile_registration_and_callsign_show_as_text(browser, tmp_path: Path) -> None:
    dataset = load_workspace_dataset(workspace=import_hostile_track(tmp_path))
    path = write_standalone(build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 27), 7)), tmp_path / "map.html")
    offline = open_offline_page(browser, 1280, 900)
    dialogs: list[str] = []
    offline.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page = offline.page
        page.goto(path.as_uri())
        page.wait_for_function("() => document.querySelector('.folium-map').dataset.abReady === '1'")
        assert page.locator(".ab-aircraft-label").text_content() == HOSTILE_REGISTRATION
        page.locator(".ab-position").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert HOSTILE_CALLSIGN in popup.text_content() and HOSTILE_REGISTRATION in popup.text_content()
        page.locator(".ab-position").hover()
        assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"], b[onmouseover]').length") == 0
        assert dialogs == [] and offline.blocked == [] and offline.console_errors == []
    finally:
        offline.page.context.close()


def test_a_map_without_tracks_does_not_explain_them(browser, tmp_path: Path) -> None:
    path = write_standalone(build_snapshot(load_dataset(), TimeSelection(dt.date(2024, 12, 27), 7)),
                            tmp_path / "map.html")
    offline = open_offline_page(browser, 1280, 900)
    try:
        page = offline.page
        page.goto(path.as_uri())
        page.wait_for_function("() => document.querySelector('.folium-map').dataset.abReady === '1'")
        if not page.locator(".ab-legend").evaluate("(legend) => legend.open"):
            page.locator(".ab-legend summary").click()  # folded: open, it would cover a third of this map
        assert page.locator('section[data-ab-layer~="track"]').is_hidden()
        assert page.locator('section[data-ab-layer="route"]').is_visible()
    finally:
        offline.page.context.close()


def test_the_arrow_turns_to_the_heading(browser, workspace: Path, tmp_path: Path) -> None:
    snapshot = build_snapshot(load_workspace_dataset(workspace=workspace), TimeSelection(dt.date(2024, 12, 27), 7))
    turned = dataclasses.replace(snapshot, positions=snapshot.positions.assign(track_deg=[252.0], on_ground=[False]))
    offline = open_offline_page(browser, 1280, 900)
    try:
        page = offline.page
        page.goto(write_standalone(turned, tmp_path / "map.html").as_uri())
        page.wait_for_function("() => document.querySelector('.folium-map').dataset.abReady === '1'")
        symbol = page.locator(".ab-position-symbol")
        assert "rotate(252deg)" in (symbol.get_attribute("style") or "")
        assert symbol.locator("svg path").count() == 1 and symbol.locator("svg circle").count() == 0
    finally:
        offline.page.context.close()
