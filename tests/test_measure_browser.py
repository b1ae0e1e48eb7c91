"""The live map's measuring tools in Chromium: a geodesic distance tool and range rings.

Distances are checked against pyproj.Geod (WGS84), independently of the map's script.
"""

from __future__ import annotations

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


def click_map(offline: OfflinePage, frame, lat: float, lon: float) -> None:
    x, y = frame.evaluate("([lat, lon]) => { var p = Airbridge.parts.ab.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [lat, lon])
    box = frame.locator(".leaflet-container").first.bounding_box()
    assert box is not None
    offline.page.mouse.click(box["x"] + x, box["y"] + y)


def test_measure_tool_reads_the_geodesic_between_clicked_points(offline, dashboard_url) -> None:
    frame = _open(offline, dashboard_url)
    measure = frame.get_by_role("button", name="Measure", exact=True)
    measure.click()
    assert measure.get_attribute("aria-pressed") == "true"
    for lat, lon in ((36.0, 15.0), (31.0, 12.0), (27.0, 17.0)):  # sea, then open desert: no feature there
        click_map(offline, frame, lat, lon)
    points = frame.evaluate("() => Airbridge.measure.state.points")
    assert len(points) == 3, "a click did not reach the map"
    expected = sum(GEOD.inv(a[1], a[0], b[1], b[0])[2] for a, b in zip(points, points[1:], strict=False)) / 1000
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
    frame.get_by_label("From").select_option(label=name)
    frame.get_by_label("Aircraft").select_option(label="Antonov An-124")
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
