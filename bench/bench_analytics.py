"""Benchmark of the analytics: ``routes`` over the whole shipped period, and over 10,000 constructed flights.

Run: ``.venv/bin/python bench/bench_analytics.py``. Targets (issue 15): the ``routes``
command over the whole shipped period in under 2 s, and with 10,000 flights in under
10 s. The 10,000 flights are made up for the benchmark (ids ``bench-...``, registrations
``TEST-...``) between the shipped sites and places, in a copy of ``data/`` in a temporary
folder; nothing is written into the source tree.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere

from layers.analytics import Period, build_route_statistics, compare_dates  # noqa: E402
from layers.analytics.geometry import measure_route  # noqa: E402
from layers.dataset import DEFAULT_DATA_DIR, load_dataset  # noqa: E402

FLIGHTS = 10_000
TYPES = ("An-124", "Il-76MD", "Il-62M", "An-72", "Tu-154M", "")
SOURCE = "https://itamilradar.com/2024/12/27/the-russian-air-bridge-to-libya-continues-and-strengthens (bench)"


def time_s(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Return the median wall time and the median CPU time (this process and its children) of ``action``, in s."""
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), _cpu_s()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu_s() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _cpu_s() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_command(*argv: str) -> None:
    """Run ``python -m layers`` as a user would, output discarded."""
    subprocess.run([sys.executable, "-m", "layers", *argv], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def build_many_flights(folder: Path, count: int, seed: int = 15) -> Path:
    """Copy data/ to ``folder`` and add ``count`` constructed flights between its sites and places."""
    shutil.copytree(DEFAULT_DATA_DIR, folder, dirs_exist_ok=True)
    dataset = load_dataset(DEFAULT_DATA_DIR)
    ends = sorted(dataset.locations)
    first, last = dataset.first_date.date(), dataset.last_date.date()
    rng = random.Random(seed)
    path = folder / "flights.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        for number in range(count):
            origin, destination = rng.sample(ends, 2)
            day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
            counted = rng.random() < 0.1
            row = {"id": f"bench-{number:05d}", "record_type": "count" if counted else "individual",
                   "date": day.isoformat(), "count": "at least 3" if counted else "",
                   "count_min": "3" if counted else "",
                   "aircraft_type": rng.choice(TYPES), "registration": f"TEST-{rng.randrange(60):03d}",
                   "origin": origin, "origin_as_reported": origin, "destination": destination,
                   "destination_as_reported": destination, "sources": SOURCE, "confidence": "low"}
            writer.writerow({column: row.get(column, "") for column in header})
    return folder


def main() -> None:
    """Print the benchmark table."""
    rows: list[tuple[str, float, float]] = []
    shipped = load_dataset()
    whole = Period(shipped.first_date.date(), shipped.last_date.date())
    rows.append(("routes, whole command, shipped period", *time_s(lambda: run_command("routes", "--format", "json"),
                                                                  5)))
    rows.append(("routes --format csv, whole command", *time_s(lambda: run_command("routes", "--format", "csv"), 3)))
    rows.append(("build_route_statistics, first call in a process (basemap read)",
                 *time_s(lambda: build_route_statistics(shipped, whole), 1)))

    def fresh() -> None:
        measure_route.cache_clear()
        build_route_statistics(shipped, whole)

    rows.append(("build_route_statistics, shipped period (route cache cleared)", *time_s(fresh, 5)))
    rows.append(("compare_dates 2024-12-10 -> 2024-12-24",
                 *time_s(lambda: compare_dates(shipped, dt.date(2024, 12, 10), dt.date(2024, 12, 24)), 5)))
    with tempfile.TemporaryDirectory(prefix="airbridge-bench-") as tmp:
        many = build_many_flights(Path(tmp) / "data", FLIGHTS)
        rows.append((f"routes, whole command, {FLIGHTS:,} more flights",
                     *time_s(lambda: run_command("routes", "--format", "json", "--data", str(many)), 3)))
        rows.append((f"load + validate with {FLIGHTS:,} more flights", *time_s(lambda: load_dataset(many), 1)))
        big = load_dataset(many)

        def fresh_big() -> None:
            measure_route.cache_clear()
            build_route_statistics(big, Period(big.first_date.date(), big.last_date.date()))

        rows.append((f"build_route_statistics, {FLIGHTS:,} more flights (route cache cleared)",
                     *time_s(fresh_big, 3)))
        routes = build_route_statistics(big, Period(big.first_date.date(), big.last_date.date()))
    print(f"{'step':<72} {'wall s':>7} {'CPU s':>7}")
    for label, wall, cpu in rows:
        print(f"{label:<72} {wall:>7.2f} {cpu:>7.2f}")
    print(f"({len(routes)} routes from {len(big.flights):,} flight records; medians; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
