"""Reading the dataset's CSV files with line numbers, so every error can point at a line.

The reader is also the dataset's first line of defence against hostile folders: it
refuses symbolic links and files that are not regular files, files larger than
:data:`MAX_FILE_BYTES`, more than :data:`MAX_ROWS_PER_FILE` rows, and reports cells that
break the text rules of :mod:`layers.text` (length, control characters) before any
cell is parsed. Every refusal is a :class:`~layers.errors.Problem`, never a traceback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from layers.errors import DataValidationError, Problem, shorten_value
from layers.safe_files import FileRefusedError, read_regular_file
from layers.text import MAX_FIELD_CHARS, find_forbidden_character

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest data file read, in bytes (50 MiB; the shipped files are under 40 kB each)."""
MAX_ROWS_PER_FILE = 100_000
"""Most records one data file may hold (the shipped files hold under 100 each)."""
# Characters of context quoted around a forbidden character, so the user can find it.
_CONTEXT_CHARS = 20


@dataclass(frozen=True)
class Row:
    """One record of a CSV file: its first line number and its cells by column."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class CsvTable:
    """The records of a CSV file, and the problems found in its cells' text.

    A cell problem (too long, a forbidden character) does not stop the file being read,
    so that one run reports every problem; the caller must not accept the data while
    ``problems`` is not empty.
    """

    rows: list[Row]
    problems: list[Problem]


def read_table(path: Path, columns: tuple[str, ...]) -> CsvTable:
    """Read a UTF-8 CSV file whose header holds exactly ``columns`` (in any order).

    Parameters
    ----------
    path : Path
        The file.
    columns : tuple of str
        The columns the schema defines for it.

    Returns
    -------
    CsvTable
        Records in file order, cells stripped of surrounding white space, and the
        problems found in the cells' text (checked before stripping).

    Raises
    ------
    DataValidationError
        If the file is missing, a symbolic link, not a regular file, too large, not
        UTF-8, not readable as CSV, has too many rows, or its header or a row's width is
        wrong.
    """
    text = _decode(path, read_data_file(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        raw_header = next(reader)
    except StopIteration:
        raise DataValidationError([Problem(path, 1, "(header)", "", "the file is empty",
                                           f"start it with the header {','.join(columns)}")]) from None
    except csv.Error as exc:
        raise DataValidationError([_unreadable_line(path, reader.line_num or 1, exc)]) from None
    header = [name.strip() for name in raw_header]
    # Checked before stripping: a column name may not smuggle in a control character either.
    text_problems = find_text_problems(path, 1, ["(header)"] * len(raw_header), raw_header)
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown:
        # Cut what is quoted: the header may be any file's first line, of any length.
        raise DataValidationError([Problem(
            path, 1, "(header)", shorten_value(",".join(header)),
            f"missing columns {missing}, unknown columns {shorten_value(repr(unknown))}",
            f"use exactly the columns {','.join(columns)} (see docs/data.md)",
        ), *text_problems])
    rows: list[Row] = []
    records, structure = read_records(reader, len(header), RecordRules(
        max_rows=MAX_ROWS_PER_FILE,
        unreadable=lambda line, exc: _unreadable_line(path, line, exc),
        too_many=lambda line: Problem(
            path, line, "(row)", "", f"more than {MAX_ROWS_PER_FILE} rows in one file",
            f"keep each data file to at most {MAX_ROWS_PER_FILE} rows (see docs/data.md)"),
        wrong_width=lambda line, values: Problem(
            path, line, "(row)", ",".join(values)[:60], f"{len(values)} cells where the header has {len(header)}",
            "quote cells that contain commas with double quotes"),
    ))
    for line, values in records:
        text_problems.extend(find_text_problems(path, line, header, values))
        rows.append(Row(line, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    if structure:
        raise DataValidationError([*text_problems, *structure])
    return CsvTable(rows, text_problems)


@dataclass(frozen=True)
class RecordRules:
    """How :func:`read_records` words what it refuses, and how many records it takes.

    Attributes
    ----------
    max_rows : int
        Records (non-blank lines) a file may hold; the next one is refused and reading stops.
    unreadable, too_many, wrong_width : callable
        Make the problem of a line the parser cannot read, of the first record over
        ``max_rows``, and of a record whose width is not the header's (given its line).
    """

    max_rows: int
    unreadable: Callable[[int, csv.Error], Problem]
    too_many: Callable[[int], Problem]
    wrong_width: Callable[[int, list[str]], Problem]


def read_records(reader: Iterator[list[str]], width: int, rules: RecordRules
                 ) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Read the records after the header: the one loop of shipped data files and imported CSV files.

    Parameters
    ----------
    reader : csv reader
        A ``csv.reader`` positioned after the header (its ``line_num`` gives the lines).
    width : int
        The header's number of columns.
    rules : RecordRules
        The limit and the wording of each refusal.

    Returns
    -------
    records, problems
        ``(first line, cells)`` of every non-blank record of the header's width, and the
        problems of the others. A line the parser cannot read, or a record over the limit,
        ends the reading: the parser's state after an error is unknown.
    """
    records: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    seen = 0
    line = getattr(reader, "line_num", 0) + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(rules.unreadable(line, exc))
            break
        if any(v.strip() for v in values):
            if seen >= rules.max_rows:
                problems.append(rules.too_many(line))
                break
            seen += 1
            if len(values) == width:
                records.append((line, values))
            else:
                problems.append(rules.wrong_width(line, values))
        line = getattr(reader, "line_num", 0) + 1
    return records, problems


