"""Drive the live dashboard in Chromium: find the map, move the slider, time it, count the bytes.

Times are taken in the page's own clock (``performance.timeOrigin + performance.now()``):
the key press, each WebSocket message and the map's redraw; the ForwardMsgs are decoded
to find when the run finished. Nothing here sleeps for a fixed time: every wait is for
a condition, with a timeout.
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from dataclasses import dataclass, field

from playwright.sync_api import Frame, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from layers.names import shorten_site_name

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
POPUP = ".leaflet-popup-content"
MAP_READY = "() => { const m = document.querySelector('#map_div'); return !!m && m.dataset.abReady === '1'; }"
WAIT_MS = 30_000
# Runs in every frame: records uncaught errors, every WebSocket message with its arrival
# time and bytes, and every key press.
RECORDER = """(() => {
  window.__abErrors = [];
  window.addEventListener('error', (e) => window.__abErrors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => window.__abErrors.push(String(e.reason)));
  const Native = window.WebSocket;
  const clock = () => performance.timeOrigin + performance.now();
  const b64 = (buffer) => { let s = ''; const bytes = new Uint8Array(buffer);
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s); };
  window.__abWs = []; window.__abSent = []; window.__abKeys = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const data = e.data;
        if (data instanceof ArrayBuffer) window.__abWs.push([clock(), data.byteLength, b64(data)]);
        else window.__abWs.push([clock(), String(data).length, null]);
      });
    }
    send(data) {
      window.__abSent.push([clock(), data.byteLength !== undefined ? data.byteLength : String(data).length]);
      return super.send(data);
    }
  };
  document.addEventListener('keydown', (e) => window.__abKeys.push([clock(), e.key]), true);
})();"""

KEY_RECORDER = """() => { if (window.__abKeyed) return; window.__abKeyed = true;
  window.__abKeys = window.__abKeys || [];
  document.addEventListener('keydown', (e) => window.__abKeys.push([performance.timeOrigin + performance.now(), e.key]),
                            true); }"""


@dataclass(frozen=True)
class StepTiming:
    """One slider step: latency to the map redraw and the end of the run, and the bytes moved."""

    latency_ms: float
    map_ms: float
    finished_ms: float
    received_bytes: int
    sent_bytes: int
    messages: dict[str, int] = field(default_factory=dict)


class DashboardPage:
    """The dashboard open in one offline page.

    Parameters
    ----------
    page : Page
        A Playwright page (from ``tests.browser.open_offline_page``), not yet navigated.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        page.add_init_script(RECORDER)
        self._frame: Frame | None = None

    def open(self, url: str) -> float:
        """Open the page and wait until the map has drawn; return the seconds it took."""
        start = time.perf_counter()
        self.page.goto(url)
        self.wait_for_map()
        return time.perf_counter() - start

    def wait_for_map(self) -> Frame:
        """Wait until the map frame exists and has drawn its data and basemap; return the frame."""
        handle = self.page.wait_for_selector(MAP_FRAME, timeout=WAIT_MS)
        assert handle is not None, "the map component is not on the page"
        frame = handle.content_frame()
        assert frame is not None, "the map component has no frame"
        frame.wait_for_function(MAP_READY, timeout=WAIT_MS)
        self._frame = frame
        return frame

    @property
    def map_frame(self) -> Frame:
        """The map's frame (after :meth:`open`)."""
        if self._frame is None:
            return self.wait_for_map()
        return self._frame

    def open_popup(self, marker: Locator) -> str:
        """Close any popup, open ``marker``'s (a click event: a symbol may sit under a label); return its text."""
        frame = self.map_frame
        frame.evaluate("() => { map.closePopup(); }")
        frame.wait_for_function(f"() => document.querySelectorAll('{POPUP}').length === 0")
        marker.dispatch_event("click")
        popup = frame.locator(POPUP)
        popup.wait_for()
        return popup.inner_text()

    def summary(self) -> dict:
        """What the map draws now (``Airbridge.summary``: asOf, sites, routes, flights, events...)."""
        return self.map_frame.evaluate("() => window.Airbridge.summary")

    def map_view(self) -> tuple[float, float, float]:
        """Return the map's (lat, lon, zoom)."""
        return tuple(self.map_frame.evaluate(
            "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"))

    def script_errors(self) -> list[str]:
        """Uncaught errors and rejected promises in the page and the map frame."""
        errors = list(self.page.evaluate("() => window.__abErrors"))
        if self._frame is not None:
            errors += self._frame.evaluate("() => window.__abErrors || []")
        return errors

    def count(self, selector: str) -> int:
        """Count elements matching ``selector`` in the map frame."""
        return self.map_frame.evaluate("(s) => document.querySelectorAll(s).length", selector)

    def date_control(self) -> Locator:
        """The date control: the map's slider named "Date" (``airbridge-scrub.js``)."""
        return self.map_frame.get_by_role("slider", name="Date")

    def focus_slider(self) -> None:
        """Put the keyboard focus on the date control (and record its key presses, in the map's clock)."""
        self.map_frame.evaluate(KEY_RECORDER)
        self.date_control().focus()

    def wait_for_date(self, day: dt.date) -> None:
        """Wait until the map shows ``day``."""
        self.map_frame.wait_for_function(
            "(d) => window.Airbridge.summary && window.Airbridge.summary.asOf === d", arg=day.isoformat(),
            timeout=WAIT_MS)

    def wait_until_idle(self, since_ms: float) -> tuple[float, dict[str, int], int]:
        """Wait for the end of the run started after ``since_ms``; return its time, message kinds, bytes.

        Each WebSocket message is fetched and decoded once; between them the wait is for
        the next message to arrive (its arrival time is the page's, so waiting adds nothing).
        """
        deadline = time.monotonic() + WAIT_MS / 1000
        seen = self.page.evaluate(
            "(t) => { const i = window.__abWs.findIndex(r => r[0] >= t); return i < 0 ? window.__abWs.length : i; }",
            since_ms)
        kinds: dict[str, int] = {}
        total = 0
        while True:
            records = self.page.evaluate("(n) => window.__abWs.slice(n)", seen)
            seen += len(records)
            for arrived, size, payload in records:
                total += size
                kind = _describe(payload)
                kinds[kind] = kinds.get(kind, 0) + size
                if kind == "script_finished":
                    return arrived, kinds, total
            remaining_ms = (deadline - time.monotonic()) * 1000
            try:
                self.page.wait_for_function("(n) => window.__abWs.length > n", arg=seen,
                                            timeout=max(remaining_ms, 1))
            except PlaywrightTimeoutError:
                raise TimeoutError("the app did not finish its run") from None

    def date_changes_within(self, day: dt.date, timeout_ms: float) -> bool:
        """Wait up to ``timeout_ms`` for the map to show a date other than ``day``; return whether it did."""
        try:
            self.map_frame.wait_for_function("(d) => window.Airbridge.summary.asOf !== d", arg=day.isoformat(),
                                             timeout=timeout_ms)
        except PlaywrightTimeoutError:
            return False
        return True

    def slider_date(self) -> dt.date:
        """Return the date the slider shows (its text, e.g. ``Tue 24 Dec 2024``)."""
        text = self.date_control().get_attribute("aria-valuetext")
        assert text, "the date slider has no value text"
        return dt.datetime.strptime(text, "%a %d %b %Y").date()

    def wait_until_settled(self) -> None:
        """Wait until no element is shown as stale (the app finished its run and redrew)."""
        self.page.wait_for_function(
            "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0 && "
            "!document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stSpinner\"]')",
            timeout=WAIT_MS)
        self.map_frame.wait_for_function("() => new Promise((done) => requestAnimationFrame(() => done(true)))")

    def screenshot(self, path: str) -> None:
        """Write a screenshot once the page has settled (no dimmed, stale elements)."""
        self.wait_until_settled()
        self.map_frame.wait_for_function(  # popups fade in
            "() => [...document.querySelectorAll('.leaflet-popup')].every(p => getComputedStyle(p).opacity === '1')",
            timeout=WAIT_MS)
        self.page.screenshot(path=path)

    def step_right(self, expected: dt.date) -> StepTiming:
        """Press ArrowRight on the focused slider; time it until the map shows ``expected`` and the run ends."""
        return self.press("ArrowRight", expected)

    def press(self, key: str, expected: dt.date | None = None) -> StepTiming:
        """Press ``key`` on the focused date control; time it until the map shows the new date and the run ends.

        The map redraws at once; the run is the one Streamlit makes when the map reports
        the settled date (about 350 ms later). ``expected`` None waits for any new date
        (e.g. PageUp, whose jump the control decides).
        """
        before = self.summary()["asOf"]
        marker = self.page.evaluate("() => performance.timeOrigin + performance.now()")
        self.page.keyboard.press(key)
        if expected is not None:
            self.wait_for_date(expected)
        else:
            self.map_frame.wait_for_function("(d) => window.Airbridge.summary.asOf !== d", arg=before,
                                             timeout=WAIT_MS)
        drawn = self.map_frame.evaluate("() => window.Airbridge.drawnAt")  # before the run after the report
        finished, kinds, received = self.wait_until_idle(marker)
        pressed = self.map_frame.evaluate(
            "([t, k]) => window.__abKeys.filter(e => e[0] >= t && e[1] === k)[0][0]", [marker, key])
        sent = self.page.evaluate("(t) => window.__abSent.filter(r => r[0] >= t).reduce((a, r) => a + r[1], 0)",
                                  marker)
        # Page and frame clocks are both absolute (timeOrigin + now), so they compare.
        return StepTiming(max(drawn, finished) - pressed, drawn - pressed, finished - pressed, received, sent, kinds)


def _describe(payload: str | None) -> str:
    if payload is None:
        return "text"
    message = ForwardMsg()
    message.ParseFromString(base64.b64decode(payload))
    kind: str = message.WhichOneof("type") or "empty"
    if kind == "delta":
        delta = message.delta.WhichOneof("type")
        kind = f"delta.{message.delta.new_element.WhichOneof('type')}" if delta == "new_element" else f"delta.{delta}"
    return kind


def open_on_day(page: Page, url: str, day: dt.date, window: int = 7) -> DashboardPage:
    """Open the dashboard on ``day`` with a ``window``-day window, the map scrolled into view."""
    dashboard = DashboardPage(page)
    dashboard.open(f"{url}?date={day.isoformat()}&window={window}")
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    return dashboard


def find_site_marker(dashboard: DashboardPage, site_name: str) -> Locator:
    """Return the marker of the site named ``site_name`` (found by its label, as the map shortens it)."""
    frame = dashboard.map_frame
    return frame.locator(".ab-site", has=frame.locator(".ab-label", has_text=shorten_site_name(site_name))).first
