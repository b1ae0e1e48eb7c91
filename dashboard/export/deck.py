"""A series of dates as one document: a multi-page PDF or a multi-slide PowerPoint deck (``--deck``).

As QGIS's atlas makes one page per feature, the deck makes one briefing per date, in date
order, with the same title, marking, extent and window: the PDF has each date's briefing
page followed by its sources pages; the PPTX one slide per date, each with its sources in
its speaker notes. One file instead of one per date, for a meeting that steps through weeks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages

from layers import Snapshot

from dashboard.export.briefing import BriefingSpec
from dashboard.export.errors import ExportInputError
from dashboard.export.export_style import use_export_style
from dashboard.export.route_notes import build_route_notes
from dashboard.export.source_pages import build_source_pages
from dashboard.export.static_map import render_briefing_figure

DECK_FORMATS = ("pdf", "pptx")
# Called after each date is laid out, with the number done (for a progress bar).
Advance = Callable[[int], None]


def write_deck(briefings: Sequence[tuple[Snapshot, BriefingSpec]], path: Path, *,
               advance: Advance | None = None) -> None:
    """Write the briefings of several dates into one PDF or PPTX at ``path`` (the specs' format).

    Raises
    ------
    ExportInputError
        If there is no briefing, or the format is not one of ``DECK_FORMATS``.
    """
    if not briefings:
        raise ExportInputError("a deck needs at least one date")
    format_key = briefings[0][1].format
    if format_key not in DECK_FORMATS:
        raise ExportInputError(f"--deck makes one PDF or PowerPoint file: use --format pdf or pptx, "
                               f"not {format_key}")
    if format_key == "pdf":
        _write_pdf_deck(briefings, path, advance)
    else:
        _write_pptx_deck(briefings, path, advance)


def _write_pdf_deck(briefings: Sequence[tuple[Snapshot, BriefingSpec]], path: Path, advance: Advance | None) -> None:
    first = briefings[0][1]
    dates = f"{first.selection.as_of.isoformat()} to {briefings[-1][1].selection.as_of.isoformat()}"
    metadata = {"Title": first.title, "Subject": f"{first.marking}. Briefings {dates}", "Author": "Airbridge",
                "Keywords": first.marking, "Creator": "Airbridge (python -m dashboard.export --deck)",
                "CreationDate": first.generated_at}
    with use_export_style(), PdfPages(path, metadata=metadata) as pdf:
        for done, (snapshot, spec) in enumerate(briefings, start=1):
            briefing = render_briefing_figure(snapshot, spec)
            pdf.savefig(briefing.figure)
            for page in build_source_pages(briefing.footnotes, spec, spec.page,
                                           routes=build_route_notes(briefing.shown)):
                pdf.savefig(page)
            if advance:
                advance(done)


def _write_pptx_deck(briefings: Sequence[tuple[Snapshot, BriefingSpec]], path: Path,
                     advance: Advance | None) -> None:
    from dashboard.export.pptx_slide import add_briefing_slide, start_presentation  # python-pptx: PPTX only

    presentation = start_presentation(briefings[0][1])
    for done, (snapshot, spec) in enumerate(briefings, start=1):
        add_briefing_slide(presentation, snapshot, spec)
        if advance:
            advance(done)
    presentation.save(str(path))
