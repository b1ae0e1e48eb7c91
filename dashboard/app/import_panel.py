"""The Streamlit import panel: pick the workspace, upload a file, preview what it adds, confirm; undo a batch.

Every step is the command line's (``python -m layers import``, ``imports``, ``undo``): the
file is read (:func:`layers.readers.read_import`), its missing source and confidence filled
(:func:`layers.workspace.apply_defaults`), checked against the shipped data and the stored
batches (:func:`layers.workspace.plan_import`), and written as one batch only when the
analyst confirms the preview; the preview itself writes nothing.

Text that comes from the file (its name, its rows, every problem) is shown in tables,
code blocks and plain text, never in Markdown, so nothing in a file can add markup or a
link to the page; where a file name has to sit in a sentence it is a code span
(:func:`layers.escaping.quote_markdown_code`).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import pandas as pd
import streamlit as st

from layers.errors import MAX_LISTED_PROBLEMS, DataValidationError, Problem
from layers.escaping import escape_markdown, quote_markdown_code
from layers.readers import KINDS, MAX_IMPORT_BYTES, TRACK_KINDS, ImportedRow
from layers.readers.dispatch import read_import
from layers.store import (
    Batch,
    NoWorkspaceError,
    WorkspaceError,
    WorkspaceStore,
    find_read_only_reason,
    open_workspace,
    read_change_key,
)
from layers.tracks.guess import looks_like_track_bytes
from layers.vocabulary import CONFIDENCE_LEVELS
from layers.workspace import DEFAULT_CONFIDENCE, ImportPlan, apply_defaults, plan_import, write_import

from dashboard.app import cache
from dashboard.app.track_upload import render_track_upload
from dashboard.app.upload_names import clean_file_name
from dashboard.app.workspace_panel import mark_seen, render_workspace_choice, report_batch_changes, watch_workspace

UPLOAD_TYPES = ("csv", "geojson", "json", "kml", "kmz", "gz", "parquet")
"""Endings the uploader offers: rows, and the ADS-B track formats (gzip traces, Parquet tables)."""
AUTO = "auto"
WORKSPACE_KEY = cache.WORKSPACE_CHOICE_KEY  # the picker's value is the workspace the page shows
PREVIEW_KEY = "airbridge_import_preview"
MESSAGE_KEY = "airbridge_import_message"
DONE_KEY = "airbridge_import_done"
ROUND_KEY = "airbridge_import_round"
PREVIEW_COLUMNS = ("kind", "where", "id", "name", "title", "date")
STORE_ERRORS = (WorkspaceError, OSError, sqlite3.Error)
_MIB = 1024 * 1024


@dataclass(frozen=True)
class ImportOptions:
    """The panel's choices, as ``python -m layers import`` takes them (None and "" for the defaults)."""

    kind: str | None = None
    source: str = ""
    confidence: str = ""
    encoding: str | None = None
    keep_valid: bool = False
    icao24: str = ""


@dataclass(frozen=True)
class Preview:
    """An upload's plan (None if it could not be checked: ``error``, Markdown-safe, says why), kept per ``key``."""

    key: tuple
    plan: ImportPlan | None
    problems: tuple[Problem, ...] = ()
    error: str = ""


