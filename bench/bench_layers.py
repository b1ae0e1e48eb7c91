"""Benchmark of the data foundation: load + validate, and one snapshot per date.

Run: ``.venv/bin/python bench/bench_layers.py``. Prints a table of medians over repeats.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere

from layers import (
    Dataset,
    Snapshot,
    TimeSelection,
    build_feature_collection,
    build_snapshot,
    dump_feature_collection,
    load_dataset,
)


def time_ms(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Return the median and max wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def build_snapshots(dataset: Dataset, dates: list[dt.date], window_days: int | None) -> list[Snapshot]:
    """Return the snapshot of every date, as a slider run over them builds them."""
    return [build_snapshot(dataset, TimeSelection(day, window_days)) for day in dates]


def main() -> None:
    """Print the benchmark table."""
    load_dataset()  # warm the airportsdata table, as a running app would have it
    dataset = load_dataset()
    dates = [dataset.first_date.date() + dt.timedelta(days=d) for d in range(0, 60, 3)]
    per_date = len(dates)
    rows = [("load + validate dataset", *time_ms(load_dataset, 10))]
    for label, window_days in (("7-day window", 7), ("cumulative", None)):
        median, worst = time_ms(functools.partial(build_snapshots, dataset, dates, window_days), 5)
        rows.append((f"build snapshot ({label}) per date", median / per_date, worst / per_date))
    snapshot = build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 20)))
    rows.append(("snapshot -> GeoJSON text",
                 *time_ms(lambda: dump_feature_collection(build_feature_collection(snapshot)), 20)))
    tracemalloc.start()
    build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 20), None))
    peak_kb = tracemalloc.get_traced_memory()[1] / 1024
    tracemalloc.stop()
    size_kb = len(dump_feature_collection(build_feature_collection(snapshot)).encode()) / 1024
    print(f"{'step':34} {'median ms':>10} {'max ms':>8}")
    for name, median, worst in rows:
        print(f"{name:34} {median:10.1f} {worst:8.1f}")
    print(f"GeoJSON of 2024-12-20 (7 days): {size_kb:.1f} KB; "
          f"peak memory of one cumulative snapshot: {peak_kb:.0f} KB")


if __name__ == "__main__":
    main()
