"""Files written into a private folder beside their target, by a second process while this one goes on.

A PNG slide's sources pages: on the 2-core machine the slide's drawing keeps one core
busy, and its pages (0.3 s each, nearly all glyph rendering) used to wait for it, 1.4 s of
a 3.2 s command. Once the slide is saved, this process draws pages too, from the last
(``share``, :func:`claim`): five pages take longer than the slide. A forked child
(:class:`StagedWrite`) inherits everything already loaded (no imports, nothing to
pickle) and writes the files into a hidden folder beside their
target; the parent moves them into place together, only when its own part is done
(:meth:`StagedWrite.finish`), and on a failure or a stop signal stops the child and
removes the folder (:meth:`StagedWrite.cancel`), so neither leaves a file behind. Where no
child can run (:func:`can_fork`, or a fork that fails) the files are written at
:meth:`StagedWrite.finish`, in this process, into the same kind of folder.

A fork is only made where it is safe and of use: on POSIX, from a process whose only
Python thread is the main one (the export command; never the Streamlit server, whose
sessions are threads), with more than one CPU to run on. The child's warnings stay in the
child (nothing catches them there); its errors reach the parent as the same
``ExportError`` types, a bug as an ``ExportError`` naming it. A command killed outright
(SIGKILL) leaves the hidden folder, as it leaves a ``.part`` file.
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
from dashboard.export.signals import STOP_SIGNALS, hold_stop_signals, raise_if_stopped

STAGING_PREFIX = ".airbridge-pages."  # the private folder: hidden, as the exports' ``.part`` files
# The child's report: the names of its files (file-system encoded, NUL-separated: a name
# may hold a newline), or this mark, the error's type and its one-line message.
FAILED = b"\0failed\0"
REPORTED_ERRORS: dict[str, type[ExportError]] = {kind.__name__: kind for kind in
                                                 (ExportError, ExportInputError, ExportWriteError)}


def can_fork() -> bool:
    """Return whether a forked child may write in the background here.

    Forking a process that runs other threads can leave the child holding a lock that
    no thread of it will ever release; with one CPU the two processes would only take
    turns.
    """
    affinity = getattr(os, "sched_getaffinity", None)  # Linux; elsewhere every CPU counts
    cpus = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return (hasattr(os, "fork") and threading.current_thread() is threading.main_thread()
            and threading.active_count() == 1 and cpus > 1)


class StagedWrite:
    """``write(folder)``, into a new hidden folder inside ``target``, its files then moved into ``target`` together.

    The folder is on the target's file system, so the moves are atomic renames. Keep the
    handle where a failure handler can reach it *before* calling :meth:`start`: a stop
    signal held back while the folder and the child are made comes as :meth:`start`
    returns, and only :meth:`cancel` removes them then.

    Parameters
    ----------
    target : Path
        The folder the files are for.
    write : callable
        Writes the files into the folder it is given; returns them, in their order.
    share : callable, optional
        This process's share of the work, run at :meth:`finish` while the child is still
        writing: it writes files into the same folder, from the end of the order, each
        one only if the child has not taken it (``claim``), and returns them in order.
        The child then stops where this process began. Without a child, ``write`` does
        it all.
    """

    def __init__(self, target: Path, write: Callable[[Path], list[Path]],
                 share: Callable[[Path], list[Path]] | None = None) -> None:
        self.target = target
        self.write = write
        self.share = share
        self.folder: Path | None = None
        self.pid: int | None = None  # the child's, until it is reaped
        self.report: int | None = None  # the read end of the child's report, until it is closed

    def start(self, *, in_background: bool) -> None:
        """Make the private folder; with ``in_background``, fork the child that writes into it.

        A fork the system refuses (no memory, no process slot) is not an error: the files
        are then written at :meth:`finish`, as without ``in_background``.

        Raises
        ------
        ExportWriteError
            If the folder cannot be made.
        """
        with hold_stop_signals():  # the folder and the child are recorded here before a stop can come
            try:
                self.folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.target))
            except OSError as exc:
                raise ExportWriteError(f"cannot write in {self.target}: {exc.strerror}") from exc
            if in_background:
                self._fork(self.folder)

    def _fork(self, folder: Path) -> None:
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: never returns into the caller's code
            # A stop signal ends the child at once (the default action) rather than raising
            # the parent's ExportInterrupted here, which could unwind into the parent's code
            # before _run_child's guard: whatever it leaves is in the folder cancel removes.
            for number in STOP_SIGNALS:
                signal.signal(number, signal.SIG_DFL)
            os.close(read_end)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            _run_child(self.write, folder, write_end)
        os.close(write_end)
        self.pid, self.report = pid, read_end

    def finish(self) -> list[Path]:
        """Wait for the child (or write the files now); move them into the target; return them in order.

        Raises
        ------
        ExportError
            The writer's error, of its type (``ExportWriteError`` for a full disk ...), or
            one saying how the child ended; no file of it is left then.
        ExportInterrupted
            On a stop signal; no file of it is left then.
        """
        if self.folder is None:
            raise RuntimeError("finish() before start()")
        try:
            if self.pid is not None and self.report is not None:
                own = [path.name for path in self.share(self.folder)] if self.share is not None else []
                names = self._wait_for_child(self.pid, self.report) + own
            else:
                names = [path.name for path in self.write(self.folder)]
            return self._move(self.folder, names)
        finally:
            self.cancel()  # the child is reaped by now, unless a stop came while it ran; the folder goes

    def _wait_for_child(self, pid: int, report: int) -> list[str]:
        """Read the child's report to its end (a stop signal may come meanwhile), reap it; return its file names."""
        chunks = []
        while chunk := os.read(report, 65536):
            chunks.append(chunk)
        with hold_stop_signals():  # cleared as they are released: cancel never closes or reaps twice
            os.close(report)
            self.report = None
            _, status = os.waitpid(pid, 0)
            self.pid = None
        raise_if_stopped()  # a stop this process's finalizers dropped
        return _parse_report(b"".join(chunks), os.waitstatus_to_exitcode(status))

    def _move(self, folder: Path, names: list[str]) -> list[Path]:
        """Move the named files from ``folder`` into the target, all of them or (on any failure) none."""
        moved: list[Path] = []
        try:
            with hold_stop_signals():  # a stop that comes while they move is handled when all are moved
                for name in names:
                    os.replace(folder / name, self.target / name)
                    moved.append(self.target / name)
            raise_if_stopped()
        except BaseException as exc:
            for path in moved:
                path.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise ExportWriteError(f"cannot write in {self.target}: {exc.strerror or exc}") from exc
            raise
        return moved

    def cancel(self) -> None:
        """Stop the child if it still runs, wait for it and remove the folder (nothing of it is kept)."""
        try:
            with hold_stop_signals():
                if self.report is not None:
                    os.close(self.report)
                    self.report = None
                if self.pid is not None:
                    with contextlib.suppress(ProcessLookupError):  # it has just ended by itself
                        os.kill(self.pid, signal.SIGTERM)  # it ends at once: its files are all in the folder
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(self.pid, 0)
                    self.pid = None
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)


