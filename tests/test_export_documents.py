"""PDF and PPTX exports read back as their users would: text, pages, pictures and notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from layers.sources import parse_source
from tests.export_cases import build_case

from dashboard.export.briefing import PageSize
from dashboard.export.product import write_product
from dashboard.export.route_notes import build_route_notes
from dashboard.export.static_map import render_briefing_figure

TITLE = "Air bridge test title"
MARKING = "UNCLASSIFIED // FOR TESTS"
POINTS_PER_INCH = 72


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    snapshot, spec = build_case(format="pdf", title=TITLE, marking=MARKING)
    return PdfReader(write_product(snapshot, spec, tmp_path_factory.mktemp("pdf") / "briefing.pdf"))


@pytest.fixture(scope="module")
def pptx(tmp_path_factory: pytest.TempPathFactory):
    snapshot, spec = build_case(format="pptx", title=TITLE, marking=MARKING)
    return Presentation(write_product(snapshot, spec, tmp_path_factory.mktemp("pptx") / "briefing.pptx"))


def footnote_urls() -> list[str]:
    """The footnotes' addresses and those of the closures the routes' lines flag (route_notes.py)."""
    snapshot, spec = build_case()
    briefing = render_briefing_figure(snapshot, spec)
    closures = [parse_source(source).url for note in build_route_notes(briefing.shown)
                for _, sources in note.closures for source in sources]
    return [note.url for note in briefing.footnotes] + closures


def test_pdf_page_is_a4_landscape_by_default(pdf: PdfReader) -> None:
    box = pdf.pages[0].mediabox
    assert float(box.width) == pytest.approx(297 / 25.4 * POINTS_PER_INCH, abs=1)
    assert float(box.height) == pytest.approx(210 / 25.4 * POINTS_PER_INCH, abs=1)


def test_pdf_title_marking_and_footnotes_are_selectable_text(pdf: PdfReader) -> None:
    text = pdf.pages[0].extract_text()
    assert TITLE in text
    assert text.count(MARKING) == 2
    assert "DTG 020304Z JAN 25" in text
    assert "Sources for what the map shows" in text
    assert "[high/medium/low] itamilradar.com" in text
    assert "Natural Earth" in text


def test_pdf_sources_page_links_every_footnote(pdf: PdfReader) -> None:
    assert len(pdf.pages) >= 2
    links = {annotation.get_object()["/A"]["/URI"] for page in pdf.pages[1:]
             for annotation in page.get("/Annots", [])}
    assert links == set(footnote_urls())
    text = pdf.pages[1].extract_text()
    assert MARKING in text and "Supports:" in text


def test_pdf_metadata_names_title_and_marking(pdf: PdfReader) -> None:
    assert pdf.metadata.title == TITLE
    assert MARKING in pdf.metadata.subject


def test_pdf_takes_an_explicit_page_size(tmp_path: Path) -> None:
    snapshot, spec = build_case(format="pdf", size=PageSize.from_pixels(1920, 1080))
    box = PdfReader(write_product(snapshot, spec, tmp_path / "slide.pdf")).pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(16 / 9, rel=0.01)


def test_pptx_is_one_16_9_map_slide_then_its_sources_slides(pptx) -> None:
    slides = list(pptx.slides)
    assert pptx.slide_width / pptx.slide_height == pytest.approx(16 / 9, rel=0.01)
    assert slides[0].shapes.title is not None and len(slides) >= 2
    texts = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in slides[1:]]
    assert all(text.startswith(("Sources", "Routes drawn")) or f"{MARKING} Sources" in text
               or f"{MARKING} Routes drawn" in text for text in texts)
    links = {run.hyperlink.address for slide in slides[1:] for shape in slide.shapes if shape.has_text_frame
             for paragraph in shape.text_frame.paragraphs for run in paragraph.runs if run.hyperlink.address}
    assert links == set(footnote_urls()), "a sources slide misses a footnote's link"


def test_pptx_picture_describes_the_map(pptx) -> None:
    [picture] = [s for s in pptx.slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    description = picture._element.nvPicPr.cNvPr.get("descr")
    assert description.startswith("Map: DTG ") and "Data as of 27 DEC 2024" in description
    assert "Labelled places: " in description
    assert "Routes drawn: " in description and "Hmeimim" in description


def test_pptx_title_is_slide_text(pptx) -> None:
    slide = pptx.slides[0]
    assert slide.shapes.title.text_frame.paragraphs[0].text == TITLE
    assert "DTG 020304Z JAN 25" in slide.shapes.title.text_frame.text


def test_pptx_marking_is_slide_text_at_top_and_bottom(pptx) -> None:
    slide = pptx.slides[0]
    tops = sorted(shape.top for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text == MARKING)
    assert len(tops) == 2 and tops[0] == 0 and tops[1] > pptx.slide_height * 0.9


def test_pptx_has_the_map_picture(pptx) -> None:
    pictures = [s for s in pptx.slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert pictures[0].image.content_type == "image/png"
    assert pictures[0].width == pptx.slide_width
    assert len(pictures[0].image.blob) > 50_000


def test_pptx_notes_list_every_source_with_a_link(pptx) -> None:
    notes = pptx.slides[0].notes_slide.notes_text_frame
    links = {run.hyperlink.address for paragraph in notes.paragraphs for run in paragraph.runs
             if run.hyperlink.address}
    assert links == set(footnote_urls())
    assert "(high)" in notes.text and MARKING in notes.text
