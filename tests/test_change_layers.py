"""The two-date comparison as map layers, on the shipped data: changed sites, routes appeared, stopped, changed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import shapely

from layers import load_dataset
from layers.analytics.change_layers import MINUS, ChangeLayers, build_change_layers, describe_change
from layers.analytics.changes import compare_dates
from layers.dataset import Dataset
from layers.geodesic import distance_km
from layers.timeline import select_status_as_of

BEFORE, AFTER = dt.date(2024, 12, 1), dt.date(2025, 1, 15)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def layers(dataset: Dataset) -> ChangeLayers:
    return build_change_layers(dataset, compare_dates(dataset, BEFORE, AFTER))


def site_point(dataset: Dataset, site_id: str) -> tuple[float, float]:
    geometry = dataset.sites.geometry[site_id]
    return geometry.x, geometry.y


def ends(line: shapely.Geometry) -> tuple[tuple[float, float], tuple[float, float]]:
    coords = shapely.get_coordinates(line)
    return (float(coords[0][0]), float(coords[0][1])), (float(coords[-1][0]), float(coords[-1][1]))


def test_every_site_whose_status_changed_is_drawn_once(dataset: Dataset, layers: ChangeLayers) -> None:
    listed = [site["id"] for site in compare_dates(dataset, BEFORE, AFTER).sites]
    assert sorted(layers.sites["id"]) == sorted(listed) and len(listed) == 13
    assert set(layers.sites.geometry.geom_type) == {"Point"}


def test_tartus_shows_its_status_on_each_date_at_the_site(dataset: Dataset, layers: ChangeLayers) -> None:
    tartus = layers.sites.set_index("id").loc["tartus"]
    # Read independently of compare_dates: the status in force on each date, as the map reads it.
    then = select_status_as_of(dataset.site_status, pd.Index(["tartus"]), BEFORE).loc["tartus", "status"]
    now = select_status_as_of(dataset.site_status, pd.Index(["tartus"]), AFTER).loc["tartus", "status"]
    assert (tartus["status_before"], tartus["status_after"]) == (then, now) == ("active", "drawdown")
    assert (tartus.geometry.x, tartus.geometry.y) == site_point(dataset, "tartus")
    assert tartus["rows"] and all(BEFORE.isoformat() < row["date"] <= AFTER.isoformat() for row in tartus["rows"])
    row_sources = {source for row in tartus["rows"] for source in row["sources"]}
    assert row_sources and row_sources <= set(tartus["sources"])


def test_a_change_with_no_row_dated_between_carries_the_row_in_force_and_its_sources(layers: ChangeLayers,
                                                                                     dataset: Dataset) -> None:
    # Qamishli's row is dated only "2024-12": it takes effect once December is over, so no row
    # falls after 1 December, yet the status differs on 15 January.
    qamishli = layers.sites.set_index("id").loc["qamishli"]
    assert qamishli["rows"] == [] and qamishli["status_after_date"] == "2024-12"
    statuses = dataset.site_status
    [row] = statuses[(statuses["site_id"] == "qamishli") & (statuses["date"] == "2024-12")].to_dict("records")
    assert qamishli["status_after_sources"] == list(row["sources"])
    assert set(row["sources"]) <= set(qamishli["sources"])


def test_a_route_that_appeared_is_a_geodesic_between_the_two_sites(dataset: Dataset, layers: ChangeLayers) -> None:
    route = layers.routes.set_index("id").loc["route-benina-sabha"]
    assert route["change_kind"] == "appeared"
    assert (route["flights_before"], route["flights_after"]) == (0, 1)
    start, end = ends(route.geometry)
    assert start == pytest.approx(site_point(dataset, "benina"), abs=1e-6)
    assert end == pytest.approx(site_point(dataset, "sabha"), abs=1e-6)
    length = distance_km(*start, *end)
    assert len(shapely.get_coordinates(route.geometry)) >= length // 100 + 1  # densified, no segment over 100 km


def test_routes_that_stopped_are_those_compare_dates_lists(dataset: Dataset, layers: ChangeLayers) -> None:
    stopped = [r["id"] for r in compare_dates(dataset, BEFORE, AFTER).routes_stopped]
    assert sorted(layers.routes.loc[layers.routes["change_kind"] == "stopped", "id"]) == sorted(stopped)
    assert len(stopped) == 3


def test_a_route_to_a_place_named_only_roughly_stops_at_the_edge_of_its_area(dataset: Dataset,
                                                                             layers: ChangeLayers) -> None:
    route = layers.routes.set_index("id").loc["route-hmeimim-benghazi_unnamed"]
    place = dataset.locations["benghazi_unnamed"]
    assert route["to_uncertain"] and route["to_radius_km"] == place.radius_km > 0
    start, end = ends(route.geometry)
    assert start == pytest.approx(site_point(dataset, "hmeimim"), abs=1e-6)
    assert distance_km(*end, place.lon, place.lat) == pytest.approx(place.radius_km, abs=0.5)


def test_a_route_flown_on_both_dates_carries_its_change_in_flights(dataset: Dataset) -> None:
    before, after = dt.date(2024, 12, 10), dt.date(2024, 12, 20)
    changes = compare_dates(dataset, before, after)
    [listed] = [r for r in changes.routes_changed if r["id"] == "route-hmeimim-chkalovsky"]
    route = build_change_layers(dataset, changes).routes.set_index("id").loc["route-hmeimim-chkalovsky"]
    assert route["change_kind"] == "changed"
    assert route["flights_before"] == listed["before"]["flights_individual"] + listed["before"]["flights_reported"]
    assert route["flights_after"] == listed["after"]["flights_individual"] + listed["after"]["flights_reported"]
    assert route["change"] == listed["change"] == 2 and route["label"] == "+2"
    start, end = ends(route.geometry)
    assert start == pytest.approx(site_point(dataset, "hmeimim"), abs=1e-6)
    assert end == pytest.approx(site_point(dataset, "chkalovsky"), abs=1e-6)


def test_a_fall_in_flights_is_written_with_a_minus_sign() -> None:
    assert describe_change(-2) == f"{MINUS}2" and describe_change(0) == "±0" and describe_change(3) == "+3"


def test_the_layers_carry_the_dates_and_window_of_the_comparison(layers: ChangeLayers) -> None:
    assert (layers.before, layers.after, layers.window_days) == (BEFORE.isoformat(), AFTER.isoformat(), 7)
    assert str(layers.sites.crs) == str(layers.routes.crs) == "EPSG:4326"
