"""A PNG slide whose sources or route lines do not all fit continues on PNG sources pages beside it.

An image has no second page, so the pages are images of their own, named as QGIS names the
pages of a multi-page image export: ``briefing.png``, then ``briefing_2.png``,
``briefing_3.png`` ... They are the PDF's sources pages (every route's line, then every
footnote in full, with its link), drawn at the slide's size, so the slide's last footnote
line can say where the rest are without sending its reader to another format.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from dashboard.export.atomic import write_atomically
from dashboard.export.background_write import StagedWrite, claim
from dashboard.export.briefing import BriefingSpec
from dashboard.export.export_style import use_export_style
from dashboard.export.footnotes import SourceNote
from dashboard.export.route_notes import RouteNote, build_route_notes
from dashboard.export.source_pages import build_source_pages

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

    The pages are written into a private folder, then moved beside the slide together (all
    or, on a failure or a stop, none); a slide whose sources and route lines all fit writes none.
    """
    if not briefing.continued:
        return []
    pages = plan_source_pages(briefing.footnotes, build_route_notes(briefing.shown), spec, beside)
    pages.start(in_background=False)  # this process: nothing left to draw beside them
    return pages.finish()


def plan_source_pages(notes: list[SourceNote], routes: list[RouteNote], spec: BriefingSpec,
                      beside: Path) -> StagedWrite:
    """Return the writing of the sources pages of a slide to be saved as ``beside``, not started.

    Every route line, then every footnote in full. On the 2-core machine they draw in a
    second process while this one draws the slide (``StagedWrite.start(in_background=True)``),
    and this one draws the last of them once the slide is saved (``StagedWrite.finish``).
    The slide's writer keeps the handle, starts it, and ends it with ``finish`` once the
    slide is saved, or ``cancel`` if it fails.

    Parameters
    ----------
    notes : list of SourceNote
        Every footnote of the slide, those on it too.
    routes : list of RouteNote
        Every route line of the slide.
    spec : BriefingSpec
        The slide's spec (page size, title, marking).
    beside : Path
        The slide's final file: the pages are named after it (:func:`name_source_page`).
    """
    folder = beside.parent if str(beside.parent) else Path(".")
    return StagedWrite(folder, functools.partial(_write_pages, notes, routes, spec, beside.name),
                       share=functools.partial(_write_pages, notes, routes, spec, beside.name, from_end=True))


def _write_pages(notes: list[SourceNote], routes: list[RouteNote], spec: BriefingSpec, name: str,
                 folder: Path, *, from_end: bool = False) -> list[Path]:
    """Write the sources pages of the slide ``folder / name`` into ``folder``; return their files, in order.

    Each page is drawn by whichever process claims it first (``background_write.claim``):
    the child from the first page on, the slide's process (``from_end``) from the last
    back, so each stops where the other has been.
    """
    pages = build_source_pages(notes, spec, spec.page, routes=routes)
    numbered = list(enumerate(pages, start=FIRST_PAGE))
    written = []
    with use_export_style():
        for number, page in reversed(numbered) if from_end else numbered:
            if not claim(folder, str(number)):
                break  # the other process has this page and all beyond it
            target = name_source_page(folder / name, number)
            metadata = {"Title": f"{spec.title}: sources, page {number}", "Description": spec.marking,
                        "Software": "Airbridge"}
            write_atomically(target, functools.partial(_save_page, page, dpi=spec.page.dpi, metadata=metadata))
            written.append(target)
    return written[::-1] if from_end else written


def _save_page(page: Figure, temporary: Path, *, dpi: float, metadata: dict[str, str]) -> None:
    page.savefig(temporary, format="png", dpi=dpi, metadata=metadata)
