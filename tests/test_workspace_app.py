"""The page shows the shipped data with the workspace: the one named by the variable, or the session's pick."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers import cli as layers_cli
from tests.export_cases import MINI

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app" / "page.py")
SAMPLE_SITES = ROOT / "docs" / "samples" / "sites.csv"


def sidebar_counts(app: AppTest) -> str:
    return next(c.value for c in app.sidebar.caption if "flight records" in c.value)


@pytest.fixture
def filled_workspace(tmp_path: Path) -> Path:
    assert layers_cli.main(["import", str(SAMPLE_SITES), "--workspace", str(tmp_path / "ws"),
                            "--data", str(MINI)]) == 0
    return tmp_path / "ws"


def test_the_page_opens_on_the_workspace_the_variable_names(filled_workspace: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRBRIDGE_DATA_DIR", str(MINI))
    monkeypatch.setenv("AIRBRIDGE_WORKSPACE", str(filled_workspace))
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception
    assert sidebar_counts(app).startswith("8 sites"), "6 shipped sites and 2 imported"


def test_picking_another_workspace_redraws_the_page_from_it(filled_workspace: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRBRIDGE_DATA_DIR", str(MINI))
    monkeypatch.setenv("AIRBRIDGE_WORKSPACE", str(filled_workspace))
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.text_input(key="airbridge_import_workspace").set_value(str(tmp_path / "empty")).run()

    assert not app.exception
    assert sidebar_counts(app).startswith("6 sites")
