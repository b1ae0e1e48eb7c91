"""Reading the dataset's CSV files with line numbers, so every error can point at a line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from layers.errors import DataValidationError, Problem


@dataclass(frozen=True)
class Row:
    """One record of a CSV file: its first line number and its cells by column."""

    line: int
    cells: dict[str, str]


def read_rows(path: Path, columns: tuple[str, ...]) -> list[Row]:
    """Read a UTF-8 CSV file whose header holds exactly ``columns`` (in any order).

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
        If the file is missing, is not UTF-8, or its header or a row's width is wrong.
    """
    if not path.is_file():
        raise DataValidationError([Problem(path, 0, "(file)", "", "file not found",
                                           "create it or point --data at the dataset folder")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataValidationError([Problem(
            path, line, "(encoding)", repr(raw[exc.start:exc.start + 8])[2:-1],
            "the file is not valid UTF-8", "save the file as UTF-8",
        )]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise DataValidationError([Problem(path, 1, "(header)", "", "the file is empty",
                                           f"start it with the header {','.join(columns)}")])
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown:
        raise DataValidationError([Problem(
            path, 1, "(header)", ",".join(header),
            f"missing columns {missing}, unknown columns {unknown}",
            f"use exactly the columns {','.join(columns)} (see docs/data.md)",
        )])
    rows: list[Row] = []
    problems: list[Problem] = []
    line = reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            if len(values) != len(header):
                problems.append(Problem(
                    path, line, "(row)", ",".join(values)[:60],
                    f"{len(values)} cells where the header has {len(header)}",
                    "quote cells that contain commas with double quotes",
                ))
            else:
                rows.append(Row(line, {h: v.strip() for h, v in zip(header, values)}))
        line = reader.line_num + 1
    if problems:
        raise DataValidationError(problems)
    return rows
