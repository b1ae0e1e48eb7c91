"""Serve folium's JavaScript and CSS from the vendored copies in ``dashboard/static/vendor/``.

folium 0.20.0 (and branca) link Leaflet, jQuery, Bootstrap, Font Awesome and the Leaflet
plugins from public CDNs. On an air-gapped machine those requests fail, and
streamlit-folium stops drawing the map at the first script that fails to load. This module
points every such link at the files vendored from npm (see ``static/vendor/MANIFEST.md``).

Two modes:

* Live app: call :func:`use_local_assets` once, before any ``folium.Map`` is built or
  rendered. Streamlit serves ``dashboard/static/`` at ``/app/static/`` when
  ``server.enableStaticServing`` is true, so the links become
  ``/app/static/vendor/<package>@<version>/...``. streamlit-folium loads them into its
  component iframe, which comes from the same Streamlit server, so the absolute path
  resolves to the app itself.
* Standalone HTML export: :func:`inline_assets` replaces the ``<script src>`` and
  ``<link rel="stylesheet">`` tags with the file contents (fonts and images in the CSS as
  ``data:`` URIs), so a single file opens from disk with no network at all.

:func:`find_external_urls` lists what a page would still fetch from the network.

This module imports neither Streamlit nor (at import time) folium.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

__all__ = [
    "CDN_TO_VENDOR",
    "DEFAULT_BASE_URL",
    "STATIC_URL_PREFIX",
    "VENDOR_DIR",
    "find_external_urls",
    "inline_assets",
    "use_local_assets",
    "vendored_file",
]

#: Folder holding the vendored assets (served by Streamlit at ``/app/static/vendor``).
VENDOR_DIR: Final[Path] = Path(__file__).resolve().parent / "static" / "vendor"

#: URL path of :data:`VENDOR_DIR` under the Streamlit server root, without leading slash.
STATIC_URL_PREFIX: Final[str] = "app/static/vendor"

#: Base URL that works inside the streamlit-folium iframe (absolute path, same origin).
DEFAULT_BASE_URL: Final[str] = "/" + STATIC_URL_PREFIX

#: Every CDN URL that folium 0.20.0, its plugins in use and branca link, mapped to the
#: vendored file (path relative to :data:`VENDOR_DIR`) that replaces it.
CDN_TO_VENDOR: Final[dict[str, str]] = {
    # folium.folium._default_js
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet@1.9.3/dist/leaflet.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery@3.7.1/dist/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js":
        "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js":
        "drmonty-leaflet-awesome-markers@2.0.2/js/leaflet.awesome-markers.js",
    # folium.folium._default_css
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet@1.9.3/dist/leaflet.css",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css":
        "bootstrap@5.2.2/dist/css/bootstrap.min.css",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css":
        "bootstrap@3.4.1/dist/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css":
        "fontawesome-free@6.2.0/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css":
        "drmonty-leaflet-awesome-markers@2.0.2/css/leaflet.awesome-markers.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css":
        "generated/leaflet.awesome.rotate.min.css",
    # folium.plugins.Fullscreen
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js":
        "leaflet.fullscreen@3.0.0/Control.FullScreen.js",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css":
        "leaflet.fullscreen@3.0.0/Control.FullScreen.css",
    # folium.plugins.MiniMap
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js":
        "leaflet-minimap@3.6.1/dist/Control.MiniMap.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css":
        "leaflet-minimap@3.6.1/dist/Control.MiniMap.min.css",
    # branca.colormap.ColorMap.render (standalone HTML only; see use_local_assets)
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": "d3@3.5.5/d3.min.js",
}

_LEAFLET_JS: Final[str] = "leaflet@1.9.3/dist/leaflet.js"
# Loaded right after Leaflet by use_local_assets(): sets L.Icon.Default.imagePath from its
# own URL, because Leaflet 1.9.3 guesses it wrong when its CSS is applied after the
# scripts, as streamlit-folium does.
_ICON_PATH_JS: Final[tuple[str, str]] = ("leaflet_default_icon_path", "generated/leaflet-default-icon-path.js")
_LEAFLET_IMAGES: Final[str] = "leaflet@1.9.3/dist/images"
_VENDOR_MARKER: Final[str] = "static/vendor/"

# Own default_js/default_css of each folium class, as first seen, so that
# use_local_assets() can always rebuild from the CDN originals (idempotent, re-basable).
_ORIGINAL_LINKS: dict[type, dict[str, list[tuple[str, str]]]] = {}


def vendored_file(url: str, vendor_dir: Path | None = None) -> Path | None:
    """Return the vendored file that serves ``url``, or ``None`` if there is none.

    Parameters
    ----------
    url : str
        A CDN URL from :data:`CDN_TO_VENDOR`, or any URL or path containing
        ``static/vendor/<relative path>`` (``/app/static/vendor/...``,
        ``http://127.0.0.1:8501/app/static/vendor/...``, ``file:///.../static/vendor/...``).
    vendor_dir : pathlib.Path, optional
        Folder of the vendored tree; :data:`VENDOR_DIR` by default.

    Returns
    -------
    pathlib.Path or None
        The existing file inside ``vendor_dir``, else ``None``.
    """
    root = (vendor_dir or VENDOR_DIR).resolve()
    rel = CDN_TO_VENDOR.get(url)
    if rel is None:
        path = unquote(urlsplit(url).path)
        idx = path.rfind(_VENDOR_MARKER)
        if idx < 0:
            return None
        rel = path[idx + len(_VENDOR_MARKER):]
    candidate = (root / rel).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _jscss_classes() -> list[type]:
    """Return every imported folium class that declares its own JS/CSS links."""
    import folium  # noqa: F401  (imported here so the module stays importable without it)
    import folium.elements
    import folium.plugins  # noqa: F401  (registers the plugin classes as subclasses)

    seen: list[type] = []
    stack: list[type] = [folium.elements.JSCSSMixin]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.append(cls)
        stack.extend(cls.__subclasses__())
    return [c for c in seen if "default_js" in vars(c) or "default_css" in vars(c)]


def use_local_assets(base_url: str = DEFAULT_BASE_URL) -> None:
    """Point folium's default JS/CSS links at the vendored files.

    Rewrites ``default_js`` and ``default_css`` of ``folium.Map`` and of every other
    imported folium class that declares them (all of ``folium.plugins``), replacing each
    URL of :data:`CDN_TO_VENDOR` by ``<base_url>/<vendored path>``, and loads
    ``generated/leaflet-default-icon-path.js`` right after Leaflet so that default
    ``folium.Marker`` icons resolve. URLs without a vendored copy are left as they are
    (:func:`find_external_urls` reports them).
    Idempotent: each call rebuilds the lists from the CDN originals, so calling it again,
    or with another ``base_url``, is safe.

    Parameters
    ----------
    base_url : str, default "/app/static/vendor"
        URL under which :data:`VENDOR_DIR` is served. The absolute path is what resolves
        inside the streamlit-folium iframe when Streamlit serves the app at the root; behind
        ``server.baseUrlPath = "x"`` pass ``"/x/app/static/vendor"``. The iframe document
        is ``<root>/component/streamlit_folium.st_folium/index.html``, so
        ``"../../app/static/vendor"`` works too, whatever the base path; a bare
        ``"app/static/vendor"`` does not (it resolves under ``/component/...``).

    Notes
    -----
    Call it before building or rendering any map: branca copies the links into the
    figure header when a map is rendered. It does not cover the d3 links that
    streamlit-folium hard-codes for branca colormaps (see ``MANIFEST.md``).
    """
    import folium.folium

    base = base_url.rstrip("/")

    def localise(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
        out = []
        for name, url in links:
            rel = CDN_TO_VENDOR.get(url)
            out.append((name, f"{base}/{rel}" if rel is not None else url))
            if rel == _LEAFLET_JS:
                out.append((_ICON_PATH_JS[0], f"{base}/{_ICON_PATH_JS[1]}"))
        return out

    for cls in _jscss_classes():
        own = vars(cls)
        originals = _ORIGINAL_LINKS.setdefault(
            cls, {attr: list(own[attr]) for attr in ("default_js", "default_css") if attr in own}
        )
        for attr, links in originals.items():
            setattr(cls, attr, localise(links))

    # Keep the module-level lists folium.Map was built from consistent with the class.
    folium.folium._default_js = folium.folium.Map.default_js
    folium.folium._default_css = folium.folium.Map.default_css


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


_FONT_FACE_RE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_FONT_SRC_RE = re.compile(r"(\bsrc\s*:\s*)([^;}]*)", re.IGNORECASE)
_CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)""", re.IGNORECASE)


