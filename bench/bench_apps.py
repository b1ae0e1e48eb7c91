"""Airbridge against the two reference streamlit-folium apps, same data, same run, same Chromium (issue 11).

Usage::

    .venv/bin/python bench/bench_apps.py [--flights N] [--steps 30] [--opens 3] [--json PATH]

It starts three servers on free ports: the dashboard (``dashboard/app/page.py``), the naive
reference (``bench/reference_naive.py``: a new map each rerun, ``st_folium(m)``) and the
documented best pattern (``bench/reference_feature_group.py``: a static base map and
``st_folium(m, feature_group_to_add=fg, returned_objects=[])``), all on the shipped data or,
with ``--flights N``, on the shipped data plus N SYNTHETIC flight records imported into a
throwaway workspace (``bench/generate_flights.py``). Headless Chromium, every request off
this machine aborted. Measured for each app, phase by phase (each phase runs the three apps
one after the other, so a change of machine load falls on all three):

* **first map**: ``page.goto`` until the map shows its data and the Natural Earth basemap:
  the first visitor after the server started (a fresh cache folder; Airbridge is started as
  ``scripts/app.sh`` starts it, its map data published by ``python -m dashboard.app.prebuild``
  before the server starts), then new browser profiles and reloads with the HTTP cache.
* **step**: ArrowRight on the focused "Date" slider (Airbridge's in the map, the
  references' Streamlit slider), ``--steps`` times, ``--pause-ms`` apart: key press until
  the map shows the new date (the references: their date's layers were added to the map, ``reference_map.DateStamp``;
  Airbridge: ``Airbridge.drawnAt``), and until the app is idle (the last run that the step
  caused has ended); bytes received over the WebSocket (the messages as decoded) and runs
  (``script_finished``) per step, counted from one key press to the next; and **bytes on
  the wire**: what the server's TCP connections sent in that time (``ss -ti``,
  ``bytes_sent``), which with ``server.enableWebsocketCompression`` (``.streamlit/config.toml``,
  read by all three apps) is the compressed size.
* **drag** (Airbridge only; the references' Streamlit slider sends its value when released):
  pointer moves on the date control until the map shows a new date, and how many new
  dates the map paints per second during one continuous drag.
* **server memory**: resident set (``VmRSS``) of each server's process tree after the steps.

Prints a table, each figure also as a ratio to the ``feature_group_to_add`` reference, and
writes JSON (``bench/results/apps-<date>[-<N>flights].json`` or ``--json PATH``).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import the repository's packages

from playwright.sync_api import Browser, Frame, Page  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench.generate_flights import import_flights, write_flights_csv  # noqa: E402
from tests.browser import launch_browser, open_offline_page  # noqa: E402
from tests.dashboard_page import MAP_FRAME, RECORDER  # noqa: E402
from tests.streamlit_server import run_streamlit  # noqa: E402

OPENING_DAY = dt.date(2024, 12, 20)
REFERENCE = "feature_group"
WAIT_MS = 120_000  # a cold first map with 10,000 flights on a loaded 2-core machine
FRAMES_JS = f"() => [...document.querySelectorAll(\"{MAP_FRAME}\")].map((f) => f.contentWindow).filter((w) => w)"
# (day or null) -> whether some map frame shows that day (any day when null), basemap drawn.
SHOWS_JS = {
    "airbridge": f"""(day) => ({FRAMES_JS})().some((w) => {{ const m = w.document.querySelector('#map_div');
        return !!m && m.dataset.abReady === '1' && !!w.Airbridge.summary
          && (day === null || w.Airbridge.summary.asOf === day); }})""",
    "reference": f"""(day) => ({FRAMES_JS})().some((w) => {{ const m = w.document.querySelector('#map_div');
        return !!m && m.dataset.refBasemap === '1' && !!w.__refDrawn
          && (day === null ? Object.keys(w.__refDrawn).length > 0 : day in w.__refDrawn); }})""",
}
DRAWN_AT_JS = {
    "airbridge": f"(day) => Math.max(...({FRAMES_JS})().filter((w) => w.Airbridge && w.Airbridge.summary "
                 "&& w.Airbridge.summary.asOf === day).map((w) => w.Airbridge.drawnAt))",
    "reference": f"(day) => Math.max(...({FRAMES_JS})().filter((w) => w.__refDrawn && day in w.__refDrawn)"
                 ".map((w) => w.__refDrawn[day]))",
}
KEYS_JS = f"""([t, k]) => [window, ...({FRAMES_JS})()].flatMap((w) => w.__abKeys || [])
    .filter((e) => e[0] >= t && e[1] === k).map((e) => e[0]).sort((a, b) => a - b)[0]"""
# Installed in the map frame once it is drawn (streamlit-folium rewrites the frame's document
# after the init scripts ran, which drops their listeners): key presses, pointer moves, and
# each date Airbridge's map has painted, sampled once per animation frame. The reference
# maps stamp their dates themselves (reference_map.DateStamp).
LISTENERS_JS = """() => { if (window.__benchListening) return; window.__benchListening = true;
  const clock = () => performance.timeOrigin + performance.now();
  window.__abKeys = window.__abKeys || []; window.__benchMoves = []; window.__benchPainted = [];
  document.addEventListener('keydown', (e) => window.__abKeys.push([clock(), e.key]), true);
  document.addEventListener('pointermove', () => window.__benchMoves.push(clock()), true);
  let last = null;
  const sample = () => { const s = window.Airbridge && window.Airbridge.summary; const day = s ? s.asOf : null;
    if (day !== last) { window.__benchPainted.push([clock(), day]); last = day; }
    requestAnimationFrame(sample); };
  requestAnimationFrame(sample); }"""
NOW_JS = "() => performance.timeOrigin + performance.now()"


@dataclass(frozen=True)
class App:
    """One app under test: how it is started and how its map says what it shows."""

    name: str
    script: Path | None  # None: the dashboard
    kind: str  # "airbridge" or "reference": which SHOWS_JS / DRAWN_AT_JS
    query: str = ""


APPS = (
    App("airbridge", None, "airbridge", f"?date={OPENING_DAY.isoformat()}&window=7"),
    App("naive", ROOT / "bench" / "reference_naive.py", "reference"),
    App(REFERENCE, ROOT / "bench" / "reference_feature_group.py", "reference"),
)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write the JSON; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flights", type=int, default=0, help="add N synthetic flight records (workspace)")
    parser.add_argument("--steps", type=int, default=30, help="ArrowRight steps per app (default 30)")
    parser.add_argument("--drags", type=int, default=30, help="drag moves on Airbridge's control (default 30)")
    parser.add_argument("--opens", type=int, default=3, help="new profiles (and reloads) per app (default 3)")
    parser.add_argument("--pause-ms", type=int, default=300, help="pause after each step (default 300)")
    parser.add_argument("--timeout-s", type=float, default=WAIT_MS / 1000,
                        help="give up on an app whose first map takes longer (default 120)")
    parser.add_argument("--json", type=Path, help="where to write the JSON (default bench/results/apps-...)")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "machine": describe_machine(), "flights_added": args.flights,
                              "load_before": read_load(), "apps": {}}
    with tempfile.TemporaryDirectory(prefix="airbridge-bench-") as scratch, ExitStack() as servers:
        workspace = None
        if args.flights:
            workspace = Path(scratch) / "workspace"
            csv_path = write_flights_csv(Path(scratch) / f"synthetic-flights-{args.flights}.csv", args.flights)
            started = time.perf_counter()
            import_flights(csv_path, workspace)
            result["import_s"] = round(time.perf_counter() - started, 2)
        cache_dir = Path(scratch) / "cache"
        # Airbridge starts as scripts/app.sh starts it: the map's data published first.
        urls = {app.name: servers.enter_context(run_streamlit(cache_dir=cache_dir, workspace=workspace,
                                                              script=app.script, prebuild=app.script is None))
                for app in APPS}
        figures = measure_apps(urls, args)
        for app in APPS:  # an app that gave up is measured still building its first map
            figures[app.name]["server_rss_mb"] = read_tree_rss_mb(urls[app.name])
        figures["airbridge"]["catalogue_kb"] = measure_catalogue_kb(cache_dir)
    result["load_after"] = read_load()
    result["apps"] = figures
    result["ratios"] = {name: {key: _ratio(value, figures[REFERENCE].get(key)) for key, value in values.items()}
                        for name, values in figures.items()}
    print_table(result)
    path = args.json or ROOT / "bench" / "results" / (
        f"apps-{dt.date.today().isoformat()}" + (f"-{args.flights}flights" if args.flights else "") + ".json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {path}")
    return 0


def measure_apps(urls: dict[str, str], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Return each app's figures; every phase runs the three apps one after the other."""
    figures: dict[str, dict[str, Any]] = {app.name: {} for app in APPS}
    with launch_browser() as browser:
        warm_browser(browser)
        drawing = []
        for app in APPS:  # the first visitor after the server started
            try:
                opened = open_twice(browser, app, urls[app.name], reload=False, timeout_s=args.timeout_s)[0]
            except PlaywrightTimeoutError:
                figures[app.name]["failed"] = f"no first map within {args.timeout_s:.0f} s"
                continue
            figures[app.name]["first_visitor_s"] = round(opened, 2)
            drawing.append(app)
        fresh: dict[str, list[float]] = {app.name: [] for app in drawing}
        reloads: dict[str, list[float]] = {app.name: [] for app in drawing}
        for _ in range(args.opens):
            for app in drawing:
                first, again = open_twice(browser, app, urls[app.name], reload=True, timeout_s=args.timeout_s)
                fresh[app.name].append(first)
                reloads[app.name].append(again)
        for app in drawing:
            figures[app.name]["new_profile_s"] = round(statistics.median(fresh[app.name]), 2)
            figures[app.name]["reload_s"] = round(statistics.median(reloads[app.name]), 2)
        for app in drawing:
            figures[app.name].update(measure_steps(browser, app, urls[app.name], args))
    return figures


