"""The count rule: each count wording of data/flights.csv, with its period, gives the bound docs/data.md states."""

from __future__ import annotations

import datetime as dt

import pytest

from layers import load_dataset
from layers.analytics.legs import Period
from layers.analytics.routes import build_route_statistics
from layers.analytics.tables import build_route_rows
from layers.count_bounds import bound_count_report, count_record_flights
from tests.analytics_cases import flight, load_case

DAY = dt.date(2024, 12, 15)


@pytest.mark.parametrize(("wording", "count_min", "first", "last", "bound"), [
    # Each wording of the shipped count reports, with its own period.
    ("several", None, dt.date(2024, 12, 8), None, 2),
    ("about 6", None, dt.date(2024, 12, 8), dt.date(2024, 12, 19), 5),
    (">=4 aircraft", 4, dt.date(2024, 12, 12), dt.date(2024, 12, 19), 4),
    (">=7 flights", 7, dt.date(2024, 12, 14), None, 7),
    ("not given", None, dt.date(2024, 12, 15), dt.date(2024, 12, 16), None),
    ("several per day", None, dt.date(2024, 12, 15), dt.date(2024, 12, 31), 34),  # 17 days at 2 a day
    ("2 trips", 2, dt.date(2024, 12, 19), None, 2),
    ("two round trips", 2, dt.date(2024, 12, 26), dt.date(2024, 12, 28), 2),
    ("at least nine round trips", 9, dt.date(2025, 1, 1), dt.date(2025, 1, 20), 9),
    (">=8", 8, dt.date(2025, 8, 1), dt.date(2025, 11, 30), 8),
    ("near-daily", None, dt.date(2026, 1, 23), dt.date(2026, 1, 27), 2),  # 5 days, one every second day
])
def test_each_shipped_wording_gives_its_documented_bound(wording, count_min, first, last, bound) -> None:
    assert bound_count_report(wording, count_min, first, last) == bound


def test_a_stated_count_min_always_wins_over_the_wording() -> None:
    assert bound_count_report("several per day", 3, DAY, DAY + dt.timedelta(days=9)) == 3
    assert bound_count_report("not given", 5, DAY) == 5


@pytest.mark.parametrize(("wording", "bound"), [
    ("two round trips", 2), ("at least nine round trips", 9), (">=4 aircraft", 4), ("+3 more", 3),
    ("a half-dozen", 5), ("a few", 2), ("multiple flights", 2)])
def test_a_figure_in_the_wording_keeps_its_count_when_count_min_is_empty(wording, bound) -> None:
    assert bound_count_report(wording, None, DAY) == bound


@pytest.mark.parametrize(("wording", "days", "bound"), [
    ("several per day", 1, 2), ("several flights daily", 3, 6), ("3 per day", 4, 12), ("daily", 10, 10),
    ("near-daily", 1, 1), ("nearly daily", 9, 4), ("weekly", 15, 2)])
def test_a_rate_counts_every_day_of_the_period(wording, days, bound) -> None:
    assert bound_count_report(wording, None, DAY, DAY + dt.timedelta(days=days - 1)) == bound


@pytest.mark.parametrize("wording", ["", None, "not given", "Not stated", "unknown", "flights continued"])
def test_a_report_without_a_count_states_none(wording) -> None:
    assert bound_count_report(wording, None, DAY) is None


def test_route_widths_and_analytics_count_each_shipped_report_by_the_rule() -> None:
    flights = load_dataset().flights
    counted = {row["id"]: count_record_flights(row) for row in flights.to_dict("records")
               if row["record_type"] == "count"}
    assert counted["f-2024-12-15-hmeimim-al-khadim-daily"] == 34
    assert counted["f-2024-12-08-damascus-benghazi-civilian"] == 2
    assert counted["f-2024-12-08-al-khadim-half-dozen"] == 5
    assert counted["f-2026-01-23-qamishli-hmeimim"] == 2
    # "not given": no figure, so one flight where a number is needed (the report says one flew).
    assert counted["f-2024-12-15-turan-evacuation-a"] == 1


def test_the_analytics_count_a_report_without_a_figure_as_one_and_say_so(tmp_path) -> None:
    dataset = load_case(tmp_path, flights=[
        flight("t-1", "2024-12-15", "hmeimim", "chkalovsky", record_type="count", end_date="2024-12-16",
               count="not given"),
        flight("t-2", "2024-12-15", "hmeimim", "chkalovsky", record_type="count", end_date="2024-12-16",
               count="several per day")])
    (stats,) = build_route_statistics(dataset, Period(dt.date(2024, 12, 15), dt.date(2024, 12, 16)))
    assert stats.flights_reported == 1 + 4
    assert [(r["id"], r["counted_as"], r["count_stated"]) for r in stats.count_reports] == [
        ("t-1", 1, False), ("t-2", 4, True)]
    (row,) = build_route_rows([stats])
    assert "t-1: not given (counted 1, count not stated)" in str(row["count_reports"])


@pytest.mark.parametrize(("wording", "bound"), [
    ("up to 10", None), ("no more than 3", None), ("at most 5 flights", None),  # upper bounds only
    ("Il-76 flights", None), ("several Il-76 flights", 2), ("2x Il-76", 2),
    ("~6", 5), ("c. 8 flights", 6),  # approximate, written with a sign
])
def test_wordings_an_analyst_may_import_give_no_figure_the_source_did_not(wording: str, bound: int | None) -> None:
    assert bound_count_report(wording, None, dt.date(2025, 1, 1)) == bound
