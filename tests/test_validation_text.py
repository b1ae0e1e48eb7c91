"""Validation of text in cells: control and bidirectional characters, and the source rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from layers import load_dataset
from tests.test_validation import MINI, problem_for, replace_in, run_cli

# The source of the first event in tests/data/mini/events.csv.
MINI_EVENT_SOURCE = ("https://www.brecorder.com/news/40337583/russia-pulling-back-but-not-out-of-syria-sources"
                     " (Reuters 2024-12-14)")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini dataset."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.mark.parametrize(("char", "code"), [("\x0b", "U+000B"), ("\x01", "U+0001"), ("\x1b", "U+001B")])
def test_control_character_names_file_line_field_and_code_point(data_dir: Path, char: str, code: str) -> None:
    replace_in(data_dir / "sites.csv", ",Hmeimim Air Base,", f",Hmei{char}mim Air Base,")
    message = problem_for(data_dir)
    assert f"sites.csv:2: field 'name': control character {code} at character 5" in message
    assert char not in message and repr(char)[1:-1] in message


def test_right_to_left_override_names_file_line_field_and_code_point(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "Assad regime falls", "Assad \u202eregime falls")
    message = problem_for(data_dir)
    assert "events.csv:2: field 'title': bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)" in message
    assert "\u202e" not in message and "\\u202e" in message


def test_control_character_at_the_end_of_a_cell_is_not_stripped_away(data_dir: Path) -> None:
    # str.strip removes U+000B, so the check must see the cell before it is stripped.
    replace_in(data_dir / "sites.csv", ",Hmeimim Air Base,", ",Hmeimim Air Base\x0b,")
    assert "sites.csv:2: field 'name': control character U+000B" in problem_for(data_dir)


def test_control_character_in_a_source_label_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "(Reuters 2024-12-14)", "(Reuters\x1b[8m 2024-12-14)")
    assert "events.csv:2: field 'sources': control character U+001B" in problem_for(data_dir)


def test_control_character_in_the_header_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", ",category,", ",category\x0b,")
    assert "events.csv:1: field '(header)': control character U+000B" in problem_for(data_dir)


def test_tab_and_newline_inside_a_cell_are_accepted(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "Rebels take Damascus.", '"Rebels\ttake\nDamascus."')
    assert load_dataset(data_dir).events["description"].iloc[0] == "Rebels\ttake\nDamascus."


def test_validate_command_reports_a_control_character_without_printing_it(data_dir: Path) -> None:
    replace_in(data_dir / "sites.csv", ",Hmeimim Air Base,", ",Hmei\x1b[2Jmim Air Base,")
    result = run_cli("validate", "--data", str(data_dir))
    assert result.returncode == 1
    assert "sites.csv:2: field 'name': control character U+001B" in result.stderr
    assert "\x1b" not in result.stderr and "Traceback" not in result.stderr


def test_second_address_inside_one_source_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", f",{MINI_EVENT_SOURCE},",
               ",https://evil.example/phish (https://www.reuters.com/world/ Reuters 2024-12-14),")
    message = problem_for(data_dir)
    assert "events.csv:2: field 'sources': source 'https://evil.example/phish" in message
    assert "holds a second address after its URL" in message and "separate sources with ' | '" in message


def test_two_sources_separated_by_a_bar_are_accepted(data_dir: Path) -> None:
    replace_in(data_dir / "events.csv", "(Reuters 2024-12-14)",
               "(Reuters 2024-12-14) | https://www.reuters.com/world/ (Reuters 2024-12-14)")
    assert len(load_dataset(data_dir).events["sources"].iloc[0]) == 2


def test_source_whose_url_has_no_host_is_rejected(data_dir: Path) -> None:
    replace_in(data_dir / "places.csv", ",https://itamilradar.com/2024/12/27/", ",https:///2024/12/27/")
    assert "places.csv:2: field 'sources'" in problem_for(data_dir)
