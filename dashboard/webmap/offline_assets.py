"""Standalone pages with no network: the vendored files inlined, and what a page would still fetch.

:func:`inline_assets` replaces the ``<script src>`` and ``<link rel="stylesheet">`` tags
of a rendered map page with the vendored files (``dashboard.webmap.vendor_assets``), the
CSS images as ``data:`` URIs, so a single file opens from disk with no network at all.
:func:`find_external_urls` lists what a page would still fetch from the network.

This module imports neither Streamlit nor folium.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

from dashboard.webmap.vendor_assets import LEAFLET_IMAGES, LEAFLET_JS, VENDOR_DIR, vendored_file

__all__ = ["find_external_urls", "inline_assets"]


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


_CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)""", re.IGNORECASE)


def _inline_css(css_path: Path, vendor_dir: Path) -> str:
    """Return the CSS with every local ``url(...)`` replaced by a ``data:`` URI."""
    css = css_path.read_text(encoding="utf-8")
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
    images = vendor_dir / LEAFLET_IMAGES
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
    the file's content. Images referenced by ``url(...)`` in the CSS become ``data:``
    URIs. After Leaflet, a
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
        if path == (root / LEAFLET_JS).resolve():
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
