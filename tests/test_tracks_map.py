"""The ADS-B layers on the live map, without a browser: what the state, popups, labels and legend hold.

The dataset is the shipped data with the constructed sample track imported through the real
importer (``tests/track_samples.py``): An-124 RA-82038, Hmeimim -> al-Khadim on 26 Dec 2024,
dark for 40 min over the sea north of Cyrenaica.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from layers.dataset import Dataset
from layers.store import open_workspace
from layers.style import GAP_STYLE, REACH_STYLE, TRACK_STYLE, TRACK_WIDTH, dash_pattern
from layers.tracks.importing import plan_track_import, write_track_import
from layers.vocabulary import LAYER_TITLES
from layers.workspace import load_workspace_dataset
from tests.track_samples import build_hmeimim_al_khadim_trace, import_sample_track, write_trace

from dashboard.webmap.folium_map import MapSources, build_base_map
from dashboard.webmap.legend import build_legend_html
from dashboard.webmap.map_payload import build_catalogue, build_map_state, collect_catalogue_snapshots, count_features
from dashboard.webmap.popups import build_popup, build_tooltip
from dashboard.webmap.track_popups import build_position_label

AS_OF = dt.date(2024, 12, 27)
HOSTILE_REGISTRATION = "<img src=x onerror=alert(1)>"
HOSTILE_CALLSIGN = "<b onmouseover=alert(2)>${x}`"
DANGEROUS = ("<img", "<b ", "${", "`", "onerror=alert(1)>")
SOURCES = MapSources(catalogue_url="/c.json", basemap_url="/b.json")


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_workspace_dataset(workspace=import_sample_track(tmp_path_factory.mktemp("tracked") / "ws"))


@pytest.fixture(scope="module")
def snapshot(tracked: Dataset):
    return build_snapshot(tracked, TimeSelection(AS_OF, 7))


@pytest.fixture(scope="module")
def inline_layers(snapshot) -> dict:
    return build_map_state(snapshot, None, basemap="natural_earth")["layers"]


def strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_state_draws_one_track_gap_reach_area_and_position(snapshot, inline_layers) -> None:
    drawn = {kind: len(inline_layers[kind].get("geom", [])) for kind in ("track", "gap", "reach", "position")}
    assert drawn == {"track": 1, "gap": 1, "reach": 1, "position": 1}
    assert {k: v for k, v in count_features(snapshot).items() if k in drawn} == drawn


def test_the_track_is_drawn_only_where_positions_were_received(inline_layers) -> None:
    (track,), (gap,) = inline_layers["track"]["geom"], inline_layers["gap"]["geom"]
    assert len(track) == 2, "the solid line is broken at the gap"
    gap_line = [point for line in gap for point in line]
    assert track[0][-1] == gap_line[0], "the flown line stops at the last position before the silence"
    assert track[1][0] == gap_line[-1], "and starts again at the first position after it"


def test_the_map_is_sent_display_vertices_not_positions(tracked, snapshot, inline_layers) -> None:
    vertices = sum(len(line) for line in inline_layers["track"]["geom"][0])
    assert vertices == len(snapshot.tracks.iloc[0]["times"]) < len(tracked.tracks.positions)
    text = json.dumps(inline_layers) + build_catalogue(collect_catalogue_snapshots(tracked)).to_json()
    assert '"times"' not in text and '"altitudes_ft"' not in text and "alt_baro_ft" not in text


def test_the_gap_popup_says_how_long_it_went_dark_and_where_it_may_have_landed(snapshot) -> None:
    html = build_popup(snapshot.gaps.iloc[0].to_dict())
    text = " ".join(strip_tags(html).split())
    assert "Went dark for 40 min" in text
    assert "Last seen: 26 Dec 2024 18:32:30 UTC at 30,000 ft" in text
    assert "Seen again: 26 Dec 2024 19:12:30 UTC at 9,000 ft" in text
    assert "214 km between the two (implied 174 kt)" in text
    assert "Assumed top speed: 470 kt" in text and "Reach: 435 km" in text
    first = re.search(r'<ol class="ab-candidates"><li>(.*?)</ul></li>', html)
    assert first, "the candidates are a ranked list"
    assert first.group(1).startswith("<b>Al Khadim Airport</b> (HL59, al_khadim), score 0.51")
    reasons = re.findall(r"<li>(.*?)</li>", first.group(1))
    assert reasons == list(snapshot.gaps.iloc[0]["candidates"][0]["reasons"]), "each reason on its own line"


def test_a_gap_popup_lists_five_candidates_and_counts_the_rest(snapshot) -> None:
    gap = snapshot.gaps.iloc[0].to_dict()
    gap["candidates"] = [{"icao": f"HL{n:02d}", "id": None, "name": f"Field {n}", "score": 1 - n / 10,
                          "reasons": [f"reason {n}"]} for n in range(8)]
    html = build_popup(gap)
    assert html.count("<li><b>Field") == 5 and "Field 4" in html and "Field 5" not in html
    assert "and 3 more" in html


def test_the_track_popup_names_the_aircraft_flight_times_and_sources(snapshot) -> None:
    text = " ".join(strip_tags(build_popup(snapshot.tracks.iloc[0].to_dict())).split())
    for expected in ("RA-82038 (RFF8038, A124)", "Aircraft: A124 RA-82038, ICAO address 154076", "Callsign: RFF8038",
                     "Flight: trk-154076-20241226t170200", "First position: 26 Dec 2024 17:02 UTC",
                     "Last position: 26 Dec 2024 19:18 UTC", "Positions: 194 received",
                     "constructed test track (imported file trace_full_154076.json)",
                     "From batch b0001 (trace_full_154076.json)"):
        assert expected in text, expected


def test_a_track_flight_popup_gives_the_inferred_ends_their_candidates_and_the_reasons(snapshot) -> None:
    flights = snapshot.flights
    flight = flights.loc[flights["icao24"] == "154076"].iloc[0].to_dict()
    html = build_popup(flight)
    text = " ".join(strip_tags(html).split())
    assert "from an ADS-B track" in text
    assert "From (inferred from the track): Hmeimim (Khmeimim) Air Base (hmeimim)" in text
    assert "To (inferred from the track): al-Khadim Air Base (al_khadim)" in text
    assert "Al Khadim Airport (HL59, al_khadim), 0.0 km away" in text
    reasons = re.search(r'<ul class="ab-reasons">(.*?)</ul>', html)
    assert reasons
    lines = re.findall(r"<li>(.*?)</li>", reasons.group(1))
    assert lines[0].startswith("Made from 194 ADS-B positions") and lines[1].startswith("Departure: ")
    assert lines[2].startswith("Arrival: last seen on the ground")


def test_the_position_is_an_arrow_labelled_registration_else_callsign_else_address(snapshot, inline_layers) -> None:
    position = inline_layers["position"]
    assert position["label"] == ["RA-82038"]
    assert position["heading"] == [None], "on the ground with no track reported: a dot, not an arrow"
    props = snapshot.positions.iloc[0].to_dict()
    assert build_position_label({**props, "registration": None}) == "RFF8038"
    assert build_position_label({**props, "registration": None, "callsign": " "}) == "154076"
    assert "last seen 26 Dec 2024 19:18 UTC" in build_tooltip(props)


def test_a_heading_travels_as_whole_degrees(snapshot) -> None:
    moved = snapshot.positions.assign(track_deg=[252.4])
    state = build_map_state(dataclasses.replace(snapshot, positions=moved), None, basemap="osm")
    assert state["layers"]["position"]["heading"] == [252]


def test_the_legend_explains_the_four_layers_with_the_shared_style() -> None:
    legend = build_legend_html()
    section = re.search(r'<section data-ab-layer="track gap reach position" data-ab-when="drawn">.*?</section>',
                        legend)
    assert section, "one ADS-B section, shown while any of its layers is drawn"
    for layer in ("track", "gap", "reach", "position"):
        assert f'data-ab-layer="{layer}" data-ab-when="drawn"' in section.group(0)
    for label in (TRACK_STYLE.label, GAP_STYLE.label, REACH_STYLE.label, LAYER_TITLES["track"]):
        assert label in section.group(0)
    assert f'stroke-dasharray="{dash_pattern(GAP_STYLE, TRACK_WIDTH)}"' in section.group(0)
    assert "data-ab-layer=\"track" not in build_legend_html(["site", "route"])


def test_the_layer_list_and_styles_come_from_the_shared_vocabulary() -> None:
    page = build_base_map("theatre", sources=SOURCES, asset_base_url="/assets").get_root().render()
    options = json.loads(re.search(r"Airbridge\.init\(map_\w+, (\{.*?\})\);", page).group(1))
    assert options["layerTitles"] == LAYER_TITLES
    styles = options["styles"]
    assert styles["track"] == {"colour": TRACK_STYLE.colour, "width": TRACK_WIDTH}
    assert styles["gap"]["dash"] == dash_pattern(GAP_STYLE, TRACK_WIDTH) and styles["gap"]["colour"] == GAP_STYLE.colour
    assert styles["reach"]["colour"] == REACH_STYLE.colour


def test_a_workspace_without_tracks_draws_no_adsb_feature() -> None:
    layers = build_map_state(build_snapshot(load_dataset(), TimeSelection(AS_OF, 7)), None, basemap="osm")["layers"]
    assert all(layers[kind] == {} for kind in ("track", "gap", "reach", "position"))


def import_hostile_track(folder: Path) -> Path:
    """Import the sample trace with a registration and callsign that are markup; return the workspace."""
    doc = build_hmeimim_al_khadim_trace()
    doc["r"] = HOSTILE_REGISTRATION
    doc["trace"][0][8] = {"flight": HOSTILE_CALLSIGN}
    plan = plan_track_import(write_trace(folder, doc))
    assert not plan.refused, plan.describe()
    store = open_workspace(folder / "ws")
    try:
        write_track_import(plan, store, source="hostile test file", confidence="low")
    finally:
        store.close()
    return folder / "ws"


def test_a_hostile_registration_and_callsign_reach_the_map_only_as_text(tmp_path: Path) -> None:
    hostile = load_workspace_dataset(workspace=import_hostile_track(tmp_path))
    snapshot = build_snapshot(hostile, TimeSelection(AS_OF, 7))
    assert snapshot.positions.iloc[0]["registration"] == HOSTILE_REGISTRATION
    inline = build_map_state(snapshot, None, basemap="osm")["layers"]
    texts = [value for kind in ("track", "gap", "reach", "position", "flight")
             for field, column in inline[kind].items() if field not in ("geom", "heading")
             for item in column for value in (item if isinstance(item, list) else [item])]
    assert len(texts) >= 9, "popups, tooltips and the label of the four layers and the flight"
    texts += build_catalogue(collect_catalogue_snapshots(hostile)).texts
    for text in texts:
        for fragment in DANGEROUS:
            assert fragment not in text, (fragment, text[:200])
    label = build_map_state(snapshot, None, basemap="osm")["layers"]["position"]["label"][0]
    assert label == "&lt;img src=x onerror=alert(1)&gt;"
