"""The benchmark's own tools work: the synthetic flight generator and the two reference apps.

Nothing here is timed (the speed targets live in ``bench/``): the generator's records pass
the analyst's import and validation and stay marked synthetic, and each reference app,
real ``streamlit run`` in offline Chromium, draws the flights of the workspace it is given
and follows its "Date" slider.
"""

from __future__ import annotations

import csv
import datetime as dt
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.bench_apps import count_sent_between, read_sent_bytes
from bench.generate_flights import ID_PREFIX, import_flights, write_flights_csv
from bench.reference_files import OPENING_DAY
from bench.reference_map import FLIGHT_COLOUR, WINDOW_DAYS
from layers import DEFAULT_DATA_DIR, TimeSelection
from layers.dataset import load_dataset
from layers.features import build_flight_layer
from layers.timeline import filter_by_window
from layers.workspace import load_workspace_dataset
from tests.browser import open_offline_page
from tests.dashboard_page import MAP_FRAME
from tests.streamlit_server import run_streamlit

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_APPS = ["reference_naive.py", "reference_feature_group.py"]


@pytest.fixture(scope="module")
def synthetic_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    import_flights(write_flights_csv(folder / "synthetic-flights-50.csv", 50), folder / "workspace")
    return folder / "workspace"


def test_generated_flights_pass_validation_and_say_they_are_synthetic(synthetic_workspace: Path) -> None:
    checked = subprocess.run([sys.executable, "-m", "layers", "validate", "--workspace", str(synthetic_workspace)],
                             check=False, cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    flights = load_workspace_dataset(DEFAULT_DATA_DIR, synthetic_workspace).flights
    synthetic = flights[flights["id"].str.startswith(ID_PREFIX)]
    assert len(synthetic) == 50
    assert synthetic["notes"].str.contains("SYNTHETIC").all()
    assert all(len(sources) == 1 and sources[0].startswith("file:synthetic-flights-50.csv (SYNTHETIC")
               for sources in synthetic["sources"])


def test_generated_flights_spread_over_the_shipped_period_between_located_ends(tmp_path: Path) -> None:
    dataset = load_dataset(DEFAULT_DATA_DIR)
    with write_flights_csv(tmp_path / "flights.csv", 600).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    days = [dt.date.fromisoformat(row["date"]) for row in rows]
    assert min(days) >= dataset.first_date.date() and max(days) <= dataset.last_date.date()
    assert len({(day.year, day.month) for day in days}) >= 13  # about 14 months
    assert all(row["origin"] in dataset.locations and row["destination"] in dataset.locations for row in rows)


@pytest.fixture(scope="module", params=REFERENCE_APPS)
def reference_url(request: pytest.FixtureRequest, synthetic_workspace: Path) -> Iterator[str]:
    with run_streamlit(workspace=synthetic_workspace, script=ROOT / "bench" / request.param) as url:
        yield url


def test_reference_app_draws_the_workspace_flights_and_follows_its_slider(
        reference_url: str, synthetic_workspace: Path, browser) -> None:
    dataset = load_workspace_dataset(DEFAULT_DATA_DIR, synthetic_workspace)
    shown = build_flight_layer(dataset, filter_by_window(dataset.flights, TimeSelection(OPENING_DAY, WINDOW_DAYS)))
    expected = int(shown.geometry.notna().sum())
    assert expected > 0
    offline = open_offline_page(browser)
    try:
        offline.page.goto(reference_url)
        frame = offline.page.frame_locator(MAP_FRAME).last  # the naive app remounts its map: the newest
        frame.locator(f"span.ref-asof[data-date='{OPENING_DAY.isoformat()}']").wait_for(timeout=60_000)
        assert frame.locator(f"path[stroke='{FLIGHT_COLOUR}']").count() == expected
        offline.page.get_by_role("slider", name="Date").focus()
        offline.page.keyboard.press("ArrowRight")
        next_day = (OPENING_DAY + dt.timedelta(days=1)).isoformat()
        frame.locator(f"span.ref-asof[data-date='{next_day}']").wait_for(timeout=60_000)
        assert offline.blocked == []
    finally:
        offline.page.context.close()


def test_the_bytes_a_server_sent_are_read_per_connection_from_the_kernel() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            with accepted:
                before = read_sent_bytes(port)
                accepted.sendall(b"x" * 5000)
                received = 0
                while received < 5000:
                    received += len(client.recv(65536))
                after = read_sent_bytes(port)
    assert before is not None and after is not None and len(after) == 1
    assert count_sent_between(before, after) == 5000
    assert count_sent_between({}, after) >= 5000  # a connection new since "before" counts from 0
