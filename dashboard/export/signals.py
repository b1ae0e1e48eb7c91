"""Stop an export cleanly on SIGTERM or SIGINT: the partial file is removed, not left behind.

Python ends a process on SIGTERM without unwinding, so the temporary ``.part`` file of
:func:`dashboard.export.atomic.open_temporary_beside` stayed in the folder. While
:func:`stop_on_signals` is in force, either signal raises :class:`ExportInterrupted`
where the export is, and the writer's cleanup removes the temporary file on the way out.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


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
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:  # a second signal while the first one unwinds: let the cleanup finish
            return
        stopping = True
        raise ExportInterrupted(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
