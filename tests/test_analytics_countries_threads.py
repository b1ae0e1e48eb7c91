"""Countries along a route, asked from several threads at once, as two sessions' page runs ask.

Streamlit runs each session's script in its own thread, and the server warms its caches in
another: before the index held a lock, two threads measuring routes on a new index crashed
the server ("double free or corruption", a segfault) in 12 of 20 tries. The race runs in a
child process, so that a crash fails this test instead of ending pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUTES = {"Chkalovsky -> al-Khadim": [(38.06, 55.88), (20.95, 32.64)],
          "Hmeimim -> Benina": [(35.95, 35.40), (20.27, 32.10)],
          "Machulishchy -> al-Jufra": [(27.58, 53.77), (16.03, 29.20)]}
RACE = """
import json, sys, threading
from layers.analytics import countries
from layers.geodesic import build_geodesic_line

routes = {name: build_geodesic_line([tuple(p) for p in points]) for name, points in json.loads(sys.argv[1]).items()}
answers = []
for _ in range(8):  # a new index each round: the crash came while its lazy internals were built
    countries._build_country_index.cache_clear()
    start = threading.Barrier(4)
    def measure():
        index = countries.load_country_index()
        start.wait()
        answers.append({name: index.list_countries_along(line) for name, line in routes.items()})
    threads = [threading.Thread(target=measure) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
print(json.dumps(answers))
"""


def test_four_threads_measuring_routes_at_once_get_the_countries_one_thread_gets() -> None:
    from layers.analytics.countries import load_country_index
    from layers.geodesic import build_geodesic_line

    alone = {name: load_country_index().list_countries_along(build_geodesic_line(points))
             for name, points in ROUTES.items()}
    run = subprocess.run([sys.executable, "-c", RACE, json.dumps(ROUTES)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=False)  # a crash is the failure this test reports
    assert run.returncode == 0, f"the threads crashed the process ({run.returncode}): {run.stderr[-2000:]}"
    answers = json.loads(run.stdout)
    assert len(answers) == 32
    assert all(answer == alone for answer in answers)
    assert alone["Hmeimim -> Benina"][0] == "Syria" and alone["Hmeimim -> Benina"][-1] == "Libya"


def test_every_caller_gets_the_one_index_of_the_process() -> None:
    from layers.analytics.countries import load_country_index

    assert load_country_index() is load_country_index()
