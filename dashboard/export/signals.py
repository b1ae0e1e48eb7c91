"""Stop an export cleanly on SIGTERM or SIGINT: the partial file is removed, not left behind.

Python ends a process on SIGTERM without unwinding, so the temporary ``.part`` file of
:func:`dashboard.export.atomic.open_temporary_beside` stayed in the folder. While
:func:`stop_on_signals` is in force, either signal raises :class:`ExportInterrupted`
where the export is, and the writer's cleanup removes the temporary file on the way out.
Python runs a handler between any two bytecodes, also inside a finalizer (``__del__``, a
weakref callback), whose exceptions it prints and drops: a stop raised there would be lost
and the export would finish. So the signal is also recorded, and :func:`raise_if_stopped`,
called before a finished file is renamed into place, raises it again.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_received: list[int] = []  # the stop signal received inside the current stop_on_signals block, if any


class ExportInterrupted(BaseException):
    """Raised inside an export when the process receives SIGTERM or SIGINT.

    A ``BaseException``, like ``KeyboardInterrupt``, so that no ``except Exception`` in a
    writer or library swallows it on the way to the command's top level.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def signal_name(self) -> str:
        """The signal's name, e.g. ``SIGTERM``."""
        return signal.Signals(self.signum).name


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Raise :class:`ExportInterrupted` on SIGTERM or SIGINT within the block; restore the handlers after.

    Signal handlers can only be set from the main thread; elsewhere (a worker thread of
    the app) the block runs with the handlers as they are.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        if _received:  # a second signal while the first one unwinds: let the cleanup finish
            return
        _received.append(signum)
        raise ExportInterrupted(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _received.clear()


def raise_if_stopped() -> None:
    """Raise :class:`ExportInterrupted` again if a stop signal came and its first raise was dropped.

    Raises
    ------
    ExportInterrupted
        If a stop signal was received inside the current :func:`stop_on_signals` block.
    """
    if _received:
        raise ExportInterrupted(_received[0])


@contextlib.contextmanager
def hold_stop_signals() -> Iterator[None]:
    """Hold SIGTERM and SIGINT back for the block; one that came meanwhile is handled as it ends."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
