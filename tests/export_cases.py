"""Shared cases for the export tests: the mini dataset as of a busy date, with a fixed clock.

Not a test module. ``tests/data/mini`` (see its README) holds one flight of each record
type, a named place, a corridor and events, which is enough to exercise every layer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from pathlib import Path

from layers import Dataset, Snapshot, TimeSelection, build_snapshot, load_dataset

from dashboard.export.briefing import BriefingSpec

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
GENERATED = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
AS_OF = dt.date(2024, 12, 27)
WINDOW_DAYS = 14  # 14-27 Dec: the Chkalovsky flight, the An-124, the plan, the NYT count report


@cache
def load_mini() -> Dataset:
    """Return the mini dataset (read once)."""
    return load_dataset(MINI)


def build_case(**changes) -> tuple[Snapshot, BriefingSpec]:
    """Return the snapshot of the mini data on ``AS_OF`` and a spec with ``changes`` applied."""
    selection = changes.pop("selection", TimeSelection(AS_OF, WINDOW_DAYS))
    spec = dataclasses.replace(BriefingSpec(selection, generated_at=GENERATED), **changes)
    return build_snapshot(load_mini(), selection), spec
