"""A PNG slide whose sources or route lines do not all fit continues on PNG sources pages beside it.

An image has no second page, so the pages are images of their own, named as QGIS names the
pages of a multi-page image export: ``briefing.png``, then ``briefing_2.png``,
``briefing_3.png`` ... They are the PDF's sources pages (every route's line, then every
footnote in full, with its link), drawn at the slide's size, so the slide's last footnote
line can say where the rest are without sending its reader to another format.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from dashboard.export.atomic import write_atomically
from dashboard.export.background_write import BackgroundWrite, can_fork
from dashboard.export.briefing import BriefingSpec
from dashboard.export.export_style import use_export_style
from dashboard.export.footnotes import SourceNote
from dashboard.export.route_notes import RouteNote, build_route_notes

if TYPE_CHECKING:  # static_map's writers call this module
    from dashboard.export.static_map import BriefingFigure

FIRST_PAGE = 2  # the slide is page 1


def name_source_page(path: Path, number: int) -> Path:
    """Return the file of page ``number`` beside the slide ``path``.

    Examples
    --------
    >>> name_source_page(Path("out/airbridge-2024-12-20-theatre.png"), 2).as_posix()
    'out/airbridge-2024-12-20-theatre_2.png'
    """
    return path.with_name(f"{path.stem}_{number}{path.suffix}")


def write_source_pages(briefing: BriefingFigure, spec: BriefingSpec, beside: Path) -> list[Path]:
    """Write the sources pages of a slide that continues (``briefing.continued``); return their files.

    Each page is written whole (a temporary file, then a rename); a slide whose sources and
    route lines all fit writes none.
    """
    if not briefing.continued:
        return []
    return _write_pages(briefing.footnotes, build_route_notes(briefing.shown), spec, beside.name, beside.parent)


class SourcePages:
    """The sources pages of a slide still being drawn: written by a second process where one can run.

    Made by :func:`plan_source_pages` as soon as the slide knows it continues. The slide's
    writer keeps it, then calls :meth:`start`, and ends it with :meth:`finish` once the
    slide is saved, or :meth:`cancel` if the slide fails or is stopped.
    """

    def __init__(self, write: Callable[[Path], list[Path]], folder: Path) -> None:
        self.write = write
        self.folder = folder
        self.background: BackgroundWrite | None = None

    def start(self) -> None:
        """Start the second process, where one can run (``background_write.can_fork``)."""
        if can_fork():
            self.background = BackgroundWrite(self.folder, self.write)
            self.background.start()

    def finish(self) -> list[Path]:
        """Return the pages' files, beside the slide: the second process's, or written now."""
        return self.background.finish() if self.background is not None else self.write(self.folder)

    def cancel(self) -> None:
        """Stop the second process and remove what it wrote (nothing is written without one)."""
        if self.background is not None:
            self.background.cancel()


def plan_source_pages(notes: list[SourceNote], routes: list[RouteNote], spec: BriefingSpec,
                      beside: Path) -> SourcePages:
    """Return the sources pages of a slide to be saved as ``beside``: every route line, every footnote in full.

    On the 2-core machine they draw in a second process while this one draws the slide
    (:meth:`SourcePages.start`): 1.4 s less for the PNG command's five pages.
    """
    folder = beside.parent if str(beside.parent) else Path(".")
    return SourcePages(functools.partial(_write_pages, notes, routes, spec, beside.name), folder)


def _write_pages(notes: list[SourceNote], routes: list[RouteNote], spec: BriefingSpec, name: str,
                 folder: Path) -> list[Path]:
    """Write the sources pages of the slide ``folder / name`` into ``folder``; return their files."""
    from dashboard.export.pdf import build_source_pages  # the PDF's writer: loaded only when a slide continues

    pages = build_source_pages(notes, spec, spec.page, routes=routes)
    written = []
    with use_export_style():
        for number, page in enumerate(pages, start=FIRST_PAGE):
            target = name_source_page(folder / name, number)
            metadata = {"Title": f"{spec.title}: sources, page {number}", "Description": spec.marking,
                        "Software": "Airbridge"}
            write_atomically(target, functools.partial(_save_page, page, dpi=spec.page.dpi, metadata=metadata))
            written.append(target)
    return written


def _save_page(page: Figure, temporary: Path, *, dpi: float, metadata: dict[str, str]) -> None:
    page.savefig(temporary, format="png", dpi=dpi, metadata=metadata)