def _woff2_only(css: str) -> str:
    """In each ``@font-face``, keep only the woff2 sources when there is one."""

    def fix_src(m: re.Match[str]) -> str:
        entries = [e.strip() for e in m.group(2).split(",")]
        woff2 = [e for e in entries if ".woff2" in e.lower()]
        return m.group(1) + ",".join(woff2 or entries)

    return _FONT_FACE_RE.sub(lambda m: _FONT_SRC_RE.sub(fix_src, m.group(0)), css)


def _inline_css(css_path: Path, vendor_dir: Path) -> str:
    """Return the CSS with every local ``url(...)`` replaced by a ``data:`` URI."""
    css = _woff2_only(css_path.read_text(encoding="utf-8"))
    root = vendor_dir.resolve()

    def repl(m: re.Match[str]) -> str:
        ref = m.group(2).strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            return m.group(0)
        target = (css_path.parent / unquote(urlsplit(ref).path)).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return m.group(0)
        return f'url("{_data_uri(target)}")'

    return _CSS_URL_RE.sub(repl, css).replace("</style", "<\\/style")


def _leaflet_icon_script(vendor_dir: Path) -> str:
    """Script setting L.Icon.Default to data: URIs (Leaflet cannot detect a data: path)."""
    images = vendor_dir / _LEAFLET_IMAGES
    names = {"iconUrl": "marker-icon.png", "iconRetinaUrl": "marker-icon-2x.png", "shadowUrl": "marker-shadow.png"}
    opts = ",".join(f'{k}:"{_data_uri(images / v)}"' for k, v in names.items() if (images / v).is_file())
    return f'<script>L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({{{opts}}});</script>'


