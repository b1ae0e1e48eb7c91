"""``--format gif`` and ``--format mp4``: one file of a date series, each frame that date's briefing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence

from tests.conftest import CommandResult

from dashboard.export.cli import main

SERIES = "2024-12-08..2024-12-29/7d"
SERIES_DAYS = [dt.date(2024, 12, 8), dt.date(2024, 12, 15), dt.date(2024, 12, 22), dt.date(2024, 12, 29)]
SIZE = "1280x720"


@pytest.fixture
def export(run_main: Callable[..., CommandResult]) -> Callable[..., CommandResult]:
    return lambda *args: run_main(main, "--size", SIZE, *args)


def test_gif_has_one_frame_per_date_each_that_dates_slide(export, tmp_path: Path) -> None:
    out = tmp_path / "series.gif"
    result = export("--as-of", SERIES, "--format", "gif", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out} (4 frames, one per date)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["series.gif"]
    gif = Image.open(out)
    frames = [np.asarray(frame.convert("RGB"), dtype=np.int16) for frame in ImageSequence.Iterator(gif)]
    assert len(frames) == len(SERIES_DAYS) and frames[0].shape == (720, 1280, 3)
    assert gif.info["loop"] == 0 and gif.info["duration"] == 1000
    slides = []
    for day in SERIES_DAYS:
        png = tmp_path / f"{day}.png"
        assert export("--as-of", day.isoformat(), "--format", "png", "--out", str(png)).returncode == 0
        slides.append(np.asarray(Image.open(png).convert("RGB"), dtype=np.int16))
    for index, frame in enumerate(frames):
        differences = [float(np.abs(frame - slide).mean()) for slide in slides]
        # Each frame is its own date's slide (its subtitle, routes and flights), not another's.
        assert int(np.argmin(differences)) == index, differences
        assert differences[index] < 1.0


def test_mp4_plays_one_second_per_date(export, tmp_path: Path) -> None:
    assert shutil.which("ffprobe"), "scripts/test.sh installs Debian's ffmpeg for this test"
    result = export("--as-of", "2024-12-18..2024-12-20", "--format", "mp4", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    [video] = list(tmp_path.iterdir())
    assert video.name.endswith(".mp4") and "2024-12-18" in video.name and "2024-12-20" in video.name
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(video)],
                           capture_output=True, text=True, check=True)
    info = json.loads(probe.stdout)
    [stream] = info["streams"]
    assert (stream["codec_name"], stream["pix_fmt"], stream["width"], stream["height"]) == (
        "h264", "yuv420p", 1280, 720)
    assert float(info["format"]["duration"]) == pytest.approx(3.0, abs=0.1)


def test_mp4_without_ffmpeg_says_what_to_install(export, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = export("--as-of", "2024-12-20", "--format", "mp4", "--out", str(tmp_path / "day.mp4"))
    assert result.returncode != 0
    assert "--format mp4 needs ffmpeg: install Debian's ffmpeg package" in result.stderr
    assert list(tmp_path.iterdir()) == []
