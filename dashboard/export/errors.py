"""Exceptions raised by the briefing exports, one type per kind of failure."""

from __future__ import annotations


class ExportError(Exception):
    """Base class of every export failure; its message is one line saying what to fix."""


class ExportInputError(ExportError, ValueError):
    """Raised when a request makes no sense: a bad date, size, extent, format or window."""


class ExportWriteError(ExportError, OSError):
    """Raised when the output file cannot be written (missing folder, no permission, full disk)."""


class BrowserUnavailableError(ExportError, RuntimeError):
    """Raised when headless Chromium cannot be started or cannot load the map."""


class MissingComponentError(ExportError, ImportError):
    """Raised when a part another module provides (e.g. the folium map builder) is not installed."""
