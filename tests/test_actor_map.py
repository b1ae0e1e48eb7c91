"""What the live map says of a status's actor and of observations: popups, symbols and legend.

The mini dataset (``tests/data/mini``, all its status rows ``russia``) with, where a test
needs one, a status row of another actor appended to a copy of it. No browser here:
``tests/test_actor_map_browser.py`` checks the same in Chromium.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from layers.features import build_site_layer
from layers.schema import describe_partial_date
from layers.style import ACTOR_MARKS, GROUP_COLOURS, OBSERVATION_STYLE, OTHER_ACTOR_STYLE, choose_actor_mark
from layers.validation import ExtraRow
from layers.vocabulary import ACTORS, LAYER_TITLES, RUSSIAN_ACTORS
from tests.conftest import MINI_DATA

from dashboard.webmap.legend import build_legend_html
from dashboard.webmap.map_payload import build_map_state
from dashboard.webmap.popups import build_observation_popup, build_popup, build_tooltip
from dashboard.webmap.symbols import build_site_symbol

UAE_ROW = "benina,2024-12-01,active,uae,UAE aircraft imaged,,https://twz.com/x (The War Zone 2016),high"


@pytest.fixture(scope="module")
def mini():
    return load_dataset(MINI_DATA)


@pytest.fixture(scope="module")
def with_uae(tmp_path_factory: pytest.TempPathFactory):
    """The mini data with Benina active for the UAE from 1 Dec 2024."""
    folder = tmp_path_factory.mktemp("uae") / "data"
    shutil.copytree(MINI_DATA, folder)
    path = folder / "site_status.csv"
    path.write_text(path.read_text(encoding="utf-8") + UAE_ROW + "\n", encoding="utf-8")
    return load_dataset(folder)


def site_on(dataset, site_id: str, day: dt.date) -> dict:
    sites = build_site_layer(dataset, TimeSelection(day))
    return sites[sites["id"] == site_id].drop(columns="geometry").iloc[0].to_dict()


def site_symbol(dataset, site_id: str, day: dt.date) -> str:
    """The SVG the map draws for one site on a day (a state without catalogue holds it inline)."""
    snapshot = build_snapshot(dataset, TimeSelection(day, 7))
    state = build_map_state(snapshot, None, basemap="natural_earth")
    names = list(snapshot.sites["id"])  # the site layer's order is the state's
    return state["layers"]["site"]["symbol"][names.index(site_id)]


def test_a_site_popup_names_the_actor_and_that_it_counts_as_russian_presence(mini) -> None:
    popup = build_popup(site_on(mini, "hmeimim", dt.date(2024, 12, 8)))
    assert "<b>Actor:</b> Russia (armed forces, MoD, EMERCOM) · " in popup
    assert 'ab-presence-yes">counts as Russian presence' in popup


def test_a_site_popup_of_another_actor_says_it_is_not_russian_presence(with_uae) -> None:
    site = site_on(with_uae, "benina", dt.date(2024, 12, 8))
    popup = build_popup(site)
    assert "<b>Actor:</b> United Arab Emirates · " in popup and 'ab-presence-no">not Russian presence' in popup
    assert "United Arab Emirates, not Russian presence" in build_tooltip(site)


def test_a_month_only_status_date_is_shown_at_its_precision(mini) -> None:
    popup = build_popup(site_on(mini, "hmeimim", dt.date(2025, 6, 1)))
    assert "since May 2025, day not known" in popup
    assert "2025-05-01" not in popup and "1 May 2025" not in popup


def test_a_day_status_date_reads_as_a_day(mini) -> None:
    assert "since 7 Dec 2024</p>" in build_popup(site_on(mini, "hmeimim", dt.date(2024, 12, 8)))


@pytest.mark.parametrize(("written", "shown"), [
    ("2024-12-13", "13 Dec 2024"), ("2025-05", "May 2025, day not known"), ("2015", "2015, month and day not known"),
])
def test_one_wording_keeps_each_precision(written: str, shown: str) -> None:
    assert describe_partial_date(written) == shown


def test_a_site_before_its_first_status_names_no_actor(mini) -> None:
    assert "Actor" not in build_popup(site_on(mini, "tartus", dt.date(2024, 12, 8)))


def test_a_workspace_row_without_actor_says_the_actor_is_not_stated(mini) -> None:
    cells = {"site_id": "benina", "date": "2024-12-01", "status": "active", "note": "my sighting",
             "sources": "https://example.org/x (my notes 2024-12-01)", "confidence": "low"}
    dataset = load_dataset(MINI_DATA, [ExtraRow("statuses", MINI_DATA / "mine.csv", 2, cells, "batch b0001 (m.csv)")])
    popup = build_popup(site_on(dataset, "benina", dt.date(2024, 12, 2)))
    assert "<b>Actor:</b> not stated · " in popup and "not Russian presence" in popup
    assert 'data-ab-actor="unstated"' in site_symbol(dataset, "benina", dt.date(2024, 12, 2))


def test_a_non_russian_active_site_is_drawn_hollow_grey_with_the_actor_letter(with_uae) -> None:
    day = dt.date(2024, 12, 8)
    other, russian = site_symbol(with_uae, "benina", day), site_symbol(with_uae, "al_khadim", day)
    assert 'class="ab-other-actor" data-ab-actor="uae"' in other
    # The shape's last element is the actor's letter; only the evidence letter's disc follows it.
    assert re.search(r">U</text>(<circle [^>]*/><text [^>]*>[HML]</text>)?</svg>$", other), \
        "the actor's letter is inside the shape"
    assert f'fill="#FFFFFF" fill-opacity="0.92" stroke="{OTHER_ACTOR_STYLE.outline}"' in other
    assert GROUP_COLOURS["libya"] not in other, "no affiliation colour: it must not look like a Russian site"
    assert "ab-other-actor" not in russian and f'fill="{GROUP_COLOURS["libya"]}" fill-opacity="1"' in russian


def test_a_russian_site_with_no_status_yet_keeps_its_own_symbol(mini) -> None:
    assert choose_actor_mark("not_reported", None) is None
    assert build_site_symbol("air_base", "syria", "active") == build_site_symbol("air_base", "syria", "active",
                                                                                  mark=None)


def test_every_non_russian_actor_has_a_letter_of_its_own() -> None:
    assert set(ACTOR_MARKS) - {"unstated"} == set(ACTORS) - set(RUSSIAN_ACTORS)
    letters = [mark.letter for mark in ACTOR_MARKS.values()]
    assert len(set(letters)) == len(letters)


def test_the_observation_popup_gives_date_method_what_was_seen_counts_and_sources(mini) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2025, 1, 31), 30))
    (observation,) = snapshot.observations.drop(columns="geometry").to_dict("records")
    popup = build_observation_popup(observation)
    assert "Observation, not a flight · January 2025, day not known · Satellite image" in popup
    assert "<b>Seen:</b> Three new hangars or stores under construction" in popup
    assert "[repost]" in popup, "the source's kind is shown with its link"
    maxar = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 13), 1)).observations.iloc[0]
    popup = build_popup(maxar.drop("geometry").to_dict())
    assert "13 Dec 2024" in popup and "<b>Aircraft counted:</b> An-124 (2)" in popup
    assert 'href="https://ifpnews.com/russia-military-assets-syria-fall-assad-report/"' in popup


def test_observations_are_a_layer_of_the_state_with_their_own_symbol(mini) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date(2024, 12, 13), 7))
    state = build_map_state(snapshot, None, basemap="natural_earth")
    layer = state["layers"]["observation"]
    assert len(layer["geom"]) == 1 and len(layer["popups"][0]) == 1
    assert "Satellite image: Hmeimim" in layer["tips"][0][0]


def test_the_legend_explains_observations_and_other_actors() -> None:
    legend = build_legend_html()
    section = re.search(r'<section data-ab-layer="observation">(.*?)</section>', legend)
    assert section and LAYER_TITLES["observation"] in section.group(1) and OBSERVATION_STYLE.label in section.group(1)
    assert 'class="ab-eye"' in section.group(1)
    assert OTHER_ACTOR_STYLE.label in legend
    for key, mark in ACTOR_MARKS.items():
        assert f'data-ab-actor="{key}"' in legend and mark.label in legend
    assert 'data-ab-layer="observation"' not in build_legend_html(["site"])


def test_the_workspace_status_without_actor_in_the_tooltip_is_not_stated(mini, tmp_path: Path) -> None:
    cells = {"site_id": "benina", "date": "2024-12-01", "status": "reported", "note": "seen",
             "sources": "https://example.org/x (notes 2024-12-01)", "confidence": "low"}
    dataset = load_dataset(MINI_DATA, [ExtraRow("statuses", tmp_path / "m.csv", 2, cells, "batch b0001 (m.csv)")])
    assert "Actor not stated, not Russian presence" in build_tooltip(site_on(dataset, "benina", dt.date(2024, 12, 2)))