def claim(folder: Path, name: str) -> bool:
    """Return whether this process takes the file ``name`` of ``folder``'s work (False: the other one has).

    A claim is an empty hidden file made with ``O_EXCL``: of two processes asking for the
    same name, exactly one makes it. The claims go with the folder.
    """
    try:
        os.close(os.open(folder / f".claim-{name}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


def _run_child(write: Callable[[Path], list[Path]], folder: Path, report: int) -> NoReturn:
    """Write, report to the parent, and end the child without running the parent's exit handlers."""
    status = 1
    try:
        try:
            message = b"\0".join(os.fsencode(path.name) for path in write(folder))
            succeeded = True
        except ExportError as exc:
            kind = type(exc).__name__ if type(exc).__name__ in REPORTED_ERRORS else "ExportError"
            message, succeeded = FAILED + f"{kind}\0{exc}".encode(errors="replace"), False
        # Not swallowed: a process boundary, and the parent raises what the child reports
        # (a bug, with its type and message).
        except BaseException as exc:  # noqa: BLE001
            text = f"ExportError\0the sources pages could not be drawn: {type(exc).__name__}: {exc}"
            message, succeeded = FAILED + text.encode(errors="replace"), False
        with os.fdopen(report, "wb") as pipe:
            pipe.write(message)
        status = 0 if succeeded else 1  # only once the parent has the whole report
    finally:
        os._exit(status)


def _parse_report(report: bytes, exit_code: int) -> list[str]:
    """Return the file names of a child's report, or raise the error it reports."""
    if report.startswith(FAILED):
        kind, message = report.removeprefix(FAILED).decode(errors="replace").split("\0", 1)
        raise REPORTED_ERRORS[kind](message)
    if exit_code < 0:
        raise ExportError(f"the sources pages' process was stopped by {signal.Signals(-exit_code).name}")
    if exit_code != 0:
        raise ExportError(f"the sources pages' process ended with status {exit_code}")
    return [os.fsdecode(name) for name in report.split(b"\0")] if report else []
