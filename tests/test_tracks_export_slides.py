"""ADS-B tracks on the briefing slide (PNG, PDF, PPTX) and in the interactive HTML.

The case is the constructed RA-82038 sample (see ``tests/test_tracks_export.py``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from shapely.geometry import MultiLineString

from layers import Dataset
from layers.extents import Extent
from layers.style import GAP_STYLE, REACH_STYLE, TRACK_STYLE
from tests.test_tracks_export import FLIGHT, build_track_case, load_track_dataset

from dashboard.export.html_export import build_html
from dashboard.export.product import write_product
from dashboard.export.static_map import render_briefing_figure
from dashboard.export.track_parts import cut_tracks_at_gaps

TRACK_LEGEND = [TRACK_STYLE.label, GAP_STYLE.label, REACH_STYLE.label, "Last position, direction not reported"]
EAST_MED = Extent(17.0, 29.0, 37.0, 37.0)  # Hmeimim to Benghazi, close enough to see the gap


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_track_dataset(tmp_path_factory.mktemp("track"))


def count_colour(pixels: np.ndarray, hex_colour: str, tolerance: int = 40) -> int:
    target = np.array(to_rgb(hex_colour)) * 255
    return int((np.abs(pixels - target).max(axis=2) < tolerance).sum())


def test_a_track_is_cut_where_its_flight_went_dark(dataset: Dataset) -> None:
    snapshot, _ = build_track_case(dataset)
    cut = cut_tracks_at_gaps(snapshot.tracks, snapshot.gaps).geometry.iloc[0]
    gap = snapshot.gaps.geometry.iloc[0]
    assert isinstance(cut, MultiLineString) and len(cut.geoms) == 2
    assert cut.geoms[0].coords[-1] == gap.coords[0] and cut.geoms[1].coords[0] == gap.coords[-1]
    # The layer already draws the flown stretches apart (layers/tracks/trackset.py); cutting keeps them.
    assert snapshot.tracks.geometry.iloc[0].equals(cut)


def test_legend_has_a_row_for_each_track_layer_on_the_map(dataset: Dataset) -> None:
    snapshot, spec = build_track_case(dataset)
    briefing = render_briefing_figure(snapshot, spec)
    section = next(s for s in briefing.legend if s.heading == "ADS-B tracks")
    assert [e.label for e in section.entries] == TRACK_LEGEND


def test_legend_leaves_out_hidden_track_layers(dataset: Dataset) -> None:
    snapshot, spec = build_track_case(dataset, visible_layers=frozenset({"site", "track"}))
    section = next(s for s in render_briefing_figure(snapshot, spec).legend if s.heading == "ADS-B tracks")
    assert [e.label for e in section.entries] == [TRACK_STYLE.label]


def test_last_position_is_labelled_with_registration_and_time(dataset: Dataset) -> None:
    snapshot, spec = build_track_case(dataset, extent=EAST_MED, extent_name="box")
    assert "RA-82038\n261918Z" in render_briefing_figure(snapshot, spec).labels


def test_footnotes_cite_the_track_source_with_what_it_supports(dataset: Dataset) -> None:
    snapshot, spec = build_track_case(dataset, visible_layers=frozenset({"site", "gap"}))
    note = next(n for n in render_briefing_figure(snapshot, spec).footnotes
                if n.url == "file:trace_full_154076.json")
    assert note.describe_claims() == "ADS-B RA-82038 26 DEC: dark 40 min (imported: b0001) (medium)"


def test_png_draws_the_track_solid_and_the_gap_in_its_own_colour(dataset: Dataset, tmp_path: Path) -> None:
    def render(name: str, layers: frozenset[str]) -> np.ndarray:
        snapshot, spec = build_track_case(dataset, extent=EAST_MED, extent_name="box", visible_layers=layers)
        path = write_product(snapshot, spec, tmp_path / name)
        return np.asarray(Image.open(path).convert("RGB")).astype(int)[150:800, :1400]  # the map, not the legend

    none = render("none.png", frozenset({"corridor"}))
    track = render("track.png", frozenset({"corridor", "track"}))
    gap = render("gap.png", frozenset({"corridor", "gap"}))
    assert count_colour(track, TRACK_STYLE.colour) > count_colour(none, TRACK_STYLE.colour) + 1000
    assert count_colour(gap, GAP_STYLE.colour) > count_colour(none, GAP_STYLE.colour) + 50
    # Dashed: along the gap the colour comes and goes, so it covers less than a solid line would.
    assert count_colour(gap, GAP_STYLE.colour) < count_colour(track, TRACK_STYLE.colour)


def test_pdf_text_has_the_track_legend_and_footnote(dataset: Dataset, tmp_path: Path) -> None:
    snapshot, spec = build_track_case(dataset, format="pdf")
    reader = PdfReader(write_product(snapshot, spec, tmp_path / "tracks.pdf"))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert all(label in text for label in ["ADS-B tracks", *TRACK_LEGEND])
    assert "ADS-B RA-82038 26 DEC: track, dark 40 min, reach while dark, last seen 19:18Z" in text


def test_pptx_notes_cite_the_track(dataset: Dataset, tmp_path: Path) -> None:
    snapshot, spec = build_track_case(dataset, format="pptx")
    notes = Presentation(write_product(snapshot, spec, tmp_path / "tracks.pptx")).slides[0] \
        .notes_slide.notes_text_frame.text
    assert "file:trace_full_154076.json" in notes and "ADS-B RA-82038 26 DEC" in notes


def test_html_export_carries_the_track_layers(dataset: Dataset) -> None:
    snapshot, spec = build_track_case(dataset, format="html")
    page = build_html(snapshot, spec)
    assert FLIGHT in page and "Al Khadim Airport" in page  # the track's popup, the gap's candidates
    assert all(label in page for label in (TRACK_STYLE.label, GAP_STYLE.label, REACH_STYLE.label))
