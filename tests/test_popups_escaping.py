"""Data text never becomes HTML or script: one escape function, links only to http(s)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from tests.conftest import MALICIOUS_NAME

from dashboard.webmap.folium_map import build_standalone_map
from dashboard.webmap.map_payload import build_catalogue, build_map_state, dump_script_json
from dashboard.webmap.popups import (
    build_event_list_html,
    build_map_caption,
    build_popup,
    build_source_links,
    build_tooltip,
    escape_text,
)

EVIL = "<img src=x onerror=alert(1)>${alert(2)}`\\'\""
DANGEROUS = ("<img", "<script", "${", "`", "\\", "onerror=alert(1)>")


def assert_inert(html: str) -> None:
    for fragment in DANGEROUS:
        assert fragment not in html, fragment


@pytest.mark.parametrize(("text", "escaped"), [
    ("<b>", "&lt;b&gt;"),
    ("a & b", "a &amp; b"),
    ('"quoted"', "&quot;quoted&quot;"),
    ("it's", "it&#x27;s"),
    ("`tick`", "&#96;tick&#96;"),
    ("${x}", "&#36;{x}"),
    ("back\\slash", "back&#92;slash"),
    ("Ḥmeimim — ok", "Ḥmeimim — ok"),
])
def test_escape_text_makes_html_and_template_characters_inert(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


@pytest.mark.parametrize("missing", [None, math.nan, float("nan")])
def test_escape_text_gives_nothing_for_missing_values(missing: object) -> None:
    assert escape_text(missing) == ""


def test_sources_become_links_with_their_label() -> None:
    html = build_source_links(["https://www.reuters.com/a?b=1&c=2 (Reuters 2024-12-14)", "http://example.com/x"])
    # A new tab that learns nothing of the page ("noreferrer" implies "noopener"); the address
    # is written once: the browser shows it on hover.
    assert ('<a href="https://www.reuters.com/a?b=1&amp;c=2" target="_blank" rel="noreferrer">'
            'Reuters 2024-12-14</a>') in html
    assert html.count("reuters.com") == 1
    assert ">example.com</a>" in html


def test_a_link_whose_label_names_another_site_shows_its_real_host() -> None:
    html = build_source_links(["https://evil.example/phish (Reuters, 2024-12-14)"])
    assert ">Reuters, 2024-12-14, via evil.example</a>" in html


@pytest.mark.parametrize("source", ["javascript:alert(1) (click)", "data:text/html,<script>x</script>",
                                    "ftp://example.org/file", "//example.org/x", "https:/broken", "no url at all"])
def test_only_http_and_https_sources_become_links(source: str) -> None:
    html = build_source_links([source])
    assert "<a " not in html and "href" not in html
    assert_inert(html)


def test_a_link_label_and_url_are_escaped() -> None:
    html = build_source_links(['https://example.org/"onmouseover=alert(1) (' + EVIL + ")"])
    assert 'href="https://example.org/&quot;onmouseover=alert(1)"' in html
    assert_inert(html)


PROPERTIES = {
    "site": {"layer": "site", "name": EVIL, "kind": "air_base", "group": "syria", "country": EVIL, "icao": EVIL,
             "alt_names": [EVIL], "status": "active", "status_date": EVIL, "status_note": EVIL,
             "status_confidence": "high", "status_conflict": EVIL, "status_sources": [EVIL], "role": EVIL,
             "confidence": EVIL, "conflict": EVIL, "notes": EVIL, "sources": [EVIL, "https://x.org/" + EVIL],
             "coord_origin": EVIL},
    "route": {"layer": "route", "name": EVIL, "from_name": EVIL, "to_name": EVIL, "record_type": EVIL,
              "flights": 2, "records": 1, "first_date": EVIL, "date": EVIL, "length_km": 10.0,
              "from_radius_km": 5.0, "to_radius_km": 0.0, "confidence": EVIL, "sources": [EVIL]},
    "flight": {"layer": "flight", "name": EVIL, "record_type": EVIL, "date": EVIL, "end_date": EVIL,
               "aircraft_type": EVIL, "registration": EVIL, "operator": EVIL, "count": EVIL, "origin_name": EVIL,
               "destination_name": EVIL, "via": [EVIL], "uncertainty_km": 20.0, "located_at": EVIL,
               "confidence": EVIL, "conflict": EVIL, "notes": EVIL, "sources": [EVIL]},
    "corridor": {"layer": "corridor", "name": EVIL, "valid_from": EVIL, "valid_to": None, "description": EVIL,
                 "confidence": EVIL, "sources": [EVIL]},
    "event": {"layer": "event", "name": EVIL, "date": EVIL, "end_date": EVIL, "category": EVIL,
              "place_names": [EVIL], "description": EVIL, "confidence": EVIL, "conflict": EVIL, "sources": [EVIL]},
}


@pytest.mark.parametrize("layer", sorted(PROPERTIES))
def test_every_popup_and_tooltip_escapes_every_field(layer: str) -> None:
    popup = build_popup(PROPERTIES[layer])
    tooltip = build_tooltip(PROPERTIES[layer])
    assert_inert(popup)
    assert_inert(tooltip)
    assert "&lt;img src=x onerror=alert(1)&gt;&#36;{alert(2)}&#96;&#92;&#x27;&quot;" in popup


def test_a_popup_for_an_unknown_layer_is_refused() -> None:
    with pytest.raises(ValueError, match="no popup for layer"):
        build_popup({"layer": "<b>"})


def test_event_list_escapes_titles_places_and_sources() -> None:
    html = build_event_list_html([PROPERTIES["event"]], EVIL)
    assert_inert(html)
    assert_inert(build_event_list_html([], EVIL))


def test_map_caption_says_the_date_and_window() -> None:
    caption = build_map_caption(dt.date(2024, 12, 20), 7, dt.date(2024, 12, 14))
    assert caption == "<b>Fri 20 Dec 2024</b><br>Flights: 14 Dec 2024 – 20 Dec 2024 (7 days)"


def test_script_json_cannot_close_its_script_element() -> None:
    value = {"text": "</script><script>alert(1)</script><!--", "line": "a\u2028b"}
    dumped = dump_script_json(value)
    assert "</" not in dumped and "<!--" not in dumped and "\u2028" not in dumped
    assert json.loads(dumped) == value


def test_a_malicious_dataset_reaches_the_standalone_map_only_escaped(malicious_data_dir) -> None:
    snapshot = build_snapshot(load_dataset(malicious_data_dir), TimeSelection(dt.date(2024, 12, 26), 7))
    html = build_standalone_map(snapshot, title=MALICIOUS_NAME, marking=MALICIOUS_NAME).get_root().render()
    assert MALICIOUS_NAME not in html
    assert "window.__xss" in html, "the text is there, escaped"
    for fragment in ("<img src=x", "${window", "<script>window"):
        assert fragment not in html


def test_every_catalogue_text_and_state_of_a_malicious_dataset_is_inert(malicious_data_dir) -> None:
    dataset = load_dataset(malicious_data_dir)
    snapshot = build_snapshot(dataset, TimeSelection(dt.date(2024, 12, 26), None))
    catalogue = build_catalogue([snapshot])
    for text in catalogue.texts:
        assert_inert(text)
    state = json.loads(dump_script_json(build_map_state(snapshot, catalogue, basemap="natural_earth")))
    for text in iter_strings(state):
        assert_inert(text)


def iter_strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from iter_strings(item)
