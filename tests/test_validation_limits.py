"""Validation limits: oversized cells, files and row counts, empty tables, links, long messages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from layers import DataValidationError, csvfile, load_dataset
from layers.errors import MAX_LISTED_PROBLEMS
from tests.test_validation import MINI, ROOT, problem_for, replace_in, run_cli


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini dataset."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


def keep_header_only(path: Path) -> None:
    """Cut a data file down to its header line."""
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def test_cell_over_the_csv_field_limit_names_file_and_line(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "Rebels take Damascus.", "x" * 131_073)
    message = problem_for(data_dir)
    assert message.startswith(f"{data_dir / 'events.csv'}:2: field '(row)': this line cannot be read as CSV")
    assert "at most 4000 characters" in message


def test_validate_command_reports_a_cell_over_the_csv_field_limit_without_traceback(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "Rebels take Damascus.", "x" * 131_073)
    result = run_cli("validate", "--data", str(data_dir))
    assert result.returncode == 1
    assert "events.csv:2: field '(row)'" in result.stderr and "Traceback" not in result.stderr


def test_cell_over_4000_characters_names_file_line_and_field(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "Rebels take Damascus.", "x" * 4001)
    message = problem_for(data_dir)
    assert "events.csv:2: field 'description': text longer than 4000 characters" in message
    assert "shorten it or split it into notes" in message and "x" * 100 not in message


def test_cell_of_exactly_4000_characters_is_accepted(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "Rebels take Damascus.", "x" * 4000)
    assert load_dataset(data_dir).events["description"].str.len().max() == 4000


def test_rows_beyond_the_per_file_limit_are_refused(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # flights.csv holds four records (lines 2-5); with a limit of three the fourth is refused.
    monkeypatch.setattr(csvfile, "MAX_ROWS_PER_FILE", 3)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_dir)
    flights = [str(p) for p in caught.value.problems if p.file.name == "flights.csv"]
    assert flights == [(f"{data_dir / 'flights.csv'}:5: field '(row)': more than 3 rows in one file. "
                        "Fix: keep each data file to at most 3 rows (see docs/data.md)")]


def test_file_larger_than_the_size_limit_is_refused_before_reading(data_dir: Path) -> None:
    path = data_dir / "events.csv"
    with open(path, "r+b") as handle:
        handle.truncate(csvfile.MAX_FILE_BYTES + 1)  # sparse: fast, and nothing is written
    message = problem_for(data_dir)
    assert f"events.csv: field '(file)': the file has {csvfile.MAX_FILE_BYTES + 1:,} bytes" in message


def test_more_than_50_problems_lists_50_then_counts_the_rest(data_dir: Path) -> None:
    with open(data_dir / "corridors.csv", "a", encoding="utf-8") as handle:
        for n in range(60):
            handle.write(f"c{n},Corridor,OSLK;HLLB,,,Why,https://example.org/c,probable\n")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_dir)
    lines = str(caught.value).splitlines()
    assert len(caught.value.problems) == 60
    assert lines[0] == "60 problems in the data:"
    assert len(lines) == 1 + MAX_LISTED_PROBLEMS + 1 and lines[-1] == "  ... and 10 more problems"
    assert "corridors.csv:3: field 'confidence'" in lines[1]


def test_validate_command_lists_50_problems_then_counts_the_rest(data_dir: Path) -> None:
    with open(data_dir / "corridors.csv", "a", encoding="utf-8") as handle:
        for n in range(60):
            handle.write(f"c{n},Corridor,OSLK;HLLB,,,Why,https://example.org/c,probable\n")
    result = run_cli("validate", "--data", str(data_dir))
    assert result.returncode == 1
    assert result.stderr.count("field 'confidence'") == 50
    assert "  ... and 10 more problems" in result.stderr and "Traceback" not in result.stderr


def test_header_only_events_file_is_a_valid_empty_table(data_dir: Path) -> None:
    keep_header_only(data_dir / "events.csv")
    dataset = load_dataset(data_dir)
    assert dataset.events.empty and "date" in dataset.events.columns
    assert str(dataset.first_date.date()) == "2024-12-12" and str(dataset.last_date.date()) == "2024-12-27"


def test_header_only_flights_and_events_take_dates_from_status_rows(data_dir: Path) -> None:
    keep_header_only(data_dir / "flights.csv")
    keep_header_only(data_dir / "events.csv")
    dataset = load_dataset(data_dir)
    assert dataset.flights.empty and dataset.events.empty
    assert dataset.first_date == dataset.site_status["start"].min()
    assert dataset.last_date == dataset.site_status["start"].max()


def test_no_dated_record_at_all_is_a_problem_naming_the_file(data_dir: Path) -> None:
    for name in ("flights.csv", "events.csv", "site_status.csv"):
        keep_header_only(data_dir / name)
    message = problem_for(data_dir)
    assert message.startswith(f"{data_dir / 'flights.csv'}: field '(file)': no dated records: "
                              "the dataset needs at least one flight, event or status row")


def test_validate_command_accepts_shipped_data_with_header_only_events(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    keep_header_only(data / "events.csv")
    result = run_cli("validate", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert " 0 events, " in result.stdout and "Traceback" not in result.stderr


def test_validate_command_accepts_shipped_data_with_header_only_flights_and_events(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    keep_header_only(data / "flights.csv")
    keep_header_only(data / "events.csv")
    result = run_cli("validate", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert " 0 flight records, 0 events, " in result.stdout


def test_data_file_that_is_a_symbolic_link_is_refused_without_quoting_its_target(
        data_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (data_dir / "events.csv").unlink()
    os.symlink(secret, data_dir / "events.csv")
    message = problem_for(data_dir)
    assert message == (f"{data_dir / 'events.csv'}: field '(file)': is a symbolic link. "
                       "Fix: copy the file into the data folder")


def test_data_file_that_is_not_a_regular_file_is_refused(data_dir: Path) -> None:
    (data_dir / "events.csv").unlink()
    (data_dir / "events.csv").mkdir()
    assert "events.csv: field '(file)': is not a regular file" in problem_for(data_dir)


def test_long_header_is_cut_in_the_header_problem(data_dir: Path) -> None:
    (data_dir / "events.csv").write_text("h" * 500 + "\n", encoding="utf-8")
    message = problem_for(data_dir)
    assert "events.csv:1: field '(header)'" in message
    assert "h" * 120 not in message and "h" * 100 in message
