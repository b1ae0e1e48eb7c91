"""The Streamlit export panel: choices make the right spec; rendering offers a download."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from layers import TimeSelection
from layers.extents import EXTENTS

from dashboard.app.export_panel import STATE_KEY
from dashboard.export.briefing import A4_LANDSCAPE, SLIDE_16_9
from dashboard.export.choices import (
    AS_SEEN,
    EXTENT_LABELS,
    FORMAT_LABELS,
    PanelChoice,
    build_spec,
    default_size,
    list_formats,
)
from dashboard.export.errors import ExportInputError

SELECTION = TimeSelection(dt.date(2024, 12, 20))


def test_defaults_are_the_issue_title_marking_and_slide_size() -> None:
    spec = build_spec(PanelChoice(), SELECTION)
    assert spec.title == "Russian military air bridge to eastern Libya"
    assert spec.marking == "UNCLASSIFIED // OPEN SOURCE"
    assert spec.page == SLIDE_16_9 and spec.extent == EXTENTS["theatre"]


def test_pdf_proposes_a4_landscape() -> None:
    assert default_size("pdf") == "a4" and default_size("png") == "1920x1080"
    assert build_spec(PanelChoice(format="pdf", size="a4"), SELECTION).page == A4_LANDSCAPE


def test_current_view_becomes_the_extent() -> None:
    spec = build_spec(PanelChoice(extent="view"), SELECTION, view_bounds=(20.0, 30.0, 36.0, 37.0))
    assert (spec.extent.west, spec.extent.north, spec.extent_name) == (20.0, 37.0, "view")


def test_a_zoomed_out_view_is_clamped_to_valid_degrees() -> None:
    spec = build_spec(PanelChoice(extent="view"), SELECTION, view_bounds=(-250.0, -95.0, 250.0, 95.0))
    assert (spec.extent.west, spec.extent.east) == (-180.0, 180.0)


def test_current_view_without_bounds_asks_for_a_preset() -> None:
    with pytest.raises(ExportInputError, match="pick a preset extent"):
        build_spec(PanelChoice(extent="view"), SELECTION)


def test_snapshot_as_seen_is_offered_only_with_an_online_basemap() -> None:
    assert AS_SEEN not in list_formats("natural_earth")
    assert AS_SEEN in list_formats("esri_imagery")
    assert build_spec(PanelChoice(format=AS_SEEN), SELECTION, basemap="esri_imagery").format == "png"


def panel_app(shipped: bool = False) -> None:
    import datetime as dt

    from layers import LAYER_NAMES, TimeSelection, load_dataset
    from tests.export_cases import MINI

    from dashboard.app.export_panel import render_export_panel
    from dashboard.app.view_state import MapView

    view = MapView(frozenset(LAYER_NAMES), "esri_imagery", (20.0, 28.0, 38.0, 37.0))
    render_export_panel(load_dataset() if shipped else load_dataset(MINI), TimeSelection(dt.date(2024, 12, 20)), view)


def test_panel_renders_and_offers_the_download() -> None:
    app = AppTest.from_function(panel_app, default_timeout=120)
    app.run()
    assert not app.exception
    assert app.text_input(key="airbridge_export_title").value == "Russian military air bridge to eastern Libya"
    assert app.text_input(key="airbridge_export_marking").value == "UNCLASSIFIED // OPEN SOURCE"
    assert app.selectbox(key="airbridge_export_extent").options[0] == EXTENT_LABELS["view"]
    assert FORMAT_LABELS[AS_SEEN] in app.selectbox(key="airbridge_export_format").options
    app.selectbox(key="airbridge_export_format").set_value("geojson")
    app.button(key="airbridge_export_render").click()
    app.run()
    assert not app.exception and not app.error
    download = app.get("download_button")
    assert len(download) == 1
    assert "airbridge-2024-12-20.geojson" in download[0].proto.label


def test_panel_renders_a_png_of_the_current_view() -> None:
    app = AppTest.from_function(panel_app, default_timeout=120)
    app.run()
    app.selectbox(key="airbridge_export_extent").set_value("view")
    app.button(key="airbridge_export_render").click()
    app.run()
    assert not app.exception and not app.error
    download = app.get("download_button")
    assert len(download) == 1 and "airbridge-2024-12-20-view.png" in download[0].proto.label


def test_a_png_whose_sources_do_not_fit_offers_its_sources_pages_too() -> None:
    app = AppTest.from_function(panel_app, kwargs={"shipped": True}, default_timeout=180)
    app.run()
    app.selectbox(key="airbridge_export_extent").set_value("theatre")
    app.button(key="airbridge_export_render").click()
    app.run()
    assert not app.exception and not app.error
    stored = app.session_state[STATE_KEY]
    with zipfile.ZipFile(io.BytesIO(stored["archive"])) as archive:  # what the first button sends
        names = archive.namelist()
        slide = archive.read(names[0])
    pages = len(names) - 1
    assert pages >= 2 and names == ["airbridge-2024-12-20-theatre.png",
                                    *(f"airbridge-2024-12-20-theatre_{n}.png" for n in range(2, pages + 2))]
    assert slide == stored["data"]  # the very slide of the second button
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == [f"Download airbridge-2024-12-20-theatre.zip (the slide and its {pages} sources pages)",
                      "Download airbridge-2024-12-20-theatre.png (the slide alone)"]


def tracked_panel_app(workspace: str) -> None:
    import datetime as dt

    from layers import LAYER_NAMES, TimeSelection
    from layers.workspace import load_workspace_dataset

    from dashboard.app.export_panel import render_export_panel
    from dashboard.app.view_state import MapView

    view = MapView(frozenset(LAYER_NAMES), "natural_earth", (20.0, 28.0, 38.0, 37.0))
    render_export_panel(load_workspace_dataset(workspace=workspace), TimeSelection(dt.date(2024, 12, 27)), view)


def test_the_panels_geopackage_holds_every_raw_position_of_the_tracks(tmp_path) -> None:
    import pyogrio

    from tests.track_samples import build_hmeimim_al_khadim_trace, import_sample_track

    from dashboard.app.export_panel import STATE_KEY

    workspace = import_sample_track(tmp_path / "ws")
    app = AppTest.from_function(tracked_panel_app, kwargs={"workspace": str(workspace)}, default_timeout=120)
    app.run()
    app.selectbox(key="airbridge_export_format").set_value("gpkg")
    app.button(key="airbridge_export_render").click()
    app.run()
    assert not app.exception and not app.error and not app.warning
    written = tmp_path / "export.gpkg"
    written.write_bytes(app.session_state[STATE_KEY]["data"])
    positions = pyogrio.read_dataframe(written, layer="positions")
    airborne_and_rolls = len(build_hmeimim_al_khadim_trace()["trace"]) - 7  # 4 parked + 3 last ground points
    assert len(positions) == airborne_and_rolls == 194


def test_the_panels_kml_holds_each_sites_status_history(tmp_path) -> None:
    from defusedxml import ElementTree

    from tests.track_samples import import_sample_track

    from dashboard.app.export_panel import STATE_KEY

    workspace = import_sample_track(tmp_path / "ws")
    app = AppTest.from_function(tracked_panel_app, kwargs={"workspace": str(workspace)}, default_timeout=120)
    app.run()
    app.selectbox(key="airbridge_export_format").set_value("kml")
    app.button(key="airbridge_export_render").click()
    app.run()
    assert not app.exception and not app.error
    root = ElementTree.fromstring(app.session_state[STATE_KEY]["data"])
    ids = [p.get("id") or "" for p in root.iter("{http://www.opengis.net/kml/2.2}Placemark")]
    assert "hmeimim" in ids and any(i.startswith("hmeimim@") for i in ids)  # past statuses, not only the last
