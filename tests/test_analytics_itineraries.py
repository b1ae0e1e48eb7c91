"""Itineraries on constructed sequences: which legs chain, the gap rule, holes, and the map feature."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from layers.analytics.itineraries import build_itinerary_layer, chain_itineraries, describe_itinerary
from layers.analytics.legs import TRACK, Leg, Period, list_legs
from tests.analytics_cases import flight, load_case

DECEMBER = Period(dt.date(2024, 12, 1), dt.date(2024, 12, 31))


def leg(record_id: str, day: int, origin: str, destination: str, registration: str = "RA-82030", *,
        record_type: str = "individual", start: str | None = None, end: str | None = None) -> Leg:
    first = dt.date(2024, 12, day)
    return Leg(record_id, record_type, origin, destination, first, first,
               pd.Timestamp(start, tz="UTC") if start else None, pd.Timestamp(end, tz="UTC") if end else None,
               1, None, None, (), (registration,) if registration else (), "", (), "medium", "shipped")


def test_legs_of_one_registration_on_consecutive_days_chain() -> None:
    chains = chain_itineraries([leg("a", 16, "hmeimim", "al_khadim"), leg("b", 17, "al_khadim", "bamako")])
    assert [[x.record_id for x in c.legs] for c in chains] == [["a", "b"]]
    assert chains[0].stops == ["hmeimim", "al_khadim", "bamako"]
    assert chains[0].gaps_h == (None, 0.0)


def test_legs_further_apart_than_the_gap_do_not_chain_and_a_longer_gap_joins_them() -> None:
    legs = [leg("a", 16, "hmeimim", "al_khadim"), leg("b", 19, "al_khadim", "bamako")]  # 17, 18 in between: 48 h
    assert chain_itineraries(legs, max_gap_hours=24) == []
    assert [c.gaps_h for c in chain_itineraries(legs, max_gap_hours=48)] == [(None, 48.0)]


def test_spellings_of_one_registration_chain_and_other_aircraft_do_not() -> None:
    legs = [leg("a", 16, "hmeimim", "al_khadim", "RA-82030"), leg("b", 16, "al_khadim", "bamako", "ra82030"),
            leg("c", 16, "al_khadim", "sabha", "RA-82038")]
    assert [[x.record_id for x in c.legs] for c in chain_itineraries(legs)] == [["a", "b"]]


def test_count_reports_plans_and_legs_without_a_registration_do_not_chain() -> None:
    legs = [leg("a", 16, "hmeimim", "al_khadim"), leg("b", 16, "al_khadim", "bamako", record_type="count"),
            leg("c", 16, "al_khadim", "bamako", record_type="plan"), leg("d", 16, "al_khadim", "bamako", "")]
    assert chain_itineraries(legs) == []


def test_tracked_flights_use_their_real_times() -> None:
    first = leg("trk-1", 16, "hmeimim", "al_khadim", record_type=TRACK, start="2024-12-16T10:00",
                end="2024-12-16T12:00")
    soon = leg("trk-2", 16, "al_khadim", "bamako", record_type=TRACK, start="2024-12-16T15:00",
               end="2024-12-16T21:00")
    late = leg("trk-3", 17, "bamako", "al_khadim", record_type=TRACK, start="2024-12-17T23:00",
               end="2024-12-18T05:00")
    chains = chain_itineraries([first, soon, late], max_gap_hours=6)
    assert [[x.record_id for x in c.legs] for c in chains] == [["trk-1", "trk-2"]]
    assert chains[0].gaps_h == (None, 3.0)


def test_the_hops_of_one_record_form_an_itinerary_even_without_a_registration(tmp_path: Path) -> None:
    dataset = load_case(tmp_path, flights=[flight("t-via", "2024-12-05", "chkalovsky", "bamako",
                                                  via="hmeimim;al_khadim")])
    chains = chain_itineraries(list_legs(dataset, DECEMBER).legs)
    assert [c.stops for c in chains] == [["chkalovsky", "hmeimim", "al_khadim", "bamako"]]
    assert chains[0].registration is None


def test_a_leg_that_starts_elsewhere_shows_the_hole(tmp_path: Path) -> None:
    dataset = load_case(tmp_path, flights=[
        flight("t-1", "2024-12-16", "hmeimim", "al_khadim", registration="RA-82030"),
        flight("t-2", "2024-12-17", "benghazi_unnamed", "bamako", registration="RA-82030"),
        flight("t-3", "2024-12-17", "sabha", "hmeimim", registration="RA-82030")])
    described = describe_itinerary(dataset, chain_itineraries(list_legs(dataset, DECEMBER).legs)[0])
    # Benghazi (not named) includes al-Khadim's airfield; Sabha is not where the aircraft was.
    assert [x["connected"] for x in described["legs"]] == [None, True, False]


def test_the_itinerary_layer_has_one_feature_with_its_legs(tmp_path: Path) -> None:
    dataset = load_case(tmp_path, flights=[
        flight("t-1", "2024-12-16", "hmeimim", "al_khadim", registration="RA-82030"),
        flight("t-2", "2024-12-17", "al_khadim", "bamako", registration="RA-82030")])
    layer = build_itinerary_layer(dataset, DECEMBER)
    assert list(layer["id"]) == ["itin-ra82030-2024-12-16"]
    feature = layer.iloc[0]
    assert feature["layer"] == "itinerary" and feature["stops"] == ["hmeimim", "al_khadim", "bamako"]
    assert [x["record_id"] for x in feature["legs"]] == ["t-1", "t-2"]
    assert feature.geometry.geom_type == "MultiLineString" and len(feature.geometry.geoms) == 2
    assert feature["distance_km"] == pytest.approx(sum(x["distance_km"] for x in feature["legs"]), abs=0.2)


def test_a_negative_gap_is_refused() -> None:
    with pytest.raises(ValueError, match="max_gap_hours"):
        chain_itineraries([], max_gap_hours=-1)
