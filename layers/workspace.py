"""Imports into the analyst's workspace: read, validate against shipped plus stored data, write one batch.

The one path every import takes, from the command line and from the app:

1. :func:`layers.readers.read_import` reads the file into rows of the shipped schema;
2. :func:`apply_defaults` fills what the file does not say and has a documented default
   (a missing source becomes ``file:<name> (<--source text>)``, a missing confidence
   ``low`` or ``--confidence``);
3. :func:`plan_import` validates the rows together with the shipped data and every stored
   batch, with the one validator, so an id clash or a broken reference is caught before
   anything is written; a file with any invalid row is refused as a whole unless
   ``keep_valid``;
4. :func:`write_import` writes the accepted rows as one batch in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from layers.dataset import DEFAULT_DATA_DIR, Dataset, load_dataset
from layers.errors import DataValidationError, Problem
from layers.readers import ImportedFile, ImportedRow
from layers.sources import FILE_SOURCE_PREFIX
from layers.store import Batch, WorkspaceStore, open_workspace
from layers.tracks.trackset import BatchSourcing, build_trackset
from layers.validation import ExtraRow, validate_dataset

DEFAULT_CONFIDENCE = "low"
"""The confidence of an imported row that gives none: an analyst's unsourced note is weak evidence."""
MAX_KEEP_VALID_ROUNDS = 5
GUESS_PREFIX = "kind guessed from the file:"
SINGULAR = {"sites": "site", "statuses": "status", "events": "event", "flights": "flight",
            "aircraft": "aircraft", "track": "position"}


@dataclass(frozen=True)
class ImportPlan:
    """What an import would write, and why anything is left out.

    Attributes
    ----------
    imported : ImportedFile
        What the reader found.
    accepted : tuple of ImportedRow
        The rows that would be written (with defaults applied).
    problems : tuple of Problem
        Every problem, each naming the file, row, field and fix.
    refused : bool
        True when nothing may be written (a problem and no ``keep_valid``, or a problem
        outside the file itself).
    """

    imported: ImportedFile
    accepted: tuple[ImportedRow, ...] = ()
    problems: tuple[Problem, ...] = ()
    refused: bool = False

    def count_by_kind(self) -> dict[str, int]:
        """Return how many accepted rows of each kind the plan holds."""
        counts: dict[str, int] = {}
        for row in self.accepted:
            counts[row.kind] = counts.get(row.kind, 0) + 1
        return counts


def list_workspace_rows(store: WorkspaceStore) -> list[ExtraRow]:
    """Return the stored rows as validator input, each naming its workspace and batch in problems."""
    rows = []
    # A database address without its scheme: a path would fold the "//" of postgresql://.
    where = store.location.split("://", 1)[-1]
    for kind, stored in store.read_rows().items():
        for row in stored:
            label = Path(f"{where} batch {row.batch.id} ({row.batch.file_name})")
            rows.append(ExtraRow(kind, label, row.number, dict(row.cells), row.batch.provenance))
    return rows


def load_workspace_dataset(data_dir: Path | str = DEFAULT_DATA_DIR, workspace: str | Path | None = None) -> Dataset:
    """Return the shipped data plus the workspace's rows (just the shipped data when ``workspace`` is None).

    Raises
    ------
    layers.store.WorkspaceError
        If the workspace does not exist or cannot be read.
    DataValidationError
        If the combination breaks a rule (every problem names its file or batch and row).
    """
    if workspace is None:
        return load_dataset(data_dir)
    store = open_workspace(workspace, create=False)
    try:
        dataset = load_dataset(data_dir, list_workspace_rows(store))
        return attach_tracks(dataset, store)
    finally:
        store.close()


def attach_tracks(dataset: Dataset, store: WorkspaceStore) -> Dataset:
    """Return ``dataset`` with the store's ADS-B positions made into flights and gaps (unchanged when none)."""
    positions, legs = store.read_positions(), store.read_legs()
    if positions.empty and legs.empty:
        return dataset
    sourcing = {batch.id: BatchSourcing((f"{FILE_SOURCE_PREFIX}{batch.file_name}"
                                         + (f" ({batch.source})" if batch.source else ""),),
                                        batch.confidence or DEFAULT_CONFIDENCE)
                for batch in store.list_batches()}
    tracks = build_trackset(positions, sourcing, watchlist=dataset.aircraft, sites=dataset.sites,
                            flight_records=dataset.flights, simplified_batches=store.list_simplified_batches(),
                            legs=legs)
    return replace(dataset, tracks=tracks)


