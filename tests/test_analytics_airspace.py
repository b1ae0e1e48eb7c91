"""Airspace closures: their dates and sources, when a path is flagged, and the corridors that avoid them."""

from __future__ import annotations

import datetime as dt

import pytest

from layers.analytics.airspace import CLOSURES, EU_MEMBER_STATES, find_nationalities, flag_closures
from layers.analytics.geometry import list_avoiding_corridors, measure_route
from layers.analytics.legs import Period
from layers.dataset import load_dataset
from tests.analytics_cases import MINI

DEC_2024 = dt.date(2024, 12, 1), dt.date(2024, 12, 31)
BY_ID = {closure.id: closure for closure in CLOSURES}


@pytest.mark.parametrize(("closure_id", "start"), [("eu_russia_2022", dt.date(2022, 2, 28)),
                                                   ("ukraine_2022", dt.date(2022, 2, 24)),
                                                   ("turkey_syria_2022", dt.date(2022, 4, 23)),
                                                   ("eu_belarus_2021", dt.date(2021, 6, 5))])
def test_each_closure_is_dated_and_cites_at_least_two_sources(closure_id: str, start: dt.date) -> None:
    closure = BY_ID[closure_id]
    assert closure.start == start
    assert len(closure.sources) >= 2 and all(s.startswith("https://") for s in closure.sources)


def test_the_eu_closure_says_it_was_announced_on_27_and_adopted_on_28_february_2022() -> None:
    assert "announced 27 Feb 2022" in BY_ID["eu_russia_2022"].scope
    assert "2022/334" in BY_ID["eu_russia_2022"].scope


def test_the_eu_list_holds_the_27_member_states_as_the_basemap_names_them() -> None:
    from layers.analytics.countries import load_country_index

    names = set(load_country_index().names)
    assert set(EU_MEMBER_STATES) <= names
    assert len(set(EU_MEMBER_STATES) - {"Åland"}) == 27
    assert "N. Cyprus" not in EU_MEMBER_STATES


def test_a_russian_flight_over_ukraine_and_the_eu_is_flagged_with_both() -> None:
    flags = flag_closures(["Ukraine", "Moldova", "Romania", "Bulgaria", "Greece"], ends=("Russia", "Libya"),
                          first=DEC_2024[0], last=DEC_2024[1], nationalities=["Russia"])
    assert [f["id"] for f in flags] == ["eu_russia_2022", "ukraine_2022"]
    assert flags[0]["countries"] == ["Romania", "Bulgaria", "Greece"]
    assert all(f["applies"] is True for f in flags)


def test_turkey_is_flagged_only_for_flights_to_or_from_syria() -> None:
    to_syria = flag_closures(["Turkey"], ends=("Russia", "Syria"), first=DEC_2024[0], last=DEC_2024[1],
                             nationalities=["Russia"])
    to_libya = flag_closures(["Turkey"], ends=("Russia", "Libya"), first=DEC_2024[0], last=DEC_2024[1],
                             nationalities=["Russia"])
    assert [f["id"] for f in to_syria] == ["turkey_syria_2022"]
    assert to_libya == []


def test_a_closure_is_not_flagged_before_it_took_effect() -> None:
    flags = flag_closures(["Turkey"], ends=("Russia", "Syria"), first=dt.date(2022, 3, 1), last=dt.date(2022, 4, 22),
                          nationalities=["Russia"])
    assert flags == []


def test_a_closure_for_other_nationalities_is_left_out_and_an_unknown_one_is_kept_as_unknown() -> None:
    russian = flag_closures(["Greece"], ends=("Russia", "Libya"), first=DEC_2024[0], last=DEC_2024[1],
                            nationalities=["Russia"])
    unknown = flag_closures(["Greece"], ends=("Russia", "Libya"), first=DEC_2024[0], last=DEC_2024[1],
                            nationalities=[])
    assert [f["id"] for f in russian] == ["eu_russia_2022"]
    assert {f["id"]: f["applies"] for f in unknown} == {"eu_russia_2022": None, "eu_belarus_2021": None}


def test_nationality_comes_from_the_registration_prefix_or_the_operator() -> None:
    assert find_nationalities(["RA-82038"], []) == ["Russia"]
    assert find_nationalities([], ["Rubystar (Belarus)"]) == ["Belarus"]
    assert find_nationalities(["YK-ATD"], ["Syrian state cargo fleet"]) == ["Syria"]
    assert find_nationalities([], ["Russian (not specified)"]) == ["Russia"]
    assert find_nationalities([], []) == []


def test_the_black_sea_corridor_connects_chkalovsky_and_benina_and_is_longer() -> None:
    dataset = load_dataset(MINI)
    route = measure_route(dataset.locations["chkalovsky"], dataset.locations["benina"])
    corridors = list_avoiding_corridors(dataset, route, Period(*DEC_2024))
    assert [c["id"] for c in corridors] == ["black_sea_turkey"]
    assert corridors[0]["extra_km"] > 0
    assert "Turkey" in corridors[0]["countries_overflown"]
    # Schematic: it goes round Moldova, Romania and Bulgaria, not round every corner of Ukraine and Greece.
    assert not set(corridors[0]["countries_overflown"]) & {"Moldova", "Romania", "Bulgaria"}


def test_a_corridor_out_of_use_in_the_period_is_not_offered() -> None:
    dataset = load_dataset(MINI)
    route = measure_route(dataset.locations["chkalovsky"], dataset.locations["benina"])
    assert list_avoiding_corridors(dataset, route, Period(dt.date(2024, 11, 1), dt.date(2024, 11, 30))) == []