def read_rows(path: Path, columns: tuple[str, ...]) -> list[Row]:
    """Read a data file as :func:`read_table` does, raising on any problem, cell text included.

    Parameters
    ----------
    path : Path
        The file.
    columns : tuple of str
        The columns the schema defines for it.

    Returns
    -------
    list of Row
        Records in file order, cells stripped of surrounding white space.

    Raises
    ------
    DataValidationError
        If :func:`read_table` raises, or finds a cell that breaks the text rules.
    """
    table = read_table(path, columns)
    if table.problems:
        raise DataValidationError(table.problems)
    return table.rows


def read_data_file(path: Path) -> bytes:
    """Return the bytes of a data file, refusing what a dataset folder must not hold.

    A symbolic link could make an error message quote another file (``/etc/passwd``),
    a FIFO or device could block or never end, and a giant file would exhaust memory,
    so each is a problem instead.

    Raises
    ------
    DataValidationError
        If the file is missing, a symbolic link, not a regular file, or larger than
        :data:`MAX_FILE_BYTES`.
    """
    try:
        return read_regular_file(path, MAX_FILE_BYTES)
    except FileRefusedError as refused:
        raise DataValidationError([_describe_refusal(refused)]) from None


def _describe_refusal(refused: FileRefusedError) -> Problem:
    path = refused.path
    if refused.reason == "too_large":
        return Problem(path, 0, "(file)", "", f"the file has {refused.size:,} bytes, more than the "
                       f"{MAX_FILE_BYTES:,} a data file may have",
                       "check that this is the right file; a data file holds at most "
                       f"{MAX_ROWS_PER_FILE} rows of at most {MAX_FIELD_CHARS} characters a cell")
    if refused.reason == "unopenable":
        return Problem(path, 0, "(file)", "", f"cannot be opened ({refused.detail})",
                       "check that the file is a readable CSV file in the data folder")
    message, hint = {
        "missing": ("file not found", "create it or point --data at the dataset folder"),
        "symlink": ("is a symbolic link", "copy the file into the data folder"),
        "irregular": ("is not a regular file", "put a plain CSV file of this name in the data folder"),
    }[refused.reason]
    return Problem(path, 0, "(file)", "", message, hint)


def find_text_problems(path: Path, line: int, header: list[str], values: list[str]) -> list[Problem]:
    """Return a problem for each cell that is too long or holds a forbidden character.

    The raw cells are checked, before stripping, because ``str.strip`` removes some
    control characters (U+000B, U+001C..U+001F, U+0085) at a cell's ends.
    """
    problems: list[Problem] = []
    for field, value in zip(header, values, strict=True):
        if len(value) > MAX_FIELD_CHARS:
            problems.append(Problem(
                path, line, field, shorten_value(value, 60),
                f"text longer than {MAX_FIELD_CHARS} characters ({len(value)})",
                "shorten it or split it into notes",
            ))
        found = find_forbidden_character(value)
        if found is not None:
            at, what = found
            excerpt = value[max(at - _CONTEXT_CHARS, 0): at + _CONTEXT_CHARS + 1]
            problems.append(Problem(
                path, line, field, excerpt, f"{what} at character {at + 1}",
                "delete the character (control and bidirectional characters can hide or reorder text)",
            ))
    return problems


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataValidationError([Problem(
            path, line, "(encoding)", repr(raw[exc.start:exc.start + 8])[2:-1],
            "the file is not valid UTF-8", "save the file as UTF-8",
        )]) from None


def _unreadable_line(path: Path, line: int, exc: csv.Error) -> Problem:
    # csv's own limit (csv.field_size_limit, 131072 by default) is process-wide, so it is
    # left alone; a cell that reaches it is reported here rather than read.
    return Problem(path, line, "(row)", "", f"this line cannot be read as CSV ({exc})",
                   f"check its quotes; a cell may hold at most {MAX_FIELD_CHARS} characters "
                   "(shorten it or split it into notes)")
