"""Benchmark of ADS-B tracks: a 1,000,000-position import, and a date step with 100,000 positions.

Run: ``.venv/bin/python bench/bench_tracks.py``. Builds OpenSky state-vector Parquet files
(tests/track_samples.py, constructed, not downloaded), imports them with the real command
line in a child process (wall time and the child's peak memory), then times the layer
builders a date step runs (load once, then one snapshot per date) with and without
100,000 positions in the workspace.
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere

import pandas as pd

from layers import (
    Dataset,
    TimeSelection,
    build_feature_collection,
    build_snapshot,
    dump_feature_collection,
    load_dataset,
)
from layers.workspace import load_workspace_dataset
from tests.track_samples import build_opensky_state_vectors

ROOT = Path(__file__).resolve().parent.parent
DATES = [dt.date(2024, 12, 20) + dt.timedelta(days=d) for d in range(14)]


def import_positions(folder: Path, rows: int, aircraft: int) -> tuple[Path, float, float]:
    """Write ``rows`` positions as Parquet, import them; return the workspace, seconds and peak MiB."""
    parquet = folder / f"states_{rows}.parquet"
    pd.DataFrame(build_opensky_state_vectors(rows, aircraft=aircraft)).to_parquet(parquet, index=False)
    workspace = folder / f"ws_{rows}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "layers", "import", str(parquet), "--kind", "track", "--workspace",
                    str(workspace)], cwd=ROOT, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return workspace, seconds, peak


def time_steps(dataset: Dataset) -> tuple[float, float, int]:
    """Return the median and worst ms of one date step (snapshot + GeoJSON), and the largest step in bytes."""
    times, sizes = [], []
    for day in DATES:
        start = time.perf_counter()
        text = dump_feature_collection(build_feature_collection(build_snapshot(dataset, TimeSelection(day, 7))))
        times.append((time.perf_counter() - start) * 1000)
        sizes.append(len(text.encode()))
    return statistics.median(times), max(times), max(sizes)


def main() -> None:
    """Print the benchmark table."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        _, seconds, peak = import_positions(folder, 1_000_000, 20)
        print(f"import 1,000,000 positions (OpenSky Parquet, 20 aircraft): {seconds:.1f} s, peak {peak:.0f} MiB")
        workspace, seconds, _ = import_positions(folder, 100_000, 10)
        print(f"import 100,000 positions: {seconds:.1f} s")
        start = time.perf_counter()
        tracked = load_workspace_dataset(workspace=workspace)
        print(f"load workspace with 100,000 positions (flights, gaps, candidates): "
              f"{time.perf_counter() - start:.2f} s; {len(tracked.tracks.flights)} flights, "
              f"{len(tracked.tracks.gaps)} gaps")
        plain = load_dataset()
        for label, dataset in (("without positions", plain), ("with 100,000 positions", tracked)):
            median, worst, size = time_steps(dataset)
            print(f"date step {label}: median {median:.0f} ms, worst {worst:.0f} ms, largest {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
