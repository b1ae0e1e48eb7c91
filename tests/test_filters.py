"""Filters (``layers.filters``) on the shipped data: what each keeps, their URL form, their notices.

Expected counts are read straight from the CSV files (``csv`` module), not from the code
under test, so a rule that keeps too much or too little shows.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from layers import DEFAULT_DATA_DIR, TimeSelection, build_snapshot, load_dataset
from layers.filters import (
    FILTER_PARAMS,
    apply_filters,
    build_filters,
    describe_filters,
    format_filters,
    list_countries,
    parse_filters,
)

from dashboard.app.view_state import parse_filter_params
from dashboard.webmap.map_payload import count_features

LAST_DAY = dt.date(2026, 12, 31)  # after the data: the cumulative snapshot holds every record


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def read_rows(name: str) -> list[dict[str, str]]:
    with (DEFAULT_DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def everything(dataset, filters):
    return build_snapshot(apply_filters(dataset, filters), TimeSelection(min(LAST_DAY, dataset.last_date.date()),
                                                                         None))


def test_confidence_high_keeps_only_high_features_in_every_layer(dataset) -> None:
    snapshot = everything(dataset, build_filters(confidence=["high"]))
    for name, frame in snapshot.layers().items():
        assert set(frame["confidence"]) <= {"high"}, name
    assert len(snapshot.sites) == sum(r["confidence"] == "high" for r in read_rows("sites.csv"))
    assert len(snapshot.flights) == sum(r["confidence"] == "high" for r in read_rows("flights.csv"))
    assert len(snapshot.events) == sum(r["confidence"] == "high" for r in read_rows("events.csv"))
    assert len(snapshot.observations) == sum(r["confidence"] == "high" for r in read_rows("observations.csv"))
    assert len(snapshot.corridors) == sum(r["confidence"] == "high" for r in read_rows("corridors.csv"))


def test_routes_are_rebuilt_from_the_kept_flights_so_widths_follow(dataset) -> None:
    day = TimeSelection(dt.date(2024, 12, 20), 30)
    whole = build_snapshot(dataset, day).routes.set_index("id")
    high = build_snapshot(apply_filters(dataset, build_filters(confidence=["high"])), day).routes.set_index("id")
    assert set(high.index) < set(whole.index)
    flights = {r["id"]: r for r in read_rows("flights.csv")}
    for route_id, route in high.iterrows():
        assert all(flights[f]["confidence"] == "high" for f in route["flight_ids"]), route_id
        assert route["flights"] <= whole.loc[route_id, "flights"]


def test_record_type_keeps_those_flights_and_leaves_other_layers_alone(dataset) -> None:
    whole = everything(dataset, build_filters())
    plans = everything(dataset, build_filters(record_types=["plan"]))
    assert len(plans.flights) == sum(r["record_type"] == "plan" for r in read_rows("flights.csv")) == 3
    assert set(plans.routes["record_type"]) == {"plan"}
    assert (len(plans.sites), len(plans.events)) == (len(whole.sites), len(whole.events))


def test_category_keeps_only_those_events(dataset) -> None:
    naval = everything(dataset, build_filters(categories=["naval"]))
    assert set(naval.events["category"]) == {"naval"}
    assert len(naval.events) == sum(r["category"] == "naval" for r in read_rows("events.csv"))
    assert len(naval.flights) == len(read_rows("flights.csv"))


def test_a_flight_is_in_a_country_when_an_end_or_stop_is_there_places_through_their_airfields(dataset) -> None:
    belarus = everything(dataset, build_filters(countries=["BY"]))
    # The Minsk place (UMMS, UMLI) and "Moscow or Minsk" (with the Moscow fields) are in Belarus.
    assert sorted(belarus.flights["id"]) == ["f-2024-12-12-il76-moscow-minsk-benghazi",
                                            "f-2024-12-13-rubystar-minsk-libya"]
    assert list(belarus.sites["id"]) == [r["id"] for r in read_rows("sites.csv") if r["country"] == "BY"]
    assert set(belarus.events["id"]) == {"e-2024-12-13-rubystar-minsk-libya"}


def test_affiliation_is_the_sites_group_and_a_place_has_none(dataset) -> None:
    libya = everything(dataset, build_filters(affiliations=["libya"]))
    assert len(libya.sites) == sum(r["group"] == "libya" for r in read_rows("sites.csv"))
    libyan_sites = {r["id"] for r in read_rows("sites.csv") if r["group"] == "libya"}
    for _, flight in libya.flights.iterrows():
        assert {flight["origin"], flight["destination"], *flight["via"]} & libyan_sites, flight["id"]
    # "Benghazi (airport not named)" is a place, not a site: its flights are not in any group.
    assert "f-2024-12-04-yk-atd" not in set(libya.flights["id"])


def test_a_filter_never_moves_the_ends_of_the_timeline(dataset) -> None:
    narrow = apply_filters(dataset, build_filters(countries=["KE"]))
    assert (narrow.first_date, narrow.last_date) == (dataset.first_date, dataset.last_date)
    assert count_features(build_snapshot(narrow, TimeSelection(dt.date(2024, 12, 20))))["flight"] == 0


def test_no_filter_is_the_dataset_itself(dataset) -> None:
    assert apply_filters(dataset, build_filters()) is dataset


def test_url_form_round_trips_in_vocabulary_order() -> None:
    filters, problems = parse_filters({"confidence": "low, HIGH", "record_type": "plan,individual",
                                       "country": "sy,ly", "affiliation": "libya"}, ["LY", "SY"])
    assert problems == []
    assert format_filters(filters) == {"confidence": "high,low", "record_type": "individual,plan",
                                       "country": "LY,SY", "affiliation": "libya"}
    assert parse_filters(format_filters(filters), ["LY", "SY"])[0] == filters
    assert set(format_filters(filters)) <= set(FILTER_PARAMS)


def test_unknown_values_are_left_out_and_named(dataset) -> None:
    filters, notices = parse_filter_params({"confidence": "high,certain", "country": ["SY", "XX"],
                                            "category": "naval"}, list_countries(dataset))
    assert filters == build_filters(confidence=["high"], countries=[], categories=["naval"])
    assert len(notices) == 2
    assert "`certain`" in notices[0] and "high, medium, low" in notices[0]
    assert "`XX`" in notices[1] and "LY" in notices[1]


def test_the_countries_offered_are_those_of_the_sites_and_places(dataset) -> None:
    from_sites = {r["country"] for r in read_rows("sites.csv")}
    assert from_sites <= set(list_countries(dataset))
    assert list(list_countries(dataset)) == sorted(list_countries(dataset))


def test_the_description_names_each_filter_with_its_words() -> None:
    text = describe_filters(build_filters(record_types=["count"], categories=["naval", "basing"]))
    assert text == "Filtered: record type Count report; event category Naval, Basing"
    assert describe_filters(build_filters()) == ""
