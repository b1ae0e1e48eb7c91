"""The codebase keeps its shape: imports point down (layers <- webmap <- export, app on top),
only ``dashboard/app/`` imports streamlit, modules stay small, and the app writes nothing into
its own source tree."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Which of Airbridge's own packages each part may import (itself included).
ALLOWED_IMPORTS = {
    "layers": {"layers"},
    "dashboard.webmap": {"layers", "dashboard.webmap"},
    "dashboard.export": {"layers", "dashboard.webmap", "dashboard.export"},
    "dashboard.app": {"layers", "dashboard.webmap", "dashboard.export", "dashboard.app"},
}
OWN_PACKAGES = ("layers", "dashboard")
MAX_MODULE_LINES = 400
STRING_IMPORT = re.compile(r"^(?:layers|dashboard)(?:\.\w+)+(?::\w+)?$")


def list_modules() -> list[tuple[str, Path]]:
    modules = []
    for package in ALLOWED_IMPORTS:
        folder = ROOT.joinpath(*package.split("."))
        modules += [(package, path) for path in sorted(folder.rglob("*.py"))]
    return modules


def list_imports(path: Path) -> list[str]:
    """Modules imported, including lazy imports and "package.module:name" strings loaded later."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and STRING_IMPORT.match(node.value):
            names.append(node.value.split(":")[0])
    return names


def find_part(module: str) -> str | None:
    for package in sorted(ALLOWED_IMPORTS, key=len, reverse=True):
        if module == package or module.startswith(package + "."):
            return package
    return "dashboard" if module == "dashboard" else None


def test_every_module_lives_in_one_of_the_four_parts() -> None:
    stray = [p.relative_to(ROOT).as_posix() for p in (ROOT / "dashboard").glob("*.py") if p.name != "__init__.py"]
    assert stray == [], "dashboard/ holds only app/, webmap/ and export/"


def test_imports_point_down_the_layers() -> None:
    wrong = []
    for package, path in list_modules():
        for name in list_imports(path):
            part = find_part(name)
            if name.split(".")[0] in OWN_PACKAGES and part not in ALLOWED_IMPORTS[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_only_the_app_imports_streamlit() -> None:
    wrong = [f"{path.relative_to(ROOT)} imports {name}" for package, path in list_modules()
             for name in list_imports(path) if package != "dashboard.app"
             and name.split(".")[0] in ("streamlit", "streamlit_folium")]
    assert wrong == []


@pytest.mark.parametrize("suffix", [".py", ".js"])
def test_modules_hold_one_job_each_under_400_lines(suffix: str) -> None:
    folders = [ROOT / "layers", ROOT / "dashboard"]
    long = [f"{p.relative_to(ROOT)}: {n}" for folder in folders for p in folder.rglob(f"*{suffix}")
            if "vendor" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert long == []


def test_using_layers_end_to_end_loads_no_streamlit() -> None:
    code = (
        "import sys, datetime as dt\n"
        "import layers\n"
        "from layers.cli import main\n"
        "snapshot = layers.build_snapshot(layers.load_dataset(), layers.TimeSelection(dt.date(2024, 12, 20)))\n"
        "layers.build_feature_collection(snapshot)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def list_source_files() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for folder in ("dashboard", "layers", "data", ".streamlit")
            for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_the_running_app_writes_nothing_into_its_source_tree(browser, tmp_path: Path) -> None:
    from tests.browser import open_offline_page
    from tests.dashboard_page import DashboardPage
    from tests.streamlit_server import run_streamlit

    before = list_source_files()
    with run_streamlit(cache_dir=tmp_path / "cache") as url:
        offline = open_offline_page(browser)
        try:
            dashboard = DashboardPage(offline.page)
            dashboard.open(url)
            assert dashboard.count(".ab-site") > 0
        finally:
            offline.page.context.close()
    assert list_source_files() == before
    assert any((tmp_path / "cache" / "published").rglob("catalogue-*.json")), "published into the cache folder"
