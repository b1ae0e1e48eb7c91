"""KMZ export for Google Earth, air-gapped: the KML with its icons and a marking/legend overlay inside.

A ``.kmz`` is a zip archive whose first entry, ``doc.kml``, is the document; the files
it names by relative path (``files/triangle.png``) travel with it. The KML export names
Google's icon set on ``maps.google.com`` and ``earth.google.com``, which an air-gapped
Google Earth cannot fetch; here every icon is drawn (white, so the style's ``color``
tints it as Google Earth tints its own icons) and stored in the archive, and no address
outside the archive is left but the source links of the balloons. A ``ScreenOverlay``
pins the marking, title, date and the legend of what is drawn (a PNG in the archive) to
the upper left of the screen; the ``LookAt`` opens on the export's extent.
"""

from __future__ import annotations

import io
import posixpath
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, ImageDraw

from layers import Snapshot

from dashboard.export.briefing import BriefingSpec
from dashboard.export.export_style import use_export_style
from dashboard.export.furniture import INK, MUTED
from dashboard.export.kml import build_kml_tree
from dashboard.export.kml_markup import add_text, tag
from dashboard.export.legend import build_legend, draw_legend, measure_legend_pt
from dashboard.export.subtitle import describe_subtitle
from dashboard.export.visibility import filter_layers

ICON_PX = 64
OVERLAY_FILE = "files/overlay.png"
OVERLAY_WIDTH_IN, OVERLAY_DPI = 3.6, 150
# Google's icon file names -> the outline drawn for it, as points on a 0-1 square (y down).
ICON_SHAPES: dict[str, list[tuple[float, float]]] = {
    "triangle.png": [(0.5, 0.06), (0.95, 0.9), (0.05, 0.9)],
    "square.png": [(0.1, 0.1), (0.9, 0.1), (0.9, 0.9), (0.1, 0.9)],
    "polygon.png": [(0.5, 0.05), (0.95, 0.4), (0.78, 0.92), (0.22, 0.92), (0.05, 0.4)],
    "open-diamond.png": [(0.5, 0.04), (0.96, 0.5), (0.5, 0.96), (0.04, 0.5)],
    "star.png": [(0.5, 0.02), (0.62, 0.36), (0.98, 0.38), (0.7, 0.6), (0.8, 0.96), (0.5, 0.75), (0.2, 0.96),
                 (0.3, 0.6), (0.02, 0.38), (0.38, 0.36)],
    "track-0.png": [(0.5, 0.04), (0.86, 0.92), (0.5, 0.72), (0.14, 0.92)],
    "camera.png": [(0.04, 0.5), (0.2, 0.33), (0.35, 0.25), (0.5, 0.22), (0.65, 0.25), (0.8, 0.33), (0.96, 0.5),
                   (0.8, 0.67), (0.65, 0.75), (0.5, 0.78), (0.35, 0.75), (0.2, 0.67)],  # an observation's eye
}


def write_kmz(snapshot: Snapshot, spec: BriefingSpec, path: Path, *, site_status: pd.DataFrame | None = None) -> None:
    """Write the KMZ archive: ``doc.kml``, its icons under ``files/`` and the overlay PNG."""
    tree = build_kml_tree(snapshot, spec, site_status=site_status)
    root = tree.getroot()
    document = None if root is None else root.find(tag("Document"))
    if root is None or document is None:
        raise ValueError("the KML tree has no Document")
    icons = localise_icons(root)
    document.insert(3, build_screen_overlay())
    ET.indent(tree, space=" ")
    kml = io.BytesIO()
    tree.write(kml, encoding="UTF-8", xml_declaration=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", kml.getvalue())  # first: Google Earth opens the first .kml
        for name in sorted(icons):
            archive.writestr(name, draw_icon(posixpath.basename(name)))
        archive.writestr(OVERLAY_FILE, render_overlay(snapshot, spec))


def localise_icons(root: ET.Element) -> set[str]:
    """Point every icon ``href`` at a file in the archive; return the archive names used."""
    used: set[str] = set()
    for href in root.iter(tag("href")):
        if href.text and "://" in href.text:
            local = f"files/{posixpath.basename(href.text)}"
            href.text = local
            used.add(local)
    return used


def draw_icon(name: str) -> bytes:
    """Return a white 64 px PNG icon with a dark outline for one of Google's icon names.

    Circles stand for the round icons (``placemark_circle``, ``airports``, ``target``,
    ``track-none``) and for any name not in :data:`ICON_SHAPES`.
    """
    image = Image.new("RGBA", (ICON_PX, ICON_PX), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    shape = ICON_SHAPES.get(name)
    if shape is None:
        pen.ellipse((7, 7, ICON_PX - 8, ICON_PX - 8), fill=(255, 255, 255, 255), outline=(20, 20, 20, 255), width=4)
        if name == "target.png":
            pen.ellipse((24, 24, ICON_PX - 25, ICON_PX - 25), outline=(20, 20, 20, 255), width=4)
    else:
        points = [(x * (ICON_PX - 1), y * (ICON_PX - 1)) for x, y in shape]
        pen.polygon(points, fill=(255, 255, 255, 255), outline=(20, 20, 20, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build_screen_overlay() -> ET.Element:
    """Return the ScreenOverlay that pins the overlay PNG to the screen's upper left at its own size."""
    overlay = ET.Element(tag("ScreenOverlay"))
    add_text(overlay, "name", "Marking and legend")
    add_text(ET.SubElement(overlay, tag("Icon")), "href", OVERLAY_FILE)
    for name, x, y in (("overlayXY", "0", "1"), ("screenXY", "0.01", "0.98")):
        ET.SubElement(overlay, tag(name), x=x, y=y, xunits="fraction", yunits="fraction")
    ET.SubElement(overlay, tag("size"), x="0", y="0", xunits="pixels", yunits="pixels")
    return overlay


def render_overlay(snapshot: Snapshot, spec: BriefingSpec) -> bytes:
    """Return the overlay PNG: marking, title, date line and the legend of what the KML holds."""
    sections = build_legend(filter_layers(snapshot, spec.visible_layers))
    head_pt, legend_pt = 78.0, measure_legend_pt(sections) + 10
    height_in = (head_pt + legend_pt) / 72
    with use_export_style():
        figure = Figure(figsize=(OVERLAY_WIDTH_IN, height_in), dpi=OVERLAY_DPI, facecolor=(1, 1, 1, 0.92))
        FigureCanvasAgg(figure)
        top = 1 - 8 / 72 / height_in
        figure.text(0.5, top, spec.marking, ha="center", va="top", fontsize=9, fontweight="bold", color=INK)
        figure.text(0.04, top - 16 / 72 / height_in, spec.title, ha="left", va="top", fontsize=10,
                    fontweight="bold", color=INK, wrap=True)
        figure.text(0.04, top - 34 / 72 / height_in, describe_subtitle(spec).replace("   |   ", "\n"),
                    ha="left", va="top", fontsize=6.5, color=MUTED, linespacing=1.3)
        axes: Axes = figure.add_axes((0.04, 0.0, 0.94, legend_pt / 72 / height_in))
        axes.set_xlim(0, OVERLAY_WIDTH_IN * 72 * 0.94)
        axes.set_ylim(legend_pt, 0)
        axes.axis("off")
        draw_legend(axes, sections, 0.9)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=OVERLAY_DPI, facecolor=figure.get_facecolor())
    return out.getvalue()
