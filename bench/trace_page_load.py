"""Print a request timeline of one page load of Airbridge or a reference app (issue 11: where the first map goes).

Run: ``.venv/bin/python bench/trace_page_load.py [airbridge|naive|feature_group] [--opens N]``.
Starts the app as ``bench/bench_apps.py`` does, opens it ``N`` times in new browser profiles
(headless Chromium, every outside request aborted) and prints, for the last load, each
request and WebSocket frame in milliseconds from the page's request, then the moment the
map shows its date and basemap (``bench_apps``' own check). The earlier loads' times are
printed alone: the first is the first visitor after the server started.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import the repository's packages

from playwright.sync_api import Browser  # noqa: E402

from bench.bench_apps import APPS, SHOWS_JS, App, prepare  # noqa: E402
from tests.browser import launch_browser, open_offline_page  # noqa: E402
from tests.streamlit_server import run_streamlit  # noqa: E402

WAIT_MS = 120_000


def main(argv: list[str] | None = None) -> int:
    """Print the timeline; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("app", nargs="?", default="airbridge", choices=[app.name for app in APPS])
    parser.add_argument("--opens", type=int, default=3, help="page loads, each in a new profile (default 3)")
    args = parser.parse_args(argv)
    app = next(app for app in APPS if app.name == args.app)
    with tempfile.TemporaryDirectory(prefix="airbridge-trace-") as scratch, \
            run_streamlit(cache_dir=Path(scratch) / "cache", script=app.script, prebuild=app.script is None) as url, \
            launch_browser() as browser:
        for load in range(1, args.opens + 1):
            events = trace_load(browser, app, url)
            if load < args.opens:
                print(f"load {load}: map shown at {events[-1][0]} ms")
        for moment, kind, what in events:
            print(f"{moment:6d}  {kind:10} {what}")
    return 0


def trace_load(browser: Browser, app: App, url: str) -> list[tuple[int, str, str]]:
    """Load ``app`` once in a new profile; return (ms, kind, what) of each request, frame and the map shown."""
    page = prepare(open_offline_page(browser).page)
    events: list[tuple[int, str, str]] = []
    started = time.perf_counter()

    def stamp(kind: str, what: str) -> None:
        events.append((round((time.perf_counter() - started) * 1000), kind, what))

    page.on("request", lambda request: stamp("request", request.url.replace(url, "/")[:100]))
    page.on("requestfinished", lambda request: stamp("finished", request.url.replace(url, "/")[:100]))
    page.on("websocket", lambda socket: socket.on(
        "framereceived", lambda payload: stamp("ws in", f"{len(payload)} bytes")))
    try:
        page.goto(url + app.query)
        page.wait_for_function(SHOWS_JS[app.kind], arg=None, timeout=WAIT_MS, polling=20)
        stamp("MAP SHOWN", "")
    finally:
        page.context.close()
    return sorted(events)


if __name__ == "__main__":
    sys.exit(main())
