"""Exports at once (dashboard sessions run their scripts in threads) do not disturb each other.

Each product made while others are being made is the one it is alone, and none leaves the
process's shared settings (matplotlib's ``rcParams``, folium's class defaults) changed.

Interference between threads depends on how they interleave, and two threads can miss it;
so the PNG and the PDF are each made twice, in four threads started PNG, PDF, PDF, PNG,
which overlaps them in every order.
"""

from __future__ import annotations

import io
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import folium
import folium.plugins
import matplotlib
import pytest
from pypdf import PdfReader

from tests.export_cases import build_case

from dashboard.export.product import render_product
from dashboard.webmap.folium_map import MapSources, build_base_map

# Math-text markup in both titles: drawn literally only while the export's settings hold.
CASES = {"png": {"format": "png", "title": "A $x_$"}, "pdf": {"format": "pdf", "title": "B $y^$ {z}"}}
STARTED = ("png", "pdf", "pdf", "png")


@dataclass(frozen=True)
class AtOnce:
    """The products made at once, one thread each (in ``STARTED`` order), and the settings changed."""

    made: list[tuple[str, Future[bytes]]]
    changed_settings: dict[str, tuple[object, object]]

    def products(self, key: str) -> list[bytes]:
        """The ``key`` products (raises what a thread raised)."""
        return [future.result() for made_key, future in self.made if made_key == key]


def render(key: str) -> bytes:
    """Render one of ``CASES`` with the mini data and a fixed clock (``build_case``) as bytes."""
    snapshot, spec = build_case(**CASES[key])
    return render_product(snapshot, spec)


def pdf_text(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def alone() -> dict[str, bytes]:
    """Each product made on its own, one after the other."""
    return {key: render(key) for key in CASES}


@pytest.fixture(scope="module")
def at_once(alone: dict[str, bytes]) -> AtOnce:
    """The products made at once, after ``alone``."""
    # rc_context() with no settings puts back whatever the exports leave, so that later
    # tests run on matplotlib's settings; the settings are compared inside it.
    with matplotlib.rc_context(), ThreadPoolExecutor(max_workers=len(STARTED)) as pool:
        before = dict(matplotlib.rcParams)
        made = [(key, pool.submit(render, key)) for key in STARTED]
        wait([future for _, future in made], timeout=300)
        changed = {name: (value, matplotlib.rcParams[name]) for name, value in before.items()
                   if matplotlib.rcParams[name] != value}
    return AtOnce(made, changed)


def test_the_same_export_made_twice_alone_is_the_same(alone: dict[str, bytes]) -> None:
    # What the comparisons below rest on: PNG bytes and PDF text do not vary between runs.
    assert render("png") == alone["png"]
    assert pdf_text(render("pdf")) == pdf_text(alone["pdf"])


def test_a_png_made_while_others_are_made_is_the_png_made_alone(alone: dict[str, bytes], at_once: AtOnce) -> None:
    assert at_once.products("png") == [alone["png"]] * 2


def test_a_pdf_made_while_others_are_made_is_the_pdf_made_alone(alone: dict[str, bytes], at_once: AtOnce) -> None:
    assert [pdf_text(pdf) for pdf in at_once.products("pdf")] == [pdf_text(alone["pdf"])] * 2


def test_exports_made_at_once_leave_matplotlib_settings_as_they_were(at_once: AtOnce) -> None:
    assert at_once.changed_settings == {}


def test_building_a_live_map_leaves_folium_defaults_on_the_cdn() -> None:
    classes = (folium.Map, folium.plugins.Fullscreen)
    before = {cls: (list(cls.default_js), list(cls.default_css)) for cls in classes}
    live = build_base_map("theatre", sources=MapSources(catalogue_url="/c", basemap_url="/b"), asset_base_url="/x")
    assert all(url.startswith("/x/vendor/") for _, url in live.default_js + live.default_css), \
        "the live map links the app's copies"
    assert {cls: (list(cls.default_js), list(cls.default_css)) for cls in classes} == before
    assert all(url.startswith("https://") for _, url in folium.Map.default_js + folium.Map.default_css)
