"""Measure the live dashboard in real headless Chromium, offline: first map, slider steps, bytes.

Usage::

    .venv/bin/python bench/bench_dashboard.py [--steps 30] [--opens 5] [--pause-ms 300] [--url URL]

Without ``--url`` it starts ``streamlit run dashboard/app/page.py`` on the shipped data on a
free port (and stops it afterwards). What it measures, all in the page's own clock:

* **first map**: from ``page.goto`` until the map has drawn its layers and the Natural
  Earth basemap. The first open after the server starts (it also builds the caches),
  then fresh browser profiles (empty HTTP cache) and reloads (warm HTTP cache).
* **date step**: focus the map's "Date" control (``airbridge-scrub.js``), press
  ArrowRight; latency until the map shows the new date (drawn in the browser, from the
  catalogue's scrub index), p50/p95; and until the run Streamlit makes once the map
  reports the settled date (about 350 ms later: event list, histogram, URL) has ended.
  Steps are ``--pause-ms`` apart (an analyst
  reading the map), starting on 20 Dec 2024 with the 7-day window.
* **jump**: PageUp (a big step to dates not computed ahead).
* **bytes per step**: WebSocket payload received by the browser per step (uncompressed
  protobuf), p50/p95/max, and what the browser sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import the repository's packages

from tests.browser import launch_browser, open_offline_page  # noqa: E402
from tests.dashboard_page import DashboardPage, StepTiming  # noqa: E402
from tests.streamlit_server import run_streamlit  # noqa: E402

OPENING_DAY = dt.date(2024, 12, 20)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=30, help="ArrowRight steps (default 30)")
    parser.add_argument("--jumps", type=int, default=5, help="PageUp jumps (default 5)")
    parser.add_argument("--opens", type=int, default=5, help="page opens per kind (default 5)")
    parser.add_argument("--pause-ms", type=int, default=300, help="pause between steps (default 300)")
    parser.add_argument("--url", help="measure a running dashboard instead of starting one")
    args = parser.parse_args(argv)
    if args.url:
        rows = measure(args.url, args, first_open=None)
    else:
        with run_streamlit() as url:
            started = time.perf_counter()
            rows = measure(url, args, first_open=started)
    print_table(rows)
    return 0


def measure(url: str, args: argparse.Namespace, first_open: float | None) -> list[tuple[str, str, str]]:
    """Return the table rows (what, value, target)."""
    rows: list[tuple[str, str, str]] = []
    with launch_browser() as browser:
        offline = open_offline_page(browser)
        page = DashboardPage(offline.page)
        opened = page.open(url)
        if first_open is not None:
            rows.append(("first map, first visitor after server start (s)", f"{opened:.2f}", "<= 2 s"))
        offline.page.context.close()
        fresh, reloads = [], []
        for _ in range(args.opens):
            offline = open_offline_page(browser)
            page = DashboardPage(offline.page)
            fresh.append(page.open(url))
            reloads.append(page.open(url))
            offline.page.context.close()
        rows.append(("first map, new browser profile (s), median", f"{statistics.median(fresh):.2f}", "<= 2 s"))
        rows.append(("first map, reload with HTTP cache (s), median", f"{statistics.median(reloads):.2f}", "<= 2 s"))

        offline = open_offline_page(browser)
        page = DashboardPage(offline.page)
        page.open(url)
        page.wait_until_settled()
        page.focus_slider()
        steps: list[StepTiming] = []
        day = OPENING_DAY
        for _ in range(args.steps):
            day += dt.timedelta(days=1)
            steps.append(page.step_right(day))
            offline.page.wait_for_timeout(args.pause_ms)
        jumps = []
        for _ in range(args.jumps):
            jumps.append(page.press("PageUp"))
            offline.page.wait_for_timeout(args.pause_ms)
        problems = offline.blocked + offline.console_errors + page.script_errors()
        offline.page.context.close()
    rows += [
        (f"date step to map drawn, p50 / p95 (ms), n={len(steps)}", _p50_p95([s.map_ms for s in steps]), "p50 <= 120"),
        ("date step to idle (report debounced 350 ms), p50 / p95 (ms)", _p50_p95([s.latency_ms for s in steps]), ""),
        (f"jump (PageUp) to idle, p50 / p95 (ms), n={len(jumps)}", _p50_p95([s.latency_ms for s in jumps]), ""),
        ("bytes received per step, p50 / p95", _p50_p95([s.received_bytes for s in steps], ".0f"), "<= 15 KB"),
        ("bytes received per step, max", f"{max(s.received_bytes for s in steps)}", ""),
        ("bytes sent per step, p50", f"{statistics.median(s.sent_bytes for s in steps):.0f}", ""),
        ("requests leaving the machine / errors", f"{len(problems)}", "0"),
    ]
    largest = max(steps, key=lambda s: s.received_bytes)
    parts = ", ".join(f"{kind} {size}" for kind, size in sorted(largest.messages.items(), key=lambda kv: -kv[1])[:5])
    rows.append(("largest step by message kind (bytes)", parts, ""))
    return rows


def print_table(rows: list[tuple[str, str, str]]) -> None:
    """Print the rows as an aligned text table."""
    width = max(len(what) for what, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    print(f"{'measure'.ljust(width)}  {'value'.ljust(value_width)}  target")
    for what, value, target in rows:
        print(f"{what.ljust(width)}  {value.ljust(value_width)}  {target}")


def _p50_p95(values: list[float], spec: str = ".0f") -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):{spec}} / {p95:{spec}}"


if __name__ == "__main__":
    sys.exit(main())
