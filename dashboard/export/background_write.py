"""Files written by a second process while this one goes on: a PNG slide's sources pages draw beside the slide.

On the 2-core machine the slide's drawing keeps one core busy, and its sources pages
(0.3 s each, nearly all glyph rendering) used to wait for it: 1.4 s of a 3.2 s command.
A forked child (:class:`BackgroundWrite`) inherits everything already loaded (no imports,
nothing to pickle) and writes its files into a private hidden folder beside their target;
the parent moves them into place only when its own part is done
(:meth:`BackgroundWrite.finish`), and on a failure or a stop signal stops the child and
removes the folder (:meth:`BackgroundWrite.cancel`), so neither leaves a file behind.

A fork is only made where it is safe and of use (:func:`can_fork`): on POSIX, from a
process whose only Python thread is the main one (the export command; never the
Streamlit server, whose sessions are threads), with more than one CPU to run on.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from dashboard.export.errors import ExportError, ExportInputError, ExportWriteError
from dashboard.export.signals import STOP_SIGNALS, raise_if_stopped

STAGING_PREFIX = ".airbridge-pages."  # the child's private folder: hidden, as the exports' ``.part`` files
# The child's report: the names of its files, one a line, or this mark, the error's type
# and its one-line message.
FAILED = "\0failed"
REPORTED_ERRORS: dict[str, type[ExportError]] = {kind.__name__: kind for kind in
                                                 (ExportError, ExportInputError, ExportWriteError)}


def can_fork() -> bool:
    """Return whether a forked child may write in the background here.

    Forking a process that runs other threads can leave the child holding a lock that
    no thread of it will ever release; with one CPU the two processes would only take
    turns.
    """
    return (hasattr(os, "fork") and threading.current_thread() is threading.main_thread()
            and threading.active_count() == 1 and len(os.sched_getaffinity(0)) > 1)


class BackgroundWrite:
    """A forked child that calls ``write(folder)`` and reports the files it wrote there.

    ``folder`` is a new hidden folder inside ``target`` (one file system, so the moves of
    :meth:`finish` are atomic renames). Keep the handle where a failure handler can reach it
    *before* calling :meth:`start`: a stop signal held back while the child is made comes
    as :meth:`start` returns, and only :meth:`cancel` removes the folder then. Only fork
    where :func:`can_fork` says so.
    """

    def __init__(self, target: Path, write: Callable[[Path], list[Path]]) -> None:
        self.target = target
        self.write = write
        self.folder: Path | None = None
        self.pid: int | None = None
        self.report: int | None = None

    def start(self) -> None:
        """Make the private folder and fork the child that writes into it.

        Raises
        ------
        ExportWriteError
            If the folder cannot be made or the child cannot be started.
        """
        # Held back until the folder and the child are recorded here, where cancel finds them.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.target))
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns into the caller's code
                # A stop signal ends the child at once (the default action) rather than raising
                # the parent's ExportInterrupted here, which could unwind into the parent's code
                # before _run_child's guard: whatever it leaves is in the folder cancel removes.
                for number in STOP_SIGNALS:
                    signal.signal(number, signal.SIG_DFL)
                os.close(read_end)
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                _run_child(self.write, self.folder, write_end)
            os.close(write_end)
            self.pid, self.report = pid, read_end
        except OSError as exc:
            raise ExportWriteError(f"cannot write in {self.target}: {exc.strerror or exc}") from exc
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def finish(self) -> list[Path]:
        """Wait for the child; move its files into the target folder; return them in the child's order.

        Raises
        ------
        ExportError
            The child's error, of its type (``ExportWriteError`` for a full disk ...), or
            one saying how the child ended; no file of the child is left then.
        """
        if self.pid is None or self.report is None or self.folder is None:
            raise RuntimeError("finish() before start()")
        with os.fdopen(self.report, "rb") as pipe:
            self.report = None
            report = pipe.read().decode()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        try:
            raise_if_stopped()  # a stop this process's finalizers dropped: nothing is moved
            names = _read_report(report, os.waitstatus_to_exitcode(status))
            moved = []
            for name in names:
                os.replace(self.folder / name, self.target / name)
                moved.append(self.target / name)
            return moved
        except OSError as exc:
            raise ExportWriteError(f"cannot write in {self.target}: {exc.strerror or exc}") from exc
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the child if it still runs, wait for it and remove its folder (nothing of it is kept)."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):  # it has just ended by itself
                os.kill(self.pid, signal.SIGTERM)  # it ends at once: its files are all in the folder
            os.waitpid(self.pid, 0)
            self.pid = None
        if self.report is not None:
            os.close(self.report)
            self.report = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _run_child(write: Callable[[Path], list[Path]], folder: Path, report: int) -> NoReturn:
    """Write, report to the parent, and end the child without running the parent's exit handlers."""
    status = 1
    try:
        try:
            message = "\n".join(path.name for path in write(folder))
            status = 0
        except ExportError as exc:
            kind = type(exc).__name__ if type(exc).__name__ in REPORTED_ERRORS else "ExportError"
            message = f"{FAILED}\n{kind}\n{exc}"
        # Not swallowed: a process boundary, and the parent raises what the child reports
        # (a bug, with its type and message).
        except BaseException as exc:  # noqa: BLE001
            message = f"{FAILED}\nExportError\nthe sources pages could not be drawn: {type(exc).__name__}: {exc}"
        with os.fdopen(report, "wb") as pipe:
            pipe.write(message.encode())
    finally:
        os._exit(status)


def _read_report(report: str, exit_code: int) -> list[str]:
    """Return the file names of a child's report, or raise the error it reports."""
    if report.startswith(FAILED):
        _, kind, message = report.split("\n", 2)
        raise REPORTED_ERRORS[kind](message)
    if exit_code < 0:
        raise ExportError(f"the sources pages' process was stopped by {signal.Signals(-exit_code).name}")
    if exit_code != 0:
        raise ExportError(f"the sources pages' process ended with status {exit_code}")
    return report.splitlines()
