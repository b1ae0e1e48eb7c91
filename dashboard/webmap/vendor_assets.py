"""The vendored Leaflet files (``static/vendor/``) and the CDN addresses folium uses for them.

folium 0.20.0 links Leaflet and the full-screen plugin from public CDNs. On an
air-gapped machine those requests fail, so the map's links are pointed at copies
vendored from npm (see ``static/vendor/MANIFEST.md`` for versions, licences and checksums):

* live page: :func:`localise_links` rewrites the links of one map's elements to the URL
  the app serves the folder under (never folium's class-wide defaults, which other maps
  in the process share); the live map's published script bundle carries the scripts of
  :data:`BUNDLED_VENDOR_SCRIPTS` itself, so only their style sheets stay links;
* standalone HTML: ``dashboard.webmap.offline_assets.inline_assets`` embeds the files.

Only what the maps load is vendored: Leaflet (script, style, marker images) and
Leaflet.fullscreen. No Streamlit, no folium here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

#: Folder holding the vendored files.
VENDOR_DIR: Final[Path] = Path(__file__).resolve().parent / "static" / "vendor"

#: Every CDN URL the maps link, mapped to the vendored file (relative to :data:`VENDOR_DIR`).
CDN_TO_VENDOR: Final[dict[str, str]] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet@1.9.3/dist/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet@1.9.3/dist/leaflet.css",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js":
        "leaflet.fullscreen@3.0.0/Control.FullScreen.js",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css":
        "leaflet.fullscreen@3.0.0/Control.FullScreen.css",
}

LEAFLET_JS: Final[str] = "leaflet@1.9.3/dist/leaflet.js"
LEAFLET_IMAGES: Final[str] = "leaflet@1.9.3/dist/images"
# Loaded right after Leaflet on the live page: sets L.Icon.Default.imagePath from its own
# URL, because Leaflet 1.9.3 guesses it wrong when its CSS is applied after the scripts,
# as streamlit-folium does.
ICON_PATH_JS: Final[tuple[str, str]] = ("leaflet_default_icon_path", "generated/leaflet-default-icon-path.js")
_VENDOR_MARKER: Final[str] = "static/vendor/"
#: The vendored scripts the live page's published bundle carries ahead of Airbridge's own
#: (``static_files.build_library_bundle``), in load order: streamlit-folium loads a map's
#: scripts one after the other, so each file less is one round trip less before the map.
#: Not :data:`ICON_PATH_JS`: it finds the images from its own URL, and every marker the
#: maps draw is a ``divIcon`` (Leaflet's default marker images are never used).
BUNDLED_VENDOR_SCRIPTS: Final[tuple[str, ...]] = (LEAFLET_JS, "leaflet.fullscreen@3.0.0/Control.FullScreen.js")


def localise_links(links: Iterable[tuple[str, str]], vendor_url: str | None) -> list[tuple[str, str]]:
    """Return ``(name, url)`` links with each vendored CDN URL served from ``vendor_url``.

    Parameters
    ----------
    links : iterable of (str, str)
        An element's ``default_js`` or ``default_css``.
    vendor_url : str or None
        Where the app serves :data:`VENDOR_DIR`; None returns the links as they are (a
        standalone page inlines them instead).

    Examples
    --------
    >>> localise_links([("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")], "/v")
    [('leaflet', '/v/leaflet@1.9.3/dist/leaflet.css')]
    """
    if vendor_url is None:
        return list(links)
    base = vendor_url.rstrip("/")
    out = []
    for name, url in links:
        relative = CDN_TO_VENDOR.get(url)
        out.append((name, f"{base}/{relative}" if relative is not None else url))
        if relative == LEAFLET_JS:
            out.append((ICON_PATH_JS[0], f"{base}/{ICON_PATH_JS[1]}"))
    return out


def vendored_file(url: str, vendor_dir: Path | None = None) -> Path | None:
    """Return the vendored file that serves ``url``, or ``None`` if there is none.

    Parameters
    ----------
    url : str
        A CDN URL from :data:`CDN_TO_VENDOR`, or any URL or path containing
        ``static/vendor/<relative path>``.
    vendor_dir : pathlib.Path, optional
        Folder of the vendored tree; :data:`VENDOR_DIR` by default.
    """
    root = (vendor_dir or VENDOR_DIR).resolve()
    relative = CDN_TO_VENDOR.get(url)
    if relative is None:
        path = unquote(urlsplit(url).path)
        at = path.rfind(_VENDOR_MARKER)
        if at < 0:
            return None
        relative = path[at + len(_VENDOR_MARKER):]
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate
