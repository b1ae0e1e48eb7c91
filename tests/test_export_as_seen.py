"""The snapshot as seen: the live map captured in Chromium and framed, or the static image with a warning."""

from __future__ import annotations

import dataclasses
import io
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.export_cases import build_case

import dashboard.webmap.basemaps
from dashboard.export import snapshot_as_seen
from dashboard.export.snapshot_as_seen import (
    StaticFallbackWarning,
    render_snapshot_as_seen_files,
    write_snapshot_as_seen,
)


def test_live_map_is_captured_and_framed(tmp_path: Path) -> None:
    snapshot, spec = build_case(basemap="natural_earth")
    path = tmp_path / "seen.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaticFallbackWarning)
        assert write_snapshot_as_seen(snapshot, spec, path) is True
    pixels = np.asarray(Image.open(path).convert("RGB"))
    assert pixels.shape == (1080, 1920, 3) and pixels.std() > 20
    assert "Live map as seen" in Image.open(path).info["Description"]


def test_capture_is_at_twice_the_pixel_density(tmp_path: Path) -> None:
    snapshot, spec = build_case(basemap="natural_earth")
    capture = snapshot_as_seen.capture_live_map(snapshot, spec, (600, 300))
    assert capture.image.shape[:2] == (600, 1200)
    west, south, east, north = capture.bounds
    assert west < spec.extent.centre[1] < east and south < spec.extent.centre[0] < north


def test_without_chromium_the_static_image_is_made_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(snapshot_as_seen.shutil, "which", lambda name: None)
    snapshot, spec = build_case(basemap="esri_imagery")
    with pytest.warns(StaticFallbackWarning, match="no Chromium"):
        assert write_snapshot_as_seen(snapshot, spec, tmp_path / "fallback.png") is False
    assert Image.open(tmp_path / "fallback.png").size == (1920, 1080)


def test_tiles_that_cannot_load_fall_back_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    unreachable = dataclasses.replace(dashboard.webmap.basemaps.BASEMAPS["osm"], url="http://127.0.0.1:9/{z}/{x}/{y}.png")
    monkeypatch.setitem(dashboard.webmap.basemaps.BASEMAPS, "osm", unreachable)
    snapshot, spec = build_case(basemap="osm")
    with pytest.warns(StaticFallbackWarning, match="tiles did not load"):
        assert write_snapshot_as_seen(snapshot, spec, tmp_path / "offline.png") is False
    assert (tmp_path / "offline.png").is_file()


def test_a_capture_whose_sources_do_not_fit_comes_with_its_sources_pages() -> None:
    import datetime as dt

    from layers import TimeSelection, build_snapshot, load_dataset

    from dashboard.export.briefing import BriefingSpec

    spec = BriefingSpec(TimeSelection(dt.date(2024, 12, 20)), format="png", basemap="natural_earth")
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaticFallbackWarning)
        files = render_snapshot_as_seen_files(build_snapshot(load_dataset(), spec.selection), spec, "seen.png")
    assert [name for name, _ in files][:2] == ["seen.png", "seen_2.png"]  # 36 sources: more than the slide holds
    assert "Live map as seen" in Image.open(io.BytesIO(files[0][1])).info["Description"]
    assert all(Image.open(io.BytesIO(data)).size == (1920, 1080) for _, data in files)
