"""The export formats as one declarative table: key, label, file suffix, media type, writer."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# ``writer(snapshot: Snapshot, spec: BriefingSpec, path: Path)``, plus ``tracks=`` for the
# writers that take positions: a Callable type cannot say "this keyword for some".
Writer = Callable[..., Any]  # None, or (``writes_pages``) the list of sources pages written


@dataclass(frozen=True)
class ExportFormat:
    """One output format.

    ``writer`` is ``"module:function"``, imported only when that format is written, so a
    PNG export never pays for python-pptx or Playwright. ``takes_positions`` marks a
    writer that also takes ``tracks=`` (the raw ADS-B positions, which no map layer holds),
    ``takes_history`` one that takes ``site_status=`` (``Dataset.site_status``).
    """

    key: str
    label: str
    suffix: str
    media_type: str
    is_map: bool  # True when the extent and page size apply (a picture of the map)
    writer: str
    takes_positions: bool = False
    takes_history: bool = False  # the writer also takes ``site_status=`` (each site's status history)
    writes_pages: bool = False  # the writer takes ``pages_beside=`` and returns the sources pages it wrote

    def load_writer(self) -> Writer:
        """Import and return the function that writes this format to a path."""
        module, _, name = self.writer.partition(":")
        return getattr(importlib.import_module(module), name)


ANIMATION_FORMATS = ("gif", "mp4")
"""Formats of a date series as one moving picture (``dashboard.export.animation``): always one file."""

FORMATS: dict[str, ExportFormat] = {f.key: f for f in (
    ExportFormat("png", "PNG image (briefing slide)", ".png", "image/png", True,
                 "dashboard.export.static_map:write_png", writes_pages=True),
    ExportFormat("pdf", "PDF (A4 landscape, selectable text)", ".pdf", "application/pdf", True,
                 "dashboard.export.pdf:write_pdf"),
    ExportFormat("pptx", "PowerPoint slide (16:9)", ".pptx",
                 "application/vnd.openxmlformats-officedocument.presentationml.presentation", True,
                 "dashboard.export.pptx_slide:write_pptx"),
    ExportFormat("geotiff", "GeoTIFF of the map panel (QGIS, ATAK)", ".tif", "image/tiff", True,
                 "dashboard.export.geotiff:write_geotiff"),
    ExportFormat("gif", "Animated GIF (one frame per date)", ".gif", "image/gif", True,
                 "dashboard.export.animation:write_single_frame"),
    ExportFormat("mp4", "MP4 video (one second per date; needs ffmpeg)", ".mp4", "video/mp4", True,
                 "dashboard.export.animation:write_single_frame"),
    ExportFormat("html", "Interactive HTML (works offline)", ".html", "text/html", True,
                 "dashboard.export.html_export:write_html"),
    ExportFormat("kml", "KML (Google Earth)", ".kml", "application/vnd.google-earth.kml+xml", False,
                 "dashboard.export.kml:write_kml", takes_history=True),
    ExportFormat("kmz", "KMZ (Google Earth, icons and legend inside, works offline)", ".kmz",
                 "application/vnd.google-earth.kmz", False, "dashboard.export.kmz:write_kmz", takes_history=True),
    ExportFormat("gpkg", "GeoPackage (QGIS)", ".gpkg", "application/geopackage+sqlite3", False,
                 "dashboard.export.gpkg:write_gpkg", takes_positions=True),
    ExportFormat("geojson", "GeoJSON", ".geojson", "application/geo+json", False,
                 "dashboard.export.geojson_file:write_geojson"),
)}
