"""A PNG slide whose sources do not all fit continues on PNG sources pages beside it, named as QGIS names pages.

What a briefing officer notices: the slide's last footnote line names a file that is there,
each page is an image of the slide's size listing every footnote in full (outlet, link), and
a slide whose sources all fit comes alone. Never "see the PDF".
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layers import TimeSelection, build_snapshot, load_dataset
from tests.export_cases import MINI, ROOT

from dashboard.export.briefing import BriefingSpec
from dashboard.export.furniture import MORE_SOURCES_WHERE
from dashboard.export.product import render_product_files
from dashboard.export.route_notes import build_route_notes
from dashboard.export.source_pages import build_source_pages
from dashboard.export.static_map import render_briefing_figure

BUSY = dt.date(2024, 12, 20)  # 36 sources on the shipped data: more than a slide holds


def run_png(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dashboard.export", "--as-of", BUSY.isoformat(), "--format", "png",
                           "--out", str(out), *extra], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=False)


def test_the_command_writes_the_sources_pages_beside_the_slide_and_names_each(tmp_path: Path) -> None:
    result = run_png(tmp_path / "brief.png")
    assert result.returncode == 0, result.stderr
    pages = sorted(tmp_path.glob("brief_*.png"), key=lambda p: int(p.stem.split("_")[1]))
    assert [p.name for p in pages][:1] == ["brief_2.png"]
    assert result.stderr.splitlines() == [f"wrote {tmp_path / 'brief.png'}", *(
        f"wrote {page} (sources that do not fit on the slide)" for page in pages)]
    slide = Image.open(tmp_path / "brief.png")
    for page in pages:
        image = Image.open(page)
        assert image.size == slide.size  # the slide's size: they print and project alike
        pixels = np.asarray(image.convert("L"))
        assert (pixels < 128).mean() > 0.003  # text on it, not a blank page
    assert sorted(tmp_path.iterdir()) == sorted([tmp_path / "brief.png", *pages])  # no .part file left


def test_the_pages_list_every_footnote_in_full_and_the_slide_says_where() -> None:
    dataset = load_dataset()
    spec = BriefingSpec(TimeSelection(BUSY), format="png")
    briefing = render_briefing_figure(build_snapshot(dataset, spec.selection), spec)
    assert briefing.continued and briefing.footnotes_left_out > 0
    written = " ".join(text.get_text() for text in briefing.figure.texts)
    assert MORE_SOURCES_WHERE["png"] in written
    pages = build_source_pages(briefing.footnotes, spec, spec.page, routes=build_route_notes(briefing.shown))
    listed = " ".join(text.get_text() for page in pages for text in page.texts)
    for note in briefing.footnotes:  # those on the slide too: the pages are the whole list, with links
        assert note.source.display in listed, note.number


def test_the_download_carries_the_pages_with_the_slide() -> None:
    dataset = load_dataset()
    spec = BriefingSpec(TimeSelection(BUSY), format="png")
    files = render_product_files(build_snapshot(dataset, spec.selection), spec)
    names = [name for name, _ in files]
    assert names[0] == "airbridge-2024-12-20-theatre.png" and names[1] == "airbridge-2024-12-20-theatre_2.png"
    assert all(data.startswith(b"\x89PNG") for _, data in files)


@pytest.mark.parametrize("export_format", ["pdf", "pptx"])
def test_formats_with_pages_of_their_own_write_one_file(export_format: str) -> None:
    dataset = load_dataset()
    spec = BriefingSpec(TimeSelection(BUSY), format=export_format)
    assert [name for name, _ in render_product_files(build_snapshot(dataset, spec.selection), spec)] == [
        f"airbridge-2024-12-20-theatre.{export_format}"]


def test_a_slide_whose_sources_all_fit_comes_alone(tmp_path: Path) -> None:
    result = run_png(tmp_path / "mini.png", "--data", str(MINI))
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mini.png"]
    assert result.stderr.splitlines() == [f"wrote {tmp_path / 'mini.png'}"]
