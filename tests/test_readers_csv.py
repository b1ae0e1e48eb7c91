"""The CSV import reader: samples, encodings, separators, line numbers, and every refusal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layers.readers import MAX_IMPORT_BYTES, csv_import, read_import
from layers.readers.csv_import import read_csv_import
from layers.schema import EVENTS, FLIGHTS, SITE_STATUS, SITES

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "samples"
SITES_HEADER = ",".join(SITES.columns)
STATUS_ROW = "benina,2025-01,active,Café note with é,,,"
# The status files here are as analysts wrote them before ``actor`` existed, which still read.
OLD_STATUS_COLUMNS = [c for c in SITE_STATUS.columns if c != "actor"]


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def status_text(*rows: str, separator: str = ",", newline: str = "\n") -> str:
    return newline.join([separator.join(OLD_STATUS_COLUMNS), *rows]) + newline


def test_the_sites_sample_reads_into_the_shipped_columns() -> None:
    imported = read_import(SAMPLES / "sites.csv")
    assert imported.problems == ()
    assert imported.guessed_kind == "sites"
    assert [(r.kind, r.line, r.where) for r in imported.rows] == [("sites", 2, "line 2"), ("sites", 3, "line 3")]
    first, second = (r.cells for r in imported.rows)
    assert tuple(first) == SITES.columns
    assert first["id"] == "sample_misrata" and first["icao"] == "HLMS" and first["kind"] == "airport"
    assert first["lat"] == first["lon"] == first["sources"] == first["confidence"] == ""
    assert first["notes"] == "Position from airportsdata (icao given, lat/lon left empty)."
    assert second["notes"] == 'A cell may hold commas and "quotes" when it is quoted,\nand a line break too.'


def test_the_events_sample_is_latin_1_semicolons_and_crlf() -> None:
    imported = read_import(SAMPLES / "events.csv")
    assert imported.problems == ()
    assert imported.guessed_kind == "events"
    assert any("Latin-1" in note for note in imported.notes)
    assert "read as ';'-separated" in imported.notes
    # The first record spans lines 2-3 (a quoted CRLF), so the second starts on line 4.
    assert [r.line for r in imported.rows] == [2, 4]
    first = imported.rows[0].cells
    assert tuple(first) == EVENTS.columns
    assert first["description"].endswith("CRLF.\nAéroport names with accents survive; this row reports nothing real.")
    assert first["places"] == "al_khadim" and first["category"] == "flight"
    assert imported.rows[1].cells["end_date"] == "2025-01-24"


@pytest.mark.parametrize(("codec", "prefix"), [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("latin-1", b""),
])
def test_each_encoding_is_detected(tmp_path: Path, codec: str, prefix: bytes) -> None:
    path = write(tmp_path, "status.csv", prefix + status_text(STATUS_ROW).encode(codec))
    imported = read_csv_import(path, None)
    assert imported.problems == ()
    assert imported.guessed_kind == "statuses"
    assert imported.rows[0].cells["note"] == "Café note with é"
    assert imported.rows[0].cells["site_id"] == "benina"  # no BOM left on the first column
    assert any("Latin-1" in n for n in imported.notes) == (codec == "latin-1")


def test_a_named_encoding_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, "status.csv", status_text("benina,2025,active,Costs 5 \u20ac,,,").encode("cp1252"))
    assert read_csv_import(path, "statuses", encoding="cp1252").rows[0].cells["note"] == "Costs 5 \u20ac"
    # Detected as Latin-1 instead, the euro byte is a C1 control character: refused, and the note says why.
    detected = read_csv_import(path, "statuses")
    assert detected.rows == ()
    assert "control character U+0080" in detected.problems[0].message
    assert any("cp1252" in note for note in detected.notes)


def test_an_unknown_or_wrong_encoding_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "status.csv", status_text(STATUS_ROW))
    (problem,) = read_csv_import(path, None, encoding="klingon").problems
    assert (problem.field, problem.value, problem.message) == ("(encoding)", "klingon", "unknown encoding")
    bad = write(tmp_path, "bad.csv", status_text("x,2025,active,ok,,,", "y,2025,active,caf\xe9,,,").encode("latin-1"))
    (problem,) = read_csv_import(bad, None, encoding="utf-8").problems
    assert (problem.line, problem.field, problem.message) == (3, "(encoding)", "the file is not valid utf-8")


def test_utf_16_without_a_byte_order_mark_or_binary_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "status.csv", status_text(STATUS_ROW).encode("utf-16-le") + b"\xff\xd8")
    (problem,) = read_csv_import(path, None).problems
    assert problem.field == "(encoding)"
    assert problem.message.startswith("the file holds NUL bytes: it is binary, or UTF-16 without a byte-order mark")
    png = write(tmp_path, "image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe")
    assert "NUL bytes" in read_import(png).problems[0].message


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_quoted_line_breaks_keep_the_line_numbers_right(tmp_path: Path, newline: str) -> None:
    rows = ['benina,2025,active,"one' + newline + 'two' + newline + 'three",,,', "", "al_khadim,2025,active,four,,,"]
    path = write(tmp_path, "status.csv", status_text(*rows, newline=newline))
    imported = read_csv_import(path, "statuses")
    assert imported.problems == ()
    # Record 1 is lines 2-4, line 5 is blank, record 2 starts on line 6.
    assert [(r.line, r.where) for r in imported.rows] == [(2, "line 2"), (6, "line 6")]
    assert imported.rows[0].cells["note"] == "one\ntwo\nthree"  # CR never reaches a cell


def test_semicolons_are_sniffed_outside_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, "status.csv", status_text('benina;2025;active;"a, b, c; d";;;', separator=";"))
    imported = read_csv_import(path, None)
    assert imported.problems == ()
    assert imported.rows[0].cells["note"] == "a, b, c; d"


def test_columns_in_any_order_come_back_in_the_shipped_order(tmp_path: Path) -> None:
    columns = list(reversed(FLIGHTS.columns))
    values = dict.fromkeys(columns, "") | {"id": "f-1", "record_type": "individual", "date": "2025-01-01"}
    path = write(tmp_path, "flights.csv", ",".join(columns) + "\n" + ",".join(values[c] for c in columns) + "\n")
    imported = read_csv_import(path, None)
    assert imported.guessed_kind == "flights"
    assert tuple(imported.rows[0].cells) == FLIGHTS.columns
    assert imported.rows[0].cells["id"] == "f-1"


def test_a_given_kind_is_not_reported_as_guessed(tmp_path: Path) -> None:
    path = write(tmp_path, "status.csv", status_text(STATUS_ROW))
    assert read_csv_import(path, "statuses").guessed_kind is None


def test_missing_and_unknown_columns_are_one_problem_on_line_1(tmp_path: Path) -> None:
    header = SITES_HEADER.replace(",role,", ",purpose,").replace(",conflict", "")
    path = write(tmp_path, "sites.csv", header + "\n" + "x" + "," * 13 + "\n")
    (problem,) = read_csv_import(path, "sites").problems
    assert (problem.line, problem.field) == (1, "(header)")
    assert problem.message == "missing columns ['role', 'conflict'], unknown columns ['purpose']"
    assert problem.hint.startswith(f"use exactly the columns of sites: {SITES_HEADER}")
    (guessed,) = read_csv_import(path, None).problems
    assert guessed.message.startswith("the header is not that of any kind; closest is sites: missing columns")


def test_a_header_of_another_kind_says_which(tmp_path: Path) -> None:
    path = write(tmp_path, "status.csv", status_text(STATUS_ROW))
    (problem,) = read_csv_import(path, "events").problems
    assert problem.hint.endswith("this header is that of statuses: import the file as statuses")


def test_duplicate_columns_and_an_empty_file_are_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.csv", SITES_HEADER + ",kind\n")
    (problem,) = read_csv_import(path, None).problems
    assert problem.message == "duplicate columns ['kind']"
    (empty,) = read_csv_import(write(tmp_path, "empty.csv", ""), None).problems
    assert (empty.line, empty.field, empty.message) == (1, "(header)", "the file is empty")


def test_a_row_of_the_wrong_width_is_reported_and_the_others_read(tmp_path: Path) -> None:
    path = write(tmp_path, "status.csv", status_text("benina,2025,active,a, b,,,", STATUS_ROW))
    imported = read_csv_import(path, "statuses")
    (problem,) = imported.problems
    assert (problem.line, problem.field) == (2, "(row)")
    assert problem.message == "8 cells where the header has 7"
    assert [r.line for r in imported.rows] == [3]


def test_a_cell_breaking_the_text_rules_is_reported_with_its_line_and_field(tmp_path: Path) -> None:
    long_note = "x" * 4001
    path = write(tmp_path, "status.csv", status_text("benina,2025,active,bad\u202eevil,,,", STATUS_ROW,
                                                     f"benina,2025,active,{long_note},,,"))
    imported = read_csv_import(path, "statuses")
    bidi, length = imported.problems
    assert (bidi.line, bidi.field) == (2, "note")
    assert bidi.message == "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) at character 4"
    assert (length.line, length.field, length.message) == (4, "note", "text longer than 4000 characters (4001)")
    assert [r.line for r in imported.rows] == [3]  # rows with a problem are not returned


def test_a_control_character_in_the_header_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "status.csv", status_text(STATUS_ROW).replace("note", "note\x0b", 1))
    problems = read_csv_import(path, "statuses").problems
    assert [(p.line, p.field, p.message) for p in problems] == [
        (1, "(header)", "control character U+000B at character 5")]


def test_more_rows_than_the_limit_stop_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_import, "MAX_IMPORT_ROWS", 2)
    path = write(tmp_path, "status.csv", status_text(STATUS_ROW, STATUS_ROW, STATUS_ROW))
    imported = read_csv_import(path, "statuses")
    assert len(imported.rows) == 2
    (problem,) = imported.problems
    assert (problem.line, problem.message) == (4, "more than 2 rows in one file")


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: no disk is used
        handle.truncate(MAX_IMPORT_BYTES + 1)
    for imported in (read_import(path), read_csv_import(path, None)):
        (problem,) = imported.problems
        assert problem.field == "(file)"
        assert problem.message == "the file has 52,428,801 bytes, more than the 52,428,800 an import may have"


def test_a_symbolic_link_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    target = write(tmp_path, "status.csv", status_text(STATUS_ROW))
    link = tmp_path / "link.csv"
    os.symlink(target, link)
    assert read_import(link).problems[0].message == "is a symbolic link"
    assert read_import(tmp_path / "gone.csv").problems[0].message == "file not found"


@pytest.mark.parametrize(("name", "kind", "message"), [
    ("status.xlsx", None, "unknown file type '.xlsx' for an import"),
    ("status.csv", "track", "kind 'track' is read by the track importer, not this one"),
    ("status.csv", "corridors", "unknown kind"),
])
def test_the_dispatcher_refuses_unknown_types_and_kinds(tmp_path: Path, name: str, kind: str | None,
                                                        message: str) -> None:
    path = write(tmp_path, name, status_text(STATUS_ROW))
    imported = read_import(path, kind)
    assert imported.rows == ()
    assert [p.message for p in imported.problems] == [message]


def test_the_dispatcher_reads_any_case_of_ending(tmp_path: Path) -> None:
    path = write(tmp_path, "STATUS.CSV", status_text(STATUS_ROW))
    assert read_import(path, encoding="utf-8").rows[0].kind == "statuses"


def test_a_tab_separated_file_is_told_to_use_commas_or_semicolons(tmp_path: Path) -> None:
    path = write(tmp_path, "status.tsv.csv", status_text(STATUS_ROW.replace(",", "\t"), separator="\t"))
    (problem,) = read_csv_import(path, "statuses").problems
    assert problem.hint.endswith("; separate the columns with ',' or ';'")
