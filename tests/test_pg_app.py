"""The app on a team's PostGIS workspace: an editor imports, a viewer is told why they cannot, news of others.

The import panel runs in Streamlit's AppTest against tests/data/mini, with
``AIRBRIDGE_WORKSPACE`` naming a database on the throwaway server (``tests/pg_server.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers.store import open_workspace, read_change_key
from tests.conftest import MINI_DATA
from tests.pg_server import EDITOR, VIEWER, PgServer
from tests.test_workspace_store import site_cells

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SITES = ROOT / "docs" / "samples" / "sites.csv"


def rendered(markdown: str) -> str:
    """The text a reader sees of escaped Markdown."""
    return re.sub(r"\\(.)", r"\1", markdown)


def panel_app(data_dir: str) -> None:
    from pathlib import Path

    from dashboard.app.import_panel import render_import_panel

    render_import_panel(Path(data_dir))


def start(upload: tuple[str, bytes] | None = None) -> AppTest:
    app = AppTest.from_function(panel_app, kwargs={"data_dir": str(MINI_DATA)}, default_timeout=60)
    app.run()
    if upload is not None:
        app.file_uploader[0].set_value((upload[0], upload[1], "text/csv"))
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_an_editor_imports_and_the_panel_never_shows_the_password(team_logins: PgServer, team_database: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRBRIDGE_WORKSPACE", team_logins.url(team_database, *EDITOR))
    app = start(("sites.csv", SAMPLE_SITES.read_bytes()))
    shown = app.text_input(key="airbridge_import_workspace").value
    assert shown == team_logins.url(team_database, EDITOR[0]) and EDITOR[1] not in shown
    assert not any(EDITOR[1] in c.value for c in app.caption)
    app.button(key="airbridge_import_confirm").click().run()
    assert not app.exception and not app.error
    assert app.success[0].value == "Imported 2 rows as batch b0001 from `sites.csv`."
    assert list(app.dataframe[0].value.iloc[0][["id", "file", "by"]]) == ["b0001", "sites.csv", "ana_editor"]
    assert not app.info, "the session's own import is not news"


def test_a_viewer_sees_the_batches_with_upload_and_undo_disabled_and_why(team_logins: PgServer, team_database: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    owner = open_workspace(team_logins.url(team_database))
    owner.add_batch("notes.csv", {"sites": [site_cells()]})
    owner.close()
    monkeypatch.setenv("PGPASSWORD", VIEWER[1])
    monkeypatch.setenv("AIRBRIDGE_WORKSPACE", team_logins.url(team_database, VIEWER[0]))
    app = start()
    (warning,) = app.warning
    assert rendered(warning.value).startswith("Uploads and undo are disabled: read-only: vic_viewer may only read "
                                              "this workspace (a viewer")
    assert app.get("file_uploader")[0].proto.disabled
    undo = app.button(key="airbridge_import_undo_b0001")
    assert undo.disabled and undo.help.startswith("read-only: vic_viewer may only read")
    assert list(app.dataframe[0].value["file"]) == ["notes.csv"]


def test_a_batch_another_analyst_adds_or_undoes_is_news_on_the_next_run(pg_server: PgServer,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url = pg_server.url(pg_server.create_database())
    monkeypatch.setenv("AIRBRIDGE_WORKSPACE", url)
    other = open_workspace(url)
    other.add_batch("a.csv", {"sites": [site_cells("a_strip")]})
    app = start()
    assert not app.info
    other.add_batch("b.csv", {"sites": [site_cells("b_strip"), site_cells("c_strip")]})
    other.remove_batch("b0001")
    app.run()
    (news,) = app.info
    assert rendered(news.value) == ("Changed in the workspace since this page last looked: b0002 (b.csv, 2 rows) "
                                    "added by postgres; b0001 undone. The map shows it.")
    other.close()


def test_the_change_key_moves_with_every_import_and_undo(pg_server: PgServer) -> None:
    url = pg_server.url(pg_server.create_database())
    assert read_change_key(url) == ("none",)
    store = open_workspace(url)
    assert read_change_key(url) == ("batches", "0", "")
    first = store.add_batch("a.csv", {"sites": [site_cells("a_strip")]})
    store.add_batch("b.csv", {"sites": [site_cells("b_strip")]})
    assert read_change_key(url) == ("batches", "2", "b0002")
    store.remove_batch(first.id)
    assert read_change_key(url) == ("batches", "1", "b0002")
    store.close()
    assert read_change_key(f"postgresql://nobody@127.0.0.1:1/{pg_server.create_database()}")[0] == "unreachable"
