"""The live map exactly as seen, tiles included, framed with the briefing furniture.

The dashboard's own map HTML (``live_map``) is opened in headless Chromium at the size of
the slide's map area and 2x pixel density; the picture is taken once every tile has
loaded, and framed with the same title, marking, legend, scale bar and source footnotes
as the static image. When Chromium cannot start or the tiles cannot be fetched (no
network), the static renderer is used instead and a ``StaticFallbackWarning`` says so.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from layers import Snapshot

from dashboard.export.briefing import BriefingSpec
from dashboard.export.errors import BrowserUnavailableError, MissingComponentError
from dashboard.export.export_style import use_export_style
from dashboard.export.live_map import build_live_map, render_self_contained
from dashboard.export.png_pages import write_source_pages
from dashboard.export.static_map import RasterMap, plan_map_area, render_briefing_figure, write_png

DEVICE_SCALE = 2
CSS_PX_PER_IN = 96
TILE_TIMEOUT_MS = 30_000
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Controls, the on-map legend, banner and date box are for the screen: the slide has its own
# furniture. Events before the window are hidden, as on the static slide, whose legend and
# footnotes cover events in the window only. The tile attribution stays (licences ask for
# it), in small type.
HIDE_CONTROLS = (".leaflet-control-zoom, .leaflet-control-layers, .leaflet-control-fullscreen, "
                 ".leaflet-control-minimap, .leaflet-control-scale, .leaflet-bar, .ab-legend-box, .ab-banner, "
                 ".ab-caption, .ab-notice, .ab-event-past { display: none !important; } "
                 ".leaflet-control-attribution { font-size: 9px !important; }")
TILES_SETTLED = """() => {
  const tiles = [...document.querySelectorAll('img.leaflet-tile')];
  return tiles.every(t => t.complete) && document.querySelectorAll('.leaflet-tile-loading').length === 0;
}"""
TILES_FAILED = "() => [...document.querySelectorAll('img.leaflet-tile')].filter(t => t.naturalWidth === 0).length"
TILES_COUNT = "() => document.querySelectorAll('img.leaflet-tile').length"


class StaticFallbackWarning(UserWarning):
    """The snapshot as seen could not be taken; the static briefing image was made instead."""


@dataclass(frozen=True)
class Capture:
    """A picture of the live map and what it shows."""

    image: np.ndarray
    bounds: tuple[float, float, float, float]
    tiles: int
    attribution: str


def write_snapshot_as_seen(snapshot: Snapshot, spec: BriefingSpec, path: Path, *, pages_beside: Path | None = None,
                           pages_written: list[Path] | None = None) -> bool:
    """Write the framed picture of the live map to ``path`` (PNG); return False if it fell back.

    Falls back to the static renderer, with a ``StaticFallbackWarning``, when Chromium is
    missing, the basemap tiles cannot be loaded or the dashboard's map is not installed.
    When some sources do not fit, their pages are written beside ``pages_beside`` (the
    final name, as ``static_map.write_png`` does) and listed in ``pages_written``.
    """
    pages = pages_written if pages_written is not None else []
    layout, (width_in, height_in) = plan_map_area(snapshot, spec)
    try:
        capture = capture_live_map(snapshot, spec, (round(width_in * CSS_PX_PER_IN), round(height_in * CSS_PX_PER_IN)))
    except (BrowserUnavailableError, MissingComponentError) as exc:
        warnings.warn(f"The live map could not be captured ({exc}); this is the static briefing image on the "
                      "embedded Natural Earth basemap instead.", StaticFallbackWarning, stacklevel=2)
        pages.extend(write_png(snapshot, spec, path, pages_beside=pages_beside))
        return False
    raster = RasterMap(capture.image, capture.bounds, capture.attribution)
    briefing = render_briefing_figure(snapshot, spec, raster=raster, layout=layout)
    with use_export_style():
        briefing.figure.savefig(path, format="png", dpi=spec.page.dpi, metadata={
            "Title": spec.title, "Description": f"{spec.marking}. {briefing.subtitle}. Live map as seen.",
            "Software": "Airbridge"})
    if pages_beside is not None:
        pages.extend(write_source_pages(briefing, spec, pages_beside))
    return True


def render_snapshot_as_seen_files(snapshot: Snapshot, spec: BriefingSpec, name: str) -> list[tuple[str, bytes]]:
    """Return each file of the snapshot as seen (``name``, bytes): the picture, then any sources pages.

    For a download button: written in a private temporary folder, warning as
    :func:`write_snapshot_as_seen` does when it falls back.
    """
    with tempfile.TemporaryDirectory(prefix="airbridge-as-seen-") as folder:
        path = Path(folder) / name
        pages: list[Path] = []
        write_snapshot_as_seen(snapshot, spec, path, pages_beside=path, pages_written=pages)
        return [(file.name, file.read_bytes()) for file in (path, *pages)]


def capture_live_map(snapshot: Snapshot, spec: BriefingSpec, viewport: tuple[int, int]) -> Capture:
    """Open the live map in headless Chromium at ``viewport`` CSS pixels, 2x density; wait for tiles.

    Raises
    ------
    BrowserUnavailableError
        If Chromium cannot be started, the map does not draw, or any tile fails to load.
    """
    folium_map = build_live_map(snapshot, spec)
    html = render_self_contained(folium_map)
    map_id = folium_map.get_name()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserUnavailableError("Playwright is not installed") from exc
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise BrowserUnavailableError("no Chromium on PATH (Debian package 'chromium')")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]},
                                        device_scale_factor=DEVICE_SCALE)
                page.set_content(html, wait_until="load", timeout=TILE_TIMEOUT_MS)
                page.add_style_tag(content=HIDE_CONTROLS)
                page.wait_for_function(TILES_SETTLED, timeout=TILE_TIMEOUT_MS, polling=200)
                page.wait_for_timeout(300)  # fade-in of the last tiles
                failed, tiles = page.evaluate(TILES_FAILED), page.evaluate(TILES_COUNT)
                if failed:
                    raise BrowserUnavailableError(f"{failed} of {tiles} basemap tiles did not load (no network?)")
                bounds = page.evaluate(f"() => {{ const b = {map_id}.getBounds(); "
                                       "return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
                attribution = page.evaluate("() => { const a = document.querySelector('.leaflet-control-attribution');"
                                            " return a ? a.innerText : ''; }")
                picture = page.locator(f"#{map_id}").screenshot(type="png")
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise BrowserUnavailableError(f"Chromium failed: {str(exc).splitlines()[0]}") from exc
    image = np.asarray(Image.open(io.BytesIO(picture)).convert("RGB"))
    west, south, east, north = (float(v) for v in bounds)
    return Capture(image, (west, south, east, north), tiles, _clean_attribution(attribution))


def _clean_attribution(text: str) -> str:
    text = " ".join(text.replace("\u00a0", " ").split())
    return text.removeprefix("Leaflet | ").removeprefix("Leaflet ") or "basemap tiles"
