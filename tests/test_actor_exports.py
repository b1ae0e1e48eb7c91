"""Observations and a status's actor in the exports: slide legend and drawing, footnotes, KML, GeoPackage.

The shipped data on two dates: 13 Dec 2024 (Maxar imaged Hmeimim, Planet the ships off
Tartus: two observations) and 5 Dec 2024 (al-Khadim's status in force is the UAE's of 2016).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pyogrio
import pytest

from layers import Snapshot, TimeSelection, build_snapshot, load_dataset
from layers.style import ACTOR_MARKS, OBSERVATION_STYLE, OTHER_ACTOR_STYLE
from layers.vocabulary import LAYER_TITLES

from dashboard.export.briefing import BriefingSpec
from dashboard.export.footnotes import build_footnotes
from dashboard.export.kml_markup import format_kml_colour
from dashboard.export.product import write_product
from dashboard.export.static_map import render_briefing_figure
from dashboard.export.symbology import EYE_MARKER

KML = "{http://www.opengis.net/kml/2.2}"
GENERATED = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
MAXAR_DAY, UAE_DAY = dt.date(2024, 12, 13), dt.date(2024, 12, 5)


@cache
def case(day: dt.date, format_key: str = "png") -> tuple[Snapshot, BriefingSpec]:
    selection = TimeSelection(day, 7)
    spec = dataclasses.replace(BriefingSpec(selection, generated_at=GENERATED), format=format_key)
    return build_snapshot(load_dataset(), selection), spec


def entries(day: dt.date) -> dict[str, set[str]]:
    """The slide legend's rows by symbol: symbol -> the keys drawn with it."""
    found: dict[str, set[str]] = {}
    for section in render_briefing_figure(*case(day)).legend:
        for entry in section.entries:
            found.setdefault(entry.symbol, set()).add(entry.key)
    return found


def test_the_slide_draws_observations_and_its_legend_explains_them() -> None:
    briefing = render_briefing_figure(*case(MAXAR_DAY))
    assert len(briefing.shown.observations) == 2
    rows = [(e.symbol, e.label) for section in briefing.legend for e in section.entries]
    assert ("observation", OBSERVATION_STYLE.label) in rows
    eyes = [line for line in briefing.figure.axes[0].lines if line.get_marker() is EYE_MARKER]
    assert len(eyes) == 2, "one eye per place observed"
    assert {(eye.get_markerfacecolor(), eye.get_markeredgecolor()) for eye in eyes} == {
        ("white", OBSERVATION_STYLE.colour)}


def test_the_slide_leaves_out_observations_when_their_layer_is_hidden() -> None:
    snapshot, spec = case(MAXAR_DAY)
    hidden = dataclasses.replace(spec, visible_layers=frozenset({"site", "route", "flight", "event"}))
    briefing = render_briefing_figure(snapshot, hidden)
    assert briefing.shown.observations.empty
    assert "observation" not in {e.symbol for section in briefing.legend for e in section.entries}


def test_a_site_of_another_actor_has_a_legend_row_with_its_letter() -> None:
    found = entries(UAE_DAY)
    assert "uae" in found["actor"]
    briefing = render_briefing_figure(*case(UAE_DAY))
    section = next(s for s in briefing.legend if s.heading == OTHER_ACTOR_STYLE.label)
    assert ("uae", ACTOR_MARKS["uae"].label) in [(e.key, e.label) for e in section.entries]
    letters = {t.get_text() for t in briefing.figure.axes[0].texts}
    assert ACTOR_MARKS["uae"].letter in letters, "the letter is drawn in the site"


def test_the_png_pdf_and_pptx_render_with_observations(tmp_path: Path) -> None:
    snapshot, spec = case(MAXAR_DAY)
    for format_key in ("png", "pdf", "pptx"):
        path = write_product(snapshot, dataclasses.replace(spec, format=format_key), tmp_path / f"b.{format_key}")
        assert path.stat().st_size > 10_000


