"""The per-date memo of the live page stays within its memory budget."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from tests.conftest import MINI_DATA

from dashboard.app.prefetch import DatePrefetcher, estimate_bytes, list_window_events


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(MINI_DATA)


def make_prefetcher(dataset, **limits) -> DatePrefetcher:
    return DatePrefetcher(dataset, **limits)


def test_a_date_is_computed_once_and_kept(dataset) -> None:
    prefetcher = make_prefetcher(dataset)
    day = dataset.first_date.date()
    assert prefetcher.get(day, 7) is prefetcher.get(day, 7)
    assert prefetcher.kept_dates == [(day, 7)]


def test_the_memo_drops_the_oldest_dates_beyond_its_byte_budget(dataset) -> None:
    first = dataset.first_date.date()
    one = estimate_bytes(make_prefetcher(dataset).get(first, 7))
    prefetcher = make_prefetcher(dataset, max_bytes=int(one * 2.5))
    days = [first + dt.timedelta(days=i) for i in range(6)]
    for day in days:
        prefetcher.get(day, 7)
    assert prefetcher.kept_bytes <= one * 2.5 * 1.5  # dates differ a little in size
    assert len(prefetcher.kept_dates) < len(days)
    assert prefetcher.kept_dates[-1] == (days[-1], 7)


def test_the_date_just_asked_for_is_kept_even_over_budget(dataset) -> None:
    prefetcher = make_prefetcher(dataset, max_bytes=1)
    day = dataset.first_date.date()
    prefetcher.get(day, None)
    assert prefetcher.kept_dates == [(day, None)]


def test_the_estimate_grows_with_the_text_a_date_holds(dataset) -> None:
    prefetcher = make_prefetcher(dataset)
    first, last = dataset.first_date.date(), dataset.last_date.date()
    assert estimate_bytes(prefetcher.get(last, None)) > estimate_bytes(prefetcher.get(first, 1))


def test_a_dates_events_are_those_its_whole_snapshot_lists(dataset) -> None:
    prefetcher = make_prefetcher(dataset)
    first, last = dataset.first_date.date(), dataset.last_date.date()
    days = [first + (last - first) * share // 4 for share in range(5)]
    for day, window in itertools.product(days, (1, 7, None)):
        from_snapshot = list_window_events(build_snapshot(dataset, TimeSelection(day, window)).events)
        kept = prefetcher.get(day, window).events
        assert json.dumps(kept, default=str) == json.dumps(from_snapshot, default=str)
    assert any(prefetcher.get(day, None).events for day in days)  # some date has events to compare
