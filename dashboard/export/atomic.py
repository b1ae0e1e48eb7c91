"""Write a file all at once: into a temporary file beside the target, then rename over it."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from layers.atomic_file import READABLE_BY_ALL

from dashboard.export.errors import ExportWriteError
from dashboard.export.signals import STOP_SIGNALS, raise_if_stopped


def check_writable_folder(folder: Path) -> None:
    """Raise ``ExportWriteError`` unless ``folder`` exists and this process may create files in it."""
    if not folder.is_dir():
        raise ExportWriteError(f"folder {folder} does not exist: create it or choose another --out")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportWriteError(f"cannot write in {folder}: permission denied; choose another --out")


@contextlib.contextmanager
def open_temporary_beside(path: Path) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder with ``path``'s suffix; rename it to ``path`` after.

    The rename (``os.replace``) is atomic on one file system, so readers see either the
    old file or the complete new one. If the body raises, the temporary file is removed
    and ``path`` is left as it was: no partial file is ever left behind.

    Raises
    ------
    ExportWriteError
        If the folder is missing or not writable, or the file system refuses the write.
    """
    # Not ``layers.atomic_file.replace_atomically``: an export's temporary file has its own
    # ``.part`` name, the stop signals are held back while it is made, and its errors are
    # worded for the command line.
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    check_writable_folder(folder)
    if path.is_dir():
        raise ExportWriteError(f"{path} is a folder: give a file name, e.g. {path / ('briefing' + path.suffix)}")
    # A stop signal (``signals.stop_on_signals``) that came after the file was made but before
    # its name is known here would leave it behind: they wait until the cleanup below is armed.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".part{path.suffix}", dir=folder)
    except OSError as exc:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise ExportWriteError(f"cannot write in {folder}: {exc.strerror}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal held back is handled now, in here
        yield temporary
        os.chmod(temporary, READABLE_BY_ALL)  # mkstemp makes 0600; an export is an ordinary file
        raise_if_stopped()  # a stop whose first raise a finalizer dropped: the file is not put in place
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportWriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)`` and move the result to ``path``; return ``path``."""
    with open_temporary_beside(path) as temporary:
        write(temporary)
    return Path(path)