def test_footnotes_show_the_source_kind_and_cite_observations() -> None:
    notes = build_footnotes(render_briefing_figure(*case(MAXAR_DAY)).shown)
    assert any(note.display.endswith("[repost]") for note in notes)
    assert any(note.display.endswith("[wire copy]") for note in notes)
    claims = [claim.subject for note in notes for claim in note.claims]
    assert "observation 2024-12-13: Hmeimim (satellite image)" in claims


def write_kml(tmp_path: Path, day: dt.date) -> ET.Element:
    snapshot, spec = case(day, "kml")
    return ET.parse(write_product(snapshot, spec, tmp_path / "export.kml")).getroot()


def test_kml_observations_have_a_folder_and_a_placemark_style_of_their_own(tmp_path: Path) -> None:
    root = write_kml(tmp_path, MAXAR_DAY)
    folder = next(f for f in root.iter(f"{KML}Folder") if f.findtext(f"{KML}name") == LAYER_TITLES["observation"])
    marks = {p.get("id"): p for p in folder.iter(f"{KML}Placemark")}
    maxar = marks["o-2024-12-13-hmeimim-maxar"]
    assert maxar.findtext(f"{KML}styleUrl") == "#observation"
    assert "13 Dec 2024, satellite image (not a flight)" in maxar.findtext(f"{KML}description")
    data = {d.get("name"): d.findtext(f"{KML}value") for d in maxar.iter(f"{KML}Data")}
    assert data["method"] == "satellite" and data["date_precision"] == "day" and "An-124" in data["aircraft"]
    style = next(s for s in root.iter(f"{KML}Style") if s.get("id") == "observation")
    assert style.findtext(f"{KML}IconStyle/{KML}Icon/{KML}href").endswith("camera.png")
    assert style.findtext(f"{KML}IconStyle/{KML}color") == format_kml_colour(OBSERVATION_STYLE.colour, 1.0)


def test_kml_site_balloons_name_the_actor_and_whether_it_is_russian_presence(tmp_path: Path) -> None:
    marks = {p.get("id"): p for p in write_kml(tmp_path, UAE_DAY).iter(f"{KML}Placemark")}
    khadim, hmeimim = marks["al_khadim"], marks["hmeimim"]
    assert "<b>Actor:</b> United Arab Emirates: not Russian presence" in khadim.findtext(f"{KML}description")
    assert "since 23 Jul 2016" in khadim.findtext(f"{KML}description")
    # The UAE row of 2016 is over two years old on the date: its style is the faded one, and says so.
    assert khadim.findtext(f"{KML}styleUrl").endswith("-uae-stale")
    assert "last reported 2016" in khadim.findtext(f"{KML}description")
    data = {d.get("name"): d.findtext(f"{KML}value") for d in khadim.iter(f"{KML}Data")}
    assert data["status_actor"] == "uae"
    assert "counts as Russian presence" in hmeimim.findtext(f"{KML}description")


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    snapshot, spec = case(MAXAR_DAY, "gpkg")
    return write_product(snapshot, spec, tmp_path_factory.mktemp("gpkg") / "export.gpkg")


def test_the_geopackage_holds_the_observations(gpkg: Path) -> None:
    observations = pyogrio.read_dataframe(gpkg, layer="observations")
    assert set(observations["id"]) == {"o-2024-12-09-tartus-ships-offshore", "o-2024-12-13-hmeimim-maxar"}
    maxar = observations.set_index("id").loc["o-2024-12-13-hmeimim-maxar"]
    assert (maxar["method"], maxar["date_precision"]) == ("satellite", "day") and "An-124" in maxar["aircraft"]
    assert maxar.geometry.geom_type == "Point"


def test_the_geopackage_sites_name_the_actor_and_russian_presence(gpkg: Path) -> None:
    sites = pyogrio.read_dataframe(gpkg, layer="sites").set_index("id")
    assert (sites.loc["kuweires", "status_actor"], bool(sites.loc["kuweires", "russian_presence"])) == (
        "syria_old", False)
    assert (sites.loc["hmeimim", "status_actor"], bool(sites.loc["hmeimim", "russian_presence"])) == ("russia", True)
