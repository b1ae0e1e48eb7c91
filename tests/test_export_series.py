"""A date series as one deck (``--deck``), or one file per date with a name for every extent.

Issue 13, item 6: ``--as-of 2024-12-08..2024-12-29 --every 7`` is four dates; ``--deck``
puts them in one multi-page PDF or one multi-slide PPTX, and two custom extents of the same
dates no longer write the same file names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from pptx import Presentation

from tests.conftest import CommandResult
from tests.export_cases import MINI

from dashboard.export.cli import main

WEEKS = ["--as-of", "2024-12-08..2024-12-29", "--every", "7"]
DAYS = ("08 DEC 2024", "15 DEC 2024", "22 DEC 2024", "29 DEC 2024")


@pytest.fixture
def export(run_main: Callable[..., CommandResult]) -> Callable[..., CommandResult]:
    """``python -m dashboard.export --data tests/data/mini ARGS``, run in this process."""
    return lambda *args: run_main(main, "--data", str(MINI), *args)


def test_a_pdf_deck_has_one_briefing_page_per_date_in_order(export, tmp_path: Path) -> None:
    result = export(*WEEKS, "--format", "pdf", "--deck", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (path,) = tmp_path.iterdir()
    assert path.name == "airbridge-2024-12-08-to-2024-12-29-theatre.pdf"
    texts = [page.extract_text() for page in pypdf.PdfReader(path).pages]
    briefing_pages = [text for text in texts if "Data as of" in text]
    assert [next(day for day in DAYS if f"Data as of {day}" in text) for text in briefing_pages] == list(DAYS)
    assert len(texts) > len(briefing_pages)  # each date's sources pages follow its briefing page
    assert "wrote" in result.stderr and "4 briefings, one per date" in result.stderr


def test_a_pptx_deck_has_one_slide_per_date_with_its_own_notes(export, tmp_path: Path) -> None:
    out = tmp_path / "weeks.pptx"
    result = export(*WEEKS, "--format", "pptx", "--deck", "--out", str(out))
    assert result.returncode == 0, result.stderr
    # One map slide per date (the slides with a title), each followed by its sources slides.
    slides = [slide for slide in Presentation(str(out)).slides if slide.shapes.title is not None]
    assert len(slides) == 4
    for slide, day in zip(slides, DAYS, strict=True):
        assert f"Data as of {day}" in slide.shapes.title.text_frame.text
        assert f"Data as of {day}" in slide.notes_slide.notes_text_frame.text
    assert list(tmp_path.iterdir()) == [out]


def test_every_is_the_step_of_a_range(export, tmp_path: Path) -> None:
    result = export(*WEEKS, "--format", "geojson", "--out", str(tmp_path / "weekly"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "weekly").iterdir()) == [
        f"airbridge-2024-12-{day}.geojson" for day in ("08", "15", "22", "29")]


def test_two_custom_extents_write_different_files(export, tmp_path: Path) -> None:
    for extent in ("-10,30,40,45", "30,30,40,40"):
        result = export("--as-of", "2024-12-20,2024-12-27", "--format", "png", "--size", "1280x720",
                        "--extent", extent, "--out", str(tmp_path))
        assert result.returncode == 0, result.stderr
    slides = ["airbridge-2024-12-20-10W30N40E45N.png", "airbridge-2024-12-20-30E30N40E40N.png",
              "airbridge-2024-12-27-10W30N40E45N.png", "airbridge-2024-12-27-30E30N40E40N.png"]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert [name for name in names if re.fullmatch(r".*_\d+\.png", name) is None] == slides
    # A slide whose sources do not all fit has its pages beside it, named after it (png_pages).
    assert {re.sub(r"_\d+\.png$", ".png", name) for name in names} == set(slides)


@pytest.mark.parametrize(("args", "says"), [
    (["--as-of", "2024-12-20", "--every", "7", "--format", "pdf"], "--every 7 steps through a range"),
    (["--as-of", "2024-12-08..2024-12-29", "--every", "0", "--format", "pdf"], "whole number of days"),
    ([*WEEKS, "--format", "png", "--deck"], "--deck makes one PDF or PowerPoint file"),
])
def test_bad_series_input_is_one_line(export, tmp_path: Path, args: list[str], says: str) -> None:
    result = export(*args, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert list(tmp_path.iterdir()) == []
