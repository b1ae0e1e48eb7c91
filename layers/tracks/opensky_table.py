"""Readers of OpenSky state vectors and ``traffic`` tables, as CSV or Parquet.

Two layouts, told apart by their column names (:func:`looks_like_opensky_columns`,
:func:`looks_like_traffic_columns`). **OpenSky state vectors**: the Impala/Trino table
``state_vectors_data4``, as the OpenSky Impala guide lists it (the ``README.txt`` of
opensky-network.org/datasets/states) and ``Impala._impala_columns`` of xoolive/traffic:

=================  ================================  =========================================
column             OpenSky (unit)                    table column
=================  ================================  =========================================
``time``           epoch s the vector is valid for   ``time`` where ``lastposupdate`` is null
``lastposupdate``  epoch s of the position itself    ``time`` (the position's own time)
``icao24``         hex address                       ``icao24``
``lat``, ``lon``   degrees WGS 84                    ``lat``, ``lon``
``velocity``       m/s over ground                   ``ground_speed_kt`` (× 3600/1852)
``heading``        track over ground, degrees        ``track_deg``
``vertrate``       m/s                               ``vertical_rate_fpm`` (× 60/0.3048)
``callsign``       text                              ``callsign``
``onground``       bool, true/false or 1/0           ``on_ground``
``baroaltitude``   m                                 ``alt_baro_ft`` (/ 0.3048)
``geoaltitude``    m                                 ``alt_geom_ft`` (/ 0.3048)
=================  ================================  =========================================

``alert``, ``spi``, ``squawk``, ``lastcontact``, ``hour`` and ``serials`` are not read.
OpenSky repeats a vector each second for up to 300 s after the last message, so a stale
position shows as repeats of one ``lastposupdate`` and place (for :mod:`layers.tracks.checks`).

**traffic**: ``Traffic.data`` of xoolive/traffic, whose ``Impala._format_history`` renames the
OpenSky columns and converts them to ft, kt and ft/min:

================================  ==============================  ====================================
column                            traffic (unit)                  table column
================================  ==============================  ====================================
``timestamp``                     datetime, or epoch s            ``time`` (else below)
``last_position``                 datetime of ``lastposupdate``   ``time`` where not null
``icao24``, ``callsign``          text                            ``icao24``, ``callsign``
``latitude``, ``longitude``       degrees                         ``lat``, ``lon``
``altitude``, ``geoaltitude``     barometric, geometric ft        ``alt_baro_ft``, ``alt_geom_ft``
``groundspeed``, ``track``        kt, degrees                     ``ground_speed_kt``, ``track_deg``
``vertical_rate``                 ft/min                          ``vertical_rate_fpm``
``onground``                      bool                            ``on_ground``
``registration``, ``typecode``    text                            ``registration``, ``aircraft_type``
================================  ==============================  ====================================

Times without a time zone are UTC (both tools' convention; a note says so). Neither layout
says how a position was measured: ``position_source`` stays "". Names match in any case.
CSV (comma- or tab-separated) goes through Arrow's CSV reader, the engine of
``pandas.read_csv(engine="pyarrow")``, called directly so ``icao24`` stays text (pandas'
dtype mapping re-casts other columns too); a header the Impala shell repeats is skipped.
The cell conversions here (numbers, times, flags) serve :mod:`layers.tracks.fr24` too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped, unused-ignore]
import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

from layers.errors import Problem
from layers.readers.files import make_file_problem, make_row_problem
from layers.tracks.positions import FPM_PER_MS, FT_PER_M, KT_PER_MS, TrackFile, build_position_frame, empty_positions

OPENSKY_REQUIRED = ("time", "icao24", "lat", "lon")
TRAFFIC_REQUIRED = ("timestamp", "icao24", "latitude", "longitude")
MAX_LISTED_CELLS = 20
"""Unparsable cells listed per column; the rest are counted in one more problem."""
NULL_WORDS = ("", "NULL", "null", "NaN", "nan", "None")
"""Cells read as missing: Impala writes NULL, pandas exports write NaN or nothing."""
# Epoch seconds beyond this do not fit datetime64[ns] (year 2262); milliseconds land here too.
_LAST_EPOCH_S = 9.2e9

# Columns unique to each layout: the ones that tell them apart (both have icao24, callsign ...).
_OPENSKY_ONLY = ("time", "lat", "lon", "velocity", "heading", "vertrate", "baroaltitude", "lastposupdate",
                 "lastcontact")
_TRAFFIC_ONLY = ("timestamp", "latitude", "longitude", "altitude", "groundspeed", "track", "vertical_rate")
_TEXT = ("icao24", "callsign", "registration", "typecode")
_CSV_HINT = "export the file again as UTF-8 CSV with one header line and the same cells on every line"


@dataclass(frozen=True)
class _Layout:
    name: str
    required: tuple[str, ...]
    epoch: bool  # times are seconds since 1970 only (OpenSky), or also datetimes and ISO text
    time: str
    position_time: str
    # source column -> (table column, factor to the table's unit, what the number is)
    numbers: dict[str, tuple[str, float, str]]
    text: dict[str, str]


_OPENSKY = _Layout("OpenSky state vectors", OPENSKY_REQUIRED, True, "time", "lastposupdate", {
    "lat": ("lat", 1.0, "latitude in degrees"), "lon": ("lon", 1.0, "longitude in degrees"),
    "velocity": ("ground_speed_kt", KT_PER_MS, "ground speed in m/s"),
    "heading": ("track_deg", 1.0, "track in degrees"),
    "vertrate": ("vertical_rate_fpm", FPM_PER_MS, "vertical rate in m/s"),
    "baroaltitude": ("alt_baro_ft", FT_PER_M, "barometric altitude in m"),
    "geoaltitude": ("alt_geom_ft", FT_PER_M, "geometric altitude in m")},
    {"icao24": "icao24", "callsign": "callsign"})
_TRAFFIC = _Layout("traffic", TRAFFIC_REQUIRED, False, "timestamp", "last_position", {
    "latitude": ("lat", 1.0, "latitude in degrees"), "longitude": ("lon", 1.0, "longitude in degrees"),
    "altitude": ("alt_baro_ft", 1.0, "barometric altitude in ft"),
    "geoaltitude": ("alt_geom_ft", 1.0, "geoaltitude in ft"),
    "groundspeed": ("ground_speed_kt", 1.0, "ground speed in kt"), "track": ("track_deg", 1.0, "track in degrees"),
    "vertical_rate": ("vertical_rate_fpm", 1.0, "vertical rate in ft/min")},
    {"icao24": "icao24", "callsign": "callsign", "registration": "registration", "typecode": "aircraft_type"})


def _layout_columns(layout: _Layout) -> tuple[str, ...]:
    return (layout.time, layout.position_time, *layout.numbers, *layout.text, "onground")


def looks_like_opensky_columns(names: Sequence[str]) -> bool:
    """Return True when ``names`` (a header or Parquet schema) are OpenSky state vector columns.

    Three or more of OpenSky's own names (``time``, ``lat``, ``velocity``, ``baroaltitude`` ...)
    must be there, and more of them than of the ``traffic`` names, so that a file missing a
    required column is still recognised (and its reader can say which one is missing).
    """
    ours, theirs = _name_counts(names)
    return ours >= 3 and ours > theirs


def looks_like_traffic_columns(names: Sequence[str]) -> bool:
    """Return True when ``names`` are the ``traffic`` library's columns (``timestamp``, ``latitude`` ...)."""
    theirs, ours = _name_counts(names)
    return ours >= 3 and ours > theirs


