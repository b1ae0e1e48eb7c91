"""Sources are read one way everywhere: URL, label, real host, and the rules a cell must keep."""

from __future__ import annotations

import pytest

from layers.sources import find_source_problem, parse_source, split_sources


def test_a_source_is_read_as_url_and_label() -> None:
    source = parse_source("https://www.reuters.com/x (Reuters, 2024-12-14)")
    assert (source.url, source.label, source.host) == ("https://www.reuters.com/x", "Reuters, 2024-12-14",
                                                       "reuters.com")


def test_a_source_without_label_is_shown_by_its_host() -> None:
    assert parse_source("https://www.reuters.com/x").display == "reuters.com"


@pytest.mark.parametrize(("text", "shown"), [
    ("https://www.libyaherald.com/x (Libya Herald, 2026-01-20)", "Libya Herald, 2026-01-20"),
    ("https://www.bbc.co.uk/news/x (BBC, 2024-12-14)", "BBC, 2024-12-14"),
    ("https://evil.example/phish (Reuters, 2024-12-14)", "Reuters, 2024-12-14, via evil.example"),
    ("https://kyivindependent.com/x (2025-01-03)", "2025-01-03, via kyivindependent.com"),
    ("https://www.nytimes.com/x (NYT 2024-12-19)", "NYT 2024-12-19"),
    ("https://reuters.com.evil.example/x (Reuters)", "Reuters, via reuters.com.evil.example"),
    ("https://uat.apnews.com/x (AP, 2025-05-21)", "AP, 2025-05-21"),
])
def test_the_label_shows_the_real_host_unless_it_names_it(text: str, shown: str) -> None:
    assert parse_source(text).display == shown


def test_sources_split_only_on_the_documented_separator() -> None:
    assert split_sources("https://a.org/x (A|B) | https://b.org/y") == ["https://a.org/x (A|B)", "https://b.org/y"]


@pytest.mark.parametrize("text", [
    "https://evil.example/phish (https://www.reuters.com/world/ Reuters 2024-12-14)",
    "https://a.org/x (see www.b.org)",
    "https://a.org/x (javascript:alert(1))",
])
def test_a_second_address_inside_one_source_is_a_problem(text: str) -> None:
    assert find_source_problem(text) == "holds a second address after its URL"


def test_a_well_formed_source_has_no_problem() -> None:
    assert find_source_problem("https://www.reuters.com/x (Reuters, 2024-12-14)") is None


def test_a_source_must_start_with_a_web_address() -> None:
    assert find_source_problem("Reuters, 2024-12-14") == "does not start with an http(s) URL"


def test_an_imported_row_may_cite_its_file_but_never_as_a_link() -> None:
    source = parse_source("file:sightings.csv (my notes)")
    assert find_source_problem("file:sightings.csv (my notes)") is None
    assert source.display == "my notes (imported file sightings.csv)"
    assert not source.is_link


def test_a_file_source_must_name_its_file() -> None:
    assert find_source_problem("file:") == "names no file after 'file:'"
