"""Benchmark of the briefing exports: each format in process, and the PNG command cold.

Run: ``.venv/bin/python bench/bench_export.py [--repeats N]``. Prints a table of medians.
The target is a PNG export under 3 s on a 2-core machine: the "cold" row is the whole
``python -m dashboard.export`` command (interpreter start, imports, data load, render,
write), as a user or a cron job runs it; the in-process rows are what the app's export
panel pays per click once the modules are loaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere

from layers import TimeSelection, build_snapshot, load_dataset  # noqa: E402

from dashboard.export.briefing import BriefingSpec  # noqa: E402
from dashboard.export.formats import FORMATS  # noqa: E402
from dashboard.export.product import write_product  # noqa: E402

AS_OF = dt.date(2024, 12, 20)
TARGET_PNG_S = 3.0


def time_command(folder: Path, repeats: int) -> list[float]:
    """Return wall times in seconds of the whole PNG command, a fresh interpreter each time."""
    times = []
    for index in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dashboard.export", "--as-of", AS_OF.isoformat(), "--format", "png",
                        "--out", str(folder / f"cold-{index}.png")], cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def time_format(format_key: str, folder: Path, repeats: int) -> tuple[list[float], int]:
    """Return wall times (s) of snapshot + export of one format in this process, and the file size."""
    dataset = load_dataset()
    times, size = [], 0
    for index in range(repeats + 1):  # the first run loads the writer's modules: not counted
        start = time.perf_counter()
        spec = BriefingSpec(TimeSelection(AS_OF), format=format_key)
        path = write_product(build_snapshot(dataset, spec.selection), spec, folder / f"{index}{spec.suffix}")
        if index:
            times.append(time.perf_counter() - start)
        size = path.stat().st_size
    return times, size


def time_as_seen(folder: Path, repeats: int) -> tuple[list[float], int]:
    """Return wall times (s) of the snapshot as seen on the embedded basemap (Chromium start included)."""
    from dashboard.export.snapshot_as_seen import write_snapshot_as_seen

    dataset = load_dataset()
    times = []
    for index in range(repeats):
        start = time.perf_counter()
        spec = BriefingSpec(TimeSelection(AS_OF), format="png", basemap="natural_earth")
        write_snapshot_as_seen(build_snapshot(dataset, spec.selection), spec, folder / f"seen-{index}.png")
        times.append(time.perf_counter() - start)
    return times, (folder / "seen-0.png").stat().st_size


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        cold_times = time_command(folder, args.repeats)
        rows = [("png, whole command (cold)", cold_times, (folder / "cold-0.png").stat().st_size)]
        for key in args.formats.split(","):
            rows.append((f"{key}, in process (warm)", *time_format(key, folder, args.repeats)))
        rows.append(("png as seen (Chromium)", *time_as_seen(folder, args.repeats)))
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, data as of {AS_OF}, extent theatre, "
          f"{args.repeats} repeats")
    print(f"{'export':28} {'median s':>9} {'max s':>7} {'size KB':>8}")
    for name, times, size in rows:
        print(f"{name:28} {statistics.median(times):9.2f} {max(times):7.2f} {size / 1024:8.0f}")
    cold = statistics.median(cold_times)
    verdict = "meets" if cold < TARGET_PNG_S else "MISSES"
    print(f"PNG command {cold:.2f} s: {verdict} the {TARGET_PNG_S:.0f} s target")


if __name__ == "__main__":
    main()
