"""Data truth: who is present (actor), observations apart from flights, and dates kept at their precision."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from layers import DataValidationError, TimeSelection, build_snapshot, load_dataset
from layers.features import LAYER_COLUMNS, LAYER_NAMES, build_observation_layer, build_site_layer
from layers.geojson import build_feature_collection
from layers.validation import ExtraRow
from layers.vocabulary import LAYER_TITLES, PRESENCE_STATUSES, RUSSIAN_ACTORS

MINI = Path(__file__).parent / "data" / "mini"
TWZ = "https://twz.com/x (The War Zone 2016)"
CHECK_DATES = (dt.date(2024, 12, 1), dt.date(2025, 6, 1), dt.date(2026, 1, 31))


@pytest.fixture(scope="module")
def shipped():
    """The shipped data/ folder, validated."""
    return load_dataset()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini dataset."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


def append_line(path: Path, line: str) -> int:
    """Append one CSV line to a data file and return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def sites_on(dataset, day: dt.date):
    return build_site_layer(dataset, TimeSelection(day)).set_index("id")


def problem_text(data_dir: Path) -> str:
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_dir)
    return "\n".join(str(p) for p in caught.value.problems)


# --- The actor rule ------------------------------------------------------------------------

def test_an_active_status_of_another_actor_is_not_russian_presence(data_dir: Path) -> None:
    append_line(data_dir / "site_status.csv",
                "benina,2024-12-01,active,uae,UAE aircraft imaged,,https://twz.com/x (The War Zone 2016),high")
    sites = sites_on(load_dataset(data_dir), dt.date(2024, 12, 8))
    assert sites.loc["benina", "status"] == "active" and sites.loc["benina", "status_actor"] == "uae"
    assert not sites.loc["benina", "russian_presence"]
    assert sites.loc["hmeimim", "russian_presence"] and sites.loc["hmeimim", "status_actor"] == "russia"


def test_russian_contracted_forces_count_as_russian_presence(data_dir: Path) -> None:
    append_line(data_dir / "site_status.csv",
                f"benina,2024-12-01,reported,russian_contracted,Africa Corps seen,,{TWZ},low")
    assert sites_on(load_dataset(data_dir), dt.date(2024, 12, 2)).loc["benina", "russian_presence"]


def test_a_withdrawn_russian_actor_is_no_longer_present(data_dir: Path) -> None:
    sites = sites_on(load_dataset(data_dir), dt.date(2026, 1, 28))
    assert sites.loc["qamishli", "status"] == "withdrawn" and sites.loc["qamishli", "status_actor"] == "russia"
    assert not sites.loc["qamishli", "russian_presence"]


def test_a_site_without_a_status_yet_has_no_actor_and_no_presence(data_dir: Path) -> None:
    sites = sites_on(load_dataset(data_dir), dt.date(2024, 12, 8))
    assert sites.loc["tartus", "status"] == "not_reported"
    assert sites.loc["tartus", "status_actor"] is None and sites.loc["tartus", "russian_presence"] is False


def test_a_workspace_status_row_names_no_actor_so_shows_no_russian_presence(data_dir: Path) -> None:
    cells = {"site_id": "benina", "date": "2024-12-01", "status": "active", "note": "my sighting",
             "sources": "https://example.org/x (my notes 2024-12-01)", "confidence": "low"}
    dataset = load_dataset(data_dir, [ExtraRow("statuses", data_dir / "mine.csv", 2, cells, "batch b0001 (mine.csv)")])
    benina = sites_on(dataset, dt.date(2024, 12, 2)).loc["benina"]
    assert benina["status"] == "active" and benina["status_actor"] is None and not benina["russian_presence"]


def test_the_status_actor_is_required_and_checked(data_dir: Path) -> None:
    line = append_line(data_dir / "site_status.csv",
                       "benina,2024-12-01,active,wagner,Seen,,https://twz.com/x (The War Zone 2016),high")
    message = problem_text(data_dir)
    assert f"site_status.csv:{line}: field 'actor'" in message and "not an allowed value" in message


