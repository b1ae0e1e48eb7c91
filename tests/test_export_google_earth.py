"""KML and KMZ for Google Earth: status history on the time slider, vague places as areas, air-gapped KMZ.

Issue 13, item 5, checked as a briefing officer would: parse the file (defusedxml), move
the time slider in thought (the TimeSpans), and look for anything Google Earth would
fetch from outside the archive.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from PIL import Image

from layers import TimeSelection, build_snapshot, load_dataset
from tests.export_cases import ROOT, build_case, load_mini

from dashboard.export.briefing import BriefingSpec, resolve_extent
from dashboard.export.product import write_product

KML = "{http://www.opengis.net/kml/2.2}"
URL = re.compile(r"https?://[^\s\"'<>]+")
AS_OF = dt.date(2024, 12, 20)


@pytest.fixture(scope="module")
def shipped_kml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dataset = load_dataset(ROOT / "data")
    selection = TimeSelection(AS_OF, 7)
    spec = BriefingSpec(selection, format="kml", generated_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    return write_product(build_snapshot(dataset, selection), spec, tmp_path_factory.mktemp("kml") / "a.kml",
                         site_status=dataset.site_status)


@pytest.fixture(scope="module")
def kmz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    snapshot, spec = build_case(format="kmz", extent=resolve_extent("libya")[0], extent_name="libya")
    return write_product(snapshot, spec, tmp_path_factory.mktemp("kmz") / "a.kmz",
                         site_status=load_mini().site_status)


def site_spans(path_or_root, site: str) -> list[tuple[str, str, str]]:
    root = path_or_root if not isinstance(path_or_root, Path) else SafeET.parse(path_or_root).getroot()
    spans = []
    for mark in root.iter(f"{KML}Placemark"):
        if mark.get("id") == site or mark.get("id", "").startswith(f"{site}@"):
            span = mark.find(f"{KML}TimeSpan")
            spans.append((span.findtext(f"{KML}begin"), span.findtext(f"{KML}end"), mark.findtext(f"{KML}styleUrl")))
    return spans


def test_hmeimim_status_spans_cover_2015_to_the_date_without_a_gap(shipped_kml: Path) -> None:
    spans = site_spans(shipped_kml, "hmeimim")
    # The year-only 2015 row is certain from the end of 2015 (docs/data.md, the time rule of a status).
    assert spans[0][0] == "2016-01-01" and spans[-1][1] == AS_OF.isoformat()
    assert all(earlier[1] == later[0] for earlier, later in itertools.pairwise(spans))
    assert len(spans) == 7  # 2015, 27 Nov, 7, 8, 13, 14 and 15 Dec 2024


def test_each_status_span_has_the_style_of_its_status(kmz: Path) -> None:
    root = SafeET.fromstring(zipfile.ZipFile(kmz).read("doc.kml"))
    hmeimim = site_spans(root, "hmeimim")  # mini data: one status before 27 Dec 2024
    assert hmeimim == [("2024-12-07", "2024-12-27", "#site-air_base-syria-active")]
    styles = {s.get("id") for s in root.iter(f"{KML}Style")}
    assert all(url.lstrip("#") in styles for _, _, url in hmeimim)


def test_a_later_status_gets_its_own_span_and_style(tmp_path: Path) -> None:
    dataset = load_mini()
    selection = TimeSelection(dt.date(2026, 2, 1), None)
    spec = BriefingSpec(selection, format="kml", generated_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    path = write_product(build_snapshot(dataset, selection), spec, tmp_path / "a.kml", site_status=dataset.site_status)
    assert site_spans(path, "qamishli") == [
        ("2019-12-01", "2026-01-20", "#site-air_base-syria-active"),  # 2019-11 takes effect once November is over
        ("2026-01-20", "2026-01-27", "#site-air_base-syria-drawdown"),
        ("2026-01-27", "2026-02-01", "#site-air_base-syria-withdrawn")]


def test_flights_and_events_carry_their_times(kmz: Path) -> None:
    root = SafeET.fromstring(zipfile.ZipFile(kmz).read("doc.kml"))
    marks = {m.get("id"): m for m in root.iter(f"{KML}Placemark")}
    assert marks["f-2024-12-26-ra82038"].findtext(f"{KML}TimeStamp/{KML}when") == "2024-12-26"
    assert marks["f-2024-12-12-nyt-il76"].findtext(f"{KML}TimeSpan/{KML}end") == "2024-12-19"
    assert marks["e-2024-12-26-an124"].findtext(f"{KML}TimeStamp/{KML}when") == "2024-12-26"


def test_a_named_place_is_an_uncertainty_polygon(kmz: Path) -> None:
    root = SafeET.fromstring(zipfile.ZipFile(kmz).read("doc.kml"))
    folder = next(f for f in root.iter(f"{KML}Folder") if f.findtext(f"{KML}name") == "Uncertainty areas")
    (area,) = folder.iter(f"{KML}Placemark")
    assert area.findtext(f"{KML}name") == "Benghazi (airport not named) (uncertainty area)"
    ring = area.findtext(f"{KML}Polygon/{KML}outerBoundaryIs/{KML}LinearRing/{KML}coordinates").split()
    assert len(ring) > 60 and ring[0] == ring[-1]


def test_the_kmz_holds_its_icons_and_names_no_outside_url_but_the_sources(kmz: Path) -> None:
    archive = zipfile.ZipFile(kmz)
    assert archive.namelist()[0] == "doc.kml"
    root = SafeET.fromstring(archive.read("doc.kml"))
    hrefs = {h.text for h in root.iter(f"{KML}href")}
    assert hrefs and all(h in archive.namelist() for h in hrefs)
    for name in hrefs:
        assert Image.open(io.BytesIO(archive.read(name))).format == "PNG"
    for element in root.iter():
        texts = [element.text or "", *element.attrib.values()]
        urls = [u for text in texts for u in URL.findall(text)]
        if element.tag == f"{KML}description":
            continue  # balloons: the source links, which the reader follows by choice
        assert urls == [], (element.tag, urls)
    text = archive.read("doc.kml").decode()
    assert "maps.google.com" not in text and "earth.google.com" not in text


def test_the_kmz_has_a_marking_and_legend_overlay_and_opens_on_the_extent(kmz: Path) -> None:
    archive = zipfile.ZipFile(kmz)
    root = SafeET.fromstring(archive.read("doc.kml"))
    overlay = root.find(f"{KML}Document/{KML}ScreenOverlay")
    image = Image.open(io.BytesIO(archive.read(overlay.findtext(f"{KML}Icon/{KML}href"))))
    assert image.width >= 400 and image.height > image.width
    look_at = root.find(f"{KML}Document/{KML}LookAt")
    assert float(look_at.findtext(f"{KML}longitude")) == pytest.approx(17.5)  # Libya: 8.5 to 26.5 E
    assert float(look_at.findtext(f"{KML}latitude")) == pytest.approx(26.25)
    assert 1_000_000 < float(look_at.findtext(f"{KML}range")) < 5_000_000


def test_a_route_spans_its_count_reports_whole_period(shipped_kml: Path) -> None:
    # Google Earth's time slider shows the Hmeimim -> al-Khadim shuttle over the period the
    # count report gives (15-31 Dec 2024), not only on the day it starts.
    root = SafeET.parse(shipped_kml).getroot()
    (mark,) = [m for m in root.iter(f"{KML}Placemark") if m.get("id") == "route-hmeimim-al_khadim-count"]
    assert (mark.findtext(f"{KML}TimeSpan/{KML}begin"), mark.findtext(f"{KML}TimeSpan/{KML}end")) == (
        "2024-12-15", "2024-12-31")
