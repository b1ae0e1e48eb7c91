"""Route ends and route widths on the live page: real Streamlit, headless Chromium, outside requests aborted.

The dashboard runs on the shipped data (``dashboard_url``) on 20 Dec 2024 with a 7-day
window. The test reads the route polylines Leaflet drew in the map frame: their end
points, weights and styles. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from layers.geodesic import distance_km
from layers.route_marks import UNCERTAIN_END_LABEL, UNCERTAIN_END_OPACITY, UNSTATED_LABEL, WIDTH_MEANS
from layers.style import route_width
from tests.browser import OfflinePage, open_offline_page
from tests.dashboard_page import DashboardPage

from dashboard.webmap.coordinates import iter_features
from dashboard.webmap.popups import build_route_popup

DAY = dt.date(2024, 12, 20)
EDGE_KM = 0.5  # coordinates go to the map rounded to about 100 m
# Each route polyline of the map (not the white halo or stripe): its kind of line, the popup's
# heading ("From → To"), weight, opacity and the first and last point of each of its lines.
DRAWN_ROUTES = """() => Airbridge.parts.ab.groups.route.getLayers()
  .filter((l) => l instanceof L.Polyline && /ab-route-(individual|count|plan)/.test(l.options.className || ''))
  .map((l) => {
    const box = document.createElement('div');
    box.innerHTML = l.getPopup() ? l.getPopup().getContent() : '';
    const heading = box.querySelector('h4');
    const lines = Array.isArray(l.getLatLngs()[0]) ? l.getLatLngs() : [l.getLatLngs()];
    return {cls: l.options.className, heading: heading ? heading.textContent : null,
            popup: l.getPopup() ? l.getPopup().getContent() : null, weight: l.options.weight,
            opacity: l.options.opacity, dash: l.options.dashArray,
            ends: lines.flatMap((line) => [line[0], line[line.length - 1]]).map((p) => [p.lng, p.lat])};
  })"""


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@dataclass(frozen=True)
class DrawnDay:
    """The live map of :data:`DAY`, opened once for the module."""

    dashboard: DashboardPage
    routes: list[dict]


@pytest.fixture(scope="module")
def day(browser, dashboard_url: str, artifacts_dir) -> Iterator[DrawnDay]:
    offline: OfflinePage = open_offline_page(browser, 1280, 800)
    try:
        dashboard = DashboardPage(offline.page)
        dashboard.open(f"{dashboard_url}?date={DAY.isoformat()}&window=7")
        dashboard.wait_for_date(DAY)
        dashboard.wait_until_settled()
        dashboard.screenshot(str(artifacts_dir / "route-ends-2024-12-20.png"))
        assert offline.blocked == [] and offline.console_errors == [] and dashboard.script_errors() == []
        yield DrawnDay(dashboard, dashboard.map_frame.evaluate(DRAWN_ROUTES))
    finally:
        offline.page.context.close()


@pytest.fixture
def drawn(day: DrawnDay) -> list[dict]:
    return day.routes


def places_by_name(dataset) -> dict[str, object]:
    return {location.name: location for location in dataset.locations.values()}


def test_no_drawn_route_ends_inside_the_area_of_a_place_it_joins(drawn, dataset) -> None:
    places = places_by_name(dataset)
    vague_ends = 0
    for line in drawn:
        ends = [places[name] for name in line["heading"].split(" → ")]
        for place in ends:
            nearest = min(distance_km(place.lon, place.lat, lon, lat) for lon, lat in line["ends"])
            assert nearest >= place.radius_km - EDGE_KM, (line["heading"], line["cls"], place.name)
            vague_ends += place.radius_km > 0
    assert vague_ends >= 4  # Libya, Nizhny Novgorod, Moscow or Minsk, Benghazi (each on a line and its stub)


def test_a_vague_end_is_a_faded_dashed_stub_reaching_the_edge_of_its_area(drawn, dataset) -> None:
    libya = dataset.locations["libya_unnamed"]
    stubs = [line for line in drawn if "ab-route-stub" in line["cls"]
             and line["heading"].endswith(f"→ {libya.name}")]
    assert len(stubs) == 1
    (stub,) = stubs
    assert stub["opacity"] == UNCERTAIN_END_OPACITY and stub["dash"]
    last = stub["ends"][-1]
    assert abs(distance_km(libya.lon, libya.lat, *last) - libya.radius_km) < EDGE_KM


def test_the_several_per_day_shuttle_is_drawn_at_its_lower_bound_not_as_the_thinnest_line(drawn, dataset) -> None:
    lines = [line for line in drawn if "ab-route-stub" not in line["cls"]]
    heading = f"{dataset.locations['hmeimim'].name} → {dataset.locations['al_khadim'].name}"
    shuttle = next(line for line in lines if line["heading"] == heading and "ab-route-count" in line["cls"])
    assert shuttle["weight"] == pytest.approx(route_width(34), abs=0.05)  # 2 a day over 15-31 Dec
    assert shuttle["weight"] > min(line["weight"] for line in lines)
    assert shuttle["weight"] == max(line["weight"] for line in lines)


def test_a_count_without_a_figure_is_hollow_and_the_legend_says_what_width_counts(day: DrawnDay) -> None:
    frame = day.dashboard.map_frame
    hollow = frame.locator("path.ab-route-hollow")
    assert hollow.count() >= 3  # the three Turan evacuation legs, "not given"
    legend = frame.locator(".ab-legend")
    if not legend.evaluate("(element) => element.open"):
        frame.locator(".ab-legend summary").click()  # folded where it would hide much of the map
    text = legend.inner_text()
    for label in (WIDTH_MEANS, UNSTATED_LABEL, UNCERTAIN_END_LABEL):
        assert label in text


def test_each_route_popup_is_the_whole_popup_python_writes_for_the_window(drawn, dataset) -> None:
    # The map gets a route's popup in pieces (stored once each in the catalogue) and joins them.
    routes = build_snapshot(dataset, TimeSelection(DAY, 7)).routes
    wanted = {build_route_popup(props) for props, _ in iter_features(routes)}
    shown = {line["popup"] for line in drawn}
    assert shown == wanted
    shuttle = next(popup for popup in shown if "Flights in the window:</b> 34 " in popup)
    assert "Great circle crosses" in shuttle and "Sources:" in shuttle and shuttle.endswith("</div>")
