"""The payload suite, on the server side: every export writes hostile text literally and runs none of it.

Each test renders from a dataset whose free-text fields hold every payload of
``tests/payloads.py`` with a hostile title and marking, in a working directory where
an evaluated ``os.mkdir`` would leave ``airbridge_pwned``.
"""

from __future__ import annotations

import dataclasses
import html
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from layers import TimeSelection, build_snapshot, load_dataset
from tests.export_cases import AS_OF, GENERATED, WINDOW_DAYS
from tests.payloads import HOSTILE_MARKING, HOSTILE_SITE_NAME, HOSTILE_TITLE, PWNED_DIR, write_hostile_data

from dashboard.export import cli
from dashboard.export.briefing import BriefingSpec
from dashboard.export.html_export import STATE_ELEMENT_ID
from dashboard.export.product import write_product

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_data(tmp_path_factory.mktemp("hostile-data"))


@pytest.fixture(scope="module")
def hostile_snapshot(hostile_dir: Path):
    return build_snapshot(load_dataset(hostile_dir), TimeSelection(AS_OF, WINDOW_DAYS))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert not (tmp_path / PWNED_DIR).exists(), "a payload ran os.mkdir: text was evaluated as a template"


def export(snapshot, workdir: Path, format_key: str) -> Path:
    spec = BriefingSpec(TimeSelection(AS_OF, WINDOW_DAYS), format=format_key, title=HOSTILE_TITLE,
                        marking=HOSTILE_MARKING, generated_at=GENERATED)
    return write_product(snapshot, spec, workdir / f"export.{format_key}")


def test_hostile_data_passes_validation(hostile_snapshot) -> None:
    assert HOSTILE_SITE_NAME in set(hostile_snapshot.sites["name"])


def test_html_export_keeps_title_marking_and_names_literal(hostile_snapshot, workdir: Path) -> None:
    page = export(hostile_snapshot, workdir, "html").read_text(encoding="utf-8")
    start = page.index(f'id="{STATE_ELEMENT_ID}">') + len(f'id="{STATE_ELEMENT_ID}">')
    state = json.loads(page[start:page.index("</script>", start)])
    assert (state["title"], state["marking"]) == (HOSTILE_TITLE, HOSTILE_MARKING)
    assert f"<title>{html.escape(HOSTILE_TITLE)}" in page and "Briefing 49" not in page
    scripts = page.split("</title>", 1)[1]  # the title element shows text; scripts never hold a Jinja opener
    assert "{{" not in scripts and "{%" not in scripts and "{#" not in scripts


def test_html_export_never_ends_a_script_element_early(hostile_snapshot, workdir: Path) -> None:
    page = export(hostile_snapshot, workdir, "html").read_text(encoding="utf-8")
    assert "<script>window.__xss" not in page and "<!--<script>" not in page


def test_kml_text_is_well_formed_and_escaped_for_balloons(hostile_snapshot, workdir: Path) -> None:
    root = ET.parse(export(hostile_snapshot, workdir, "kml")).getroot()
    names = [html.unescape(p.findtext(f"{KML}name") or "") for p in root.iter(f"{KML}Placemark")]
    assert HOSTILE_SITE_NAME in names
    for element in root.iter():
        assert "<img" not in (element.text or "") and "<script" not in (element.text or "")


def test_geojson_keeps_every_payload_as_plain_text(hostile_snapshot, workdir: Path) -> None:
    collection = json.loads(export(hostile_snapshot, workdir, "geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in collection["features"]}
    assert HOSTILE_SITE_NAME in names


def test_geopackage_keeps_every_payload_as_plain_text(hostile_snapshot, workdir: Path) -> None:
    path = export(hostile_snapshot, workdir, "gpkg")
    with sqlite3.connect(path) as db:
        layers = [row[0] for row in db.execute("select table_name from gpkg_contents")]
    sites = gpd.read_file(path, layer=next(name for name in layers if "site" in name))
    assert HOSTILE_SITE_NAME in set(sites["name"])


def test_pdf_shows_math_and_template_text_literally(hostile_snapshot, workdir: Path) -> None:
    reader = PdfReader(export(hostile_snapshot, workdir, "pdf"))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "$x_$" in text and "{{ 7*7 }}" in text and "Budget $5 to $x_" in text


def test_pptx_shows_title_and_payloads_literally(hostile_snapshot, workdir: Path) -> None:
    deck = Presentation(export(hostile_snapshot, workdir, "pptx"))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide]
    assert any(HOSTILE_TITLE in t for t in texts + notes)


def test_png_renders_math_text_without_error(hostile_snapshot, workdir: Path) -> None:
    assert export(hostile_snapshot, workdir, "png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_title_is_written_literally(hostile_dir: Path, workdir: Path) -> None:
    out = workdir / "x.html"
    assert cli.main(["--as-of", "2024-12-20", "--format", "html", "--out", str(out), "--title", "{{ 7*7 }}",
                     "--data", str(hostile_dir)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>{{ 7*7 }}" in page and "<title>49" not in page
    assert '"title":"\\u007b{ 7*7 }}"' in page, "the banner's title reaches the script as escaped JSON"


@pytest.mark.parametrize("title", ["Note {# draft", "{% raw %}", "{{ open", "<!--<script>"])
def test_cli_renders_titles_that_would_break_a_template(title: str, workdir: Path) -> None:
    out = workdir / "x.html"
    assert cli.main(["--as-of", "2024-12-20", "--format", "html", "--out", str(out), "--title", title]) == 0
    assert f"<title>{html.escape(title)}" in out.read_text(encoding="utf-8")


def test_export_panel_spec_with_hostile_title_renders_literally(hostile_snapshot, workdir: Path) -> None:
    from dashboard.export.choices import PanelChoice, build_spec
    from dashboard.export.product import render_product

    spec = build_spec(PanelChoice(format="html", title=HOSTILE_TITLE, marking=HOSTILE_MARKING),
                      TimeSelection(AS_OF, WINDOW_DAYS))
    page = render_product(hostile_snapshot, dataclasses.replace(spec, generated_at=GENERATED)).decode("utf-8")
    assert f"<title>{html.escape(HOSTILE_TITLE)}" in page and "Briefing 49" not in page
