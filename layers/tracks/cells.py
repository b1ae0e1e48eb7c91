"""Reading the cells of a position table into typed columns, naming every cell that does not parse.

Shared by the table readers (``opensky_table``, ``fr24``, ``track_kml``): numbers, epoch
seconds, datetimes and flags are read column-wise (no per-row Python), and each cell that
is not what its column needs becomes a :class:`~layers.errors.Problem` naming the line (CSV)
or point (Parquet, KML), the column and the value, at most :data:`MAX_LISTED_CELLS` per
column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped, unused-ignore]

from layers.errors import Problem
from layers.readers.files import make_file_problem, make_row_problem

TEXT_CELLS = ("icao24", "callsign", "registration", "typecode")
"""Columns always read as text (a hex code like 154076 or 1e0001 must not become a number)."""
MAX_LISTED_CELLS = 20
"""Unparsable cells listed per column; the rest are counted in one more problem."""
NULL_WORDS = ("", "NULL", "null", "NaN", "nan", "None")
"""Cells read as missing: Impala writes NULL, pandas exports write NaN or nothing."""
# Epoch seconds beyond this do not fit datetime64[ns] (year 2262); milliseconds land here too.
_LAST_EPOCH_S = 9.2e9
_CSV_HINT = "export the file again as UTF-8 CSV with one header line and the same cells on every line"


@dataclass
class CellReport:
    """The unparsable cells of one file, each named by its line (CSV) or point (Parquet, KML).

    Attributes
    ----------
    path : Path
        The file.
    lines : numpy.ndarray or None
        Each row's line in the file; None when rows are named ``point N`` (1-based index).
    problems : list of Problem
        What was found, at most :data:`MAX_LISTED_CELLS` per column plus a count of the rest.
    """

    path: Path
    lines: np.ndarray | None
    problems: list[Problem] = field(default_factory=list)

    def add(self, bad: np.ndarray, values: pd.Series, column: str, message: str, hint: str) -> None:
        """Record the cells of ``values`` where ``bad`` is True as not readable."""
        rows = np.flatnonzero(bad)
        for row in rows[:MAX_LISTED_CELLS]:
            shown = str(values.iloc[row])
            if self.lines is not None:
                self.problems.append(Problem(self.path, int(self.lines[row]), column, shown, message, hint))
            else:
                self.problems.append(make_row_problem(self.path, f"point {row + 1}", column, message, hint,
                                                      value=shown))
        if len(rows) > MAX_LISTED_CELLS:
            self.problems.append(make_file_problem(
                self.path, f"{len(rows) - MAX_LISTED_CELLS:,} more cells of '{column}' {message} (the first "
                f"{MAX_LISTED_CELLS} are listed)", hint))


def _as_text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text.isin(NULL_WORDS))


def read_numbers(values: pd.Series, column: str, report: CellReport, meaning: str) -> np.ndarray:
    """Return ``values`` as float64 (NaN where empty), reporting cells that are not numbers."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    text = _as_text(values)
    numbers = pd.to_numeric(text, errors="coerce")
    report.add((numbers.isna() & text.notna()).to_numpy(), values, column, "not a number",
               f"write the {meaning} as a decimal number, or leave the cell empty")
    return numbers.to_numpy(dtype="float64", na_value=np.nan)


def read_epoch_seconds(values: pd.Series, column: str, report: CellReport) -> pd.Series:
    """Return seconds since 1970 as UTC datetimes (NaT where empty), reporting cells that are not."""
    seconds = read_numbers(values, column, report, "time in seconds since 1970 (UTC)")
    beyond = np.abs(np.nan_to_num(seconds)) >= _LAST_EPOCH_S
    report.add(beyond, values, column, "not a time in seconds since 1970",
               "write seconds since 1970 (UTC), not milliseconds")
    return pd.Series(pd.to_datetime(np.where(beyond, np.nan, seconds), unit="s", utc=True))


