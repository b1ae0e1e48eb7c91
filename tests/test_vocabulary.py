"""One vocabulary: the coded values, their words and ranks, the window wording and "missing"."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from layers import TimeSelection
from layers.escaping import is_present as escaping_is_present
from layers.missing import is_null, is_present
from layers.schema import EVENTS, FLIGHTS, SITE_STATUS, SITES, CellError, FileSpec
from layers.style import GROUP_COLOURS, GROUP_LABELS, KIND_SYMBOLS, ROUTE_STYLES, STATUS_STYLES
from layers.timeline import CUMULATIVE, describe_window_length
from layers.vocabulary import (
    CATEGORY_LABELS,
    CONFIDENCE_LABELS,
    CONFIDENCE_LEVELS,
    EVENT_CATEGORIES,
    KIND_LABELS,
    NOT_REPORTED,
    RECORD_TYPE_LABELS,
    RECORD_TYPE_LEGENDS,
    RECORD_TYPE_WORDS,
    RECORD_TYPES,
    SITE_GROUPS,
    SITE_KINDS,
    STATUS_LABELS,
    STATUS_RANKS,
    STATUSES,
    rank_site,
    select_best_confidence,
    sort_confidence,
)

from dashboard.export.kml import KIND_ICONS


def parse_cell(spec: FileSpec, column: str, value: str) -> object:
    field = next(f for f in spec.fields if f.name == column)
    return field.parse(value)


@pytest.mark.parametrize(("spec", "column", "allowed"), [
    (SITES, "kind", SITE_KINDS), (SITES, "group", SITE_GROUPS), (SITES, "confidence", CONFIDENCE_LEVELS),
    (SITE_STATUS, "status", STATUSES), (FLIGHTS, "record_type", RECORD_TYPES),
    (EVENTS, "category", EVENT_CATEGORIES),
])
def test_the_schema_accepts_exactly_the_vocabulary(spec: FileSpec, column: str, allowed: tuple[str, ...]) -> None:
    for value in allowed:
        assert parse_cell(spec, column, value) == value
    with pytest.raises(CellError, match="not an allowed value"):
        parse_cell(spec, column, "unheard_of")


def test_not_reported_is_drawn_but_never_written_in_the_data() -> None:
    assert NOT_REPORTED not in STATUSES
    assert NOT_REPORTED in STATUS_STYLES


@pytest.mark.parametrize(("table", "keys"), [
    (STATUS_STYLES, (*STATUSES, NOT_REPORTED)), (STATUS_RANKS, (*STATUSES, NOT_REPORTED)),
    (ROUTE_STYLES, RECORD_TYPES), (KIND_SYMBOLS, SITE_KINDS), (KIND_ICONS, SITE_KINDS),
    (GROUP_COLOURS, SITE_GROUPS), (GROUP_LABELS, SITE_GROUPS), (CATEGORY_LABELS, EVENT_CATEGORIES),
    (CONFIDENCE_LABELS, CONFIDENCE_LEVELS), (RECORD_TYPE_LABELS, RECORD_TYPES),
    (RECORD_TYPE_WORDS, RECORD_TYPES), (RECORD_TYPE_LEGENDS, RECORD_TYPES),
])
def test_every_table_covers_exactly_the_vocabulary(table: dict[str, object], keys: tuple[str, ...]) -> None:
    assert sorted(table) == sorted(keys)


def test_the_symbology_shows_the_vocabulary_labels() -> None:
    assert {key: style.label for key, style in STATUS_STYLES.items()} == STATUS_LABELS
    assert {key: symbol.label for key, symbol in KIND_SYMBOLS.items()} == KIND_LABELS
    assert {key: style.label for key, style in ROUTE_STYLES.items()} == RECORD_TYPE_LEGENDS


def test_sites_rank_in_use_before_gone_before_unknown_and_busy_first() -> None:
    assert rank_site("active") == rank_site("suspended") < rank_site("withdrawn") < rank_site(NOT_REPORTED)
    assert rank_site("not a status") == rank_site(NOT_REPORTED)
    assert rank_site("withdrawn", busy=True) < rank_site("active")


def test_confidence_is_ordered_best_first() -> None:
    assert sort_confidence(["low", "high", "medium", "low"]) == ["high", "medium", "low"]
    assert select_best_confidence(["low", "medium"]) == "medium"


@pytest.mark.parametrize(("days", "as_window", "words"), [
    (1, False, "1 day"), (7, False, "7 days"), (None, False, "cumulative"),
    (1, True, "1 day"), (14, True, "14-day window"), (None, True, "cumulative"),
])
def test_the_window_length_has_one_wording(days: int | None, as_window: bool, words: str) -> None:
    assert describe_window_length(days, as_window=as_window) == words


def test_time_selection_describes_its_window_in_those_words() -> None:
    day = dt.date(2024, 12, 20)
    assert TimeSelection(day, 7).describe() == "7 days to 2024-12-20 (2024-12-14 - 2024-12-20)"
    assert TimeSelection(day, 1).describe() == "1 day to 2024-12-20 (2024-12-20 - 2024-12-20)"
    assert TimeSelection(day, None).describe() == f"{CUMULATIVE} to 2024-12-20"


@pytest.mark.parametrize("value", [None, math.nan, float("nan"), pd.NaT, pd.NA])
def test_every_form_of_null_is_missing(value: object) -> None:
    assert is_null(value)
    assert not is_present(value)


@pytest.mark.parametrize("value", ["", [], ()])
def test_empty_text_and_lists_are_not_null_but_not_present(value: object) -> None:
    assert not is_null(value)
    assert not is_present(value)


@pytest.mark.parametrize("value", ["x", 0, 0.0, False, ["a"], pd.Timestamp("2024-12-20"), {"a": 1}])
def test_values_are_present(value: object) -> None:
    assert is_present(value)


def test_escaping_uses_the_same_rule() -> None:
    assert escaping_is_present is is_present