def apply_defaults(imported: ImportedFile, *, source: str = "", confidence: str = "") -> ImportedFile:
    """Return ``imported`` with each row's missing source and confidence filled by the documented defaults."""
    cited = f"{FILE_SOURCE_PREFIX}{imported.path.name}" + (f" ({source})" if source else "")
    rows = []
    for row in imported.rows:
        cells = dict(row.cells)
        for name in ("sources", "source"):  # the watchlist's column is "source"
            if name in cells and not cells[name].strip():
                cells[name] = cited
        if "confidence" in cells and not cells["confidence"].strip():
            cells["confidence"] = confidence or DEFAULT_CONFIDENCE
        rows.append(replace(row, cells=cells))
    return replace(imported, rows=tuple(rows))


def plan_import(imported: ImportedFile, store: WorkspaceStore, *, data_dir: Path | str = DEFAULT_DATA_DIR,
                keep_valid: bool = False) -> ImportPlan:
    """Validate the imported rows with the shipped data and the stored batches; say what may be written.

    Parameters
    ----------
    imported : ImportedFile
        The reader's result, defaults applied (:func:`apply_defaults`).
    store : WorkspaceStore
        The workspace the rows would join.
    data_dir : Path or str
        The shipped data folder.
    keep_valid : bool
        Write the valid rows and leave out the others (rows that refer to a left-out row
        are left out too), instead of refusing the whole file.
    """
    existing = list_workspace_rows(store)
    candidates = list(imported.rows)
    problems: list[Problem] = list(imported.problems)
    if problems and not keep_valid:
        return ImportPlan(imported, (), tuple(problems), refused=True)
    for _ in range(MAX_KEEP_VALID_ROUNDS):
        extra = [_to_extra(imported.path, row) for row in candidates]
        try:
            validate_dataset(Path(data_dir), [*existing, *extra])
        except DataValidationError as exc:
            mine = {(str(e.file), e.line) for e in extra}
            in_file = [p for p in exc.problems if (str(p.file), p.line) in mine]
            outside = [p for p in exc.problems if (str(p.file), p.line) not in mine]
            problems.extend(p for p in in_file if p not in problems)
            if outside:
                # The shipped data or a stored batch is broken: nothing may be added on top of it.
                return ImportPlan(imported, (), (*problems, *outside), refused=True)
            if not keep_valid:
                return ImportPlan(imported, (), tuple(problems), refused=True)
            bad = {(str(p.file), p.line) for p in in_file}
            candidates = [row for row, e in zip(candidates, extra, strict=True) if (str(e.file), e.line) not in bad]
            continue
        return ImportPlan(imported, tuple(candidates), tuple(problems), refused=not candidates)
    return ImportPlan(imported, (), tuple(problems), refused=True)


def write_import(plan: ImportPlan, store: WorkspaceStore, *, source: str = "", confidence: str = "") -> Batch:
    """Write the plan's accepted rows as one batch (one transaction); return the batch.

    Raises
    ------
    ValueError
        If the plan was refused: nothing is written.
    """
    if plan.refused or not plan.accepted:
        raise ValueError("this import was refused: fix the problems it lists, or use --keep-valid")
    rows: dict[str, list[dict[str, str]]] = {}
    for row in plan.accepted:
        rows.setdefault(row.kind, []).append(dict(row.cells))
    return store.add_batch(plan.imported.path.name, rows, source=source, confidence=confidence)


def _to_extra(path: Path, row: ImportedRow) -> ExtraRow:
    # A row without a line (a placemark, a feature) is named by where it is in the file.
    file = path if row.line else Path(f"{path} {row.where}")
    return ExtraRow(row.kind, file, row.line, row.cells, f"import of {path.name}")


def describe_plan(plan: ImportPlan) -> list[str]:
    """Return the lines a user reads about a plan: what would be added, then every problem."""
    counts = ", ".join(f"{n} {kind if n != 1 else SINGULAR[kind]}"
                       for kind, n in plan.count_by_kind().items()) or "nothing"
    lines = [f"{plan.imported.path.name}: {'refused' if plan.refused else 'would add ' + counts}"]
    if plan.imported.guessed_kind:
        lines.append(f"{GUESS_PREFIX} {plan.imported.guessed_kind} (give --kind to choose)")
    lines += [f"note: {note}" for note in plan.imported.notes]
    lines += [str(problem) for problem in plan.problems]
    return lines


__all__ = ["DEFAULT_CONFIDENCE", "GUESS_PREFIX", "ImportPlan", "apply_defaults", "attach_tracks", "describe_plan",
           "list_workspace_rows", "load_workspace_dataset", "plan_import", "write_import"]
