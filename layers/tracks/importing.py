"""Importing a track file into the workspace: read, check, write one batch of positions.

The track counterpart of :mod:`layers.workspace`: :func:`plan_track_import` reads the file
with the reader its content calls for (:mod:`layers.tracks.detect`), applies the
bad-input rules (:mod:`layers.tracks.checks`) and says what would be written; a file with
any problem is refused whole. :func:`write_track_import` writes the positions as one batch
in one transaction (``track_positions``), so a failure part way leaves the workspace as it
was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from layers.store import Batch, WorkspaceStore
from layers.tracks.checks import check_track_file
from layers.tracks.detect import read_track_source, read_track_upload
from layers.tracks.positions import TrackFile

MAX_TRACK_POSITIONS = 5_000_000
"""Most positions one import may hold (a month of one watchlist from readsb history)."""


@dataclass(frozen=True)
class TrackPlan:
    """What a track import would write, or why it is refused."""

    track: TrackFile

    @property
    def refused(self) -> bool:
        """True when the file has a problem (nothing may be written) or holds no positions."""
        return bool(self.track.problems) or (self.track.positions.empty and not self.track.legs)

    def describe(self) -> list[str]:
        """Return the lines a user reads: a summary, the notes, then every problem."""
        track = self.track
        positions = track.positions
        name = track.path.name
        if self.refused:
            summary = f"{name}: refused ({track.format})"
        elif positions.empty:
            summary = (f"{name}: would add {len(track.legs):,} flight leg{'s' if len(track.legs) != 1 else ''} "
                       f"({track.format}), each a flight record from its departure to its arrival estimate")
        else:
            aircraft = sorted(set(positions["icao24"]) - {""})
            shown = ", ".join(aircraft[:5]) + (f" and {len(aircraft) - 5} more" if len(aircraft) > 5 else "")
            summary = (f"{name}: would add {len(positions):,} position{'s' if len(positions) != 1 else ''} "
                       f"({track.format}) of {len(aircraft) or 'an unnamed'} aircraft"
                       f"{' (' + shown + ')' if shown else ''}, "
                       f"{positions['time'].min():%Y-%m-%d %H:%M}Z to {positions['time'].max():%Y-%m-%d %H:%M}Z")
        return [summary, *(f"note: {note}" for note in track.notes), *(str(p) for p in track.problems)]


def plan_track_import(path: Path | str, *, icao24: str = "", raw: bytes | None = None) -> TrackPlan:
    """Read and check a track file (or folder of snapshots); nothing is written.

    Parameters
    ----------
    path : Path or str
        The file or folder (its name is what messages and provenance say).
    icao24 : str
        The aircraft's address, for formats that do not carry it.
    raw : bytes, optional
        The file's bytes when already read (an upload in the app); else ``path`` is read.
    """
    path = Path(path)
    track = read_track_source(path, icao24=icao24) if raw is None else read_track_upload(path, raw, icao24=icao24)
    if len(track.positions) > MAX_TRACK_POSITIONS:
        from layers.tracks.checks import limit_problem

        return TrackPlan(limit_problem(track, MAX_TRACK_POSITIONS))
    return TrackPlan(check_track_file(track))


def write_track_import(plan: TrackPlan, store: WorkspaceStore, *, source: str = "", confidence: str = "",
                       progress: Callable[[int, int], None] | None = None) -> Batch:
    """Write the plan's positions as one batch (one transaction); return the batch.

    Raises
    ------
    ValueError
        If the plan was refused: nothing is written.
    """
    if plan.refused:
        raise ValueError("this track import was refused: fix the problems it lists")
    return store.add_track_batch(plan.track.path.name, plan.track.positions, track_format=plan.track.format,
                                 simplified=plan.track.simplified, legs=plan.track.legs, source=source,
                                 confidence=confidence,
                                 progress=progress)