def _name_counts(names: Sequence[str]) -> tuple[int, int]:
    lowered = {str(n).strip().lower() for n in names}
    return len(lowered.intersection(_OPENSKY_ONLY)), len(lowered.intersection(_TRAFFIC_ONLY))


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
    types = {actual[name]: pa.string() for name in (*_TEXT, "utc", "position") if name in actual}
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


def read_position_csv(path: Path, raw: bytes) -> TrackFile:
    """Read an OpenSky state vectors or ``traffic`` CSV file (the header says which).

    Parameters
    ----------
    path : Path
        The file (its name becomes each position's ``provenance``).
    raw : bytes
        The file's bytes, already size-checked and un-gzipped by the dispatcher.

    Returns
    -------
    TrackFile
        ``point`` is each row's line (header = line 1); problems name the line, column and cell.
    """
    header = [cell.strip().lower() for cell in read_header(raw)[0]]
    layout = _TRAFFIC if looks_like_traffic_columns(header) else _OPENSKY
    fmt = f"{layout.name} CSV"
    problems = _missing_columns(path, layout, header, 1, "(header)")
    if problems:
        return TrackFile(path, fmt, empty_positions(), problems=tuple(problems), point_noun="line")
    frame, report = read_csv_columns(path, raw, _layout_columns(layout))
    if frame is None:
        return TrackFile(path, fmt, empty_positions(), problems=tuple(report.problems), point_noun="line")
    notes: list[str] = []
    repeated = (frame["icao24"] == "icao24").to_numpy()
    if repeated.any():
        notes.append(f"{int(repeated.sum())} repeated header lines skipped")
        frame = frame.loc[~repeated].reset_index(drop=True)
        report.lines = None if report.lines is None else report.lines[~repeated]
    return _track_file(fmt, layout, frame, report, notes=notes, noun="line")


