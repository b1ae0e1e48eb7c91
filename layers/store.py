"""The analyst's workspace: batches of imported rows kept apart from the shipped dataset.

One small interface, :class:`WorkspaceStore`, with one module per backend
(``layers/gpkg_store.py``, a GeoPackage file that QGIS opens as it is). Callers open a
store with :func:`open_workspace` and never see the backend: the command line, the
exports and the app call the same operations (list batches, add a batch of rows or of ADS-B
positions in one transaction, remove a batch, read rows and positions, close).

Rows are kept as the shipped schema's text cells of their kind (``layers.readers``), so the
one validator (:mod:`layers.validation`) checks shipped and imported rows alike.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pandas as pd

if TYPE_CHECKING:
    from layers.tracks.positions import FlightLeg

WORKSPACE_ENV = "AIRBRIDGE_WORKSPACE"
WORKSPACE_FILE = "workspace.gpkg"


class WorkspaceError(RuntimeError):
    """Raised when a workspace cannot be opened, read or written; the message says what to do."""


@dataclass(frozen=True)
class Batch:
    """One import: what came in, from which file, when, and by whom.

    Attributes
    ----------
    id : str
        ``b`` and a number, unique in the workspace (``b0007``).
    created : datetime
        When the import was written (UTC).
    file_name : str
        The imported file's name (no folder).
    kinds : tuple of str
        The kinds of rows it added (``sites``, ``statuses``, ``events``, ``flights``).
    rows : int
        How many rows it added in all.
    source, confidence : str
        The ``--source`` text and default confidence the import was given ("" when none).
    imported_by : str
        The user who ran the import.
    """

    id: str
    created: dt.datetime
    file_name: str
    kinds: tuple[str, ...]
    rows: int
    source: str
    confidence: str
    imported_by: str

    @property
    def provenance(self) -> str:
        """How a feature from this batch says where it came from: ``batch b0007 (sightings.csv)``."""
        return f"batch {self.id} ({self.file_name})"


@dataclass(frozen=True)
class StoredRow:
    """One stored row: its batch, its number in the batch (1-based) and its text cells."""

    kind: str
    batch: Batch
    number: int
    cells: Mapping[str, str]


class WorkspaceStore(Protocol):
    """What every workspace backend offers."""

    @property
    def location(self) -> str:
        """Where the workspace is (a file path or a database address without credentials)."""
        ...

    def list_batches(self) -> list[Batch]:
        """Return the batches, oldest first."""
        ...

    def add_batch(self, file_name: str, rows: Mapping[str, Sequence[Mapping[str, str]]], *, source: str = "",
                  confidence: str = "") -> Batch:
        """Write the rows (by kind) as one new batch in one transaction; return the batch."""
        ...

    def add_track_batch(self, file_name: str, positions: pd.DataFrame, *, track_format: str, simplified: bool = False,
                        legs: Sequence[FlightLeg] = (), source: str = "", confidence: str = "",
                        progress: Callable[[int, int], None] | None = None) -> Batch:
        """Write checked ADS-B positions (and stated flight legs) as one batch of kind ``track`` in one transaction."""
        ...

    def read_legs(self) -> pd.DataFrame:
        """Return every stored flight leg a file stated (OpenSky ``/flights``), batch then file order."""
        ...

    def read_positions(self) -> pd.DataFrame:
        """Return every stored position (the position table plus ``batch_id``), batch then row order."""
        ...

    def list_simplified_batches(self) -> frozenset[str]:
        """Return the ids of track batches whose source thinned the track."""
        ...

    def remove_batch(self, batch_id: str) -> Batch:
        """Remove one batch and all its rows in one transaction; return what was removed."""
        ...

    def read_rows(self) -> dict[str, list[StoredRow]]:
        """Return every stored row by kind, in batch then row order."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


def find_workspace_location(given: str | Path | None = None) -> Path:
    """Return the workspace folder: ``given``, else ``$AIRBRIDGE_WORKSPACE``, else the user's data folder.

    The default follows the XDG base directory rule: ``$XDG_DATA_HOME/airbridge/workspace``,
    else ``~/.local/share/airbridge/workspace``.
    """
    if given:
        return Path(given).expanduser()
    configured = os.environ.get(WORKSPACE_ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "airbridge" / "workspace"


def open_workspace(location: str | Path | None = None, *, create: bool = True) -> WorkspaceStore:
    """Open the workspace at ``location`` (see :func:`find_workspace_location`).

    Parameters
    ----------
    location : str or Path, optional
        A folder; its ``workspace.gpkg`` is the store.
    create : bool
        Create the folder and an empty GeoPackage when there is none (importing does;
        reading does not need to).

    Raises
    ------
    WorkspaceError
        If the workspace does not exist (and ``create`` is false), or is not an Airbridge
        GeoPackage.
    """
    from layers.gpkg_store import GeoPackageStore

    folder = find_workspace_location(location)
    return GeoPackageStore.open(folder / WORKSPACE_FILE, create=create)
