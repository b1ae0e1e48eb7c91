"""Route geometry: distances against pyproj, countries against shapely on the basemap, flight times, place countries.

The independent computations here do not use :mod:`layers.analytics`: the basemap is read
from its GeoJSON with shapely, the path is made with ``pyproj.Geod.npts`` and each country
is tested with ``intersects`` one by one.
"""

from __future__ import annotations

import json

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString

from layers.airfields import find_airfield
from layers.analytics.geometry import estimate_flight_time, find_place_country, measure_route
from layers.basemap import BASEMAP_PATH
from layers.dataset import Location, load_dataset
from layers.tracks.performance import TYPES, find_performance
from tests.analytics_cases import MINI

GEOD = Geod(ellps="WGS84")


def airfield(code: str) -> Location:
    found = find_airfield(code)
    return Location(code, found.name, found.lon, found.lat, 0.0)


def countries_by_brute_force(a: Location, b: Location) -> set[str]:
    features = json.loads(BASEMAP_PATH.read_text(encoding="utf-8"))["features"]
    path = LineString([(a.lon, a.lat), *GEOD.npts(a.lon, a.lat, b.lon, b.lat, 400), (b.lon, b.lat)])
    return {f["properties"]["name"] for f in features
            if shapely.from_geojson(json.dumps(f["geometry"])).intersects(path)}


def test_distance_is_the_wgs84_geodesic_in_km_and_nautical_miles() -> None:
    hmeimim, al_khadim = airfield("OSLK"), airfield("HL59")
    route = measure_route(hmeimim, al_khadim)
    expected_m = GEOD.inv(hmeimim.lon, hmeimim.lat, al_khadim.lon, al_khadim.lat)[2]
    assert route.distance_km == pytest.approx(expected_m / 1000, abs=1e-6)
    assert route.distance_nm == pytest.approx(expected_m / 1852, abs=1e-6)
    assert round(route.distance_km) == 1418  # "about 1,418 km" (issue 15)


def test_hmeimim_to_al_khadim_crosses_only_cyprus_and_the_sea() -> None:
    hmeimim, al_khadim = airfield("OSLK"), airfield("HL59")
    route = measure_route(hmeimim, al_khadim)
    # The basemap draws the island as two polygons: the Republic and the north.
    assert countries_by_brute_force(hmeimim, al_khadim) == {"Syria", "Cyprus", "N. Cyprus", "Libya"}
    assert (route.origin_country, route.destination_country) == ("Syria", "Libya")
    assert sorted(route.countries) == ["Cyprus", "N. Cyprus"]


def test_chkalovsky_to_benina_great_circle_crosses_five_closed_countries_in_order() -> None:
    chkalovsky, benina = airfield("UUMU"), airfield("HLLB")
    route = measure_route(chkalovsky, benina)
    assert countries_by_brute_force(chkalovsky, benina) == {"Russia", "Ukraine", "Moldova", "Romania", "Bulgaria",
                                                            "Greece", "Libya"}
    assert route.countries == ("Ukraine", "Moldova", "Romania", "Bulgaria", "Greece")


@pytest.mark.parametrize(("origin", "destination"), [("OSLK", "UUMU"), ("UMMS", "HLLB"), ("HL59", "GABS"),
                                                     ("HKMO", "HLLQ"), ("OSDI", "HLLB")])
def test_countries_between_the_ends_match_the_brute_force_intersection(origin: str, destination: str) -> None:
    a, b = airfield(origin), airfield(destination)
    route = measure_route(a, b)
    expected = countries_by_brute_force(a, b) - {route.origin_country, route.destination_country}
    assert set(route.countries) == expected


def test_a_named_place_whose_centre_is_at_sea_takes_its_airfields_country() -> None:
    dataset = load_dataset(MINI)
    assert find_place_country(dataset, "benghazi_unnamed") == "Libya"
    assert find_place_country(dataset, "hmeimim") is None  # a site: its own position decides


def test_flight_time_is_distance_over_the_documented_cruise_speed() -> None:
    time = estimate_flight_time(1600.0, ["An-124-100", "Il-76MD"])
    assert time.by_type == {"A124": 2.0, "IL76": round(1600 / 785, 2)}
    assert time.hours == round(1600 / 785, 2)  # the slowest reported type
    assert "Antonov An-124 at 800 km/h" in time.basis


def test_flight_time_names_types_without_a_speed_and_is_empty_without_a_type() -> None:
    assert estimate_flight_time(1000.0, ["cargo plane"]).hours is None
    assert "no documented cruise speed for: cargo plane" in estimate_flight_time(1000.0, ["cargo plane"]).basis
    assert "aircraft type not reported" in estimate_flight_time(1000.0, []).basis


@pytest.mark.parametrize("name", ["Il-76", "Il-62", "An-124", "An-72", "Tu-154"])
def test_each_type_the_briefing_needs_has_a_sourced_cruise_speed_and_range(name: str) -> None:
    performance = find_performance(name)
    assert performance.cruise_kmh is not None and 450 < performance.cruise_kmh < 950
    assert "http" in performance.cruise_source
    assert performance.ranges and all(r.km > 0 and r.source.startswith("http") for r in performance.ranges)


def test_the_gap_rules_top_speed_is_never_below_the_cruise_speed() -> None:
    for performance in TYPES.values():
        if performance.cruise_kmh is not None:
            assert performance.top_speed_kt * 1.852 >= performance.cruise_kmh, performance.designator
