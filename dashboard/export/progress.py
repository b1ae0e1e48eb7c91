"""A text progress bar on stderr for batch exports (one line, redrawn; plain lines when piped)."""

from __future__ import annotations

import sys
from typing import TextIO

BAR_WIDTH = 30


class ProgressBar:
    """Show ``done/total`` with a bar; on a terminal the line is redrawn, otherwise one line per step.

    Parameters
    ----------
    total : int
        Number of steps.
    stream : text stream, optional
        Where to write; standard error by default, so standard output stays clean.
    """

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()

    def advance(self, label: str) -> None:
        """Count one step done and show ``label`` (e.g. the file written)."""
        self.done += 1
        filled = round(BAR_WIDTH * self.done / max(self.total, 1))
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} {label}"
        if self.interactive:
            end = "\n" if self.done == self.total else ""
            self.stream.write(f"\r\x1b[2K{line}{end}")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
