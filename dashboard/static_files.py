"""Files the app publishes under Streamlit's static folder, named by their content.

Streamlit serves ``dashboard/static/`` at ``/app/static/`` (``server.enableStaticServing``).
The map's catalogue and the Natural Earth basemap are written to
``dashboard/static/published/`` once per content, so the browser fetches each once and
a slider step never carries them. The folder is generated and git-ignored.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/app/static"
PUBLISHED_DIR = STATIC_DIR / "published"
PUBLISHED_MODE = 0o644
LIBRARY_FILES = ("airbridge/airbridge-map.js", "airbridge/airbridge-map.css")


def publish_static_file(content: bytes, stem: str, suffix: str, directory: Path = PUBLISHED_DIR) -> str:
    """Write ``content`` as ``<stem>-<hash><suffix>`` unless it is there; return its URL path.

    Parameters
    ----------
    content : bytes
        The file content.
    stem, suffix : str
        Name parts, e.g. ``"catalogue"`` and ``".json"``.
    directory : Path
        Folder inside :data:`STATIC_DIR` (default ``published/``).

    Raises
    ------
    OSError
        If the folder cannot be written (a read-only installation).
    ValueError
        If ``directory`` is outside the static folder, where Streamlit would not serve it.
    """
    directory = directory.resolve()
    if not directory.is_relative_to(STATIC_DIR):
        raise ValueError(f"{directory} is not inside {STATIC_DIR}: Streamlit serves only that folder")
    digest = hashlib.sha256(content).hexdigest()[:16]
    path = directory / f"{stem}-{digest}{suffix}"
    if not path.is_file():
        directory.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{stem}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                # mkstemp makes the file private (0600); the server may run as another user.
                os.fchmod(out.fileno(), PUBLISHED_MODE)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return f"{STATIC_URL}/{path.relative_to(STATIC_DIR).as_posix()}"


def find_library_url(relative: str) -> str:
    """Return the URL of a file of ``dashboard/static/`` with a content hash as cache buster."""
    path = STATIC_DIR / relative
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/{relative}?v={digest}"


def read_library_file(relative: str) -> str:
    """Return the text of a file of ``dashboard/static/`` (for embedding in a standalone page)."""
    return (STATIC_DIR / relative).read_text(encoding="utf-8")
