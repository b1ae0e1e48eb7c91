"""The live map's measuring tools in Chromium: a geodesic distance tool and range rings.

Distances are checked against pyproj.Geod (WGS84), independently of the map's script.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pyproj
import pytest

from layers import load_dataset
from tests.browser import OfflinePage, open_offline_page
from tests.dashboard_page import DashboardPage

GEOD = pyproj.Geod(ellps="WGS84")
AN124_RANGES_KM = (4500.0, 16500.0)  # layers/tracks/performance.py: maximum payload, maximum fuel


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser, 1600, 1000)
    yield page
    page.page.context.close()


def test_script_geodesics_match_pyproj(offline, dashboard_url) -> None:
    frame = _open(offline, dashboard_url)
    sites = load_dataset().sites
    pairs = [("hmeimim", "al_khadim"), ("hmeimim", "benina"), ("chkalovsky", "benina"), ("al_khadim", "al_jufra")]
    for start, end in pairs:
        a, b = sites.loc[start].geometry, sites.loc[end].geometry
        _, _, metres = GEOD.inv(a.x, a.y, b.x, b.y)
        km = frame.evaluate("([a, b]) => Airbridge.measure.distanceKm(a, b)", [[a.y, a.x], [b.y, b.x]])
        assert km == pytest.approx(metres / 1000, abs=0.001), (start, end)
    # Hmeimim to al-Khadim, the air bridge's main leg: about 1,418 km.
    hmeimim, khadim = sites.loc["hmeimim"].geometry, sites.loc["al_khadim"].geometry
    assert GEOD.inv(hmeimim.x, hmeimim.y, khadim.x, khadim.y)[2] / 1000 == pytest.approx(1418, abs=15)


def _open(offline: OfflinePage, url: str):
    dashboard = DashboardPage(offline.page)
    dashboard.open(url)
    return dashboard.map_frame


FREE_SPOT = """([fx, fy]) => {
  // A point of the map where a click reaches the map itself: the basemap's canvas, not a
  // control, a symbol or a line (which would open its popup instead).
  var map = Airbridge.parts.ab.map, box = map.getContainer().getBoundingClientRect();
  var x = box.left + fx * box.width, y = box.top + fy * box.height;
  var element = document.elementFromPoint(x, y);
  return element && element.tagName === "CANVAS" ? [x, y] : null;
}"""


def click_free_spots(offline: OfflinePage, frame, count: int) -> None:
    """Click ``count`` spots of bare basemap, spread over the map (positions inside the frame's page)."""
    frame_box = offline.page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert frame_box is not None
    clicked = 0
    for fy in (0.8, 0.65, 0.5, 0.35):
        for fx in (0.3, 0.45, 0.6, 0.75):
            spot = frame.evaluate(FREE_SPOT, [fx, fy])
            if spot and clicked < count:
                offline.page.mouse.click(frame_box["x"] + spot[0], frame_box["y"] + spot[1])
                clicked += 1
                frame.wait_for_function("(n) => Airbridge.measure.state.points.length >= n", arg=clicked,
                                        timeout=10_000)
    assert clicked == count, "not enough bare basemap to click on"


def test_measure_tool_reads_the_geodesic_between_clicked_points(offline, dashboard_url) -> None:
    frame = _open(offline, dashboard_url)
    measure = frame.get_by_role("button", name="Measure", exact=True)
    measure.click()
    assert measure.get_attribute("aria-pressed") == "true"
    click_free_spots(offline, frame, 3)
    points = frame.evaluate("() => Airbridge.measure.state.points")
    assert len(points) == 3, "a click did not reach the map"
    expected = sum(GEOD.inv(a[1], a[0], b[1], b[0])[2] for a, b in itertools.pairwise(points)) / 1000
    readout = frame.locator(".ab-tool-readout")
    assert f"{round(expected):,} km ({round(expected / 1.852):,} NM), 2 legs" in readout.inner_text()
    # The drawn line follows the geodesic: every vertex on it within 50 m of pyproj's line.
    first = frame.evaluate("() => Airbridge.measure.path(Airbridge.measure.state.points[0],"
                           " Airbridge.measure.state.points[1])")
    a, b = points[0], points[1]
    for lat, lon in first[1:-1]:
        from_a, from_b = GEOD.inv(a[1], a[0], lon, lat)[2], GEOD.inv(lon, lat, b[1], b[0])[2]
        assert from_a + from_b == pytest.approx(GEOD.inv(a[1], a[0], b[1], b[0])[2], abs=50)
    offline.page.keyboard.press("Escape")
    assert measure.get_attribute("aria-pressed") == "false"
    assert offline.blocked == [] and offline.console_errors == []


def test_range_rings_lie_at_the_documented_range(offline, dashboard_url) -> None:
    frame = _open(offline, dashboard_url)
    name = load_dataset().sites.loc["hmeimim", "name"]
    frame.get_by_role("button", name="Range rings").click()
    frame.get_by_label("Range rings from").select_option(label=name)
    frame.get_by_label("Aircraft type of the rings").select_option(label="Antonov An-124")
    frame.get_by_role("button", name="Draw rings").click()
    rings = frame.evaluate("() => Airbridge.measure.state.rings.getLayers()"
                           ".filter(function (l) { return l.getLatLngs; })"
                           ".map(function (l) { return l.getLatLngs().map(function (p) { return [p.lat, p.lng]; }); })")
    assert len(rings) == len(AN124_RANGES_KM)
    hmeimim = load_dataset().sites.loc["hmeimim"].geometry
    for vertices, km in zip(rings, AN124_RANGES_KM, strict=True):
        for lat, lon in vertices[::9]:
            assert GEOD.inv(hmeimim.x, hmeimim.y, lon, lat)[2] / 1000 == pytest.approx(km, rel=1e-4)
    readout = frame.locator(".ab-tool-readout").inner_text()
    assert f"Range rings from {name}" in readout and "4,500 km" in readout and "maximum payload" in readout
    assert "aeropedia.com.au" in readout  # the figure's source
    assert offline.blocked == [] and offline.console_errors == []
