"""The events of dates computed ahead of the slider, by one background thread.

The map draws every date itself (the catalogue's scrub index); what Python still shows per
date is the event list and its chooser. So only the window's events are computed
(``layers.features.build_event_layer``, about 11 ms with 10,000 flight records), not the
whole snapshot and map state (0.12-0.37 s and tens of MB kept per date at that size, which
nothing read). Analysts scrub: after each step the next dates in the same direction are
computed while the user reads the map, so the next key press finds them ready.
No Streamlit here; ``dashboard.app.cache`` keeps one prefetcher per dataset.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from layers import Dataset, TimeSelection
from layers.features import build_event_layer

DateKey = tuple[dt.date, int | None]  # (as_of, window_days)
MAX_ENTRIES = 1024
MAX_BYTES = 16 * 1024 * 1024
"""Memory the kept dates may take, estimated (:func:`estimate_bytes`): a large dataset keeps
fewer dates rather than growing the server without bound."""


@dataclass(frozen=True)
class DateData:
    """What the page's Python shows for one date and window.

    Attributes
    ----------
    events : list of dict
        The events in the window, newest first (:func:`list_window_events`).
    """

    events: list[dict[str, Any]]


class DatePrefetcher:
    """Computes and keeps :class:`DateData` per (date, window); shared and read-only.

    Parameters
    ----------
    dataset : Dataset
        The validated data.
    max_entries : int
        How many dates to keep at most (least recently used go first).
    max_bytes : int
        How much memory the kept dates may take, estimated by :func:`estimate_bytes`; the
        date just computed is always kept.
    """

    def __init__(self, dataset: Dataset, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self._dataset = dataset
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._entries: OrderedDict[DateKey, DateData] = OrderedDict()
        self._sizes: dict[DateKey, int] = {}
        self._pending: dict[DateKey, Future[DateData]] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="airbridge-prefetch")

    def get(self, as_of: dt.date, window_days: int | None) -> DateData:
        """Return the data of a date, computing it now unless it is ready or under way."""
        key = (as_of, window_days)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry
            future = self._pending.get(key)
        if future is not None:
            return future.result()
        return self._build_and_keep(key)

    @property
    def kept_bytes(self) -> int:
        """The estimated memory of the dates kept now."""
        with self._lock:
            return sum(self._sizes.values())

    @property
    def kept_dates(self) -> list[DateKey]:
        """The (date, window) pairs kept now, least recently used first."""
        with self._lock:
            return list(self._entries)

    def schedule(self, keys: Iterable[DateKey]) -> None:
        """Compute these dates in the background, nearest first, unless known or under way."""
        with self._lock:
            for key in keys:
                if key not in self._entries and key not in self._pending:
                    self._pending[key] = self._executor.submit(self._build_and_keep, key)

    def _build_and_keep(self, key: DateKey) -> DateData:
        try:
            data = DateData(list_window_events(build_event_layer(self._dataset, TimeSelection(*key))))
            size = estimate_bytes(data)
            with self._lock:
                self._entries[key] = data
                self._sizes[key] = size
                while len(self._entries) > 1 and (len(self._entries) > self._max_entries
                                                  or sum(self._sizes.values()) > self._max_bytes):
                    oldest, _ = self._entries.popitem(last=False)
                    self._sizes.pop(oldest, None)
            return data
        finally:
            with self._lock:
                self._pending.pop(key, None)


def estimate_bytes(data: DateData) -> int:
    """Return about how much memory a date's data holds: twice the length of its events' JSON.

    The JSON is within a small factor of the Python objects' size.
    """
    return 2 * len(json.dumps(data.events, default=str))


def list_window_events(events: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Return the properties of the event layer's events in the window, newest first, with ``point`` (lat, lon) or None.

    ``events`` is an event layer (``layers.features.build_event_layer``, or a snapshot's ``events``).
    """
    if events.empty:
        return []
    shown = events[events["in_window"]].sort_values(["date", "id"], ascending=[False, True])
    columns = [c for c in shown.columns if c != shown.geometry.name]
    rows = []
    for values, geometry in zip(shown[columns].itertuples(index=False, name=None), shown.geometry, strict=True):
        row = dict(zip(columns, values, strict=True))
        row["point"] = None if geometry is None or geometry.is_empty else (geometry.y, geometry.x)
        rows.append(row)
    return rows


def list_next_dates(as_of: dt.date, step_days: int, first: dt.date, last: dt.date,
                    ahead: int = 3) -> list[dt.date]:
    """Return the dates a user is likely to ask for next: ahead in the direction of travel, one back."""
    days = [as_of + dt.timedelta(days=step_days * i) for i in range(1, ahead + 1)]
    days.append(as_of - dt.timedelta(days=step_days))
    return [day for day in days if first <= day <= last]
