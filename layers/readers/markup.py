"""Plain text from the HTML a KML description may hold: tags dropped, never kept.

Google Earth and most GIS tools write a placemark's balloon as HTML (often inside
``CDATA``). An import keeps only what a reader would see as text: the text of every
element but ``script`` and ``style``, a line break for each block element, entities
decoded, and the address of an ``http(s)`` link after its text (``label (https://...)``),
since that address is often the source. No markup survives: the result holds no ``<``
that starts a tag (even text that decoded to one, such as ``&lt;b&gt;``, is dropped).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_TAG = re.compile(r"<[A-Za-z/!?]")
_LEFTOVER = re.compile(r"<[A-Za-z/!?][^<>]*>?")
_BLOCKS = frozenset({"br", "p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                     "hr", "blockquote", "pre", "dt", "dd"})
_CELLS = frozenset({"td", "th"})
_HIDDEN = frozenset({"script", "style", "head", "title"})


def convert_html_to_text(text: str) -> str:
    r"""Return the plain text of a description, HTML or not.

    Text without tags is kept line for line (entities such as ``&amp;`` decoded); text
    with tags is read as HTML.

    Examples
    --------
    >>> convert_html_to_text('<b>LNA</b> base<br/>see <a href="https://a.example/x">report</a>')
    'LNA base\nsee report (https://a.example/x)'
    >>> convert_html_to_text("<script>alert(1)</script>Runway 15/33")
    'Runway 15/33'
    >>> convert_html_to_text("a < b &amp; c")
    'a < b & c'
    """
    if not _TAG.search(text):
        return _tidy(html.unescape(text).splitlines())
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    plain = "".join(parser.parts)
    # An unclosed tag at the end is handed back as text by the parser: drop it too, and
    # text that only became tag-like when its entities were decoded.
    while _LEFTOVER.search(plain):
        plain = _LEFTOVER.sub("", plain)
    return _tidy(plain.split("\n"))


class _TextParser(HTMLParser):
    """Collects the visible text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        # Per open link: its http(s) address (or None) and where its text starts.
        self._links: list[tuple[str | None, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append(" ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            address = href.strip() if re.match(r"https?://", href.strip(), re.IGNORECASE) else None
            self._links.append((address, len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a" and self._links:
            address, start = self._links.pop()
            if address and "".join(self.parts[start:]).strip() != address:
                self.parts.append(f" ({address})")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _tidy(lines: list[str]) -> str:
    # One space between words, no empty line runs: HTML white space is not meaningful.
    kept = [" ".join(line.split()) for line in lines]
    text = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
