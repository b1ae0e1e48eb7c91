"""The import panel's path for an ADS-B track: preview what it would add, then write it with a progress bar.

A track is checked by :func:`layers.tracks.importing.plan_track_import` (the command
line's check) and written as one batch by :func:`~layers.tracks.importing.write_track_import`
in one transaction; a million positions take a few seconds, so the bar moves with each
chunk written.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import streamlit as st

from layers.errors import Problem
from layers.escaping import escape_markdown
from layers.store import Batch, WorkspaceError, open_workspace
from layers.tracks.importing import TrackPlan, plan_track_import, write_track_import

PLAN_KEY = "airbridge_track_plan"


def find_track_plan(name: str, data: bytes, *, icao24: str, digest: str) -> TrackPlan:
    """Return the session's plan of this upload if made from the same bytes and hex, else check it now."""
    key = (name, digest, icao24)
    stored = st.session_state.get(PLAN_KEY)
    if isinstance(stored, tuple) and stored[0] == key:
        return stored[1]
    with st.status("Reading the track…", expanded=False) as status:
        plan = plan_track_import(Path(name), icao24=icao24, raw=data)
        status.update(label="Refused: nothing would be written" if plan.refused else "Checked: ready to import",
                      state="error" if plan.refused else "complete")
    st.session_state[PLAN_KEY] = (key, plan)
    return plan


def render_track_upload(name: str, data: bytes, *, workspace: Path, icao24: str, source: str, confidence: str,
                        digest: str, show_problems: Callable[[tuple[Problem, ...]], None],
                        on_done: Callable[[Batch, str], None]) -> None:
    """Show a track upload's preview (summary, notes, problems) and its Confirm button.

    Parameters
    ----------
    name, data : str, bytes
        The cleaned file name and the uploaded bytes.
    workspace : Path
        Where Confirm writes the batch.
    icao24, source, confidence : str
        The panel's options (the hex for formats without one, the cited source, the grade).
    digest : str
        The upload's SHA-256, so a rerun keeps the preview.
    show_problems, on_done : callable
        The panel's problem list, and what it does after a batch is written (given the
        batch and the noun of what it holds, ``position`` or ``flight leg``).
    """
    plan = find_track_plan(name, data, icao24=icao24, digest=digest)
    summary, *details = plan.describe()
    st.caption("Kind: ADS-B track (positions split into flights and gaps on the map).")
    st.text(summary)
    for line in details:
        if line.startswith("note: "):
            st.text(line)
    if plan.refused:
        st.error("Nothing would be written: fix the problems below and upload the file again.")
        show_problems(plan.track.problems)
        return
    count = len(plan.track.positions) or len(plan.track.legs)
    noun = "position" if len(plan.track.positions) else "flight leg"
    if not st.button(f"Confirm: import {count:,} {noun}s", type="primary", key="airbridge_track_confirm"):
        return
    bar = st.progress(0.0, text="Writing positions…")

    def show_progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Writing positions: {done:,} of {total:,}")

    try:
        with closing(open_workspace(workspace, create=True)) as store:
            batch = write_track_import(plan, store, source=source, confidence=confidence,
                                       progress=show_progress)
    except (WorkspaceError, OSError, ValueError) as exc:
        st.error(f"Nothing was imported: {escape_markdown(str(exc)[:400])}. Check that the workspace folder can be "
                 "written, or choose another.")
        return
    st.session_state.pop(PLAN_KEY, None)
    on_done(batch, noun)
