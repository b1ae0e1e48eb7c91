"""What changed between two dates, on a constructed timeline: statuses, routes appeared and stopped, counts, events."""

from __future__ import annotations

import datetime as dt

import pytest

from layers.analytics.changes import compare_dates
from layers.dataset import Dataset
from tests.analytics_cases import flight, load_case

BEFORE, AFTER = dt.date(2024, 12, 10), dt.date(2024, 12, 24)


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    flights = [
        flight("t-old", "2024-12-08", "hmeimim", "chkalovsky"),  # only in the first window
        flight("t-a1", "2024-12-09", "hmeimim", "al_khadim"),
        flight("t-a2", "2024-12-19", "hmeimim", "al_khadim"),
        flight("t-a3", "2024-12-20", "hmeimim", "al_khadim"),
        flight("t-a4", "2024-12-21", "hmeimim", "al_khadim", record_type="count", count="at least three",
               count_min="3"),
        flight("t-new", "2024-12-23", "al_khadim", "bamako"),  # only in the second window
    ]
    statuses = [{"site_id": "benina", "date": "2024-12-18", "status": "reported", "note": "Constructed: in use"}]
    events = [{"id": "t-e1", "date": "2024-12-15", "title": "Constructed event"},
              {"id": "t-e0", "date": "2024-12-10", "title": "On the first date: not a change"}]
    return load_case(tmp_path_factory.mktemp("timeline"), flights=flights, statuses=statuses, events=events)


def test_a_site_whose_status_differs_is_listed_with_the_rows_between(timeline: Dataset) -> None:
    changes = compare_dates(timeline, BEFORE, AFTER)
    assert [(s["id"], s["before"], s["after"]) for s in changes.sites] == [("benina", "not_reported", "reported")]
    assert [r["date"] for r in changes.sites[0]["rows"]] == ["2024-12-18"]


def test_routes_appear_and_stop_between_the_two_windows(timeline: Dataset) -> None:
    changes = compare_dates(timeline, BEFORE, AFTER)
    assert [r["id"] for r in changes.routes_appeared] == ["route-al_khadim-bamako"]
    assert [r["id"] for r in changes.routes_stopped] == ["route-hmeimim-chkalovsky"]


def test_flight_counts_on_a_continuing_route_are_compared(timeline: Dataset) -> None:
    changes = compare_dates(timeline, BEFORE, AFTER)
    [shuttle] = changes.routes_changed
    assert shuttle["id"] == "route-hmeimim-al_khadim"
    assert shuttle["before"] == {"flights_individual": 1, "flights_reported": 0, "plans": 0}
    assert shuttle["after"] == {"flights_individual": 2, "flights_reported": 3, "plans": 0}
    assert shuttle["change"] == 4
    assert changes.flights["before"]["flights_total"] == 2 and changes.flights["after"]["flights_total"] == 6


def test_events_after_the_first_date_and_up_to_the_second_are_listed(timeline: Dataset) -> None:
    assert [e["id"] for e in compare_dates(timeline, BEFORE, AFTER).events] == ["t-e1"]


def test_the_window_length_decides_what_each_date_shows(timeline: Dataset) -> None:
    changes = compare_dates(timeline, BEFORE, AFTER, window_days=1)
    assert changes.window_days == 1
    assert changes.flights["before"]["flights_total"] == 0  # nothing on 10 Dec itself


def test_the_dates_must_be_in_order() -> None:
    with pytest.raises(ValueError, match="before the first"):
        compare_dates(None, AFTER, BEFORE)  # type: ignore[arg-type]
