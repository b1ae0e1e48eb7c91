"""The name an uploaded file is kept under: the batch's file name and the rows' provenance."""

from __future__ import annotations

import os
import re
import unicodedata

MAX_NAME_BYTES = 200
"""Longest file name kept (UTF-8 bytes); a longer stem is cut, the ending kept."""
FALLBACK_NAME = "upload"
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def clean_file_name(name: str) -> str:
    r"""Return the last part of an uploaded file's name, without separators or control characters.

    The name becomes the batch's file name and the rows' provenance, so it keeps what the
    analyst sees (letters, spaces, punctuation) and loses what could reach elsewhere: any
    folder (``/`` or ``\\``), control, format (bidirectional) and line-separator characters,
    surrounding spaces, and bytes past :data:`MAX_NAME_BYTES` (the ending is kept).

    Examples
    --------
    >>> clean_file_name("../../reports/sites.csv")
    'sites.csv'
    """
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in _UNSAFE_CATEGORIES).strip()
    if base in ("", ".", ".."):
        return FALLBACK_NAME
    stem, suffix = os.path.splitext(base)
    suffix = suffix[:20]
    while stem and len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip() or FALLBACK_NAME) + suffix