_SCRIPT_SRC_RE = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*(["'])(.*?)\1[^>]*>\s*</script\s*>""", re.IGNORECASE | re.DOTALL
)
_LINK_RE = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR_RE.finditer(tag)}


def inline_assets(html: str, *, vendor_dir: Path | None = None) -> str:
    """Embed the vendored JS and CSS in a standalone HTML page.

    Every ``<script src=...></script>`` and ``<link rel="stylesheet" href=...>`` whose
    URL is a known CDN URL (:data:`CDN_TO_VENDOR`) or points into the vendored tree
    (``.../static/vendor/...``) is replaced by an inline ``<script>`` / ``<style>`` with
    the file's content. Fonts and images referenced by ``url(...)`` in the CSS become
    ``data:`` URIs (for ``@font-face`` only the woff2 source is kept). After Leaflet, a
    short script sets ``L.Icon.Default`` to ``data:`` URIs of Leaflet's marker images.
    Any other tag is left untouched.

    Parameters
    ----------
    html : str
        A complete HTML page, e.g. ``folium.Map(...).get_root().render()``.
    vendor_dir : pathlib.Path, optional
        Folder of the vendored tree; :data:`VENDOR_DIR` by default.

    Returns
    -------
    str
        The page with the assets inlined; it opens from ``file://`` with no network.
    """
    root = vendor_dir or VENDOR_DIR

    def script(m: re.Match[str]) -> str:
        path = vendored_file(m.group(2), root)
        if path is None:
            return m.group(0)
        js = re.sub(r"</(script)", r"<\\/\1", path.read_text(encoding="utf-8"), flags=re.IGNORECASE)
        out = f"<script>{js}\n</script>"
        if path == (root / _LEAFLET_JS).resolve():
            out += _leaflet_icon_script(root)
        return out

    def link(m: re.Match[str]) -> str:
        attrs = _attrs(m.group(0))
        if "stylesheet" not in attrs.get("rel", "").lower().split():
            return m.group(0)
        path = vendored_file(attrs.get("href", ""), root)
        if path is None:
            return m.group(0)
        return f"<style>{_inline_css(path, root)}\n</style>"

    return _LINK_RE.sub(link, _SCRIPT_SRC_RE.sub(script, html))