def read_position_parquet(path: Path, raw: bytes) -> TrackFile:
    """Read an OpenSky state vectors or ``traffic`` Parquet file (the schema says which).

    Parameters
    ----------
    path : Path
        The file (its name becomes each position's ``provenance``).
    raw : bytes
        The file's bytes, already size-checked by the dispatcher.

    Returns
    -------
    TrackFile
        ``point`` is each row's 1-based index; problems name ``point N``, the column and cell.
    """
    fmt = "OpenSky state vectors Parquet"
    try:
        parquet = pq.ParquetFile(pa.BufferReader(raw))
        names = list(parquet.schema_arrow.names)
        actual = {name.strip().lower(): name for name in reversed(names)}
        layout = _TRAFFIC if looks_like_traffic_columns(names) else _OPENSKY
        fmt = f"{layout.name} Parquet"
        problems = _missing_columns(path, layout, list(actual), 0, "(columns)")
        if problems:
            return TrackFile(path, fmt, empty_positions(), problems=tuple(problems))
        table = parquet.read(columns=[actual[n] for n in _layout_columns(layout) if n in actual])
    except (pa.ArrowException, OSError, ValueError) as exc:
        problem = make_file_problem(path, "not readable as Parquet", "export the table again as Parquet",
                                    value=str(exc).splitlines()[0] if str(exc) else "")
        return TrackFile(path, fmt, empty_positions(), problems=(problem,))
    frame = table.to_pandas().rename(columns=lambda name: str(name).strip().lower())
    return _track_file(fmt, layout, frame, CellReport(path, None), notes=[], noun="point")


def _missing_columns(path: Path, layout: _Layout, names: list[str], line: int, where: str) -> list[Problem]:
    needs, missing = ", ".join(layout.required), [repr(n) for n in layout.required if n not in set(names)]
    return [Problem(path, line, where, "", f"no {', '.join(missing)} column: the {layout.name} layout needs {needs}",
                    f"export the {layout.name} columns ({needs}, ...) with a header")] if missing else []


def _track_file(fmt: str, layout: _Layout, frame: pd.DataFrame, report: CellReport, *, notes: list[str],
                noun: str) -> TrackFile:
    path = report.path
    columns: dict[str, object] = {}
    for source, (target, factor, meaning) in layout.numbers.items():
        if source in frame:
            columns[target] = read_numbers(frame[source], source, report, meaning) * factor
    for source, target in layout.text.items():
        if source in frame:
            columns[target] = frame[source]
    if "onground" in frame:
        columns["on_ground"] = read_flags(frame["onground"], "onground", report)
    times = [(read_epoch_seconds(frame[name], name, report) if layout.epoch
              else read_datetimes(frame[name], name, report, notes))
             for name in (layout.time, layout.position_time) if name in frame]
    time = times[-1].where(times[-1].notna(), times[0])
    columns["time"] = utc_array(time)
    rows = len(frame)
    columns["point"] = report.lines if report.lines is not None else np.arange(1, rows + 1, dtype="int64")
    columns["provenance"] = np.full(rows, path.name, dtype=object)
    positions = build_position_frame(columns, rows)
    return TrackFile(path, fmt, positions, problems=tuple(report.problems), notes=tuple(dict.fromkeys(notes)),
                     point_noun=noun)
