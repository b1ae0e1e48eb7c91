"""Time semantics: inclusive bounds, windows, partial dates and the status in force."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from layers.dataset import Dataset

MINI = Path(__file__).parent / "data" / "mini"


@pytest.fixture(scope="module")
def mini() -> Dataset:
    """The mini dataset, loaded once."""
    return load_dataset(MINI)


def status_on(dataset: Dataset, site: str, day: str) -> str:
    """Return a site's status in force on ``day``."""
    sites = build_snapshot(dataset, TimeSelection(dt.date.fromisoformat(day))).sites
    return sites.set_index("id").loc[site, "status"]


def flight_ids(dataset: Dataset, day: str, window_days: int | None = 7) -> set[str]:
    """Return the ids of the flight records visible on ``day``."""
    flights = build_snapshot(dataset, TimeSelection(dt.date.fromisoformat(day), window_days)).flights
    return set(flights["id"])


def test_site_is_not_reported_before_its_first_status(mini: Dataset) -> None:
    assert status_on(mini, "al_khadim", "2024-12-07") == "not_reported"


def test_status_takes_effect_on_its_own_date(mini: Dataset) -> None:
    assert status_on(mini, "al_khadim", "2024-12-08") == "active"


def test_month_precision_status_takes_effect_once_its_month_is_over(mini: Dataset) -> None:
    # "2025-05" may mean 31 May: on 1 May it may not have happened yet (docs/data.md, time rule).
    assert status_on(mini, "hmeimim", "2025-05-01") == "active"
    assert status_on(mini, "hmeimim", "2025-05-31") == "active"
    assert status_on(mini, "hmeimim", "2025-06-01") == "suspended"
    assert status_on(mini, "hmeimim", "2025-10-24") == "active"


def test_withdrawal_replaces_earlier_status_from_its_date(mini: Dataset) -> None:
    assert status_on(mini, "qamishli", "2026-01-19") == "active"
    assert status_on(mini, "qamishli", "2026-01-20") == "drawdown"
    assert status_on(mini, "qamishli", "2026-01-27") == "withdrawn"


def test_window_includes_both_ends(mini: Dataset) -> None:
    # 7 days to 2025-01-01 covers 2024-12-26 .. 2025-01-01.
    assert "f-2024-12-26-ra82038" in flight_ids(mini, "2025-01-01")
    assert "f-2024-12-26-ra82038" not in flight_ids(mini, "2025-01-02")


def test_one_day_window_is_the_day_alone(mini: Dataset) -> None:
    assert flight_ids(mini, "2024-12-26", 1) == {"f-2024-12-26-ra82038"}
    assert flight_ids(mini, "2024-12-27", 1) == {"f-2024-12-27-plan"}


def test_flight_is_never_shown_before_its_date(mini: Dataset) -> None:
    assert "f-2024-12-26-ra82038" not in flight_ids(mini, "2024-12-25", None)


def test_count_report_spanning_days_is_shown_while_its_range_meets_the_window(mini: Dataset) -> None:
    # Reported for 12-19 Dec: visible from its start ...
    assert "f-2024-12-12-nyt-il76" in flight_ids(mini, "2024-12-12", 1)
    # ... until a 7-day window no longer reaches back to 19 Dec.
    assert "f-2024-12-12-nyt-il76" in flight_ids(mini, "2024-12-25")
    assert "f-2024-12-12-nyt-il76" not in flight_ids(mini, "2024-12-26")


def test_cumulative_selection_keeps_every_flight_to_date(mini: Dataset) -> None:
    assert flight_ids(mini, "2025-06-01", None) == {
        "f-2024-12-12-nyt-il76", "f-2024-12-15-chkalovsky", "f-2024-12-26-ra82038", "f-2024-12-27-plan"}


def test_event_appears_on_its_date_and_stays(mini: Dataset) -> None:
    def events(day: str) -> set[str]:
        return set(build_snapshot(mini, TimeSelection(dt.date.fromisoformat(day))).events["id"])

    assert "e-2024-12-26-an124" not in events("2024-12-25")
    assert "e-2024-12-26-an124" in events("2024-12-26")
    assert "e-2024-12-26-an124" in events("2025-06-01")


def test_event_in_window_flag_follows_the_window(mini: Dataset) -> None:
    events = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 27))).events.set_index("id")
    assert events.loc["e-2024-12-26-an124", "in_window"]
    assert not events.loc["e-2024-12-08-assad-falls", "in_window"]


def test_corridor_is_hidden_before_it_is_documented(mini: Dataset) -> None:
    assert build_snapshot(mini, TimeSelection(dt.date(2024, 11, 30))).corridors.empty
    assert len(build_snapshot(mini, TimeSelection(dt.date(2024, 12, 1))).corridors) == 1


def test_window_must_be_at_least_one_day() -> None:
    with pytest.raises(ValueError, match="window_days must be 1 or more"):
        TimeSelection(dt.date(2024, 12, 20), 0)


def test_record_with_an_unlocated_origin_draws_no_route(mini: Dataset) -> None:
    routes = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 19))).routes
    # "At least four" from "Moscow or Minsk" cannot be drawn; the Chkalovsky flight can.
    assert set(routes["id"]) == {"route-hmeimim-chkalovsky-individual"}


def test_count_report_adds_its_lower_bound_to_the_route(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "data")
    with (tmp_path / "data" / "flights.csv").open("a", encoding="utf-8") as file:
        file.write("f-2024-12-27-shuttle,count,2024-12-27,,at least seven,7,Il-76TD,,EMERCOM,hmeimim,Hmeimim,"
                   "al_khadim,al-Khadim,,Shuttle,,https://example.org/report,medium\n"
                   "f-2024-12-28-several,count,2024-12-28,,several,,Il-76,,Russian,hmeimim,Hmeimim,"
                   "al_khadim,al-Khadim,,Shuttle,,https://example.org/report,low\n")
    routes = build_snapshot(load_dataset(tmp_path / "data"), TimeSelection(dt.date(2024, 12, 28))).routes
    routes = routes.set_index("id")
    # 7 from "at least seven" and 2 from "several" (the count rule of layers/count_bounds.py).
    assert routes.loc["route-hmeimim-al_khadim-count", "flights"] == 9
    assert routes.loc["route-hmeimim-al_khadim-count", "confidence"] == "medium"
    assert routes.loc["route-hmeimim-al_khadim-individual", "flights"] == 1


def test_multi_leg_plan_draws_one_route_per_leg(mini: Dataset) -> None:
    routes = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 27), 1)).routes
    assert set(routes["id"]) == {"route-hmeimim-al_khadim-plan", "route-al_khadim-chkalovsky-plan"}


def test_flight_to_a_named_place_carries_its_uncertainty(mini: Dataset) -> None:
    flights = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 19))).flights.set_index("id")
    nyt = flights.loc["f-2024-12-12-nyt-il76"]
    assert nyt["located_at"] == "destination"
    # Benina and al-Khadim are ~88 km apart: the centre is ~44 km from each, rounded up to 45.
    assert nyt["uncertainty_km"] == 45.0
