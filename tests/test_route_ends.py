"""Routes to places whose airfield is not named stop at the edge of the place's area, never at a made-up point.

On the shipped data and on constructed rows (ids ``t-...``): every drawn route, on many
dates and windows, keeps out of the interior of its ends' uncertainty circles and meets
a vague end's circle at its edge; a leg whose two circles cover it is listed, not drawn.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from shapely.geometry import MultiLineString

from layers import TimeSelection, build_snapshot, load_dataset
from layers.geodesic import distance_km
from layers.route_ends import UNCERTAIN_STUB_SHARE, split_route_line
from tests.analytics_cases import flight, load_case

from dashboard.export.briefing import BriefingSpec
from dashboard.export.kml import build_kml_tree

EDGE_KM = 0.5  # the line's end is the geodesic point at the radius, to well within this
SELECTIONS = [TimeSelection(day, window) for day in (dt.date(2024, 11, 27), dt.date(2024, 12, 8),
                                                      dt.date(2024, 12, 16), dt.date(2024, 12, 20),
                                                      dt.date(2025, 1, 9), dt.date(2026, 1, 27))
              for window in (1, 7, 30, None)]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def points(geometry) -> list[tuple[float, float]]:
    lines = geometry.geoms if isinstance(geometry, MultiLineString) else [geometry]
    return [(x, y) for line in lines for x, y in line.coords]


def test_no_drawn_route_enters_the_interior_of_its_ends_areas(dataset) -> None:
    checked = vague = 0
    for selection in SELECTIONS:
        for _, route in build_snapshot(dataset, selection).routes.iterrows():
            drawn = points(route.geometry)
            for end in ("from", "to"):
                place = dataset.locations[route[f"{end}_id"]]
                nearest = min(distance_km(place.lon, place.lat, lon, lat) for lon, lat in drawn)
                assert nearest >= place.radius_km - EDGE_KM, (selection, route["id"], end)
                checked += 1
            vague += bool(route["from_uncertain"]) + bool(route["to_uncertain"])
    assert checked > 100 and vague > 20


def test_a_vague_end_meets_the_edge_of_its_area_and_a_site_end_its_site(dataset) -> None:
    routes = build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 20), 7)).routes.set_index("id")
    libya = routes.loc["route-hmeimim-libya_unnamed-individual"]
    start, end = points(libya.geometry)[0], points(libya.geometry)[-1]
    hmeimim, area = dataset.locations["hmeimim"], dataset.locations["libya_unnamed"]
    assert (libya["from_uncertain"], libya["to_uncertain"]) == (False, True)
    assert distance_km(hmeimim.lon, hmeimim.lat, *start) < 0.01
    assert abs(distance_km(area.lon, area.lat, *end) - area.radius_km) < EDGE_KM
    assert area.radius_km == 660  # Libya (airport not named): the line stops 660 km short of the centre
    both = routes.loc["route-moscow_or_minsk_unnamed-benghazi_unnamed-count"]
    for end, (lon, lat) in (("from", points(both.geometry)[0]), ("to", points(both.geometry)[-1])):
        place = dataset.locations[both[f"{end}_id"]]
        assert abs(distance_km(place.lon, place.lat, lon, lat) - place.radius_km) < EDGE_KM
        assert (both[f"{end}_lon"], both[f"{end}_lat"]) == (place.lon, place.lat)  # the centre stays listed


def test_the_uncertain_stub_is_the_last_share_of_the_line_at_a_vague_end(dataset) -> None:
    routes = build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 20), 7)).routes.set_index("id")
    libya = routes.loc["route-hmeimim-libya_unnamed-individual"]
    parts = split_route_line(libya.geometry, False, True)
    (stub,) = parts.uncertain
    drawn_km = distance_km(*points(libya.geometry)[0], *points(libya.geometry)[-1])
    stub_km = distance_km(*points(stub)[0], *points(stub)[-1])
    assert stub_km == pytest.approx(drawn_km * UNCERTAIN_STUB_SHARE, rel=1e-6)
    assert points(stub)[-1] == pytest.approx(points(libya.geometry)[-1])
    assert points(parts.certain)[-1] == pytest.approx(points(stub)[0])
    known = routes.loc["route-hmeimim-al_khadim-count"]
    assert split_route_line(known.geometry, False, False).uncertain == ()


def test_a_leg_inside_both_ends_areas_is_listed_but_not_drawn(tmp_path: Path) -> None:
    # Benina is one of the two airfields of "Benghazi (airport not named)": inside its circle.
    dataset = load_case(tmp_path, flights=[flight("t-1", "2024-12-20", "benghazi_unnamed", "benina")])
    routes = build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 20), 7)).routes
    assert list(routes["id"]) == ["route-benghazi_unnamed-benina-individual"]
    assert routes.geometry.iloc[0] is None and routes["flight_ids"].iloc[0] == ["t-1"]
    # The KML lists it too, as a placemark without a line (and without stubs).
    snapshot = build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 20), 7))
    tree = build_kml_tree(snapshot, BriefingSpec(TimeSelection(dt.date(2024, 12, 20), 7), format="kml"))
    ids = [p.get("id") for p in tree.getroot().iter("{http://www.opengis.net/kml/2.2}Placemark")]
    assert "route-benghazi_unnamed-benina-individual" in ids
    assert not [i for i in ids if i and i.startswith("route-benghazi_unnamed-benina-individual-uncertain")]


def test_a_count_report_without_a_figure_marks_its_route(dataset) -> None:
    routes = build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 20), 7)).routes.set_index("id")
    assert routes.loc["route-hmeimim-chkalovsky-count", "reports_unstated"] == 1  # "not given"
    assert routes.loc["route-hmeimim-chkalovsky-count", "flights"] == 1
    assert routes.loc["route-hmeimim-al_khadim-count", "reports_unstated"] == 0
    assert routes.loc["route-hmeimim-al_khadim-count", "flights"] == 34  # several per day, 15-31 Dec
