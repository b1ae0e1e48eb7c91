"""Shared fixtures: running dashboards (real ``streamlit run``), a browser, test datasets, commands.

The servers are started once per session on free ports, waited for (health check), warmed
(one script run) and stopped at the end; each uses its own data folder through
``AIRBRIDGE_DATA_DIR``. Command lines run in this process through their ``main(argv)``.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.streamlit_server import run_streamlit

# The throwaway PostgreSQL server and the two-backend ``workspace`` fixture (tests/pg_server.py).
pytest_plugins = ["tests.pg_server"]

TESTS = Path(__file__).resolve().parent
MINI_DATA = TESTS / "data" / "mini"
ARTIFACTS = TESTS / "artifacts"
# Text that would run script if any part of the page treated data as HTML or as a
# JavaScript template literal; each test checks the flags stay undefined.
MALICIOUS_NAME = "<img src=x onerror=window.__xss=1>${window.__xss2=1}`<script>window.__xss3=1</script>\\"
MALICIOUS_SITE = "hmeimim"
WARM_UP_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class CommandResult:
    """What a command line showed its user: exit status, standard output and standard error."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_main(capsys: pytest.CaptureFixture[str]) -> Callable[..., CommandResult]:
    """Run a command line's ``main(argv)`` in this process and return what ``python -m`` would show."""
    def run(main: Callable[[Sequence[str]], int], *argv: str) -> CommandResult:
        capsys.readouterr()  # only this run's output
        status = call_main(main, argv)
        out, err = capsys.readouterr()
        return CommandResult(status, out, err)

    return run


def call_main(main: Callable[[Sequence[str]], int], argv: Sequence[str]) -> int:
    """Call ``main(argv)``; return the exit status the process would have (argparse exits with ``SystemExit``)."""
    try:
        return main(list(argv))
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1


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
    """URL of the dashboard on the shipped data (warmed)."""
    with run_streamlit() as url:
        warm_up(url)
        yield url


@pytest.fixture(scope="session")
def malicious_dashboard_url(malicious_data_dir: Path) -> Iterator[str]:
    """URL of the dashboard on the malicious dataset (warmed)."""
    with run_streamlit(malicious_data_dir) as url:
        warm_up(url)
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


def warm_up(url: str) -> None:
    """Run the app's script once, as a browser's first visit does, and wait until the run ends.

    The first run imports the page's modules, reads the data and publishes the map files
    (about 2 s); afterwards a page opens as fast as any later one, so the first browser
    test times the page, not the warm-up. A bare WebSocket client is enough, and cheaper
    than starting Chromium: the browser's own caches are per test (a new context each).
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    request = BackMsg()
    request.rerun_script.query_string = ""
    deadline = time.monotonic() + WARM_UP_TIMEOUT_S
    stream = url.replace("http://", "ws://", 1) + "_stcore/stream"
    with connect(stream, subprotocols=["streamlit"], open_timeout=WARM_UP_TIMEOUT_S) as socket:
        socket.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=max(deadline - time.monotonic(), 0.0)))
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
                raise RuntimeError(f"the app's first run failed: {message.delta.new_element.exception.message}")
            if kind == "script_finished":
                return


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
