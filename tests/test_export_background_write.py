"""The PNG's sources pages drawn by a second process beside the slide: same files, and nothing left when it fails.

Issue 13, item 10: the five sources pages of the busiest date drew after the slide, 1.4 s of
a 3.2 s command. Drawn in a forked child meanwhile, they must be the very files the
slide's own process draws, a failure in the child must reach the command as its own
error, and a stopped child must leave no file or folder behind.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from tests.export_cases import ROOT

from dashboard.export.background_write import STAGING_PREFIX, StagedWrite, can_fork, claim
from dashboard.export.briefing import BriefingSpec
from dashboard.export.errors import ExportError, ExportWriteError
from dashboard.export.png_pages import plan_source_pages
from dashboard.export.static_map import render_briefing_figure

BUSY = dt.date(2024, 12, 20)  # 36 sources on the shipped data: the slide continues on five pages

needs_two_cpus = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one CPU: nothing is forked")


@needs_two_cpus
def test_the_pages_a_second_process_draws_are_those_the_slides_process_draws(tmp_path: Path) -> None:
    dataset = load_dataset()
    # One generation time for both: it is printed on each page.
    spec = BriefingSpec(TimeSelection(BUSY), format="png", generated_at=dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC))
    told: list[tuple[list, list]] = []
    render_briefing_figure(build_snapshot(dataset, spec.selection), spec,
                           on_continued=lambda notes, routes: told.append((notes, routes)))
    assert len(told) == 1  # the slide said, before drawing its map, that it continues
    drawn = {}
    for in_background in (True, False):
        folder = tmp_path / ("forked" if in_background else "here")
        folder.mkdir()
        pages = plan_source_pages(*told[0], spec, folder / "brief.png")
        pages.start(in_background=in_background)
        assert (pages.pid is not None) == in_background  # really a second process, or really none
        drawn[in_background] = [(path.name, path.read_bytes()) for path in pages.finish()]
        assert sorted(path.name for path in folder.iterdir()) == [name for name, _ in drawn[in_background]]
    assert [name for name, _ in drawn[True]][:2] == ["brief_2.png", "brief_3.png"]
    assert drawn[True] == drawn[False]  # names and bytes of each page


def write_claimed(folder: Path, *, from_end: bool = False, pause_s: float = 0.0) -> list[Path]:
    """Write items 1 to 8 that no other process has claimed, each naming the process that wrote it."""
    written = []
    for number in range(8, 0, -1) if from_end else range(1, 9):
        if not claim(folder, str(number)):
            break
        time.sleep(pause_s)
        (folder / f"item_{number}.txt").write_text(str(os.getpid()))
        written.append(folder / f"item_{number}.txt")
    return written[::-1] if from_end else written


@needs_two_cpus
def test_the_slides_process_draws_the_last_pages_while_the_child_draws_the_first(tmp_path: Path) -> None:
    # The child is slow (a page each 0.2 s); the parent, free at once, takes from the end.
    pages = StagedWrite(tmp_path, lambda folder: write_claimed(folder, pause_s=0.2),
                        share=lambda folder: write_claimed(folder, from_end=True, pause_s=0.01))
    pages.start(in_background=True)
    child = pages.pid
    written = pages.finish()
    assert [path.name for path in written] == [f"item_{n}.txt" for n in range(1, 9)]  # each once, in order
    writers = [int(path.read_text()) for path in written]
    assert writers[0] == child and writers[-1] == os.getpid()
    assert writers == sorted(writers, key=lambda pid: pid != child)  # the child's first, then the parent's
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in written)  # no claim left


def test_the_command_draws_its_pages_in_a_second_process_only_where_it_is_safe() -> None:
    in_a_thread: list[bool] = []  # a Streamlit session's thread: never forked
    worker = threading.Thread(target=lambda: in_a_thread.append(can_fork()))
    worker.start()
    worker.join()
    assert in_a_thread == [False]
    # The command's process has no other thread: it forks where it has two CPUs.
    probe = "from dashboard.export.background_write import can_fork; print(can_fork())"
    alone = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert alone.stdout.strip() == str(len(os.sched_getaffinity(0)) > 1)


def write_two(folder: Path) -> list[Path]:
    (folder / "b_2.txt").write_text("two")
    (folder / "b\n_3.txt").write_text("three")  # a name may hold a newline
    return [folder / "b_2.txt", folder / "b\n_3.txt"]


@pytest.mark.parametrize("in_background", [pytest.param(True, marks=needs_two_cpus), False])
def test_the_files_are_moved_beside_the_slide_in_their_order(tmp_path: Path, in_background: bool) -> None:
    child = StagedWrite(tmp_path, write_two)
    child.start(in_background=in_background)
    assert (child.pid is not None) == in_background
    assert child.finish() == [tmp_path / "b_2.txt", tmp_path / "b\n_3.txt"]
    assert (tmp_path / "b\n_3.txt").read_text() == "three"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["b\n_3.txt", "b_2.txt"]  # the folder is gone


def fail_on_a_full_disk(folder: Path) -> list[Path]:
    (folder / "b_2.txt").write_text("half")
    raise ExportWriteError(f"cannot write {folder / 'b_2.txt'}: No space left on device")


@pytest.mark.parametrize("in_background", [pytest.param(True, marks=needs_two_cpus), False])
def test_the_writers_error_reaches_the_command_with_its_type_and_message(tmp_path: Path, in_background: bool) -> None:
    child = StagedWrite(tmp_path, fail_on_a_full_disk)
    child.start(in_background=in_background)
    with pytest.raises(ExportWriteError, match=r"b_2\.txt: No space left on device$"):
        child.finish()
    assert list(tmp_path.iterdir()) == []  # nor its half-written file


def crash(folder: Path) -> list[Path]:
    raise KeyError("route")


def be_killed(folder: Path) -> list[Path]:
    (folder / "b_2.txt").write_text("half")
    os.kill(os.getpid(), signal.SIGKILL)  # the kernel's out-of-memory killer, say
    return []


@needs_two_cpus
@pytest.mark.parametrize(("write", "says"), [
    pytest.param(crash, r"^the sources pages could not be drawn: KeyError: 'route'$", id="a bug"),
    pytest.param(be_killed, r"^the sources pages' process was stopped by SIGKILL$", id="killed outright"),
])
def test_a_child_that_fails_is_an_export_error_saying_how(tmp_path: Path, write: Callable[[Path], list[Path]],
                                                          says: str) -> None:
    child = StagedWrite(tmp_path, write)
    child.start(in_background=True)
    with pytest.raises(ExportError, match=says):
        child.finish()
    assert list(tmp_path.iterdir()) == []


def write_slowly(folder: Path) -> list[Path]:
    (folder / "b_2.txt").write_text("two")
    time.sleep(60)
    return [folder / "b_2.txt"]


@needs_two_cpus
def test_cancel_stops_the_child_at_once_and_leaves_nothing(tmp_path: Path) -> None:
    child = StagedWrite(tmp_path, write_slowly)
    child.start(in_background=True)
    assert child.pid is not None
    pid = child.pid
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(f"{STAGING_PREFIX}*/b_2.txt")):
        assert time.monotonic() < deadline, "the child wrote nothing"
        time.sleep(0.01)
    started = time.monotonic()
    child.cancel()
    assert time.monotonic() - started < 5  # not the child's 60 s
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # ended and reaped: no zombie left
