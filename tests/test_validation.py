"""Validation: the shipped-style data passes; each kind of broken file fails clearly."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from layers import DataValidationError, load_dataset
from layers.cli import main
from tests.conftest import CommandResult, call_main

MINI = Path(__file__).parent / "data" / "mini"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini dataset."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit one data file in place, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problem_for(data_dir: Path) -> str:
    """Return the one-line message of the first problem found in ``data_dir``."""
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_dir)
    return str(caught.value.problems[0])


def test_mini_dataset_is_valid() -> None:
    dataset = load_dataset(MINI)
    assert len(dataset.sites) == 6 and len(dataset.flights) == 4


def test_latitude_out_of_range_names_file_line_field_and_value(data_dir: Path) -> None:
    replace_in(data_dir / "sites.csv", "34.91500,35.87500", "95.91500,35.87500")
    message = problem_for(data_dir)
    assert "sites.csv:3: field 'lat'" in message
    assert "'95.91500'" in message and "out of range" in message


def test_impossible_date_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "2024-12-08,,Assad", "2024-02-30,,Assad")
    message = problem_for(data_dir)
    assert "events.csv:2: field 'date'" in message and "no such date" in message


def test_non_iso_date_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "flights.csv", "individual,2024-12-26,", "individual,26/12/2024,")
    assert "field 'date': not an ISO 8601 date" in problem_for(data_dir)


def test_unknown_site_reference_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "flights.csv", "hmeimim,Latakia/Hmeimim,al_khadim", "hmeimim,Latakia/Hmeimim,al_kadim")
    message = problem_for(data_dir)
    assert "flights.csv:4: field 'destination'" in message
    assert "'al_kadim'" in message and "no such id" in message


def test_unknown_status_site_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "site_status.csv", "al_khadim,2024-12-08", "alkhadim,2024-12-08")
    assert "site_status.csv:8: field 'site_id'" in problem_for(data_dir)


def test_missing_source_is_rejected(data_dir: Path) -> None:
    source = ("https://www.brecorder.com/news/40337583/russia-pulling-back-but-not-out-of-syria-sources "
              "(Reuters 2024-12-14)")
    replace_in(data_dir / "events.csv", f"Rebels take Damascus.,political,,,{source},high",
               "Rebels take Damascus.,political,,,,high")
    message = problem_for(data_dir)
    assert "events.csv:2: field 'sources': a value is required" in message


def test_source_without_url_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "places.csv", ",https://itamilradar.com", ",ItaMilRadar https://itamilradar.com")
    assert "places.csv:2: field 'sources'" in problem_for(data_dir)


def test_place_without_an_airfield_code_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "places.csv", ",HLLB;HL59,", ",;,")
    assert "places.csv:2: field 'airfields': a named place needs at least one airfield code" in problem_for(data_dir)


def test_duplicate_id_names_both_lines(data_dir: Path) -> None:
    replace_in(data_dir / "flights.csv", "f-2024-12-27-plan", "f-2024-12-26-ra82038")
    message = problem_for(data_dir)
    assert "flights.csv:5: field 'id'" in message and "duplicate id (also on line 4)" in message


def test_site_and_place_ids_share_one_id_space(data_dir: Path) -> None:
    replace_in(data_dir / "places.csv", "benghazi_unnamed,", "benina,")
    assert "field 'id'" in problem_for(data_dir)


def test_confidence_outside_the_set_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "corridors.csv", ",medium\n", ",probable\n")
    message = problem_for(data_dir)
    assert "corridors.csv:2: field 'confidence'" in message and "high, medium, low" in message


def test_wrong_encoding_names_the_line(data_dir: Path) -> None:
    path = data_dir / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"Rebels take", "Rebels t\xe4ke".encode("latin-1")))
    message = problem_for(data_dir)
    assert "events.csv:2: field '(encoding)'" in message and "not valid UTF-8" in message


def test_hand_coordinate_far_from_airportsdata_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "sites.csv", "SY,OSLK,,,", "SY,OSLK,35.45000,35.94870,Wikipedia")
    message = problem_for(data_dir)
    assert "sites.csv:2: field 'lat'" in message and "from airportsdata's OSLK position" in message


def test_hand_coordinate_near_airportsdata_is_accepted(data_dir: Path) -> None:
    # Wikipedia's position of the Russian base, 1.2 km from the co-located civil airport.
    replace_in(data_dir / "sites.csv", "SY,OSLK,,,", "SY,OSLK,35.41167,35.94500,Wikipedia 'Khmeimim Air Base'")
    assert load_dataset(data_dir).sites.geometry["hmeimim"].y == pytest.approx(35.41167)


def test_unknown_airfield_code_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "sites.csv", "LY,HL59,", "LY,ZZ99,")
    assert "field 'icao': airportsdata does not know this code (value 'ZZ99')" in problem_for(data_dir)


def test_end_before_start_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "flights.csv", "2024-12-12,2024-12-19", "2024-12-12,2024-12-01")
    assert "field 'end_date': ends before it starts" in problem_for(data_dir)


def test_missing_column_is_reported_on_the_header_line(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", ",category,", ",kind,")
    message = problem_for(data_dir)
    assert "events.csv:1: field '(header)'" in message and "missing columns ['category']" in message


def test_every_problem_is_reported_not_just_the_first(data_dir: Path) -> None:
    replace_in(data_dir / "sites.csv", "34.91500,35.87500", "95,35.87500")
    replace_in(data_dir / "events.csv", "2024-12-08,,Assad", "2024-13-08,,Assad")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_dir)
    assert {p.file.name for p in caught.value.problems} == {"sites.csv", "events.csv"}


def test_validation_changes_no_file(data_dir: Path) -> None:
    replace_in(data_dir / "sites.csv", "34.91500,35.87500", "95,35.87500")
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    with pytest.raises(DataValidationError):
        load_dataset(data_dir)
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before


def run_cli(*args: str) -> CommandResult:
    """Run ``python -m layers ARGS`` in this process (``layers.cli.main``): exit status and output.

    Other modules import it, so it is a function, not a fixture, and captures the output
    itself instead of through capsys.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = call_main(main, args)
    return CommandResult(status, out.getvalue(), err.getvalue())


def test_validate_runs_as_a_command_and_passes_on_the_shipped_data() -> None:
    # The one run of the real command (`python -m layers`); the other cases call run_cli.
    result = subprocess.run([sys.executable, "-m", "layers", "validate"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ") and " sites, " in result.stdout


def test_validate_command_lists_every_error_and_exits_non_zero(data_dir: Path) -> None:
    replace_in(data_dir / "sites.csv", "34.91500,35.87500", "95,35.87500")
    replace_in(data_dir / "flights.csv", "f-2024-12-27-plan", "f-2024-12-26-ra82038")
    result = run_cli("validate", "--data", str(data_dir))
    assert result.returncode == 1 and result.stdout == ""
    assert "2 problems in the data:" in result.stderr
    assert "sites.csv:3: field 'lat'" in result.stderr and "flights.csv:5: field 'id'" in result.stderr
    assert "Traceback" not in result.stderr
