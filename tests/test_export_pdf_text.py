"""The PDF a reader searches: map labels as text, numbered sources pages, addresses any font prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from layers import TimeSelection, build_snapshot, load_dataset
from tests.conftest import CommandResult

from dashboard.export.briefing import BriefingSpec
from dashboard.export.cli import main
from dashboard.export.static_map import render_briefing_figure

ARABIC_URL = "https://reportage.ly/نوفا-استئناف-الرحلات-الجوية-العسكرية"


@pytest.fixture
def export_pdf(run_main: Callable[..., CommandResult], tmp_path: Path) -> Callable[..., PdfReader]:
    def run(day: dt.date, *args: str) -> PdfReader:
        out = tmp_path / f"{day}.pdf"
        result = run_main(main, "--as-of", day.isoformat(), "--format", "pdf", "--out", str(out), *args)
        assert result.returncode == 0, result.stderr
        return PdfReader(out)
    return run


@pytest.mark.parametrize("day", [dt.date(2024, 12, 20), dt.date(2025, 6, 1)])
def test_every_map_label_can_be_found_in_the_pdf(export_pdf, day: dt.date) -> None:
    reader = export_pdf(day)
    selection = TimeSelection(day, 7)
    labels = render_briefing_figure(build_snapshot(load_dataset(), selection),
                                    BriefingSpec(selection, format="pdf")).labels
    assert len(labels) >= 8
    if day == dt.date(2024, 12, 20):
        assert {"Hmeimim", "al-Khadim", "Tartus"} <= set(labels)
    first_page = reader.pages[0].extract_text()
    missing = [label for label in labels if label.replace("\n", " ") not in first_page.replace("\n", " ")]
    assert missing == [], "labels drawn as outlines, not text"


def test_sources_pages_are_numbered(export_pdf) -> None:
    reader = export_pdf(dt.date(2024, 12, 20))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages[1:], start=2):
        assert f"Page {number} of {total}" in page.extract_text()


def test_a_non_latin_address_prints_in_ascii_and_links_to_itself(export_pdf) -> None:
    reader = export_pdf(dt.date(2025, 10, 29), "--title", "Air bridge (نوفا)")
    text = " ".join(page.extract_text() for page in reader.pages[1:]).replace("\n", "")
    assert "https://reportage.ly/%D9%86%D9%88%D9%81%D8%A7-" in text
    links = [annotation.get_object()["/A"]["/URI"] for page in reader.pages[1:]
             for annotation in page.get("/Annots", []) if "/A" in annotation.get_object()]
    assert ARABIC_URL in links
    # The title's Arabic is drawn from a font that has it (DejaVu Sans), not as empty boxes.
    fonts = {font.get_object()["/BaseFont"] for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in name for name in fonts), fonts
