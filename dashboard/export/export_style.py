"""The matplotlib settings of every static export, applied to one export at a time.

``matplotlib.rc_context`` changes matplotlib's process-wide settings for the length of the
block and puts them back afterwards. Two exports in two threads (two analysts exporting
at once: each Streamlit session runs in its own thread) would restore each other's
settings mid-drawing, so a PDF could lose its fonts or fail. :func:`use_export_style`
holds one lock for the whole block, so exports that draw with matplotlib take turns and
the settings each sees are its own. Nothing here ever writes ``matplotlib.rcParams``
outside such a block.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.typing import RcKeyType

PREFERRED_FONTS = ("Liberation Sans", "DejaVu Sans")
# Re-entrant: a PDF draws its slide (one block) inside its own block. The PNG's sources
# pages are forked from inside a block (``background_write``): the child inherits the lock
# as held by its one thread, the same main thread, so it re-enters it as the parent would
# (``can_fork`` allows a fork only from the main thread of a process without other threads).
_STYLE_LOCK = threading.RLock()


@contextmanager
def use_export_style() -> Iterator[None]:
    """Draw and save under the export settings (:func:`build_rc_style`), one export at a time."""
    with _STYLE_LOCK, matplotlib.rc_context(build_rc_style()):
        yield


def build_rc_style() -> dict[RcKeyType, Any]:
    r"""Return the matplotlib settings of every export: fonts, text kept as text in PDF and SVG, text literal.

    Applied by :func:`use_export_style` around creating, drawing and saving each figure,
    never to ``matplotlib.rcParams`` directly, so an export leaves the process's settings
    as it found them. Every text artist takes ``text.parse_math`` and ``text.usetex`` when
    it is created: with both off, titles, markings, names and sources are drawn exactly as
    typed (``$5 to $x_`` is not math text, a ``\`` is not a TeX command) and cannot make
    the renderer fail, whatever a matplotlibrc in the environment says.
    """
    return {
        # DejaVu Sans after the chosen font: matplotlib falls back glyph by glyph, so a
        # name in a script the first font lacks (Arabic) prints in DejaVu, not as boxes.
        "font.family": list(dict.fromkeys([_choose_font(), "DejaVu Sans"])),
        "pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none",
        "axes.linewidth": 0.8, "path.simplify": True, "text.parse_math": False, "text.usetex": False,
    }


@functools.cache
def _choose_font() -> str:
    return next((family for family in PREFERRED_FONTS if _has_font(family)), "DejaVu Sans")


def _has_font(family: str) -> bool:
    # findfont raises instead of answering False when fallback is off.
    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True
