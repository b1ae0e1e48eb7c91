"""Route statistics on constructed sequences: counts kept apart, rotations per week, weeks, aircraft, periods."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pyproj import Geod

from layers.analytics.legs import Period, list_legs
from layers.analytics.routes import RouteStatistics, build_route_statistics
from layers.dataset import Dataset
from tests.analytics_cases import flight, load_case

TWO_WEEKS = Period(dt.date(2024, 12, 2), dt.date(2024, 12, 15))
SHUTTLE = [
    flight("t-1", "2024-12-02", "hmeimim", "al_khadim", aircraft_type="An-124", registration="RA-82038"),
    flight("t-2", "2024-12-04", "hmeimim", "al_khadim", aircraft_type="Il-76MD", registration="RA-76841"),
    flight("t-3", "2024-12-09", "hmeimim", "al_khadim", aircraft_type="An-124", registration="RA-82038"),
    flight("t-4", "2024-12-11", "hmeimim", "al_khadim"),
    flight("t-5", "2024-12-15", "hmeimim", "al_khadim"),
    flight("t-6", "2024-12-20", "hmeimim", "al_khadim"),  # after the period
    flight("t-7", "2024-12-10", "hmeimim", "al_khadim", record_type="count", end_date="2024-12-19",
           count="at least four", count_min="4"),
    flight("t-8", "2024-12-12", "hmeimim", "al_khadim", record_type="count", count="several per day"),
    flight("t-9", "2024-12-13", "hmeimim", "al_khadim", record_type="plan"),
    flight("t-10", "2024-12-05", "", "al_khadim", origin_as_reported="Russia (airfield not named)"),
    flight("t-11", "2024-12-03", "al_khadim", "hmeimim", registration="RA-82038"),
]


@pytest.fixture(scope="module")
def shuttle(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_case(tmp_path_factory.mktemp("shuttle"), flights=SHUTTLE)


def route(routes: list[RouteStatistics], origin: str, destination: str) -> RouteStatistics:
    return next(r for r in routes if (r.origin, r.destination) == (origin, destination))


def test_individual_flights_and_count_reports_are_counted_apart(shuttle: Dataset) -> None:
    stats = route(build_route_statistics(shuttle, TWO_WEEKS), "hmeimim", "al_khadim")
    assert stats.flights_individual == 5
    # "at least four" at its bound; "several per day" on one day at 2 (layers/count_bounds.py)
    assert stats.flights_reported == 4 + 2
    assert [(r["id"], r["count"], r["counted_as"]) for r in stats.count_reports] == [
        ("t-7", "at least four", 4), ("t-8", "several per day", 2)]
    assert stats.plans == 1


def test_a_report_running_past_the_period_is_counted_whole_and_marked(shuttle: Dataset) -> None:
    stats = route(build_route_statistics(shuttle, TWO_WEEKS), "hmeimim", "al_khadim")
    marks = {r["id"]: r["extends_beyond_period"] for r in stats.count_reports}
    assert marks == {"t-7": True, "t-8": False}
    assert (stats.first_seen, stats.last_seen) == ("2024-12-02", "2024-12-15")  # kept within the period


def test_rotations_per_week_are_the_leg_flights_over_the_weeks_of_the_period(shuttle: Dataset) -> None:
    stats = route(build_route_statistics(shuttle, TWO_WEEKS), "hmeimim", "al_khadim")
    assert stats.rotations_per_week == (5 + 6) / 2


def test_flights_per_week_count_individual_flights_by_monday_week_and_list_reports(shuttle: Dataset) -> None:
    stats = route(build_route_statistics(shuttle, TWO_WEEKS), "hmeimim", "al_khadim")
    assert stats.flights_per_week == [
        {"week": "2024-12-02", "individual": 2, "count_reports": []},
        {"week": "2024-12-09", "individual": 3, "count_reports": ["t-7", "t-8"]},
    ]


def test_types_registrations_and_sources_are_collected(shuttle: Dataset) -> None:
    stats = route(build_route_statistics(shuttle, TWO_WEEKS), "hmeimim", "al_khadim")
    assert stats.aircraft_types == ["An-124", "Il-76MD"]
    assert stats.registrations == ["RA-76841", "RA-82038"]
    assert stats.record_ids == ["t-1", "t-2", "t-3", "t-4", "t-5", "t-7", "t-8", "t-9"]


def test_the_route_has_its_geodesic_distance_and_flight_time_of_the_slowest_type(shuttle: Dataset) -> None:
    stats = route(build_route_statistics(shuttle, TWO_WEEKS), "hmeimim", "al_khadim")
    a, b = shuttle.locations["hmeimim"], shuttle.locations["al_khadim"]
    expected = Geod(ellps="WGS84").inv(a.lon, a.lat, b.lon, b.lat)[2] / 1000
    assert stats.distance_km == round(expected, 1)
    assert stats.est_flight_time_h == round(expected / 785, 2)  # Il-76 (785 km/h) is slower than An-124 (800)
    assert stats.countries_overflown == ["Cyprus", "N. Cyprus"]
    assert stats.path_basis == "great circle"


def test_each_direction_is_its_own_route_and_routes_are_sorted_by_flights(shuttle: Dataset) -> None:
    routes = build_route_statistics(shuttle, TWO_WEEKS)
    assert [(r.origin, r.destination) for r in routes] == [("hmeimim", "al_khadim"), ("al_khadim", "hmeimim")]
    assert route(routes, "al_khadim", "hmeimim").flights_individual == 1


def test_a_record_without_a_located_end_is_on_no_route_but_listed(shuttle: Dataset) -> None:
    legs = list_legs(shuttle, TWO_WEEKS)
    assert [u["id"] for u in legs.unlocated] == ["t-10"]
    assert legs.unlocated[0]["origin"] == "Russia (airfield not named)"


def test_a_record_with_a_stop_gives_one_leg_per_hop(tmp_path: Path) -> None:
    dataset = load_case(tmp_path, flights=[flight("t-via", "2024-12-05", "chkalovsky", "bamako", via="hmeimim")])
    routes = build_route_statistics(dataset, TWO_WEEKS)
    assert sorted((r.origin, r.destination) for r in routes) == [("chkalovsky", "hmeimim"), ("hmeimim", "bamako")]


def test_a_route_of_russian_aircraft_over_the_eu_is_flagged_and_offered_the_corridor(tmp_path: Path) -> None:
    dataset = load_case(tmp_path, flights=[flight("t-eu", "2024-12-05", "chkalovsky", "benina",
                                                  registration="RA-76841")])
    stats = build_route_statistics(dataset, TWO_WEEKS)[0]
    assert [f["id"] for f in stats.airspace_flags] == ["eu_russia_2022", "ukraine_2022"]
    assert [c["id"] for c in stats.avoiding_corridors] == ["black_sea_turkey"]


def test_an_empty_period_gives_no_route(shuttle: Dataset) -> None:
    assert build_route_statistics(shuttle, Period(dt.date(2023, 1, 1), dt.date(2023, 1, 31))) == []


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match=r"ends .* before it starts"):
        Period(dt.date(2024, 12, 2), dt.date(2024, 12, 1))
