"""How the KML export writes elements: namespaces, escaped text, colours and coordinates.

Google Earth renders a placemark's balloon as HTML, name and data values included, so
:func:`add_text` HTML-escapes every text it writes (``<img ...>`` in a name reaches the
file as ``&amp;lt;img ...&gt;`` and is shown as text, never run); :func:`add_markup`
takes HTML built by the export from escaped parts. Characters that XML 1.0 forbids
(control characters but tab and newline, lone surrogates, U+FFFE/U+FFFF) are removed from
every text and attribute, so the file is always well-formed whatever the data holds.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

KML_NS = "http://www.opengis.net/kml/2.2"
GX_NS = "http://www.google.com/kml/ext/2.2"  # Google's extensions: gx:Track, gx:MultiTrack, gx:coord
# Everything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF].
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def tag(name: str) -> str:
    """Return the qualified name of a KML element."""
    return f"{{{KML_NS}}}{name}"


def gx_tag(name: str) -> str:
    """Return the qualified name of a Google extension element (``gx:``)."""
    return f"{{{GX_NS}}}{name}"


def remove_xml_forbidden(text: str) -> str:
    r"""Return ``text`` without the characters XML 1.0 forbids, which make a file not well-formed.

    Examples
    --------
    >>> remove_xml_forbidden("Hmeimim\x0b\x01\x1b Air Base")
    'Hmeimim Air Base'
    """
    return XML_FORBIDDEN.sub("", text)


def add_text(parent: ET.Element, name: str, text: str) -> ET.Element:
    """Add KML element ``name`` holding ``text`` as plain text: HTML-escaped for Google Earth's balloons."""
    return add_markup(parent, name, html.escape(text, quote=False))


def add_markup(parent: ET.Element, name: str, markup: str, *, qualified: bool = False) -> ET.Element:
    """Add element ``name`` (a KML name, or a qualified one) holding HTML built from escaped parts."""
    element = ET.SubElement(parent, name if qualified else tag(name))
    element.text = remove_xml_forbidden(markup)
    return element


def format_kml_colour(hex_colour: str, opacity: float) -> str:
    """Return KML's ``aabbggrr`` for ``#rrggbb`` at an opacity from 0 to 1.

    Examples
    --------
    >>> format_kml_colour("#D55E00", 1.0)
    'ff005ed5'
    """
    red, green, blue = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{round(opacity * 255):02x}{blue}{green}{red}".lower()


def format_coordinates(points: Iterable) -> str:
    """Return KML ``coordinates`` text: ``lon,lat`` pairs to 5 decimals (about 1 m)."""
    return " ".join(f"{x:.5f},{y:.5f}" for x, y, *_ in points)
