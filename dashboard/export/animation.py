"""A series of dates as one animation: an animated GIF (Pillow) or an MP4 video (ffmpeg).

Each frame is the whole briefing slide of one date, as the PNG export draws it: marking
at top and bottom, title, the date and window in the subtitle, legend and footnotes, so
that a frame paused on a screen is a briefing of its own. Frames follow the dates of
``--as-of`` (``2024-12-08..2024-12-29/7d``, ``--every``), one per date, shown
:data:`FRAME_SECONDS` each; the GIF loops, the video plays once.

GIF needs nothing beyond Pillow: each frame keeps its own 256-colour palette, without
dithering, so text and hairlines stay sharp. MP4 pipes raw frames to Debian's ``ffmpeg``
(H.264, yuv420p, ``+faststart``: plays in browsers, PowerPoint and phones); without
ffmpeg the export stops with what to install.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from layers import Snapshot

from dashboard.export.briefing import BriefingSpec
from dashboard.export.errors import ExportInputError, ExportWriteError, MissingComponentError
from dashboard.export.export_style import use_export_style
from dashboard.export.formats import ANIMATION_FORMATS
from dashboard.export.static_map import render_briefing_figure

FRAME_SECONDS = 1.0
VIDEO_FPS = 25  # the video's frame rate: each date is held for FRAME_SECONDS of it
FFMPEG_INSTALL_HINT = "install Debian's ffmpeg package (sudo apt-get install ffmpeg), or use --format gif"
Advance = Callable[[int], None]  # called with the number of frames done (for a progress bar)


def write_animation(briefings: Sequence[tuple[Snapshot, BriefingSpec]], path: Path, *,
                    advance: Advance | None = None) -> None:
    """Write the briefings of several dates as one GIF or MP4 at ``path`` (the specs' format).

    Raises
    ------
    ExportInputError
        If there is no briefing or the format is not an animation.
    MissingComponentError
        For MP4 when ``ffmpeg`` is not installed.
    ExportWriteError
        If ffmpeg fails.
    """
    if not briefings:
        raise ExportInputError("an animation needs at least one date")
    format_key = briefings[0][1].format
    if format_key not in ANIMATION_FORMATS:
        raise ExportInputError(f"an animation is --format gif or mp4, not {format_key}")
    frames = _render_frames(briefings, advance)
    if format_key == "gif":
        _write_gif(frames, path)
    else:
        _write_mp4(frames, path)


def write_single_frame(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write one date as a one-frame animation (the writer of ``FORMATS``; a series goes through the CLI)."""
    write_animation([(snapshot, spec)], path)


def _render_frames(briefings: Sequence[tuple[Snapshot, BriefingSpec]], advance: Advance | None
                   ) -> Iterator[np.ndarray]:
    for done, (snapshot, spec) in enumerate(briefings, start=1):
        briefing = render_briefing_figure(snapshot, spec)
        with use_export_style():
            canvas = briefing.figure.canvas
            canvas.draw()
            frame = np.array(canvas.buffer_rgba())[:, :, :3]  # type: ignore[attr-defined]
        yield frame
        if advance:
            advance(done)


def _write_gif(frames: Iterator[np.ndarray], path: Path) -> None:
    # Quantised one at a time, so a long series holds palette images (1 byte a pixel), not RGB.
    images = [Image.fromarray(frame).quantize(colors=256, dither=Image.Dither.NONE) for frame in frames]
    images[0].save(path, format="GIF", save_all=True, append_images=images[1:], loop=0,
                   duration=int(FRAME_SECONDS * 1000), disposal=1)


def _write_mp4(frames: Iterator[np.ndarray], path: Path) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise MissingComponentError(f"--format mp4 needs ffmpeg: {FFMPEG_INSTALL_HINT}")
    first = next(frames)
    height, width = first.shape[:2]
    command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
               "-framerate", f"{1 / FRAME_SECONDS:g}", "-i", "-",
               # H.264 in yuv420p needs even sides: pad a pixel of white where a size is odd.
               "-vf", f"pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white,fps={VIDEO_FPS}",
               "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", str(path)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None
    assert process.stderr is not None
    stopped_early = False
    try:
        for frame in itertools.chain([first], frames):
            process.stdin.write(np.ascontiguousarray(frame).tobytes())
        process.stdin.close()
    except BrokenPipeError:
        stopped_early = True  # ffmpeg stopped reading: its message and status are read below
    except BaseException:
        process.kill()  # a frame failed or the export was stopped: leave no ffmpeg behind
        process.wait()
        raise
    errors = process.stderr.read().decode(errors="replace").strip()
    status = process.wait()
    if status != 0 or stopped_early:
        last = errors.splitlines()[-1] if errors else f"exit status {status}, before the last frame"
        raise ExportWriteError(f"ffmpeg could not write {path.name}: {last}")
