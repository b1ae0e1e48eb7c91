"""Reading a whole file from outside (a data file, a file to import) without being led astray.

A symbolic link could make an error message quote another file (``/etc/passwd``), a FIFO
or device could block or never end, and a giant file would exhaust memory, so
:func:`read_regular_file` refuses each with a :class:`FileRefusedError` naming the reason;
each caller turns it into a problem worded for its users.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal

Reason = Literal["missing", "symlink", "irregular", "too_large", "unopenable"]


class FileRefusedError(OSError):
    """Raised when a file is not read: ``reason`` says why, ``size`` is its size when too large."""

    def __init__(self, path: Path, reason: Reason, detail: str = "", size: int = 0) -> None:
        super().__init__(f"{path}: {reason}{f' ({detail})' if detail else ''}")
        self.path = path
        self.reason = reason
        self.detail = detail
        self.size = size


def read_regular_file(path: Path, limit: int) -> bytes:
    """Return the bytes of ``path``, a regular file of at most ``limit`` bytes.

    Raises
    ------
    FileRefusedError
        If the file is missing, a symbolic link, not a regular file, cannot be opened, or
        larger than ``limit``.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise FileRefusedError(path, "missing") from None
    except OSError as exc:
        raise FileRefusedError(path, "unopenable", exc.strerror or type(exc).__name__) from None
    if stat.S_ISLNK(info.st_mode):
        raise FileRefusedError(path, "symlink")
    if not stat.S_ISREG(info.st_mode):
        raise FileRefusedError(path, "irregular")
    # O_NOFOLLOW closes the gap between the check above and the open (a file swapped for a
    # link in between); O_NONBLOCK keeps a file swapped for a FIFO from blocking the open.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as handle:
            info = os.fstat(handle.fileno())
            regular = stat.S_ISREG(info.st_mode)
            # Read one byte past the limit so a file that grew after fstat is still refused.
            raw = handle.read(limit + 1) if regular and info.st_size <= limit else b""
    except OSError as exc:
        raise FileRefusedError(path, "unopenable", exc.strerror or type(exc).__name__) from None
    if not regular:
        raise FileRefusedError(path, "irregular")
    size = max(info.st_size, len(raw))
    if size > limit:
        raise FileRefusedError(path, "too_large", size=size)
    return raw
