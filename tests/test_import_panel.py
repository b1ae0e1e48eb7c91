"""The import panel: preview before writing, confirm writes one batch, undo removes it, file text stays literal.

The panel runs in Streamlit's AppTest with its real file uploader (``set_value`` uploads
a name and bytes); imports are checked against tests/data/mini and written to a workspace
in tmp_path named by ``AIRBRIDGE_WORKSPACE``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers.escaping import quote_markdown_code
from layers.readers import ImportedRow
from layers.store import WORKSPACE_FILE, open_workspace
from tests.conftest import MINI_DATA

from dashboard.app.import_panel import preview_table
from dashboard.app.upload_names import clean_file_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SITES = ROOT / "docs" / "samples" / "sites.csv"
SITES_HEADER = "id,name,alt_names,kind,group,country,icao,lat,lon,coord_source,role,notes,conflict,sources,confidence\n"
HOSTILE = ("<img src=x onerror=alert(1)>", "**bold**", "[x](javascript:alert(1))")
HOSTILE_NAME = "".join(HOSTILE) + ".csv"
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def site_line(site_id: str, name: str = "Test strip", lat: str = "31.1") -> str:
    return f'{site_id},"{name}",,air_base,libya,LY,,{lat},20.2,hand-placed,strip seen on imagery,,,,\n'


def panel_app(data_dir: str) -> None:
    from pathlib import Path

    from dashboard.app.import_panel import render_import_panel

    render_import_panel(Path(data_dir))


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "workspace"
    monkeypatch.setenv("AIRBRIDGE_WORKSPACE", str(folder))
    return folder


def start(upload: tuple[str, bytes] | None = None) -> AppTest:
    app = AppTest.from_function(panel_app, kwargs={"data_dir": str(MINI_DATA)}, default_timeout=60)
    app.run()
    if upload is not None:
        app.file_uploader[0].set_value((upload[0], upload[1], "text/csv"))
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def markdown_texts(app: AppTest) -> list[str]:
    """Every element whose text Streamlit renders as Markdown."""
    return [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error")
            for e in app.get(kind)]


def assert_no_markup_from_the_file(app: AppTest) -> None:
    for text in markdown_texts(app):
        bare = CODE_SPAN.sub("", text)
        assert not any(h in bare for h in HOSTILE), text


def test_the_panel_names_its_workspace_and_says_the_map_shows_it(workspace: Path) -> None:
    app = start()
    assert app.get("file_uploader")[0].proto.type == [".csv", ".geojson", ".json", ".kml", ".kmz", ".gz", ".parquet"]
    assert app.text_input(key="airbridge_import_workspace").value == str(workspace.resolve())
    captions = [c.value for c in app.caption]
    assert f"Workspace: {quote_markdown_code(workspace.resolve())}" in captions
    assert any("The map shows the shipped data with this workspace" in c for c in captions)
    assert any("No imports in this workspace yet" in c for c in captions)
    assert not app.info and not app.error


def test_without_the_variable_the_default_folder_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRBRIDGE_WORKSPACE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = start()
    assert app.text_input(key="airbridge_import_workspace").value == str(tmp_path / "airbridge" / "workspace")
    assert any("It opens on `AIRBRIDGE_WORKSPACE` (else the default folder)" in c.value for c in app.caption)


def test_another_folder_is_used_for_imports_and_for_the_map(workspace: Path, tmp_path: Path) -> None:
    app = start()
    other = tmp_path / "other"
    app.text_input(key="airbridge_import_workspace").set_value(str(other)).run()
    assert f"Workspace: {quote_markdown_code(other)}" in [c.value for c in app.caption]
    assert app.session_state["airbridge_import_workspace"] == str(other), "the page reads the pick from here"
    app.file_uploader[0].set_value(("sites.csv", SAMPLE_SITES.read_bytes(), "text/csv")).run()
    app.button(key="airbridge_import_confirm").click().run()
    assert (other / WORKSPACE_FILE).is_file() and not (workspace / WORKSPACE_FILE).exists()


def test_a_folder_that_is_a_file_is_refused_with_one_message(workspace: Path, tmp_path: Path) -> None:
    app = start()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    app.text_input(key="airbridge_import_workspace").set_value(str(tmp_path / "a-file")).run()
    assert not app.exception and len(app.error) == 1 and "is a file, not a folder" in app.error[0].value


def test_the_sample_file_is_previewed_and_nothing_is_written(workspace: Path) -> None:
    app = start(("sites.csv", SAMPLE_SITES.read_bytes()))
    assert any("Would add sites: 2" in m.value for m in app.markdown)
    assert any("Kind guessed from the file: sites" in c.value for c in app.caption)
    table = app.dataframe[0].value
    assert list(table["id"]) == ["sample_misrata", "sample_mitiga"]
    assert list(table.columns) == ["kind", "where", "id", "name"]
    assert table["name"][0] == "Misrata International Airport (sample row)"
    assert app.button(key="airbridge_import_confirm").label == "Confirm: import 2 rows"
    assert not app.error and not (workspace / WORKSPACE_FILE).exists()


def test_confirm_writes_one_batch_and_undo_removes_it(workspace: Path) -> None:
    app = start(("sites.csv", SAMPLE_SITES.read_bytes()))
    app.button(key="airbridge_import_confirm").click().run()
    assert not app.exception and not app.error
    assert app.success[0].value == "Imported 2 rows as batch b0001 from `sites.csv`."
    store = open_workspace(workspace, create=False)
    try:
        (batch,) = store.list_batches()
        assert (batch.id, batch.file_name, batch.kinds, batch.rows) == ("b0001", "sites.csv", ("sites",), 2)
        assert {r.cells["sources"] for r in store.read_rows()["sites"]} == {"file:sites.csv"}
    finally:
        store.close()
    assert app.file_uploader[0].value is None, "a fresh, empty uploader after the import"
    batches = app.dataframe[0].value
    assert list(batches.columns) == ["id", "time (UTC)", "file", "kinds", "rows", "by"]
    assert list(batches.iloc[0][["id", "file", "kinds", "rows"]]) == ["b0001", "sites.csv", "sites", 2]
    app.button(key="airbridge_import_undo_b0001").click().run()
    assert app.success[0].value == "Removed batch b0001 (`sites.csv`, 2 rows)."
    store = open_workspace(workspace, create=False)
    try:
        assert store.list_batches() == []
    finally:
        store.close()
    assert not app.dataframe and any("No imports in this workspace yet" in c.value for c in app.caption)


def test_source_and_confidence_fill_rows_that_give_none(workspace: Path) -> None:
    app = start()
    app.text_input(key="airbridge_import_source").set_value("my notes")
    app.selectbox(key="airbridge_import_confidence").set_value("medium")
    app.file_uploader[0].set_value(("sites.csv", SAMPLE_SITES.read_bytes(), "text/csv")).run()
    app.button(key="airbridge_import_confirm").click().run()
    store = open_workspace(workspace, create=False)
    try:
        rows = store.read_rows()["sites"]
        (batch,) = store.list_batches()
    finally:
        store.close()
    assert {(r.cells["sources"], r.cells["confidence"]) for r in rows} == {("file:sites.csv (my notes)", "medium")}
    assert (batch.source, batch.confidence) == ("my notes", "medium")


def test_a_bad_row_shows_its_problem_and_nothing_is_written(workspace: Path) -> None:
    data = (SITES_HEADER + site_line("good_strip") + site_line("bad_strip", lat="north")).encode()
    app = start(("notes.csv", data))
    assert "Nothing would be written" in app.error[0].value and "Keep only the valid rows" in app.error[0].value
    problems = app.code[0].value
    assert "notes.csv:3: field 'lat': not a number (value 'north')" in problems
    assert "airbridge-import-" not in problems, "the file is named by its name, not its temporary copy"
    assert not app.button and not (workspace / WORKSPACE_FILE).exists()
    app.checkbox(key="airbridge_import_keep_valid").check().run()
    assert list(app.dataframe[0].value["id"]) == ["good_strip"] and "left out" in app.warning[0].value
    app.button(key="airbridge_import_confirm").click().run()
    assert app.success[0].value.startswith("Imported 1 row as batch b0001")


def test_a_row_that_clashes_with_a_stored_batch_is_refused(workspace: Path) -> None:
    app = start(("sites.csv", SAMPLE_SITES.read_bytes()))
    app.button(key="airbridge_import_confirm").click().run()
    app.file_uploader[0].set_value(("again.csv", SAMPLE_SITES.read_bytes(), "text/csv")).run()
    assert "Nothing would be written" in app.error[0].value
    assert "sample_misrata" in app.code[0].value
    assert [b.key for b in app.button] == ["airbridge_import_undo_b0001"], "no Confirm button"
    store = open_workspace(workspace, create=False)
    try:
        assert [b.id for b in store.list_batches()] == ["b0001"]
    finally:
        store.close()


def test_an_unreadable_file_gives_one_message_not_a_traceback(workspace: Path) -> None:
    app = start(("places.kmz", b"not a zip file"))
    assert not app.exception and app.error and app.code
    assert "places.kmz" in app.code[0].value
    assert not (workspace / WORKSPACE_FILE).exists()


def test_a_broken_workspace_file_is_named_with_what_to_do(workspace: Path) -> None:
    workspace.mkdir()
    (workspace / WORKSPACE_FILE).write_bytes(b"not a geopackage" * 100)
    app = start(("sites.csv", SAMPLE_SITES.read_bytes()))
    assert not app.exception and len(app.error) == 1
    assert "The workspace cannot be read" in app.error[0].value and "move the file away" in app.error[0].value
    assert not app.dataframe and not app.button


def test_a_hostile_file_name_and_content_are_shown_literally(workspace: Path) -> None:
    data = (SITES_HEADER + site_line("evil_strip", name=" ".join(HOSTILE))).encode()
    app = start((HOSTILE_NAME, data))
    assert app.dataframe[0].value["name"][0] == " ".join(HOSTILE)
    assert_no_markup_from_the_file(app)
    app.button(key="airbridge_import_confirm").click().run()
    assert app.success[0].value == f"Imported 1 row as batch b0001 from {quote_markdown_code(HOSTILE_NAME)}."
    assert app.dataframe[0].value["file"][0] == HOSTILE_NAME
    assert_no_markup_from_the_file(app)
    app.button(key="airbridge_import_undo_b0001").click().run()
    assert_no_markup_from_the_file(app)


def test_a_hostile_value_in_a_problem_is_shown_literally(workspace: Path) -> None:
    data = (SITES_HEADER + site_line("evil_strip", lat=HOSTILE[0])).encode()
    app = start((HOSTILE_NAME, data))
    assert f"{HOSTILE_NAME}:2: field 'lat'" in app.code[0].value and HOSTILE[0] in app.code[0].value
    assert_no_markup_from_the_file(app)


@pytest.mark.parametrize(("sent", "kept"), [
    ("sites.csv", "sites.csv"),
    ("../../etc/passwd.csv", "passwd.csv"),
    ("C:\\Users\\me\\notes.csv", "notes.csv"),
    ("evil\u202egpj.csv", "evilgpj.csv"),
    ("line\nbreak\x00.csv", "linebreak.csv"),
    ("  spaced name.csv  ", "spaced name.csv"),
    ("..", "upload"),
    ("dir/", "upload"),
    (HOSTILE_NAME, HOSTILE_NAME),
])
def test_uploaded_file_names_keep_only_their_last_part_without_control_characters(sent: str, kept: str) -> None:
    assert clean_file_name(sent) == kept


def test_a_long_file_name_is_cut_and_keeps_its_ending() -> None:
    name = clean_file_name("é" * 300 + ".geojson")
    assert name.endswith("é.geojson") and len(name.encode("utf-8")) <= 200


def test_the_preview_table_names_each_row_and_leaves_out_empty_columns() -> None:
    rows = (ImportedRow("statuses", 2, "line 2", {"site_id": "hmeimim", "date": "2025-01-02", "status": "x"}),
            ImportedRow("events", 0, "placemark 1 (Benina)", {"id": "e-1", "date": "2025-01-03", "title": "Seen"}))
    table = preview_table(rows)
    assert list(table.columns) == ["kind", "where", "id", "title", "date"]
    assert list(table["id"]) == ["hmeimim", "e-1"] and list(table["where"]) == ["line 2", "placemark 1 (Benina)"]


def test_an_uploaded_track_is_previewed_then_written_with_progress_and_listed(workspace: Path) -> None:
    import gzip
    import json

    from tests.track_samples import build_hmeimim_al_khadim_trace

    doc = build_hmeimim_al_khadim_trace()
    app = start(("trace_full_154076.json.gz", gzip.compress(json.dumps(doc).encode())))
    texts = [t.value for t in app.text]
    assert any(t.startswith(f"trace_full_154076.json.gz: would add {len(doc['trace'])} positions (readsb trace_full)")
               for t in texts), texts
    assert not (workspace / WORKSPACE_FILE).exists()  # nothing before Confirm
    confirm = next(b for b in app.button if b.label.startswith("Confirm: import"))
    assert confirm.label == f"Confirm: import {len(doc['trace'])} positions"
    confirm.click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    store = open_workspace(workspace, create=False)
    try:
        (batch,) = store.list_batches()
        assert batch.kinds == ("track",) and len(store.read_positions()) == len(doc["trace"])
    finally:
        store.close()
    assert any("Imported 201 positions as batch b0001" in s.value for s in app.success)


def test_an_uploaded_track_with_a_problem_is_refused_naming_point_and_field(workspace: Path) -> None:
    import json

    from tests.track_samples import build_hmeimim_al_khadim_trace

    doc = build_hmeimim_al_khadim_trace()
    doc["trace"][5][1] = 123.0
    app = start(("trace_full_154076.json", json.dumps(doc).encode()))
    assert any("Nothing would be written" in e.value for e in app.error)
    assert any("point 6: latitude outside -90..90" in c.value for c in app.code)
    assert not [b for b in app.button if b.label.startswith("Confirm")]