def read_datetimes(values: pd.Series, column: str, report: CellReport, notes: list[str]) -> pd.Series:
    """Return datetimes, epoch seconds or ISO 8601 text as UTC datetimes (NaT where empty).

    Times without a time zone are taken as UTC, and a note says so.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_dtype(dtype):
        if values.notna().any():
            notes.append(f"'{column}' times have no time zone: read as UTC")
        return values.dt.tz_localize("UTC")
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return read_epoch_seconds(values, column, report)
    text = _as_text(values)
    numeric = pd.to_numeric(text, errors="coerce").notna()
    times = pd.Series(pd.to_datetime(text.mask(numeric), utc=True, errors="coerce", format="ISO8601"),
                      index=values.index)
    report.add((times.isna() & text.notna() & ~numeric).to_numpy(), values, column, "not a time",
               "write an ISO 8601 UTC time such as 2024-12-27T10:15:02Z, or seconds since 1970")
    if numeric.any():
        epoch = read_epoch_seconds(text.where(numeric), column, report)
        times = times.where(~numeric, epoch.set_axis(values.index))
    if (times.notna() & ~numeric & ~text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=True)).any():
        notes.append(f"some '{column}' times have no time zone: read as UTC")
    return times


def utc_array(times: pd.Series) -> np.ndarray:
    """Return UTC datetimes as a plain datetime64[ns] array, the form the table is built from fastest."""
    # build_position_frame makes a tz-aware Series into Timestamp objects (a second per million
    # rows); a plain array of UTC times it converts in one vectorised step.
    return times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")


def read_flags(values: pd.Series, column: str, report: CellReport) -> np.ndarray:
    """Return true/false, True/False or 1/0 cells as bools (False where empty), reporting others."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=bool)
    text = _as_text(values).str.lower()
    truth = text.isin(("true", "1", "1.0"))
    report.add((text.notna() & ~truth & ~text.isin(("false", "0", "0.0"))).to_numpy(), values, column,
               "not true, false, 1 or 0", "write true or false (or 1 or 0), or leave the cell empty")
    return truth.to_numpy(dtype=bool)


def read_header(raw: bytes) -> tuple[list[str], str]:
    """Return the cells of a CSV file's first line as written, and its separator (, or tab)."""
    line = raw[:65536].lstrip(b"\r\n").split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").rstrip("\r")
    separator = "\t" if line.count("\t") > line.count(",") else ","
    return next(csv.reader([line], delimiter=separator), []), separator


def read_csv_columns(path: Path, raw: bytes, wanted: Collection[str]) -> tuple[pd.DataFrame | None, CellReport]:
    """Return the ``wanted`` columns of a CSV file (lower-cased names), and a report naming rows by line.

    Text columns (addresses, names, FR24's ``utc`` and ``position``) stay text, so ``004abc``
    keeps its zeros. A file Arrow cannot split into rows gives None and one problem.
    """
    cells, separator = read_header(raw)
    actual = {cell.strip().lower(): cell for cell in reversed(cells)}
    include = [actual[name] for name in wanted if name in actual]
    types = {actual[name]: pa.string() for name in (*TEXT_CELLS, "utc", "position") if name in actual}
    try:
        table = pa_csv.read_csv(io.BytesIO(raw), parse_options=pa_csv.ParseOptions(delimiter=separator),
                                convert_options=pa_csv.ConvertOptions(
                                    include_columns=include, column_types=types, null_values=list(NULL_WORDS),
                                    strings_can_be_null=True))
    except (pa.ArrowException, ValueError) as exc:
        return None, CellReport(path, None, [_unreadable(path, raw, exc)])
    frame = table.to_pandas().rename(columns=lambda name: str(name).strip().lower())
    return frame, CellReport(path, _record_lines(raw, len(frame)))


def _unreadable(path: Path, raw: bytes, exc: Exception) -> Problem:
    said = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    ragged = re.search(r"Expected (\d+) columns, got (\d+): (.*)", said)
    if ragged is None:
        return Problem(path, 0, "(file)", said, "not readable as CSV", _CSV_HINT)
    # Arrow quotes the row but not its line: find the line (failures only, so a scan is fine).
    row = ragged.group(3).encode("utf-8", errors="replace")
    line = next((n for n, text in enumerate(raw.split(b"\n"), 1) if text.rstrip(b"\r") == row), 0)
    return Problem(path, line, "(row)", ragged.group(3), f"the row has {ragged.group(2)} cells, the header "
                   f"{ragged.group(1)}", _CSV_HINT)


def _record_lines(raw: bytes, rows: int) -> np.ndarray:
    """Return the first line of each data row, past blank lines and quoted cells spanning lines."""
    breaks = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    if breaks == rows + 1 and b"\n\n" not in raw and b"\n\r\n" not in raw and not raw.startswith((b"\n", b"\r")):
        return np.arange(2, rows + 2, dtype="int64")
    data = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    starts, stops = np.concatenate(([0], ends + 1)), np.concatenate((ends, [len(data)]))
    only_cr = (stops - starts == 1) & (data[np.minimum(starts, max(len(data) - 1, 0))] == 13)  # CRLF blank
    # A line starts a row unless an odd count of quotes before it leaves a quoted cell open.
    outside = np.searchsorted(np.flatnonzero(data == 34), starts) % 2 == 0
    filled = np.flatnonzero((stops > starts) & ~only_cr & outside) + 1
    return filled[1:].astype("int64") if len(filled) == rows + 1 else np.arange(2, rows + 2, dtype="int64")
