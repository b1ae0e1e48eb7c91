"""Write a file whole: into a temporary file beside it, then rename it into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

READABLE_BY_ALL = 0o644  # mkstemp makes a file private (0600); these files are read by other users' processes


@contextlib.contextmanager
def replace_atomically(path: Path, *, mode: int = READABLE_BY_ALL) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write; on a clean exit, rename it to ``path`` with ``mode``.

    The rename (``os.replace``) is atomic on one file system, so a reader sees the old file
    or the whole new one, never half of it. If the body raises, the temporary file is
    removed and ``path`` is left as it was.

    Raises
    ------
    OSError
        If the folder cannot be written or the rename fails.
    """
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