def warm_browser(browser: Browser) -> None:
    """Open and close one page of no app, so that each app's first visitor finds the browser in the same state.

    The first page a fresh Chromium opens also pays for starting its renderer and loading
    fonts; without this it fell on whichever app is measured first (Airbridge).
    """
    offline = open_offline_page(browser)
    try:
        offline.page.set_content("<p style='font-family: sans-serif'>Airbridge benchmark: warming the browser</p>"
                                 "<script>for (let i = 0; i < 1e6; i++) {}</script>")
    finally:
        offline.page.context.close()


def open_twice(browser: Browser, app: App, url: str, reload: bool, timeout_s: float) -> tuple[float, float]:
    """Open the app in a new browser profile (and once more in it when ``reload``); return the seconds."""
    offline = open_offline_page(browser)
    page = prepare(offline.page)
    try:
        times = [open_map(page, app, url, timeout_s)]
        if reload:
            times.append(open_map(page, app, url, timeout_s))
    finally:
        page.context.close()
    return times[0], times[-1]


def prepare(page: Page) -> Page:
    """Record WebSocket messages, key presses and errors in every frame of ``page``."""
    page.add_init_script(RECORDER)
    return page


def open_map(page: Page, app: App, url: str, timeout_s: float = WAIT_MS / 1000) -> float:
    """Open ``app`` and wait until its map shows its data and basemap; return the seconds."""
    started = time.perf_counter()
    page.goto(url + app.query)
    page.wait_for_function(SHOWS_JS[app.kind], arg=None, timeout=timeout_s * 1000)
    return time.perf_counter() - started


