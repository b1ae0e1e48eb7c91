"""The dashboard's launcher (``python -m dashboard.app.serve``, what ``scripts/app.sh`` runs).

It imports the page's libraries before the server listens and fills the page's caches for
the default view once Streamlit's runtime exists (issue 11: the first visitor after a start
waits for neither). What a user would notice if it went wrong: a server that does not start
or reads the wrong options, a page that does not draw, or, on data with a problem, a
traceback instead of the page's list of problems.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.browser import launch_browser, open_offline_page
from tests.conftest import MINI_DATA, warm_up
from tests.dashboard_page import DashboardPage
from tests.export_cases import ROOT
from tests.streamlit_server import find_free_port, run_streamlit

from dashboard.app.serve import PRELOADED


def read_server_log(port: int) -> str:
    return (Path(os.environ.get("TMPDIR", "/tmp")) / f"airbridge-streamlit-{port}.log").read_text(encoding="utf-8")


WARMED = ("publish_map_files", "start_prefetcher", "count_cached_per_week", "list_cached_days_seen")
MISSES = re.compile(r'cache_lookups_total\{cache="dashboard\.app\.cache\.(\w+)",[^}]*result="miss"\} (\d+)')


def read_cache_misses(url: str) -> dict[str, int]:
    """Return how often each of the page's cached functions has computed, from Streamlit's own metrics."""
    with urllib.request.urlopen(url + "_stcore/metrics", timeout=10) as response:
        return {name: int(count) for name, count in MISSES.findall(response.read().decode("utf-8"))}


def test_the_preloaded_modules_import_nothing_of_streamlit() -> None:
    probe = ("import importlib, sys; from dashboard.app.serve import PRELOADED\n"
             "[importlib.import_module(name) for name in PRELOADED]\n"
             "print(sorted(name for name in sys.modules if name.split('.')[0] in ('streamlit', 'streamlit_folium')))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"  # Streamlit reads its configuration only when its command line runs
    assert "folium" in PRELOADED and "geopandas" in PRELOADED


def test_the_launcher_serves_the_page_with_its_options_and_warms_it_without_a_word(tmp_path: Path) -> None:
    port = find_free_port()
    with run_streamlit(MINI_DATA, port=port, cache_dir=tmp_path / "cache") as url, launch_browser() as browser:
        assert url == f"http://127.0.0.1:{port}/"  # --server.port and --server.address reached Streamlit
        offline = open_offline_page(browser)
        dashboard = DashboardPage(offline.page)
        dashboard.open(url + "?date=2024-12-20&window=7")
        assert dashboard.summary()["sites"] > 0 and dashboard.script_errors() == []
        offline.page.context.close()
    log = read_server_log(port)
    assert "Traceback" not in log and "ScriptRunContext" not in log and "WARNING" not in log.upper(), log


def test_on_data_with_a_problem_the_page_lists_it_and_the_warm_up_stays_silent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for source in MINI_DATA.glob("*.csv"):
        shutil.copy(source, data / source.name)
    status = data / "site_status.csv"
    status.write_text(status.read_text(encoding="utf-8").replace("hmeimim,2024-12-07", "hmeimim,2024-02-30", 1),
                      encoding="utf-8")
    port = find_free_port()
    with run_streamlit(data, port=port, cache_dir=tmp_path / "cache") as url, launch_browser() as browser:
        offline = open_offline_page(browser)
        offline.page.goto(url)
        error = offline.page.locator('[data-testid="stAlert"]').first
        error.wait_for(timeout=60_000)
        assert "problem" in error.inner_text()
        assert "2024-02-30" in offline.page.locator('[data-testid="stCode"]').first.inner_text()
        offline.page.context.close()
    log = read_server_log(port)
    assert "Traceback" not in log, log  # the warm-up left the problem to the page


def test_the_first_visitor_after_the_warm_up_computes_nothing_again(tmp_path: Path) -> None:
    # Streamlit keys a cached value by the arguments passed: a warm-up that left the filters
    # to their default filled entries the page never read, and the visitor built them again.
    with run_streamlit(MINI_DATA, cache_dir=tmp_path / "cache") as url:
        deadline = time.monotonic() + 60
        while not all(read_cache_misses(url).get(name) for name in WARMED) and time.monotonic() < deadline:
            time.sleep(0.2)
        warmed = read_cache_misses(url)
        assert all(warmed.get(name) == 1 for name in WARMED), warmed
        warm_up(url)  # a first visitor's whole run
        assert read_cache_misses(url) == warmed


ARENAS_AFTER_EIGHT_THREADS = """
import ctypes, sys, threading
from dashboard.app.serve import limit_malloc_arenas
if sys.argv[1] == "limit":
    assert limit_malloc_arenas()
barrier = threading.Barrier(8)
def run_a_session():  # as a session's script thread does: allocate, hold, free at the end
    held = [bytearray(2000) for _ in range(5000)]
    barrier.wait()
threads = [threading.Thread(target=run_a_session) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" block per arena, on stderr
"""


def count_arenas(mode: str) -> int:
    env = {key: value for key, value in os.environ.items() if key != "MALLOC_ARENA_MAX"}
    done = subprocess.run([sys.executable, "-c", ARENAS_AFTER_EIGHT_THREADS, mode], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return len(re.findall(r"^Arena \d+:", done.stderr, flags=re.MULTILINE))


def test_the_launcher_holds_the_allocator_to_two_arenas_whatever_the_sessions() -> None:
    # Each session's run is a thread; glibc's own default gave each an arena that kept what
    # the run freed (the server's memory with 10,000 records grew 20-45 MB a session).
    assert count_arenas("default") > 2, "glibc's default: an arena per thread, up to 8 per core"
    assert count_arenas("limit") <= 2
