"""The bad-input rules of a track file, checked on the position table every reader fills.

Refused (a :class:`~layers.errors.Problem` naming the file, line or point, field and value;
nothing is imported):

* a file with no positions (and no flight legs);
* a time that is missing, a latitude outside -90..90 or a longitude outside -180..180;
* for one aircraft, a time earlier than the one before it (non-monotonic) or equal to it
  (a duplicate timestamp): a file out of order is not a track, and sorting it would hide
  that it was edited or merged.

Flagged, not refused (a note names each one; the point is kept in the table, with
``implausible`` set, and left out of every line drawn or flight split):

* a position reached from the last good one faster than Mach 1 at sea level
  (:data:`MACH1_KT`), after allowing :data:`JUMP_TOLERANCE_KM` of position noise. No cargo
  aircraft of the air bridge flies that fast over ground; a jump is a decoding error or a
  spoofed or mixed-up address.

Rows with no latitude and no longitude at all (state vectors between position reports)
are not positions: they are left out and counted in a note.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from layers.errors import Problem
from layers.geodesic import measure_haversine_km
from layers.tracks.positions import KM_PER_NM, TrackFile, iterate_rows

MACH1_KT = 661.5
"""The speed of sound at sea level in the ISA atmosphere (340.3 m/s), in knots."""
JUMP_TOLERANCE_KM = 1.0
"""Position noise allowed before a jump counts (ADS-B positions are good to ~0.1 km, MLAT to ~1 km)."""
MAX_PROBLEMS_PER_RULE = 20
"""Problems listed per rule; a file broken throughout says how many more there are."""
MAX_LISTED_NOTES = 10


def check_track_file(track: TrackFile) -> TrackFile:
    """Return ``track`` with the problems of the rules above added and jumps flagged.

    Parameters
    ----------
    track : TrackFile
        A reader's result.

    Returns
    -------
    TrackFile
        The same file: positions without coordinates left out, ``implausible`` set on
        jumps, problems and notes added.
    """
    frame = track.positions
    problems: list[Problem] = list(track.problems)
    notes: list[str] = list(track.notes)
    unplaced = frame["lat"].isna() & frame["lon"].isna()
    if unplaced.any():
        notes.append(f"{int(unplaced.sum()):,} rows without a position (no lat/lon) left out")
        frame = frame.loc[~unplaced].reset_index(drop=True)
    if frame.empty and not track.legs:
        if not problems:
            problems.append(Problem(track.path, 0, "(file)", "", f"no positions found in this {track.format} file",
                                    "check that it is the right file, or export the track again"))
        return dataclasses.replace(track, positions=frame, problems=tuple(problems), notes=tuple(notes))
    problems += _check_values(track, frame)
    problems += _check_order(track, frame)
    if not problems:
        flagged = find_jumps(frame)
        frame = frame.assign(implausible=flagged)
        notes += _describe_jumps(track, frame, flagged)
    return dataclasses.replace(track, positions=frame, problems=tuple(problems), notes=tuple(notes))


def _where(track: TrackFile, point: int) -> tuple[int, str]:
    """Return the Problem line and message prefix for a position (a line, or a point index)."""
    if track.point_noun == "line":
        return int(point), ""
    return 0, f"point {int(point)}: "


def _limited(track: TrackFile, rows: pd.DataFrame, field: str, *, message: str, hint: str,
             value_of: str | None = None) -> list[Problem]:
    found = []
    for row in iterate_rows(rows.head(MAX_PROBLEMS_PER_RULE)):
        line, prefix = _where(track, row.point)
        value = "" if value_of is None else str(getattr(row, value_of))
        found.append(Problem(track.path, line, field, value, prefix + message, hint))
    if len(rows) > MAX_PROBLEMS_PER_RULE:
        found.append(Problem(track.path, 0, field, "", f"... and {len(rows) - MAX_PROBLEMS_PER_RULE:,} more "
                             f"{track.point_noun}s with the same problem", hint))
    return found


def _check_values(track: TrackFile, frame: pd.DataFrame) -> list[Problem]:
    found = _limited(track, frame.loc[frame["time"].isna()], "time", message="no time",
                     hint="give every position its time")
    bad_lat = frame["lat"].isna() | (frame["lat"].abs() > 90)
    bad_lon = frame["lon"].isna() | (frame["lon"].abs() > 180)
    hint = "check the column order (lat before lon) and the file's units"
    found += _limited(track, frame.loc[bad_lat], "lat", message="latitude outside -90..90 (or missing)", hint=hint,
                      value_of="lat")
    found += _limited(track, frame.loc[bad_lon], "lon", message="longitude outside -180..180 (or missing)",
                      hint=hint, value_of="lon")
    return found


def _check_order(track: TrackFile, frame: pd.DataFrame) -> list[Problem]:
    timed = frame.loc[frame["time"].notna()]
    previous = timed.groupby("icao24", sort=False)["time"].shift()
    step = timed["time"] - previous
    earlier = timed.loc[step < pd.Timedelta(0)].assign(shown=lambda f: f["time"].map(_format_time))
    same = timed.loc[step == pd.Timedelta(0)].assign(shown=lambda f: f["time"].map(_format_time))
    found = _limited(track, earlier, "time", message="earlier than the position before it (times must increase)",
                     hint="export the track again, or sort it by time if it was merged by hand", value_of="shown")
    found += _limited(track, same, "time", message="the same time as the position before it (duplicate timestamp)",
                      hint="remove the duplicate positions", value_of="shown")
    return found


def find_jumps(frame: pd.DataFrame) -> np.ndarray:
    """Return a flag per position: reached from the last good position of its aircraft faster than Mach 1.

    Each position is compared with the last position of the same aircraft that is not
    flagged, so one wild point is flagged alone and the track resumes after it. When the
    first position of a run is the wild one (every later point "jumps" from it but not from
    each other), that first position is flagged instead.
    """
    flagged = np.zeros(len(frame), dtype=bool)
    lat = np.radians(frame["lat"].to_numpy(dtype="float64"))
    lon = np.radians(frame["lon"].to_numpy(dtype="float64"))
    seconds = frame["time"].to_numpy(dtype="datetime64[ns]").astype("int64") / 1e9
    for rows in frame.groupby("icao24", sort=False).indices.values():
        order = np.asarray(rows)
        _flag_aircraft(order, lat, lon, seconds, flagged)
    return flagged


def _flag_aircraft(order: np.ndarray, lat: np.ndarray, lon: np.ndarray, seconds: np.ndarray,
                   flagged: np.ndarray) -> None:
    if len(order) < 2:
        return
    speeds = _speed_kt((lat[order[:-1]], lon[order[:-1]], seconds[order[:-1]]),
                       (lat[order[1:]], lon[order[1:]], seconds[order[1:]]))
    if not (speeds > MACH1_KT).any():
        return  # the common case: no jump, no Python loop
    def at(i: int) -> tuple[float, float, float]:
        return lat[i], lon[i], seconds[i]

    good = order[0]
    for position, index in enumerate(order[1:], start=1):
        if _speed_kt(at(good), at(index)) <= MACH1_KT:
            good = index
            continue
        following = order[position + 1] if position + 1 < len(order) else None
        # The earlier point is the wild one when the next point agrees with this one but not with it.
        if (following is not None and good == order[0] and _speed_kt(at(index), at(following)) <= MACH1_KT
                and _speed_kt(at(good), at(following)) > MACH1_KT):
            flagged[good] = True
            good = index
            continue
        flagged[index] = True


Place = tuple[Any, Any, Any]  # latitude (radians), longitude (radians), seconds: floats or arrays


def _speed_kt(first: Place, second: Place) -> np.ndarray:
    """Return the implied ground speed in knots (haversine: a jump test needs no ellipsoid)."""
    lat1, lon1, t1 = first
    lat2, lon2, t2 = second
    km = measure_haversine_km(lat1, lon1, lat2, lon2)
    hours = np.maximum(np.asarray(t2) - t1, 1e-3) / 3600.0
    return np.maximum(km - JUMP_TOLERANCE_KM, 0.0) / KM_PER_NM / hours


def _describe_jumps(track: TrackFile, frame: pd.DataFrame, flagged: np.ndarray) -> list[str]:
    if not flagged.any():
        return []
    rows = frame.loc[flagged]
    shown = [f"{track.point_noun} {int(row.point)} ({_format_time(row.time)}, {row.lat:.4f}, {row.lon:.4f})"
             for row in iterate_rows(rows.head(MAX_LISTED_NOTES))]
    more = f" and {len(rows) - MAX_LISTED_NOTES:,} more" if len(rows) > MAX_LISTED_NOTES else ""
    count = "1 position was" if len(rows) == 1 else f"{len(rows):,} positions were"
    return [(f"{count} reached faster than Mach 1 ({MACH1_KT:.0f} kt) from the position before: flagged "
             f"implausible and left out of the track: {'; '.join(shown)}{more}")]


def _format_time(value: pd.Timestamp) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def limit_problem(track: TrackFile, limit: int) -> TrackFile:
    """Return ``track`` refused for holding more than ``limit`` positions."""
    problem = Problem(track.path, 0, "(file)", "", f"{len(track.positions):,} positions, more than the {limit:,} "
                      "one import may hold", "split the track into several files and import each")
    return dataclasses.replace(track, problems=(*track.problems, problem))
