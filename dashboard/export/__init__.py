"""Briefing exports: slide images, PDF, PPTX, offline HTML, KML, GeoPackage and GeoJSON.

Plain Python: nothing here imports streamlit, so ``python -m dashboard.export`` runs from
cron or a shell as well as behind the app's export panel. Writers of heavy formats are
imported only when used (see ``formats.FORMATS``).
"""

from __future__ import annotations

from dashboard.export.briefing import (
    A4_LANDSCAPE,
    DEFAULT_MARKING,
    DEFAULT_TITLE,
    SLIDE_16_9,
    BriefingSpec,
    PageSize,
    parse_size,
    resolve_extent,
)
from dashboard.export.errors import (
    BrowserUnavailableError,
    ExportError,
    ExportInputError,
    ExportWriteError,
    MissingComponentError,
)
from dashboard.export.formats import FORMATS, ExportFormat
from dashboard.export.product import name_product, render_product, write_product
from dashboard.export.series import parse_dates

__all__ = [
    "A4_LANDSCAPE", "DEFAULT_MARKING", "DEFAULT_TITLE", "FORMATS", "SLIDE_16_9", "BriefingSpec",
    "BrowserUnavailableError", "ExportError", "ExportFormat", "ExportInputError", "ExportWriteError",
    "MissingComponentError", "PageSize", "name_product", "parse_dates", "parse_size", "render_product",
    "resolve_extent", "write_product",
]
