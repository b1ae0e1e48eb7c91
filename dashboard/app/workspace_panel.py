"""The import panel's workspace: the picker (a folder or a PostGIS database), and news of a shared one.

The picker shows a database address without its password (passwords come from
``PGPASSWORD``, ``~/.pgpass`` or the service file). On a PostGIS workspace several
analysts write at once. Each page keeps the batch ids it last saw; when the list changes
by someone else's hand it says what changed (added by whom, or undone), and a small
fragment polls the database's change key every :data:`WATCH_INTERVAL_S` seconds so the
map redraws without a restart. The session's own imports and undos are marked seen
(:func:`mark_seen`), so they are not reported as news.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from layers.escaping import escape_markdown, quote_markdown_code
from layers.store import (
    WORKSPACE_ENV,
    Batch,
    is_database_location,
    read_change_key,
    redact_location,
    resolve_workspace_choice,
)

from dashboard.app import cache

SEEN_KEY = "airbridge_import_seen"
CHANGES_KEY = "airbridge_import_changes"
WATCH_INTERVAL_S = 5.0
"""How often a page on a shared (PostGIS) workspace looks for batches added or undone by others."""


def render_workspace_choice() -> Path | str | None:
    """Show the workspace imports go to, with a text input to choose another; return it (None if unusable).

    A folder, or a team's PostGIS database (``postgresql://...`` or ``service=NAME``),
    shown without its password: the app takes passwords from ``PGPASSWORD``, ``~/.pgpass``
    or the service file, never from this box.
    """
    default = cache.find_workspace()
    shown = redact_location(default) if isinstance(default, str) else str(default)
    text = st.text_input("Workspace folder or database", value=shown, key=cache.WORKSPACE_CHOICE_KEY,
                         help="Where imports are kept: a workspace.gpkg file in this folder (QGIS opens it), or a "
                              "team's PostGIS database (postgresql://user@host/db or service=NAME). "
                              f"Empty: the default ({shown}).")
    chosen = resolve_workspace_choice(text) if text.strip() else default
    if isinstance(chosen, str) and is_database_location(chosen):
        st.caption(f"Workspace: {quote_markdown_code(redact_location(chosen))} (PostGIS, shared). The map shows "
                   "batches other analysts add or undo within seconds.")
        return chosen
    folder = Path(os.path.abspath(Path(str(chosen).strip()).expanduser()))
    st.caption(f"Workspace: {quote_markdown_code(folder)}")
    if folder.exists() and not folder.is_dir():
        st.error(f"{quote_markdown_code(folder)} is a file, not a folder: choose a folder for the workspace.")
        return None
    st.caption("The map shows the shipped data with this workspace, and redraws after each import or undo. "
               f"It opens on `{WORKSPACE_ENV}` (else the default folder); the choice here lasts for this session.")
    return folder


def report_batch_changes(workspace: Path | str, batches: list[Batch]) -> None:
    """Say which batches were added or undone since this session last looked (by others: the session's own are known).

    The last such news stays shown until the next change.
    """
    where = str(workspace)
    seen = st.session_state.get(SEEN_KEY)
    current = {b.id: b for b in batches}
    if isinstance(seen, tuple) and seen[0] == where:
        added = [b for b in batches if b.id not in seen[1]]
        removed = [batch_id for batch_id in seen[1] if batch_id not in current]
        news = [f"{b.id} ({b.file_name}, {_count(b.rows)}) added by {b.imported_by}" for b in added]
        news += [f"{batch_id} undone" for batch_id in removed]
        if news:
            st.session_state[CHANGES_KEY] = (where, "Changed in the workspace since this page last looked: "
                                             + "; ".join(news) + ". The map shows it.")
    elif seen is not None:
        st.session_state.pop(CHANGES_KEY, None)  # another workspace: its news are not this one's
    st.session_state[SEEN_KEY] = (where, frozenset(current))
    changes = st.session_state.get(CHANGES_KEY)
    if isinstance(changes, tuple) and changes[0] == where:
        st.info(escape_markdown(changes[1]))


def watch_workspace(workspace: str, key: tuple[str, ...]) -> None:
    """Rerun the page when another analyst adds or undoes a batch of this shared workspace (polls every few s)."""
    @st.fragment(run_every=WATCH_INTERVAL_S)
    def check() -> None:
        if read_change_key(workspace) != key:
            st.rerun(scope="app")

    check()


def mark_seen(workspace: Path | str, *, added: str = "", removed: str = "") -> None:
    """Record the session's own import or undo, so it is not reported as another analyst's."""
    seen = st.session_state.get(SEEN_KEY)
    if isinstance(seen, tuple) and seen[0] == str(workspace):
        st.session_state[SEEN_KEY] = (seen[0], (seen[1] | {added} if added else seen[1]) - {removed})


def _count(rows: int) -> str:
    return f"{rows} row{'s' if rows != 1 else ''}"
