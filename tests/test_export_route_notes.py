"""Each route's line in the exports: distance, flight time, countries crossed and closed airspace, with sources.

The shipped data as of 20 Dec 2024 (14-day window): the distance is checked against
pyproj.Geod run here on the airfields' coordinates (data/sites.csv gives Hmeimim and
al-Khadim by ICAO code, so their positions are airportsdata's), and the countries against
a shapely intersection of that geodesic with the basemap's polygons.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import airportsdata
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pptx import Presentation
from pypdf import PdfReader
from pyproj import Geod

from layers import TimeSelection, build_snapshot, load_dataset
from layers.basemap import read_basemap

from dashboard.export.briefing import BriefingSpec
from dashboard.export.canvas import get_renderer
from dashboard.export.export_style import use_export_style
from dashboard.export.footnotes import Claim, SourceNote
from dashboard.export.furniture import draw_footnotes, plan_footnotes
from dashboard.export.layout import plan_layout
from dashboard.export.product import write_product
from dashboard.export.route_notes import ROUTE_NOTES_HEADING, build_route_notes
from dashboard.export.static_map import render_briefing_figure

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GENERATED = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
SELECTION = TimeSelection(dt.date(2024, 12, 20), 14)


@cache
def load_shipped():
    return load_dataset(DATA)


def export(tmp_path: Path, export_format: str, selection: TimeSelection = SELECTION) -> Path:
    spec = BriefingSpec(selection, format=export_format, generated_at=GENERATED)
    return write_product(build_snapshot(load_shipped(), selection), spec, tmp_path / f"briefing.{export_format}")


def flatten(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def site_position(site_id: str) -> tuple[float, float]:
    """(lon, lat) of a site in data/sites.csv: its own coordinate, else airportsdata's for its ICAO code."""
    with (DATA / "sites.csv").open(encoding="utf-8") as file:
        row = next(r for r in csv.DictReader(file) if r["id"] == site_id)
    if row["lat"] and row["lon"]:
        return float(row["lon"]), float(row["lat"])
    airport = airportsdata.load("ICAO")[row["icao"]]
    return float(airport["lon"]), float(airport["lat"])


