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

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

from layers.errors import Problem
from layers.readers.files import make_file_problem
from layers.tracks.cells import (
    CellReport,
    read_csv_columns,
    read_datetimes,
    read_epoch_seconds,
    read_flags,
    read_header,
    read_numbers,
    utc_array,
)
from layers.tracks.positions import (
    FPM_PER_MS,
    FT_PER_M,
    KT_PER_MS,
    TrackFile,
    build_position_frame,
    drop_repeated_reports,
    empty_positions,
)

OPENSKY_REQUIRED = ("time", "icao24", "lat", "lon")
TRAFFIC_REQUIRED = ("timestamp", "icao24", "latitude", "longitude")

# Columns unique to each layout: the ones that tell them apart (both have icao24, callsign ...).
_OPENSKY_ONLY = ("time", "lat", "lon", "velocity", "heading", "vertrate", "baroaltitude", "lastposupdate",
                 "lastcontact")
_TRAFFIC_ONLY = ("timestamp", "latitude", "longitude", "altitude", "groundspeed", "track", "vertical_rate")


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
    positions, repeated = drop_repeated_reports(build_position_frame(columns, rows))
    if repeated:
        notes.append(f"{repeated:,} rows repeat the position before them (same time and place: the source "
                     "re-sends its last vector until the aircraft times out) and are kept once")
    return TrackFile(path, fmt, positions.reset_index(drop=True), problems=tuple(report.problems),
                     notes=tuple(dict.fromkeys(notes)), point_noun=noun)
