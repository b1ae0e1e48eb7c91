"""PDF export: the briefing page (A4 landscape by default) and its sources pages, all text selectable.

matplotlib's PDF backend with TrueType embedding (``pdf.fonttype`` 42) keeps the title,
marking, subtitle, legend, footnotes and map labels as text a reader can select, search
and copy (a label's white halo is a separate copy behind it, ``placement.HALO``). The
sources pages are :mod:`dashboard.export.source_pages`'s.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages

from layers import Snapshot

from dashboard.export.briefing import BriefingSpec
from dashboard.export.export_style import use_export_style
from dashboard.export.route_notes import build_route_notes
from dashboard.export.source_pages import build_source_pages
from dashboard.export.static_map import BriefingFigure, render_briefing_figure


def write_pdf(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write the briefing page and, after it, the sources pages."""
    briefing = render_briefing_figure(snapshot, spec)
    with use_export_style(), PdfPages(path, metadata=_metadata(spec, briefing)) as pdf:
        pdf.savefig(briefing.figure)
        for page in build_source_pages(briefing.footnotes, spec, spec.page,
                                       routes=build_route_notes(briefing.shown)):
            pdf.savefig(page)


def _metadata(spec: BriefingSpec, briefing: BriefingFigure) -> dict:
    return {"Title": spec.title, "Subject": f"{spec.marking}. {briefing.subtitle}", "Author": "Airbridge",
            "Keywords": spec.marking, "Creator": "Airbridge (python -m dashboard.export)",
            "CreationDate": spec.generated_at}