def test_every_shipped_status_row_names_an_actor(shipped) -> None:
    assert shipped.site_status["actor"].notna().all()


@pytest.mark.parametrize("day", CHECK_DATES, ids=str)
def test_the_shipped_map_shows_russian_presence_only_under_a_russian_actor(shipped, day: dt.date) -> None:
    sites = sites_on(shipped, day)
    present = sites[sites["russian_presence"].astype(bool)]
    assert len(present) > 0
    assert set(present["status_actor"]) <= set(RUSSIAN_ACTORS)
    assert set(present["status"]) <= set(PRESENCE_STATUSES)
    assert present["status_sources"].map(len).min() >= 1
    absent = sites[~sites["russian_presence"].astype(bool)]
    assert not (absent["status_actor"].isin(RUSSIAN_ACTORS) & absent["status"].isin(PRESENCE_STATUSES)).any()


@pytest.mark.parametrize(("day", "site", "expected"), [
    (dt.date(2024, 12, 1), "hmeimim", True),
    (dt.date(2024, 12, 1), "al_khadim", False),   # the row in force is the UAE's of 2016
    (dt.date(2024, 12, 1), "kuweires", False),    # a Syrian base taken by the SNA
    (dt.date(2024, 12, 1), "tiyas_t4", False),    # Russian units reported leaving in 2021
    (dt.date(2025, 6, 1), "hmeimim", True),       # held by Russia while Syria-Libya flights paused
    (dt.date(2025, 6, 1), "benina", False),       # the Syrian Il-76 YK-ATD, not Russians
    (dt.date(2025, 6, 1), "mombasa", False),      # the Belarusian carrier Rada
    (dt.date(2026, 1, 31), "qamishli", False),    # withdrawn 27 Jan 2026
    (dt.date(2026, 1, 31), "kufra", False),       # RSF supply flights, then closed
    (dt.date(2026, 1, 31), "bamako", True),       # the Africa Corps (Russian-contracted)
])
def test_known_sites_show_presence_as_their_sources_say(shipped, day: dt.date, site: str, expected: bool) -> None:
    assert bool(sites_on(shipped, day).loc[site, "russian_presence"]) is expected


def test_hmeimim_is_not_shown_suspended_while_russia_held_it(shipped) -> None:
    assert set(shipped.site_status[shipped.site_status["site_id"] == "hmeimim"]["status"]) == {"active"}


# --- Partial dates keep their precision ------------------------------------------------------

@pytest.mark.parametrize(("day", "site", "date", "precision"), [
    (dt.date(2025, 6, 15), "hmeimim", "2025-05", "month"),
    (dt.date(2024, 12, 8), "qamishli", "2019-11", "month"),
    (dt.date(2024, 12, 8), "al_khadim", "2024-12-08", "day"),
])
def test_a_status_date_is_shown_as_written_with_its_precision(data_dir: Path, day: dt.date, site: str, date: str,
                                                             precision: str) -> None:
    row = sites_on(load_dataset(data_dir), day).loc[site]
    assert (row["status_date"], row["status_precision"]) == (date, precision)


def test_a_year_is_pending_through_its_year_then_takes_effect_and_says_year(data_dir: Path) -> None:
    append_line(data_dir / "site_status.csv", f"benina,2023,reported,other,Seen,,{TWZ},low")
    dataset = load_dataset(data_dir)
    assert sites_on(dataset, dt.date(2022, 12, 31)).loc["benina", "status"] == "not_reported"
    during = sites_on(dataset, dt.date(2023, 12, 31)).loc["benina"]
    assert (during["status"], during["status_pending"], during["status_pending_date"]) == (
        "not_reported", "reported", "2023")
    row = sites_on(dataset, dt.date(2024, 1, 1)).loc["benina"]
    assert (row["status"], row["status_date"], row["status_precision"]) == ("reported", "2023", "year")


