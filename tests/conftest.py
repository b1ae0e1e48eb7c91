"""Shared fixtures: running dashboards (real ``streamlit run``), a browser, and test datasets.

The servers are started once per session on free ports, waited for (health check) and
stopped at the end; each uses its own data folder through ``AIRBRIDGE_DATA_DIR``.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.streamlit_server import run_streamlit

TESTS = Path(__file__).resolve().parent
MINI_DATA = TESTS / "data" / "mini"
ARTIFACTS = TESTS / "artifacts"
# Text that would run script if any part of the page treated data as HTML or as a
# JavaScript template literal; each test checks the flags stay undefined.
MALICIOUS_NAME = "<img src=x onerror=window.__xss=1>${window.__xss2=1}`<script>window.__xss3=1</script>\\"
MALICIOUS_SITE = "hmeimim"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for screenshots (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def malicious_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of tests/data/mini whose Hmeimim site and every event title carry script."""
    folder = tmp_path_factory.mktemp("malicious-data")
    for source in MINI_DATA.glob("*.csv"):
        shutil.copy(source, folder / source.name)
    _rewrite_cells(folder / "sites.csv", lambda row: row["id"] == MALICIOUS_SITE, "name", MALICIOUS_NAME)
    _rewrite_cells(folder / "events.csv", lambda row: True, "title", "Title " + MALICIOUS_NAME)
    return folder


@pytest.fixture(scope="session")
def dashboard_url() -> Iterator[str]:
    """URL of the dashboard on the shipped data."""
    with run_streamlit() as url:
        yield url


@pytest.fixture(scope="session")
def malicious_dashboard_url(malicious_data_dir: Path) -> Iterator[str]:
    """URL of the dashboard on the malicious dataset."""
    with run_streamlit(malicious_data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless system Chromium for one test module.

    Module scope, not session: Playwright's sync API runs an event loop in the main
    thread, and other modules start their own Playwright, which fails while one is open.
    """
    from tests.browser import launch_browser

    with launch_browser() as chromium:
        yield chromium


def _rewrite_cells(path: Path, where: Callable[[dict[str, str]], bool], column: str, value: str) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    matched = [row for row in rows if where(row)]
    assert matched, f"{path.name}: no row to rewrite"
    for row in matched:
        row[column] = value
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