def measure_steps(browser: Browser, app: App, url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Step the date ``args.steps`` times with ArrowRight (and drag Airbridge's control); return the figures."""
    offline = open_offline_page(browser)
    page = prepare(offline.page)
    catalogues: list[Any] = []  # the responses that brought Airbridge's catalogue (none for the references)
    page.on("response", lambda response: catalogues.append(response) if "/catalogue-" in response.url else None)
    open_map(page, app, url)
    wait_until_idle(page, 0)
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            frame.evaluate(LISTENERS_JS)
    slider = date_slider(page, app)
    slider.focus()
    presses, drawn, sent = [], [], []
    day = OPENING_DAY
    port = int(urlsplit(url).port or 0)
    for _ in range(args.steps):
        day += dt.timedelta(days=1)
        sent.append(read_sent_bytes(port))
        marker = page.evaluate(NOW_JS)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(SHOWS_JS[app.kind], arg=day.isoformat(), timeout=WAIT_MS)
        drawn.append(page.evaluate(DRAWN_AT_JS[app.kind], day.isoformat()))
        wait_until_idle(page, marker)
        page.wait_for_timeout(args.pause_ms)  # an analyst reading the map; a run the step set off shows up here
        presses.append(page.evaluate(KEYS_JS, [marker, "ArrowRight"]))
    end = page.evaluate(NOW_JS)
    sent.append(read_sent_bytes(port))
    runs = list_messages(page)
    steps = [summarise_step(press, drawn_at, until, runs)
             for press, drawn_at, until in zip(presses, drawn, [*presses[1:], end], strict=True)]
    figures: dict[str, Any] = {
        "steps": len(steps),
        "step_drawn_p50_ms": _percentile([s["drawn_ms"] for s in steps], 50),
        "step_drawn_p95_ms": _percentile([s["drawn_ms"] for s in steps], 95),
        "step_idle_p50_ms": _percentile([s["idle_ms"] for s in steps], 50),
        "step_idle_p95_ms": _percentile([s["idle_ms"] for s in steps], 95),
        "bytes_per_step_mean": round(statistics.mean(s["bytes"] for s in steps)),
        "bytes_per_step_p95": _percentile([s["bytes"] for s in steps], 95),
        "runs_per_step_mean": round(statistics.mean(s["runs"] for s in steps), 2),
    }
    counted = [counts for counts in sent if counts is not None]
    if len(counted) == len(sent):  # ss is there
        wire = [count_sent_between(before, after) for before, after in itertools.pairwise(counted)]
        figures["wire_bytes_per_step_mean"] = round(statistics.mean(wire))
        figures["wire_bytes_per_step_p95"] = _percentile(wire, 95)
    if catalogues:  # as it travelled: the server gzips it
        figures["catalogue_wire_kb"] = round(max(r.request.sizes()["responseBodySize"] for r in catalogues) / 1024, 1)
    if app.kind == "airbridge":
        figures.update(measure_drags(page, find_airbridge_frame(page), args.drags))
    problems = offline.blocked + offline.console_errors
    figures["outside_requests_and_errors"] = len(problems)
    page.context.close()
    return figures


def date_slider(page: Page, app: App) -> Any:
    """The focusable "Date" slider: in Airbridge's map frame, or the references' Streamlit slider."""
    if app.kind == "airbridge":
        return page.frame_locator(MAP_FRAME).get_by_role("slider", name="Date")
    return page.get_by_role("slider", name="Date")


def wait_until_idle(page: Page, since_ms: float) -> None:
    """Wait until a run that started after ``since_ms`` has finished (its ``script_finished`` arrived)."""
    seen = 0
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        records = page.evaluate("(n) => window.__abWs.slice(n)", seen)
        seen += len(records)
        if any(arrived >= since_ms and describe_message(payload) == "script_finished"
               for arrived, _, payload in records):
            return
        page.wait_for_function("(n) => window.__abWs.length > n", arg=seen, timeout=WAIT_MS)
    raise TimeoutError("the app did not finish its run")


def list_messages(page: Page) -> list[tuple[float, int, str]]:
    """Return every WebSocket message the page received: (arrival, bytes, kind)."""
    return [(arrived, size, describe_message(payload))
            for arrived, size, payload in page.evaluate("() => window.__abWs")]


def summarise_step(pressed: float, drawn: float, until: float, messages: list[tuple[float, int, str]]) -> dict:
    """Return one step's latency to drawn and to idle, its bytes and runs (messages from the press to ``until``)."""
    own = [(arrived, size, kind) for arrived, size, kind in messages if pressed <= arrived < until]
    finished = [arrived for arrived, _, kind in own if kind == "script_finished"]
    return {"drawn_ms": drawn - pressed, "idle_ms": max([drawn, *finished]) - pressed,
            "bytes": sum(size for _, size, _ in own), "runs": len(finished)}


def find_airbridge_frame(page: Page) -> Frame:
    """Return the frame of Airbridge's map (the one whose script drew a date)."""
    for frame in page.frames:
        if "streamlit_folium" in frame.url and frame.evaluate("() => !!(window.Airbridge && window.Airbridge.summary)"):
            return frame
    raise AssertionError("no Airbridge map on the page")


def measure_drags(page: Page, frame: Frame, moves: int) -> dict[str, Any]:
    """Drag Airbridge's date control: latency per pointer move to a new date drawn, and dates painted per second."""
    box = frame.locator("input.ab-scrub-date").bounding_box()
    assert box is not None, "the date control is not on screen"
    summary = "() => [window.Airbridge.summary.asOf, window.Airbridge.drawnAt]"
    y = box["y"] + box["height"] / 2
    x = box["x"] + box["width"] * 0.2
    page.mouse.move(x, y)
    page.mouse.down()
    latencies = []
    for _ in range(moves):
        before = frame.evaluate(summary)[0]
        x += max(box["width"] / 150, 2.0)
        marker = page.evaluate(NOW_JS)
        page.mouse.move(x, y)
        frame.wait_for_function(f"(d) => ({summary})()[0] !== d", arg=before, timeout=WAIT_MS)
        moved = frame.evaluate("(t) => window.__benchMoves.filter((m) => m >= t)[0]", marker)
        latencies.append(frame.evaluate(summary)[1] - moved)
    painted_from = page.evaluate(NOW_JS)
    page.mouse.move(box["x"] + box["width"] * 0.9, y, steps=60)  # one continuous gesture
    painted_to = page.evaluate(NOW_JS)
    page.mouse.up()
    painted = frame.evaluate("(t) => window.__benchPainted.filter((p) => p[0] >= t).length", painted_from)
    wait_until_idle(page, painted_to)
    moved = frame.evaluate("([t, u]) => window.__benchMoves.filter((m) => m >= t && m <= u).length",
                           [painted_from, painted_to])
    seconds = max(painted_to - painted_from, 1) / 1000
    # Playwright sends the moves one at a time; the painted rate is bounded by the moves' rate.
    return {"drag_drawn_p50_ms": _percentile(latencies, 50), "drag_drawn_p95_ms": _percentile(latencies, 95),
            "drag_pointer_moves_per_s": round(moved / seconds, 1),
            "drag_dates_painted_per_s": round(painted / seconds, 1)}


def read_tree_rss_mb(url: str) -> float:
    """Return the resident memory of the server listening on ``url``'s port and its children, in MB.

    Read from ``/proc`` (no psutil in the environment): the process whose command line
    names the port, plus every process whose parent chain leads to it.
    """
    port = str(urlsplit(url).port)
    parents: dict[int, int] = {}
    root = None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        cmdline, status = _read_proc(entry / "cmdline"), _read_proc(entry / "status")
        if cmdline is None or status is None:
            continue  # the process ended between listing /proc and reading it: not part of the server
        args = cmdline.split("\0")
        parents[int(entry.name)] = int(_field(status, "PPid") or 0)
        if "--server.port" in args and args[args.index("--server.port") + 1] == port:
            root = int(entry.name)
    assert root is not None, f"no server process on port {port}"
    tree = [pid for pid in parents if _descends(pid, root, parents)]
    total_kb = 0
    for pid in tree:
        status = _read_proc(Path(f"/proc/{pid}/status"))  # None: a child that has just exited holds no memory
        total_kb += int((_field(status, "VmRSS") or "0 kB").split()[0]) if status is not None else 0
    return round(total_kb / 1024, 1)


def read_sent_bytes(port: int) -> dict[str, int] | None:
    """Return the bytes each open TCP connection of the server on ``port`` has sent so far, or None without ``ss``.

    Keyed by the connection's two addresses. ``ss -ti`` (iproute2) reports ``bytes_sent``:
    TCP payload, so WebSocket frames as compressed, HTTP responses as gzipped.
    """
    if shutil.which("ss") is None:
        return None
    out = subprocess.run(["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=True).stdout
    counts: dict[str, int] = {}
    connection = None
    for line in out.splitlines():
        if not line.startswith((" ", "\t")):
            connection = " ".join(line.split()[-2:])
            continue
        found = re.search(r"bytes_sent:(\d+)", line)
        if connection is not None:
            counts[connection] = int(found.group(1)) if found else 0
    return counts


def count_sent_between(before: dict[str, int], after: dict[str, int]) -> int:
    """Return the bytes the connections sent from ``before`` to ``after`` (a new connection from 0).

    A connection that closed in between is not counted: the page's only connection during a
    scrub is its WebSocket, open throughout.
    """
    return sum(count - before.get(connection, 0) for connection, count in after.items())


def measure_catalogue_kb(cache_dir: Path) -> float:
    """Return the size of the largest catalogue Airbridge published in ``cache_dir``, in KB."""
    sizes = [path.stat().st_size for path in cache_dir.rglob("catalogue*.json")]
    return round(max(sizes, default=0) / 1024, 1)


def describe_machine() -> str:
    """Return the CPU model, core count, memory and OS of this machine."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory_kb = int((_field(Path("/proc/meminfo").read_text(), "MemTotal") or "0 kB").split()[0])
    return f"{model}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.1f} GiB, {platform.platform()}"


def read_load() -> str:
    """Return the load averages over 1, 5 and 15 minutes (as ``uptime`` prints them)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def describe_message(payload: str | None) -> str:
    """Return the kind of one ForwardMsg (``script_finished``, ``delta.new_element`` ...)."""
    if payload is None:
        return "text"
    message = ForwardMsg()
    message.ParseFromString(base64.b64decode(payload))
    return message.WhichOneof("type") or "empty"


def print_table(result: dict[str, Any]) -> None:
    """Print each figure of each app and its ratio to the reference."""
    apps, ratios = result["apps"], result["ratios"]
    keys = list(dict.fromkeys(key for values in apps.values() for key in values))
    names = [app.name for app in APPS]
    header = ["measure", *names, *(f"{name}/{REFERENCE}" for name in names if name != REFERENCE)]
    rows = [[key, *(_show(apps[n].get(key)) for n in names),
             *(_show(ratios[n].get(key), "x") for n in names if n != REFERENCE)] for key in keys]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print(f"machine: {result['machine']}; load before {result['load_before']}, after {result['load_after']}; "
          f"synthetic flights added: {result['flights_added']}")
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def _show(value: object, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:.2f}{unit}" if unit else str(value)


def _ratio(value: object, reference: object) -> float | None:
    if not isinstance(value, int | float) or not isinstance(reference, int | float) or not reference:
        return None
    return round(value / reference, 3)


def _percentile(values: Sequence[float], percent: int) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))], 1)


def _read_proc(path: Path) -> str | None:
    """Return a /proc file's text, or None when its process has ended since /proc was listed."""
    try:
        return path.read_text(errors="replace")
    except OSError:
        return None


def _field(status: str, name: str) -> str | None:
    return next((line.split(":", 1)[1].strip() for line in status.splitlines() if line.startswith(name + ":")), None)


def _descends(pid: int, root: int, parents: dict[int, int]) -> bool:
    seen: set[int] = set()
    while pid and pid not in seen:
        if pid == root:
            return True
        seen.add(pid)
        pid = parents.get(pid, 0)
    return False


if __name__ == "__main__":
    sys.exit(main())