def render_import_panel(data_dir: Path) -> None:
    """Draw the import panel: workspace, file, options, preview and confirm, then the batches.

    Parameters
    ----------
    data_dir : Path
        The shipped data folder the page shows (imports are checked against it).
    """
    with st.expander("Import your data", expanded=False):
        workspace = render_workspace_choice()
        read_only = find_read_only_reason(workspace) if workspace is not None else ""
        if read_only:
            st.warning(f"Uploads and undo are disabled: {escape_markdown(read_only)}.")
        uploaded = st.file_uploader(
            "File to import (CSV, GeoJSON, KML, KMZ, or an ADS-B track)", type=list(UPLOAD_TYPES),
            key=f"airbridge_import_file_{st.session_state.get(ROUND_KEY, 0)}",
            max_upload_size=max(MAX_IMPORT_BYTES // _MIB, 1), disabled=bool(read_only),
            help="Formats and field mapping: docs/imports.md and docs/tracks.md. Nothing is written before you "
                 "confirm the preview.")
        upload = (uploaded.name, uploaded.getvalue()) if uploaded is not None and not read_only else None
        render_import_steps(data_dir, workspace, upload, read_only=read_only)


def render_import_steps(data_dir: Path, workspace: Path | str | None, upload: tuple[str, bytes] | None, *,
                        read_only: str = "") -> None:
    """Draw the options, the preview of ``upload`` (file name, bytes) with its confirm button, and the batches.

    ``read_only`` says why this user may not import or undo ("" when they may): the
    buttons are then disabled with that reason.
    """
    level, message = st.session_state.pop(MESSAGE_KEY, ("", ""))
    if message:
        (st.error if level == "error" else st.success)(message)
    if workspace is None:
        return
    try:
        batches = list_batches(workspace)
    except STORE_ERRORS as exc:
        st.error(f"The workspace cannot be read: {quote_markdown_code(exc, 400)}. Choose another folder, or move "
                 "the file away.")
        return
    report_batch_changes(workspace, batches)
    if isinstance(workspace, str):
        watch_workspace(workspace, read_change_key(workspace))
    options = ask_import_options()
    if upload is not None:
        render_upload(upload[0], upload[1], workspace=workspace, data_dir=data_dir, options=options)
    render_batches(workspace, batches, read_only=read_only)


def ask_import_options() -> ImportOptions:
    """Draw the kind, source, confidence, encoding and keep-valid choices; return them."""
    kind = st.selectbox("Kind of rows", [AUTO, *KINDS, *TRACK_KINDS],
                        format_func=lambda k: "auto-detect" if k == AUTO else k,
                        key="airbridge_import_kind", help="What the file holds; auto-detect guesses it and says so.")
    source = st.text_input("Source", key="airbridge_import_source", max_chars=500,
                           help="Cited for rows that give no source, after the file name: file:NAME (SOURCE).")
    confidence = st.selectbox("Confidence", ["", *CONFIDENCE_LEVELS], key="airbridge_import_confidence",
                              format_func=lambda c: c or f"{DEFAULT_CONFIDENCE} (the default)",
                              help="The grade of rows that give none.")
    encoding = st.text_input("Text encoding (CSV only)", key="airbridge_import_encoding", max_chars=40,
                             placeholder="detected",
                             help="Empty: detected (UTF-8, UTF-16 with a byte-order mark, else Latin-1). "
                                  "E.g. cp1252 for a Windows file with € or curly quotes.")
    keep_valid = st.checkbox("Keep only the valid rows", key="airbridge_import_keep_valid",
                             help="Import the valid rows and leave out those with problems (and rows that refer "
                                  "to them), instead of refusing the whole file.")
    icao24 = st.text_input("Aircraft hex (tracks without one)", key="airbridge_import_icao24", max_chars=6,
                           placeholder="e.g. 154076",
                           help="The Mode S address of a Flightradar24 track, whose file does not hold it.")
    return ImportOptions(None if kind == AUTO else kind, source.strip(), confidence, encoding.strip() or None,
                         keep_valid, icao24.strip().lower())


def render_upload(file_name: str, data: bytes, *, workspace: Path | str, data_dir: Path,
                  options: ImportOptions) -> None:
    """Check one uploaded file (the name the browser sent, and its bytes) and show its preview.

    The Confirm button writes it as one batch into ``workspace``; ``data_dir`` is the
    shipped data it is checked against.
    """
    digest = hashlib.sha256(data).hexdigest()
    if st.session_state.get(DONE_KEY) == (clean_file_name(file_name), digest, str(workspace)):
        st.caption("This file has been imported (its batch is listed below). Choose another file to import more.")
        return
    if options.kind in TRACK_KINDS or (options.kind is None and looks_like_track_bytes(data)):
        # track_upload only hands the workspace to open_workspace, which takes a folder or a database address.
        render_track_upload(clean_file_name(file_name), data, workspace=cast(Path, workspace), icao24=options.icao24,
                            source=options.source, confidence=options.confidence, digest=digest,
                            show_problems=show_problems,
                            on_done=lambda batch, noun: finish_import(batch, digest=digest, workspace=workspace,
                                                                      noun=noun))
        return
    preview = find_preview(file_name, data, workspace=workspace, data_dir=data_dir, options=options, digest=digest)
    if preview.error:
        st.error(preview.error)
    if preview.plan is not None:
        show_preview(preview.plan, preview.problems, keep_valid=options.keep_valid)
    elif preview.problems:
        show_problems(preview.problems)
    plan = preview.plan
    if plan is None or plan.refused:
        return
    label = f"Confirm: import {_count(len(plan.accepted), 'row')}"
    if st.button(label, type="primary", key="airbridge_import_confirm"):
        confirm_import(plan, workspace=workspace, data_dir=data_dir, options=options, digest=digest)


def find_preview(file_name: str, data: bytes, *, workspace: Path | str, data_dir: Path, options: ImportOptions,
                 digest: str) -> Preview:
    """Return the preview of an upload: the session's, if made from the same file, options and data, else a new one."""
    name = clean_file_name(file_name)
    key = (name, digest, options, str(workspace),
           read_change_key(workspace), cache.fingerprint_data_dir(data_dir))
    stored = st.session_state.get(PREVIEW_KEY)
    if isinstance(stored, Preview) and stored.key == key:
        return stored
    preview = plan_upload(name, data, key=key, workspace=workspace, data_dir=data_dir, options=options)
    st.session_state[PREVIEW_KEY] = preview
    return preview


def plan_upload(name: str, data: bytes, *, key: tuple, workspace: Path | str, data_dir: Path,
                options: ImportOptions) -> Preview:
    """Save the upload to a private temporary file under ``name``, read and check it; write nothing."""
    from layers.gpkg_store import GeoPackageStore

    if len(data) > MAX_IMPORT_BYTES:
        return Preview(key, None, error=f"The file is {len(data) / _MIB:.1f} MiB; an import may be at most "
                                              f"{MAX_IMPORT_BYTES // _MIB} MiB. Split it into several files.")
    with st.status("Reading…", expanded=False) as status:
        try:
            with tempfile.TemporaryDirectory(prefix="airbridge-import-") as folder:
                path = Path(folder) / name
                _write_private(path, data)
                imported = read_import(path, options.kind, encoding=options.encoding)
            imported = apply_defaults(imported, source=options.source, confidence=options.confidence)
            status.update(label="Checking against the shipped data and your batches…")
            # Against the workspace as it is, or an empty one in memory when there is none yet.
            try:
                checked: WorkspaceStore = open_workspace(workspace, create=False)
            except NoWorkspaceError:
                checked = GeoPackageStore.open_in_memory()
            with closing(checked) as store:
                plan = plan_import(imported, store, data_dir=data_dir, keep_valid=options.keep_valid)
        except DataValidationError as exc:
            status.update(label="The file cannot be read", state="error")
            return Preview(key, None, tuple(_relabel(p, folder) for p in exc.problems),
                           error="The file cannot be read: fix the problems below and upload it again.")
        except STORE_ERRORS as exc:
            status.update(label="The file cannot be checked", state="error")
            return Preview(key, None, error=f"The file cannot be checked: {quote_markdown_code(exc, 400)}. "
                                                  "Choose another workspace folder, or check that this one and "
                                                  "the data folder can be read.")
        status.update(label="Refused: nothing would be written" if plan.refused else "Checked: ready to import",
                      state="error" if plan.refused else "complete")
    return Preview(key, plan, tuple(_relabel(p, folder) for p in plan.problems))


def show_preview(plan: ImportPlan, problems: tuple[Problem, ...], *, keep_valid: bool) -> None:
    """Show what the plan would add (counts and a table of rows), its notes and every problem."""
    guessed = plan.imported.guessed_kind
    if guessed:
        st.caption(f"Kind guessed from the file: {escape_markdown(guessed)} (choose another under Kind of rows).")
    for note in plan.imported.notes:
        st.text(note)
    counts = plan.count_by_kind()
    if counts:
        st.markdown("Would add " + ", ".join(f"{escape_markdown(kind)}: {n}" for kind, n in counts.items()))
        st.dataframe(preview_table(plan.accepted), hide_index=True)
    if plan.refused and not problems:
        st.warning("The file holds no rows to import: nothing would be written.")
    elif plan.refused:
        st.error("Nothing would be written: fix the problems below and upload the file again"
                 + (", or tick **Keep only the valid rows** to import the others." if not keep_valid
                    else ". No valid row is left, or the shipped data or a stored batch has a problem."))
    elif problems:
        st.warning("The rows with the problems below (and rows that refer to them) are left out.")
    if problems:
        show_problems(problems)


def show_problems(problems: tuple[Problem, ...]) -> None:
    """List every problem in a code block (the first :data:`MAX_LISTED_PROBLEMS`, then how many more)."""
    count = len(problems)
    st.caption(f"{_count(count, 'problem')}: each names the file, row and field, and the fix.")
    lines = [str(problem) for problem in problems[:MAX_LISTED_PROBLEMS]]
    if count > MAX_LISTED_PROBLEMS:
        rest = count - MAX_LISTED_PROBLEMS
        lines.append(f"... and {rest} more problem{'s' if rest != 1 else ''}")
    st.code("\n".join(lines), language=None, wrap_lines=True)


def confirm_import(plan: ImportPlan, *, workspace: Path | str, data_dir: Path, options: ImportOptions,
                   digest: str) -> None:
    """Check the previewed rows again against the workspace as it now is, write them as one batch, rerun."""
    try:
        with closing(open_workspace(workspace, create=True)) as store:
            fresh = plan_import(plan.imported, store, data_dir=data_dir, keep_valid=options.keep_valid)
            if fresh.refused or fresh.accepted != plan.accepted:
                _tell("The workspace or the data changed since the preview: nothing was written. Check the new "
                      "preview and confirm again.", level="error")
                st.session_state.pop(PREVIEW_KEY, None)
                st.rerun()
            batch = write_import(fresh, store, source=options.source, confidence=options.confidence)
    except (*STORE_ERRORS, ValueError) as exc:
        st.error(f"Nothing was imported: {quote_markdown_code(exc, 400)}. Check that the workspace folder can be "
                 "written, or choose another.")
        return
    finish_import(batch, digest=digest, workspace=workspace)


def finish_import(batch: Batch, *, digest: str, workspace: Path | str, noun: str = "row") -> None:
    """Say what was imported, clear the uploader and the preview, and redraw the page from the workspace."""
    _tell(f"Imported {_count(batch.rows, noun)} as batch {escape_markdown(batch.id)} from "
          f"{quote_markdown_code(batch.file_name)}.")
    st.session_state[DONE_KEY] = (batch.file_name, digest, str(workspace))
    mark_seen(workspace, added=batch.id)
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1  # a new, empty file uploader
    st.session_state.pop(PREVIEW_KEY, None)
    st.rerun()


def list_batches(workspace: Path | str) -> list[Batch]:
    """Return the workspace's batches, oldest first ([] when there is no workspace yet; creates nothing)."""
    try:
        store = open_workspace(workspace, create=False)
    except NoWorkspaceError:
        return []
    with closing(store):
        return store.list_batches()


def render_batches(workspace: Path | str, batches: list[Batch], *, read_only: str = "") -> None:
    """List the batches in a table, each with an Undo button (disabled, saying why, when ``read_only``)."""
    if not batches:
        st.caption("No imports in this workspace yet.")
        return
    st.markdown("**Imported batches**")
    st.dataframe(batch_table(batches), hide_index=True)
    for batch in batches:
        if st.button(f"Undo {escape_markdown(batch.id)}", key=f"airbridge_import_undo_{batch.id}",
                     disabled=bool(read_only),
                     help=read_only or f"Remove batch {batch.id} and its {_count(batch.rows, 'row')} from the "
                                       "workspace."):
            undo_batch(workspace, batch.id)


def undo_batch(workspace: Path | str, batch_id: str) -> None:
    """Remove one batch from the workspace and rerun (the page redraws from the changed file)."""
    try:
        with closing(open_workspace(workspace, create=False)) as store:
            batch = store.remove_batch(batch_id)
    except STORE_ERRORS as exc:
        st.error(f"Nothing was removed: {quote_markdown_code(exc, 400)}.")
        return
    _tell(f"Removed batch {escape_markdown(batch.id)} ({quote_markdown_code(batch.file_name)}, "
          f"{_count(batch.rows, 'row')}).")
    mark_seen(workspace, removed=batch.id)
    st.session_state.pop(DONE_KEY, None)
    st.session_state.pop(PREVIEW_KEY, None)
    st.rerun()


def preview_table(rows: tuple[ImportedRow, ...]) -> pd.DataFrame:
    """Return the rows an import would add as a table: kind, where in the file, id, name, title, date."""
    records = [{"kind": row.kind, "where": row.where, "id": row.cells.get("id") or row.cells.get("site_id", ""),
                "name": row.cells.get("name", ""), "title": row.cells.get("title", ""),
                "date": row.cells.get("date", "")} for row in rows]
    table = pd.DataFrame(records, columns=list(PREVIEW_COLUMNS), dtype=str)
    empty = [c for c in ("name", "title", "date") if not table[c].astype(bool).any()]
    return table.drop(columns=empty)


def batch_table(batches: list[Batch]) -> pd.DataFrame:
    """Return the batches as a table: id, time (UTC), file, kinds, rows, by."""
    return pd.DataFrame([{"id": b.id, "time (UTC)": f"{b.created:%Y-%m-%d %H:%M}", "file": b.file_name,
                          "kinds": ", ".join(b.kinds), "rows": b.rows, "by": b.imported_by} for b in batches],
                        columns=["id", "time (UTC)", "file", "kinds", "rows", "by"])


def _tell(message: str, level: str = "success") -> None:
    """Keep a Markdown-safe message for the next run (shown once, above the options)."""
    st.session_state[MESSAGE_KEY] = (level, message)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file only this user may read (the folder is a fresh private one)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags, 0o600), "wb") as handle:
        handle.write(data)


def _relabel(problem: Problem, folder: str) -> Problem:
    """Name the uploaded file by its name in a problem, not by its temporary copy's path."""
    text, prefix = str(problem.file), folder + os.sep
    return replace(problem, file=Path(text[len(prefix):])) if text.startswith(prefix) else problem