# Link relations that make the browser fetch the target.
_FETCHING_RELS: Final[frozenset[str]] = frozenset(
    {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "modulepreload", "manifest"}
)
# Leaflet factories and loaders whose first argument is a URL the page fetches.
_JS_URL_RE = re.compile(
    r"""(?:L\.(?:tileLayer(?:\.wms)?|imageOverlay|videoOverlay)|\$\.(?:ajax|getJSON|get)|fetch)\(\s*"""
    r"""(["'])((?:https?:)?//[^"']+)\1""",
    re.IGNORECASE,
)
_JS_ICON_URL_RE = re.compile(
    r"""["']?(?:iconUrl|iconRetinaUrl|shadowUrl|shadowRetinaUrl)["']?\s*:\s*(["'])((?:https?:)?//[^"']+)\1"""
)
# HTML held in script strings (folium popups and tooltips): src="..." and nested
# data:text/html;base64 iframes.
_JS_HTML_SRC_RE = re.compile(r"""\b(?:src|poster)\s*=\s*\\?(["'])((?:https?:)?//[^"'\\\s>]+)""", re.IGNORECASE)
_DATA_HTML_RE = re.compile(r"""data:text/html[^,"'\s]*?;base64,([A-Za-z0-9+/=]+)""", re.IGNORECASE)
_CSS_IMPORT_RE = re.compile(r"""@import\s+(["'])([^"']+)\1""", re.IGNORECASE)


def _nested_html_urls(b64: str) -> list[str]:
    try:
        nested = base64.b64decode(b64, validate=False).decode("utf-8", errors="replace")
    except ValueError:
        return []
    return find_external_urls(nested)


def _is_external(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


class _ExternalUrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in: str | None = None

    def _add(self, url: str | None) -> None:
        if url and _is_external(url):
            self.urls.append(url.strip())

    def _css(self, css: str) -> None:
        for m in _CSS_URL_RE.finditer(css):
            self._add(m.group(2))
        for m in _CSS_IMPORT_RE.finditer(css):
            self._add(m.group(2))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "script":
            self._add(a.get("src"))
        elif tag == "link":
            if _FETCHING_RELS & set(a.get("rel", "").lower().split()):
                self._add(a.get("href"))
        elif tag in ("img", "source", "video", "audio", "track", "embed", "input", "iframe", "frame"):
            self._add(a.get("src"))
            self._add(a.get("poster"))
            for part in (a.get("srcset") or "").split(","):
                self._add(part.strip().split(" ")[0] if part.strip() else None)
        elif tag == "object":
            self._add(a.get("data"))
        elif tag in ("image", "use"):
            self._add(a.get("href") or a.get("xlink:href"))
        if "style" in a:
            self._css(a["style"])
        if tag in ("iframe", "frame"):
            if a.get("srcdoc"):
                self.urls.extend(find_external_urls(a["srcdoc"]))
            m = _DATA_HTML_RE.match(a.get("src", ""))
            if m:
                self.urls.extend(_nested_html_urls(m.group(1)))
        self._in = tag if tag in ("script", "style") else None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in = None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self._css(data)
        elif self._in == "script":
            for rx in (_JS_URL_RE, _JS_ICON_URL_RE, _JS_HTML_SRC_RE):
                for m in rx.finditer(data):
                    self._add(m.group(2))
            for m in _DATA_HTML_RE.finditer(data):
                self.urls.extend(_nested_html_urls(m.group(1)))


def find_external_urls(html: str) -> list[str]:
    """List the http(s) URLs the page would fetch as script, stylesheet, font or image.

    Looks at ``<script src>``, fetching ``<link href>`` (stylesheet, icon, preload, ...),
    ``src``/``srcset``/``poster`` of media and frame elements, SVG ``<image>``/``<use>``,
    ``url(...)`` and ``@import`` in ``<style>`` blocks and ``style`` attributes, nested
    ``srcdoc`` and ``data:text/html;base64`` iframes (folium ``IFrame`` popups), and,
    inside inline scripts, URLs passed to ``L.tileLayer``, ``L.tileLayer.wms``,
    ``L.imageOverlay``, ``L.videoOverlay``, ``$.ajax``/``$.getJSON``/``$.get``,
    ``fetch``, icon ``iconUrl``/``shadowUrl`` options and ``src=``/``poster=`` in HTML
    held in script strings (folium popups and tooltips). Hyperlinks (``<a href>``, attribution links) are
    not fetched and are not reported. Protocol-relative ``//host/...`` URLs count as
    external.

    Parameters
    ----------
    html : str
        The HTML page.

    Returns
    -------
    list of str
        The external URLs in document order, without duplicates; empty when the page
        needs no network.
    """
    parser = _ExternalUrlCollector()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(parser.urls))
