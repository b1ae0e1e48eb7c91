"""Headless Chromium for tests: Debian's system browser driven by Playwright, offline.

Every request to a host other than this machine is aborted and recorded, so a test can
assert that a page draws without the network and that it never tried to leave.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Route, sync_playwright

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    # Without these Chromium phones home at start and floods the closed network.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def find_chromium() -> str:
    """Return the path of the system Chromium (Debian package ``chromium``)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise FileNotFoundError("no Chromium on PATH: install Debian's 'chromium' package (apt-get install chromium)")


@dataclass
class OfflinePage:
    """A page whose outside requests are aborted; what it tried and logged is kept."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@contextmanager
def launch_browser() -> Iterator[Browser]:
    """Start headless system Chromium; close it afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_offline_page(browser: Browser, width: int = 1600, height: int = 1000) -> OfflinePage:
    """Open a new page that aborts every request to a non-loopback host."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    offline = OfflinePage(page)

    def route(route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:", "file:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            offline.blocked.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", route)
    page.on("console", lambda msg: offline.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("requestfailed", lambda req: offline.failed.append(req.url))
    return offline
