"""Constructed datasets for the analytics tests: tests/data/mini with the rows a test states.

Every row is made up for the test (ids say so: ``t-...``); airfield positions still come
from airportsdata by code, as in the real data. Columns not given are left empty, so
the rows follow whatever columns the mini files have.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from layers.dataset import Dataset, load_dataset

MINI = Path(__file__).resolve().parent / "data" / "mini"
SOURCE = "https://itamilradar.com/2024/12/27/the-russian-air-bridge-to-libya-continues-and-strengthens"
EXTRA_SITES = {
    "bamako": {"name": "Bamako-Senou", "kind": "airport", "group": "onward", "country": "ML", "icao": "GABS",
               "role": "Onward destination"},
    "sabha": {"name": "Sabha Airport", "kind": "airport", "group": "libya", "country": "LY", "icao": "HLLS",
              "role": "Libyan airfield"},
}


def flight(record_id: str, date: str, origin: str, destination: str, **cells: str) -> dict[str, str]:
    """Return a flights.csv row: an individual flight unless ``record_type`` says otherwise."""
    return {"id": record_id, "record_type": "individual", "date": date, "origin": origin,
            "origin_as_reported": origin or "not reported", "destination": destination,
            "destination_as_reported": destination or "not reported", "sources": SOURCE, "confidence": "medium",
            **cells}


def make_data_dir(folder: Path, *, flights: Iterable[Mapping[str, str]] = (), keep_flights: bool = False,
                  statuses: Iterable[Mapping[str, str]] = (), events: Iterable[Mapping[str, str]] = ()) -> Path:
    """Copy tests/data/mini to ``folder`` with the given rows (flights replace the mini ones unless kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in MINI.glob("*.csv"):
        shutil.copy(source, folder / source.name)
    _append(folder / "sites.csv", [{"id": key, "sources": SOURCE, "confidence": "high", **cells}
                                   for key, cells in EXTRA_SITES.items()])
    _append(folder / "flights.csv", flights, replace=not keep_flights)
    _append(folder / "site_status.csv", [{"sources": SOURCE, "confidence": "medium", **row} for row in statuses],
            optional={"actor": "russia"})
    _append(folder / "events.csv", [{"category": "flight", "description": "Constructed.", "sources": SOURCE,
                                     "confidence": "medium", **row} for row in events])
    return folder


def load_case(folder: Path, **rows: object) -> Dataset:
    """Return the dataset of :func:`make_data_dir` (same keywords)."""
    return load_dataset(make_data_dir(folder, **rows))  # type: ignore[arg-type]


def _append(path: Path, rows: Iterable[Mapping[str, str]], *, replace: bool = False,
            optional: Mapping[str, str] | None = None) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        kept = [] if replace else list(reader)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(kept)
        for given in rows:
            row = {**{k: v for k, v in (optional or {}).items() if k in header}, **given}
            unknown = set(row) - set(header)
            if unknown:
                raise KeyError(f"{path.name} has no columns {sorted(unknown)}")
            writer.writerow({column: row.get(column, "") for column in header})
