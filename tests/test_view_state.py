"""URL parameters of the view: parsed, clamped, written back (dashboard.app.view_state, no Streamlit)."""

from __future__ import annotations

import datetime as dt

import pytest

from layers import LAYER_NAMES
from layers.escaping import escape_markdown

from dashboard.app.view_state import (
    DEFAULT_DATE,
    PARAM_NAMES,
    REPLACED_PARAMS,
    ViewState,
    clamp_date,
    encode_view_state,
    find_default_date,
    format_number,
    parse_map_view,
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


EVENTS = {"e-2024-12-08-assad-falls", "e-2024-12-13-maxar-hmeimim-loading"}


def test_zoom_center_and_event_are_read_as_written() -> None:
    params = {"zoom": "7.25", "center": "35.41,35.95", "event": "e-2024-12-13-maxar-hmeimim-loading"}
    view, notices = parse_view_state(params, FIRST, LAST, EVENTS)
    assert (view.zoom, view.center, view.event) == (7.25, (35.41, 35.95), "e-2024-12-13-maxar-hmeimim-loading")
    assert notices == []


def test_without_a_view_or_event_the_map_opens_on_its_extent() -> None:
    view, _ = parse_view_state({"date": "2025-01-01"}, FIRST, LAST, EVENTS)
    assert (view.zoom, view.center, view.event) == (None, None, None)


@pytest.mark.parametrize(("zoom", "center", "words"), [
    ("seven", "35,36", "not a zoom"),
    ("40", "35,36", "not a zoom from 2 to 18"),
    ("1", "35,36", "not a zoom from 2 to 18"),
    ("nan", "35,36", "not a zoom"),
    ("7", "35;36", "lat,lon"),
    ("7", "95,36", "lat,lon"),
    ("7", "35,200", "lat,lon"),
    ("7", "35,36,37", "lat,lon"),
    ("7", "inf,36", "lat,lon"),
])
def test_a_bad_map_view_falls_back_to_the_opening_extent_with_a_notice(zoom: str, center: str, words: str) -> None:
    view, notices = parse_view_state({"zoom": zoom, "center": center}, FIRST, LAST)
    assert (view.zoom, view.center) == (None, None)
    assert len(notices) == 1 and words in notices[0] and "opening extent" in notices[0]


@pytest.mark.parametrize(("params", "words"), [({"zoom": "7"}, "a zoom but no center"),
                                                ({"center": "35,36"}, "a center but no zoom")])
def test_a_zoom_without_a_center_or_the_reverse_is_dropped_with_a_notice(params: dict[str, str], words: str) -> None:
    view, notices = parse_view_state(params, FIRST, LAST)
    assert (view.zoom, view.center) == (None, None) and words in notices[0]


@pytest.mark.parametrize("raw", ["e-1999-01-01-nothing", "", "<script>"])
def test_an_event_not_in_the_data_is_dropped_with_a_notice(raw: str) -> None:
    view, notices = parse_view_state({"event": raw}, FIRST, LAST, EVENTS)
    assert view.event is None and "not in the data" in notices[0]
    assert f"`{raw}`" in notices[0] or raw == ""


def test_the_view_and_event_are_written_after_the_four_and_read_back() -> None:
    view = ViewState(dt.date(2025, 3, 4), "30", ("site",), "osm", 6.5, (35.40112, -5.0), "e-2024-12-08-assad-falls")
    params = encode_view_state(view)
    assert tuple(params) == PARAM_NAMES
    assert (params["zoom"], params["center"], params["event"]) == ("6.5", "35.4011,-5", "e-2024-12-08-assad-falls")
    again, notices = parse_view_state(params, FIRST, LAST, EVENTS)
    assert notices == [] and (again.zoom, again.center, again.event) == (6.5, (35.4011, -5.0), view.event)
    assert encode_view_state(again) == params, "written, read and written again: the same address"


def test_an_unmoved_map_and_no_event_leave_the_four_parameters() -> None:
    assert tuple(encode_view_state(ViewState(DEFAULT_DATE))) == PARAM_NAMES[:4]


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (33.12, 4, "33.12"), (6.0, 2, "6"), (7.25, 2, "7.25"), (-0.00001, 4, "0"), (35.40115, 4, "35.4012"),
    (-12.5, 4, "-12.5"), (100.0, 4, "100"), (0.03125, 4, "0.0313"), (-0.03125, 4, "-0.0313"), (5.125, 2, "5.13"),
])
def test_numbers_are_written_as_the_maps_script_writes_them(value: float, decimals: int, text: str) -> None:
    # airbridge-view.js writes String(Number(value.toFixed(decimals))): the same text, so
    # that the page's write after a pan finds the address unchanged and pushes no entry.
    assert format_number(value, decimals) == text


def test_the_map_report_is_read_with_the_url_rules() -> None:
    assert parse_map_view("5.75", "30.0748,28.0717") == (5.75, (30.0748, 28.0717))
    assert parse_map_view(None, None) is None  # the map was not moved


def test_only_the_date_and_the_map_view_replace_the_history_entry() -> None:
    assert set(REPLACED_PARAMS) == {"date", "zoom", "center"} and set(REPLACED_PARAMS) < set(PARAM_NAMES)
