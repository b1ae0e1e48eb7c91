"""``python -m layers routes / diff / itineraries`` as an analyst runs them: JSON, CSV, text and bad input."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from layers import cli
from layers.escaping import escape_csv_cell
from tests.analytics_cases import flight, make_data_dir
from tests.conftest import CommandResult

CONTRACT = ("origin", "destination", "distance_km", "flights_individual", "flights_reported", "countries_overflown",
            "est_flight_time_h", "first_seen", "last_seen", "registrations", "rotations_per_week")
Run = Callable[..., CommandResult]


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_data_dir(tmp_path_factory.mktemp("cli-case"), flights=[
        flight("t-1", "2024-12-09", "hmeimim", "al_khadim", aircraft_type="An-124", registration="RA-82038"),
        flight("t-2", "2024-12-10", "hmeimim", "al_khadim", aircraft_type="Il-76", registration="=HYPERLINK(1)"),
        flight("t-3", "2024-12-11", "al_khadim", "bamako", registration="RA-82038"),
        flight("t-4", "2024-12-12", "hmeimim", "al_khadim", record_type="count", count="+3 more", count_min="3",
               operator="@evil"),
    ])


def routes(run_main: Run, case_dir: Path, *extra: str) -> CommandResult:
    return run_main(cli.main, "routes", "--from", "2024-12-09", "--to", "2024-12-22", "--data", str(case_dir),
                    *extra)


def test_routes_json_prints_one_record_per_route_with_the_contract_fields(run_main: Run, case_dir: Path) -> None:
    result = routes(run_main, case_dir, "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [(r["origin"], r["destination"]) for r in records] == [("hmeimim", "al_khadim"), ("al_khadim", "bamako")]
    assert all(set(CONTRACT) <= set(r) for r in records)
    first = records[0]
    assert (first["flights_individual"], first["flights_reported"], first["rotations_per_week"]) == (2, 3, 2.5)
    assert first["countries_overflown"] == ["Cyprus", "N. Cyprus"]
    assert first["registrations"] == ["=HYPERLINK(1)", "RA-82038"]  # JSON keeps the text as it is


def test_routes_csv_has_the_contract_columns_and_the_same_figures(run_main: Run, case_dir: Path) -> None:
    result = routes(run_main, case_dir, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert set(CONTRACT) <= set(rows[0])
    assert (rows[0]["origin"], rows[0]["flights_individual"], rows[0]["flights_reported"]) == ("hmeimim", "2", "3")
    assert rows[0]["countries_overflown"] == "Cyprus; N. Cyprus"


def test_no_csv_cell_can_start_a_formula(run_main: Run, case_dir: Path) -> None:
    result = routes(run_main, case_dir, "--format", "csv")
    cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["registrations"] == "'=HYPERLINK(1); RA-82038"


def test_the_default_period_is_the_whole_data(run_main: Run, case_dir: Path) -> None:
    result = run_main(cli.main, "routes", "--data", str(case_dir))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_records_that_cannot_be_placed_are_named_on_standard_error(run_main: Run, tmp_path: Path) -> None:
    data = make_data_dir(tmp_path, flights=[flight("t-x", "2024-12-09", "", "al_khadim",
                                                   origin_as_reported="Russia")])
    result = run_main(cli.main, "routes", "--data", str(data))
    assert json.loads(result.stdout) == []
    assert "t-x (Russia -> al_khadim)" in result.stderr


def test_diff_prints_a_readable_list_by_default_and_json_on_request(run_main: Run, case_dir: Path) -> None:
    text = run_main(cli.main, "diff", "--from", "2024-12-01", "--to", "2024-12-12", "--data", str(case_dir))
    assert text.returncode == 0, text.stderr
    assert "Routes appeared: 2" in text.stdout and "Hmeimim Air Base → al-Khadim Air Base" in text.stdout
    as_json = run_main(cli.main, "diff", "--from", "2024-12-01", "--to", "2024-12-12", "--format", "json",
                       "--data", str(case_dir))
    document = json.loads(as_json.stdout)
    assert [r["id"] for r in document["routes_appeared"]] == ["route-al_khadim-bamako", "route-hmeimim-al_khadim"]
    assert document["window_days"] == 7


def test_diff_csv_escapes_its_cells_too(run_main: Run, case_dir: Path) -> None:
    result = run_main(cli.main, "diff", "--from", "2024-12-01", "--to", "2024-12-12", "--format", "csv",
                      "--data", str(case_dir))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["section"] for r in rows} >= {"route appeared"}


def test_itineraries_chain_the_legs_of_one_registration(run_main: Run, case_dir: Path) -> None:
    result = run_main(cli.main, "itineraries", "--data", str(case_dir), "--max-gap-hours", "24")
    assert result.returncode == 0, result.stderr
    [itinerary] = json.loads(result.stdout)
    assert itinerary["stops"] == ["hmeimim", "al_khadim", "bamako"]


@pytest.mark.parametrize("argv", [("routes", "--from", "2024-12-31", "--to", "2024-12-01"),
                                  ("routes", "--from", "2024-13-01"),
                                  ("routes", "--format", "xml"),
                                  ("diff", "--window-days", "0"),
                                  ("itineraries", "--max-gap-hours", "nan")])
def test_a_bad_command_line_exits_2_without_a_traceback(run_main: Run, case_dir: Path, argv: tuple[str, ...]) -> None:
    result = run_main(cli.main, *argv, "--data", str(case_dir))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_broken_data_exits_1_with_the_problem(run_main: Run, tmp_path: Path) -> None:
    data = make_data_dir(tmp_path, flights=[flight("t-bad", "2024-12-40", "hmeimim", "al_khadim")])
    result = run_main(cli.main, "routes", "--data", str(data))
    assert result.returncode == 1
    assert "flights.csv" in result.stderr and "Traceback" not in result.stderr


def test_routes_over_the_shipped_data_include_the_hmeimim_al_khadim_shuttle(run_main: Run) -> None:
    result = run_main(cli.main, "routes", "--format", "json")
    assert result.returncode == 0, result.stderr
    shuttle = next(r for r in json.loads(result.stdout) if (r["origin"], r["destination"]) == ("hmeimim", "al_khadim"))
    assert round(shuttle["distance_km"]) == 1418
    assert shuttle["countries_overflown"] == ["Cyprus", "N. Cyprus"]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_starts_like_a_formula_gets_a_quote(value: str) -> None:
    assert escape_csv_cell(value) == "'" + value


@pytest.mark.parametrize(("value", "expected"), [("Hmeimim", "Hmeimim"), (1418.2, "1418.2"), (None, ""),
                                                 (float("nan"), ""), ("a=b", "a=b"), ("", "")])
def test_other_cells_are_left_as_they_are(value: object, expected: str) -> None:
    assert escape_csv_cell(value) == expected
