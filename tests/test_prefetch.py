"""The per-date memo of the live page stays within its memory budget."""

from __future__ import annotations

import datetime as dt

import pytest

from layers import load_dataset
from tests.conftest import MINI_DATA

from dashboard.app.prefetch import StatePrefetcher, estimate_bytes
from dashboard.webmap.map_payload import build_catalogue, collect_catalogue_snapshots


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(MINI_DATA)


def make_prefetcher(dataset, **limits) -> StatePrefetcher:
    return StatePrefetcher(dataset, build_catalogue(collect_catalogue_snapshots(dataset)), **limits)


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
