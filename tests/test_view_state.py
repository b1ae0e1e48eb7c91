"""URL parameters of the view: parsed, clamped, written back (dashboard.app.view_state, no Streamlit)."""

from __future__ import annotations

import datetime as dt

import pytest

from layers import LAYER_NAMES
from layers.escaping import escape_markdown

from dashboard.app.view_state import (
    DEFAULT_DATE,
    ViewState,
    clamp_date,
    encode_view_state,
    find_default_date,
    parse_view_state,
    step_date,
)

FIRST, LAST = dt.date(2024, 11, 27), dt.date(2026, 1, 27)


def test_no_parameters_give_the_opening_view_without_notice() -> None:
    assert parse_view_state({}, FIRST, LAST) == (ViewState(DEFAULT_DATE, "7", LAYER_NAMES, "natural_earth"), [])


def test_a_valid_url_is_read_as_written() -> None:
    params = {"date": "2025-06-01", "window": "30", "layers": "event,site", "basemap": "carto_dark"}
    assert parse_view_state(params, FIRST, LAST) == (ViewState(dt.date(2025, 6, 1), "30", ("site", "event"),
                                                               "carto_dark"), [])


@pytest.mark.parametrize(("raw", "expected", "words"), [
    ("2030-01-01", LAST, "after the data ends"),
    ("1999-12-31", FIRST, "before the data starts"),
    ("2024-02-30", DEFAULT_DATE, "not a date"),
    ("yesterday", DEFAULT_DATE, "not a date"),
    ("", DEFAULT_DATE, "not a date"),
])
def test_a_bad_date_is_clamped_or_replaced_with_a_notice(raw: str, expected: dt.date, words: str) -> None:
    view, notices = parse_view_state({"date": raw}, FIRST, LAST)
    assert view.as_of == expected
    assert len(notices) == 1 and words in notices[0]


def test_the_last_of_repeated_parameters_counts() -> None:
    view, _ = parse_view_state({"date": ["2025-01-01", "2025-02-01"]}, FIRST, LAST)
    assert view.as_of == dt.date(2025, 2, 1)


def test_an_unknown_window_falls_back_to_seven_days() -> None:
    view, notices = parse_view_state({"window": "14"}, FIRST, LAST)
    assert view.window == "7" and view.window_days == 7 and "window" in notices[0]


def test_cumulative_window_has_no_length() -> None:
    view, _ = parse_view_state({"window": "ALL"}, FIRST, LAST)
    assert view.window == "all" and view.window_days is None


def test_unknown_layers_are_dropped_with_a_notice_and_known_ones_kept_in_order() -> None:
    view, notices = parse_view_state({"layers": "event, nonsense ,site"}, FIRST, LAST)
    assert view.layers == ("site", "event") and "nonsense" in notices[0]


def test_an_empty_layer_list_means_no_layer() -> None:
    assert parse_view_state({"layers": ""}, FIRST, LAST) == (ViewState(DEFAULT_DATE, layers=()), [])


def test_an_unknown_basemap_falls_back_to_the_offline_one() -> None:
    view, notices = parse_view_state({"basemap": "google"}, FIRST, LAST)
    assert view.basemap == "natural_earth" and "google" in notices[0]


def test_notices_quote_url_text_as_code() -> None:
    _, notices = parse_view_state({"date": "[x](javascript:alert(1)) **b**"}, FIRST, LAST)
    assert "`[x](javascript:alert(1)) **b**`" in notices[0]


def test_a_link_in_the_url_is_quoted_as_code_not_made_a_link() -> None:
    _, notices = parse_view_state({"layers": "https://evil.example/login"}, FIRST, LAST)
    assert "`https://evil.example/login`" in notices[0]


def test_a_backtick_in_a_quoted_value_cannot_end_the_code_span() -> None:
    _, notices = parse_view_state({"basemap": "a`b"}, FIRST, LAST)
    assert "``a`b``" in notices[0]


def test_escape_markdown_escapes_every_markdown_character() -> None:
    assert escape_markdown("*_`#[]()<>|$~") == "\\*\\_\\`\\#\\[\\]\\(\\)\\<\\>\\|\\$\\~"


def test_encoding_writes_all_four_parameters_and_reads_back() -> None:
    view = ViewState(dt.date(2025, 3, 4), "1", ("route", "site"), "osm")
    params = encode_view_state(view)
    assert params == {"date": "2025-03-04", "window": "1", "layers": "site,route", "basemap": "osm"}
    assert parse_view_state(params, FIRST, LAST) == (ViewState(dt.date(2025, 3, 4), "1", ("site", "route"), "osm"), [])


def test_the_opening_date_is_clamped_into_a_dataset_that_misses_it() -> None:
    assert find_default_date(dt.date(2025, 1, 1), dt.date(2025, 2, 1)) == dt.date(2025, 1, 1)


def test_dates_clamp_and_step_inside_the_data() -> None:
    assert clamp_date(dt.date(2027, 1, 1), FIRST, LAST) == LAST
    assert step_date(LAST - dt.timedelta(days=2), 7, FIRST, LAST) == LAST
    assert step_date(FIRST, -1, FIRST, LAST) == FIRST