def test_an_observation_of_a_month_spans_the_month(data_dir: Path) -> None:
    dataset = load_dataset(data_dir)
    inside = build_observation_layer(dataset, TimeSelection(dt.date(2025, 1, 31), 1)).set_index("id")
    row = inside.loc["o-2025-01-al-khadim-hangars"]
    assert (row["date"], row["date_precision"], row["first_day"], row["last_day"]) == (
        "2025-01", "month", "2025-01-01", "2025-01-31")
    after = build_observation_layer(dataset, TimeSelection(dt.date(2025, 2, 8), 7))
    assert "o-2025-01-al-khadim-hangars" not in set(after["id"])
    assert "o-2025-01-al-khadim-hangars" in set(build_observation_layer(dataset, TimeSelection(dt.date(2025, 2, 8),
                                                                                              None))["id"])


# --- The observation type -------------------------------------------------------------------

def test_the_observation_layer_is_a_declared_layer_with_a_title() -> None:
    assert "observation" in LAYER_NAMES and "observation" in LAYER_COLUMNS and "observation" in LAYER_TITLES


def test_an_observation_is_drawn_at_its_place_with_its_aircraft(data_dir: Path) -> None:
    dataset = load_dataset(data_dir)
    layer = build_observation_layer(dataset, TimeSelection(dt.date(2024, 12, 14))).set_index("id")
    row = layer.loc["o-2024-12-13-hmeimim-maxar"]
    place = dataset.locations["hmeimim"]
    assert (row.geometry.x, row.geometry.y) == (place.lon, place.lat)
    assert row["aircraft"] == "An-124 (2)" and row["method"] == "satellite"
    assert row["name"] == f"Satellite image: {place.name}"


def test_observations_are_in_the_geojson(data_dir: Path) -> None:
    snapshot = build_snapshot(load_dataset(data_dir), TimeSelection(dt.date(2024, 12, 14)))
    layers = [f["properties"]["layer"] for f in build_feature_collection(snapshot)["features"]]
    assert "observation" in layers


def test_a_folder_without_observations_is_still_valid(data_dir: Path) -> None:
    (data_dir / "observations.csv").unlink()
    assert load_dataset(data_dir).observations.empty


@pytest.mark.parametrize(("line", "field", "wording"), [
    ("o-x,2024-12-13,nowhere,satellite,Seen,,,https://twz.com/x (TWZ 2024),low", "place", "no such id"),
    ("o-x,2024-12-13,hmeimim,drone,Seen,,,https://twz.com/x (TWZ 2024),low", "method", "not an allowed value"),
    ("o-x,2024-13,hmeimim,satellite,Seen,,,https://twz.com/x (TWZ 2024),low", "date", "no such date"),
    ("o-x,2024-12-13,hmeimim,satellite,,,,https://twz.com/x (TWZ 2024),low", "observed", "a value is required"),
    ("o-2024-12-13-hmeimim-maxar,2024-12-13,hmeimim,satellite,Seen,,,https://twz.com/x (TWZ 2024),low", "id",
     "duplicate id"),
    ("o-x,2024-12-13,hmeimim,satellite,Seen,,,twz.com/x,low", "sources", "does not start with an http(s) URL"),
])
def test_a_bad_observation_names_file_line_and_field(data_dir: Path, line: str, field: str, wording: str) -> None:
    number = append_line(data_dir / "observations.csv", line)
    message = problem_text(data_dir)
    assert f"observations.csv:{number}: field '{field}'" in message and wording in message


def test_the_maxar_parked_aircraft_are_an_observation_not_flights(shipped) -> None:
    assert "f-2024-12-13-hmeimim-maxar-aircraft" not in set(shipped.flights["id"])
    maxar = shipped.observations.set_index("id").loc["o-2024-12-13-hmeimim-maxar"]
    assert maxar["place"] == "hmeimim" and "An-124 (2)" in maxar["aircraft"] and maxar["conflict"]


def test_an_observation_on_the_shipped_map_of_13_december(shipped) -> None:
    snapshot = build_snapshot(shipped, TimeSelection(dt.date(2024, 12, 13)))
    assert "o-2024-12-13-hmeimim-maxar" in set(snapshot.observations["id"])
    assert "observation" in snapshot.layers()
