"""The escapers, one for each context data text can reach; every surface imports them here.

* HTML text and attributes (:func:`escape_text`): popups, tooltips, labels, the event
  list, banners, KML balloons;
* JSON inside an HTML ``<script>`` element (:func:`dump_script_json`): the map's
  catalogue, state and options, the HTML export's metadata;
* Markdown that Streamlit renders (:func:`escape_markdown` for prose,
  :func:`quote_markdown_code` for a value quoted from a URL or a file);
* a cell of a CSV file a spreadsheet may open (:func:`escape_csv_cell`): never a formula.

Plain Python, no Streamlit: the page, the map and the exports share it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

# Re-exported: escaping imported it first, and "missing" decides what escape_text leaves out.
from layers.missing import is_present

__all__ = ["dump_script_json", "escape_csv_cell", "escape_markdown", "escape_text", "is_present",
           "quote_markdown_code"]

_JS_SENSITIVE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_SCRIPT_SEQUENCES = (("</", "<\\/"), ("<!--", "\\u003c!--"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
# Compact JSON never has "{" before "{", "%" or "#" outside a string.
_JINJA_OPENER = re.compile(r"\{(?=[{%#])")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&:\"'=/@])")
_BACKTICKS = re.compile(r"`+")
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"): such a cell gets a leading '."""


def escape_text(value: object) -> str:
    """Return ``value`` as text that is inert in HTML and inside JavaScript strings.

    ``&``, ``<``, ``>``, ``"`` and ``'`` become HTML entities (:func:`html.escape`), and so
    do the backtick, ``$`` and backslash, so that the text can sit in an HTML attribute, in
    element content or in a JavaScript template literal without being interpreted.

    Parameters
    ----------
    value : object
        Anything; ``None`` and NaN give an empty string, other values their ``str()``.

    Examples
    --------
    >>> escape_text("<b>${x}</b>`")
    '&lt;b&gt;&#36;{x}&lt;/b&gt;&#96;'
    """
    if not is_present(value):
        return ""
    return html.escape(str(value), quote=True).translate(_JS_SENSITIVE)


def dump_script_json(value: Any) -> str:
    r"""Return compact JSON that is also safe inside an HTML ``<script>`` element.

    ``</`` is written ``<\/`` and ``<!--`` as ``\u003c!--`` (the two sequences that can end
    or confuse a script element), the line separators U+2028/U+2029 are escaped, and so is
    every ``{`` that would open a Jinja block (``{{``, ``{%``, ``{#``): written ``\u007b``
    it parses the same and no template engine the page passes through can evaluate it.
    The result parses to the same value.

    Examples
    --------
    >>> dump_script_json({"t": "{{ 7*7 }}</script>"})
    '{"t":"\\u007b{ 7*7 }}<\\/script>"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _SCRIPT_SEQUENCES:
        text = text.replace(raw, escaped)
    return _JINJA_OPENER.sub(r"\\u007b", text)


def escape_markdown(text: object) -> str:
    """Return ``text`` with every Markdown-significant character backslash-escaped.

    For prose that Streamlit renders as Markdown (notices, errors): it then shows
    literally, and neither ``https://`` nor ``www.`` nor ``a@b`` can become a link.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def quote_markdown_code(value: object, limit: int | None = None) -> str:
    """Return ``value`` as a Markdown code span: shown literally, never a link or markup.

    Parameters
    ----------
    value : object
        The text to quote (a URL parameter, a file name).
    limit : int, optional
        Cut the text to this many characters, with an ellipsis.

    Examples
    --------
    >>> quote_markdown_code("https://evil.example/login")
    '`https://evil.example/login`'
    """
    text = " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    runs = _BACKTICKS.findall(text)
    fence = "`" * (max(map(len, runs)) + 1 if runs else 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"



def escape_csv_cell(value: object) -> str:
    """Return ``value`` as CSV cell text that no spreadsheet evaluates as a formula.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (:data:`CSV_FORMULA_STARTS`) is prefixed with ``'``, which Excel, LibreOffice and
    Google Sheets show as text. Quoting the cell for CSV is left to :mod:`csv`.

    Parameters
    ----------
    value : object
        Anything; ``None`` and NaN give an empty cell, other values their ``str()``.

    Examples
    --------
    >>> escape_csv_cell("=1+2"), escape_csv_cell("-12"), escape_csv_cell("Hmeimim")
    ("'=1+2", "'-12", 'Hmeimim')
    """
    if not is_present(value):
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_STARTS) else text