def measure_hmeimim_al_khadim() -> tuple[str, list[str]]:
    """The distance as the line writes it, and the countries under the geodesic (the ends' own left out)."""
    (lon1, lat1), (lon2, lat2) = site_position("hmeimim"), site_position("al_khadim")
    geod = Geod(ellps="WGS84")
    km = geod.inv(lon1, lat1, lon2, lat2)[2] / 1000
    line = shapely.LineString([(lon1, lat1), *geod.npts(lon1, lat1, lon2, lat2, 200), (lon2, lat2)])
    countries = read_basemap()
    ends = {name for name, shape in zip(countries["name"], countries.geometry, strict=True)
            if shape.distance(shapely.Point(lon1, lat1)) < 0.05 or shape.distance(shapely.Point(lon2, lat2)) < 0.05}
    crossed = [name for name, shape in zip(countries["name"], countries.geometry, strict=True)
               if shape.intersects(line) and name not in ends]
    return f"{km:,.0f} km ({km / 1.852:,.0f} NM)", crossed


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    reader = PdfReader(export(tmp_path_factory.mktemp("pdf"), "pdf"))
    return flatten(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def pptx_notes(tmp_path_factory: pytest.TempPathFactory) -> str:
    deck = Presentation(str(export(tmp_path_factory.mktemp("pptx"), "pptx")))
    return flatten(deck.slides[0].notes_slide.notes_text_frame.text)


def find_route_line(text: str, route: str) -> str:
    """The route's line as printed: from its name to the end of its closures (``)``) or its crossing."""
    ending = r"(?:closed: [^|]*?\)(?= |$)|crosses [^;]*?(?= \| | Closed| Sources|$))"
    match = re.search(re.escape(route) + r": [^→]*?" + ending, text)
    assert match, f"no line for {route}"
    return match.group(0)


def test_pdf_states_the_geodesic_distance_of_hmeimim_to_al_khadim(pdf_text: str) -> None:
    distance, _ = measure_hmeimim_al_khadim()
    assert distance == "1,418 km (765 NM)"
    assert f"Hmeimim → al-Khadim: {distance}, about 1.8 h by Il-76;" in pdf_text


def test_pdf_names_the_countries_under_the_geodesic_and_the_closure_with_its_source(pdf_text: str) -> None:
    _, crossed = measure_hmeimim_al_khadim()
    assert sorted(crossed) == ["Cyprus", "N. Cyprus"]
    line = find_route_line(pdf_text, "Hmeimim → al-Khadim")
    printed = re.search(r"crosses ([^;]*);", line)
    assert printed and sorted(printed.group(1).split(", ")) == sorted(crossed)
    # Cyprus is in the EU (closed to Russian aircraft from 28 Feb 2022); N. Cyprus is not under its control.
    assert line.endswith("closed: Cyprus (CAPA 2022-02-28)")
    assert "Closed airspace: EU airspace closed to Russian aircraft" in pdf_text
    assert "centreforaviation.com/news/european-commission-to-close-eu-airspace" in pdf_text


def test_pptx_notes_hold_the_same_route_line_as_the_pdf(pdf_text: str, pptx_notes: str) -> None:
    line = find_route_line(pdf_text, "Hmeimim → al-Khadim")
    assert line in pptx_notes
    assert f"{ROUTE_NOTES_HEADING}:" in pptx_notes


def test_route_over_turkey_from_syria_flags_the_turkish_closure(pdf_text: str) -> None:
    line = find_route_line(pdf_text, "Hmeimim → Chkalovsky")
    assert "crosses Turkey, Ukraine;" in line and "Turkey (TRT World 2022-04-23)" in line


def test_route_crossing_no_other_country_says_so(tmp_path: Path) -> None:
    # Benina -> Sabha (YK-ATD, 9 Jan 2025) lies within Libya: its great circle crosses no other country.
    deck = Presentation(str(export(tmp_path, "pptx", TimeSelection(dt.date(2025, 1, 9), 1))))
    notes = flatten(deck.slides[0].notes_slide.notes_text_frame.text)
    assert "crosses no other country (sea, or the ends' own)" in find_route_line(notes, "Benina → Sabha")


def test_kml_route_balloon_holds_the_route_line(tmp_path: Path) -> None:
    tree = ET.parse(export(tmp_path, "kml"))
    namespace = {"k": "http://www.opengis.net/kml/2.2"}
    balloons = [p.findtext("k:description", "", namespace) for p in tree.iterfind(".//k:Placemark", namespace)
                if p.findtext("k:name", "", namespace) == "Hmeimim (Khmeimim) Air Base → al-Khadim Air Base"]
    assert balloons and all("<b>Route:</b> Hmeimim → al-Khadim: 1,418 km (765 NM)" in b for b in balloons)
    assert all("closed: Cyprus (CAPA 2022-02-28)" in b for b in balloons)


def test_slide_footnotes_put_route_lines_above_the_sources_without_overlap() -> None:
    selection = SELECTION
    snapshot = build_snapshot(load_shipped(), selection)
    routes = [note.text for note in build_route_notes(snapshot)]
    page = BriefingSpec(selection, generated_at=GENERATED).page
    layout = plan_layout(page, footnote_count=40, with_title_block=True, route_count=len(routes))
    assert 0 < layout.route_rows < len(routes)  # ten routes: the slide keeps the busiest, says where the rest are
    notes = [SourceNote(n, f"https://example.org/{n}", f"Outlet {n}", (Claim("Hmeimim active", "high"),))
             for n in range(1, 41)]
    kept, left_out = plan_footnotes(notes, layout.footnote_rows, layout.footnote_columns)
    with use_export_style():  # the exports' fonts, as the slide is drawn
        figure = Figure(figsize=(page.width_in, page.height_in), dpi=page.dpi)
        FigureCanvasAgg(figure)
        draw_footnotes(figure, kept, left_out, layout.footnote_rect, columns=layout.footnote_columns,
                       positions_note="Site positions", routes=routes, route_rows=layout.route_rows)
        renderer = get_renderer(figure)
        texts = {t.get_text(): t.get_window_extent(renderer) for t in figure.texts}
        bullets = sum(t.get_text() == "•" for t in figure.texts)
    assert routes[0] in texts and routes[0].startswith("Hmeimim → al-Khadim: ")  # the busiest route first
    more = (f"{len(routes) - bullets} more routes: each route's line is given in full on the sources page "
            "saved beside this image (its name ends _2.png)")  # a PNG slide's pages (png_pages)
    assert bullets >= 2 and more in texts
    left, bottom, width, height = layout.footnote_rect
    block = (left * figure.bbox.width, bottom * figure.bbox.height,
             (left + width) * figure.bbox.width + 1, (bottom + height) * figure.bbox.height + 1)
    boxes = list(texts.values())
    for box in boxes:
        assert block[0] <= box.x0 and box.x1 <= block[2] and block[1] <= box.y0 and box.y1 <= block[3]
    for i, one in enumerate(boxes):
        for other in boxes[i + 1:]:
            assert not one.overlaps(other), "two footnote lines overlap"


def test_slide_footnotes_show_the_busiest_route_line() -> None:
    snapshot = build_snapshot(load_shipped(), SELECTION)
    briefing = render_briefing_figure(snapshot, BriefingSpec(SELECTION, generated_at=GENERATED))
    written = {text.get_text() for text in briefing.figure.texts}
    assert ROUTE_NOTES_HEADING in written
    assert build_route_notes(snapshot)[0].text in written
