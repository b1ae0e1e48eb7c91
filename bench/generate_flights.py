"""Write N SYNTHETIC flight records into a throwaway workspace, for the scale benchmark (issue 11).

Usage::

    .venv/bin/python bench/generate_flights.py N --workspace DIR [--seed 11] [--csv PATH]

Every record is made up: its id starts with ``synthetic-``, its registration with ``SYN-``,
its note says it is synthetic and its source is ``file:<the generated file> (SYNTHETIC ...)``,
never a link. The spread imitates the shipped data: each record copies the legs (origin,
stops, destination), aircraft type and operator of a shipped flight record whose ends are
located, on a day drawn over the whole shipped period (about 14 months), weighted towards
the busier weeks of the shipped records. The file is imported with the normal command,
``python -m layers import FILE --workspace DIR``, so it passes the same validation as an
analyst's import; the shipped ``data/`` is never written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import the repository's packages

from layers.dataset import DEFAULT_DATA_DIR, load_dataset  # noqa: E402
from layers.schema import FLIGHTS  # noqa: E402

ID_PREFIX = "synthetic-"
NOTE = "SYNTHETIC benchmark record (bench/generate_flights.py): not a real flight."
SOURCE_LABEL = "SYNTHETIC: generated for the benchmark, not a report"
BUSY_WEEK_WEIGHT = 4.0  # a week with shipped records is this many times likelier than one without


def write_flights_csv(path: Path, count: int, seed: int = 11, data_dir: Path = DEFAULT_DATA_DIR) -> Path:
    """Write ``count`` synthetic flight records to ``path`` (a CSV file in the ``flights.csv`` layout).

    Parameters
    ----------
    path : Path
        The file to write; its name is what the records cite as their source.
    count : int
        How many records.
    seed : int
        Seed of the random spread (the same seed writes the same file).
    data_dir : Path
        The shipped data whose legs, types and dates the records imitate.
    """
    dataset = load_dataset(data_dir)
    flights = dataset.flights
    located = [row for _, row in flights.iterrows()
               if all(isinstance(stop, str) and stop in dataset.locations
                      for stop in [row["origin"], *(row["via"] or []), row["destination"]])]
    first, last = dataset.first_date.date(), dataset.last_date.date()
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    busy = {(day - first).days // 7 for day in flights["date"].dt.date}
    weights = [BUSY_WEEK_WEIGHT if (day - first).days // 7 in busy else 1.0 for day in days]
    rng = random.Random(seed)
    source = f"file:{path.name} ({SOURCE_LABEL})"
    header = list(FLIGHTS.columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for number, day in enumerate(rng.choices(days, weights, k=count)):
            template = rng.choice(located)
            row = {"id": f"{ID_PREFIX}{number:06d}", "record_type": "individual", "date": day.isoformat(),
                   "aircraft_type": template["aircraft_type"] or "", "registration": f"SYN-{rng.randrange(80):03d}",
                   "operator": template["operator"] or "", "origin": template["origin"],
                   "origin_as_reported": template["origin_as_reported"],
                   "destination": template["destination"],
                   "destination_as_reported": template["destination_as_reported"],
                   "via": ";".join(template["via"] or []), "notes": NOTE, "sources": source, "confidence": "low"}
            writer.writerow({column: row.get(column, "") for column in header})
    return path


def import_flights(path: Path, workspace: Path) -> None:
    """Import the file into ``workspace`` with ``python -m layers import`` (the analyst's path).

    Raises
    ------
    subprocess.CalledProcessError
        If the import refuses the file (its messages are on stderr).
    """
    subprocess.run([sys.executable, "-m", "layers", "import", str(path), "--kind", "flights",
                    "--workspace", str(workspace)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    """Write the records and import them; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int, help="how many synthetic flight records")
    parser.add_argument("--workspace", type=Path, required=True, help="the workspace folder to import into")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--csv", type=Path, help="keep the generated CSV file here (default: a temporary file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="airbridge-synthetic-") as scratch:
        path = args.csv or Path(scratch) / f"synthetic-flights-{args.count}.csv"
        write_flights_csv(path, args.count, args.seed)
        import_flights(path, args.workspace)
    print(f"{args.count} synthetic flight records imported into {args.workspace}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
