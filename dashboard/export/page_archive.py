"""A slide and its sources pages as one ZIP, for the export panel's single download.

A browser downloads one file per button: six buttons for a PNG that continues on five
sources pages, and a reader who takes only the first has a slide whose last footnote line
points at files they do not have. The archive holds them all under their own names
(``png_pages.name_source_page``), so unpacked they sit side by side as the command writes
them. The PNGs are already compressed: they are stored, not deflated again.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import PurePosixPath

ZIP_MEDIA_TYPE = "application/zip"
# A fixed entry date: the same files make the same archive (the slide prints its own time).
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def name_archive(slide_name: str) -> str:
    """Return the archive's file name for a slide's, e.g. ``airbridge-2024-12-20-theatre.zip``.

    Examples
    --------
    >>> name_archive("airbridge-2024-12-20-theatre.png")
    'airbridge-2024-12-20-theatre.zip'
    """
    return str(PurePosixPath(slide_name).with_suffix(".zip"))


def pack_pages(files: Sequence[tuple[str, bytes]]) -> bytes:
    """Return a ZIP of ``files``, in their order: the slide first, then its pages.

    Parameters
    ----------
    files : sequence of (str, bytes)
        Each file's name (no folder) and content, as ``product.render_product_files`` gives them.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in files:
            entry = zipfile.ZipInfo(name, date_time=ENTRY_TIME)
            entry.external_attr = 0o644 << 16  # an ordinary file when unpacked, not 0600
            archive.writestr(entry, data)
    return buffer.getvalue()
