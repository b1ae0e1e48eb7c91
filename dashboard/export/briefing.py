"""What a briefing export shows: the time selection, title, marking, extent, page size and format."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from layers import LAYER_NAMES, TimeSelection
from layers.extents import DEFAULT_EXTENT, EXTENTS, Extent, parse_extent
from layers.filters import NO_FILTERS, Filters
from layers.geodesic import WGS84
from layers.text import MAX_TITLE_CHARS, find_forbidden_character

from dashboard.export.errors import ExportInputError
from dashboard.export.formats import FORMATS
from dashboard.webmap.basemaps import BASEMAPS

DEFAULT_TITLE = "Russian military air bridge to eastern Libya"
DEFAULT_MARKING = "UNCLASSIFIED // OPEN SOURCE"
SLIDE_WIDTH_IN = 13.333  # a 16:9 PowerPoint slide is 13.333 x 7.5 in
MIN_PIXELS, MAX_PIXELS = 800, 8000
MIN_ASPECT, MAX_ASPECT = 1.2, 2.4  # the slide layout needs a landscape page
SIZE_PATTERN = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")
MIN_EXTENT_KM = 5.0  # narrower than this, the map holds one symbol
MAX_EXTENT_LON, MAX_EXTENT_LAT = 180.0, 90.0  # a hemisphere


@dataclass(frozen=True)
class PageSize:
    """The physical page of a map export: inches, and the pixel density of raster output.

    Text is set in points, so any two pages of the same width in inches have the same
    layout; ``from_pixels`` keeps the slide width (13.333 in) and changes the density.
    """

    width_in: float
    height_in: float
    dpi: float

    @classmethod
    def from_pixels(cls, width: int, height: int) -> PageSize:
        """Return the page of a ``width`` x ``height`` pixel image (16:9 slide layout).

        Raises
        ------
        ExportInputError
            If the size is outside 800-8000 px or not landscape between 1.2:1 and 2.4:1.
        """
        if not (MIN_PIXELS <= width <= MAX_PIXELS and MIN_PIXELS * 9 // 16 <= height <= MAX_PIXELS):
            raise ExportInputError(
                f"size {width}x{height}: give a width of {MIN_PIXELS}-{MAX_PIXELS} px and a height of "
                f"{MIN_PIXELS * 9 // 16}-{MAX_PIXELS} px, e.g. 1920x1080")
        if not MIN_ASPECT <= width / height <= MAX_ASPECT:
            raise ExportInputError(
                f"size {width}x{height}: the briefing layout needs a landscape page between "
                f"{MIN_ASPECT}:1 and {MAX_ASPECT}:1 (16:9 is 1920x1080, A4 landscape is 1754x1240)")
        dpi = width / SLIDE_WIDTH_IN
        return cls(SLIDE_WIDTH_IN, height / dpi, dpi)

    @property
    def pixels(self) -> tuple[int, int]:
        """(width, height) of a raster export in pixels."""
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)

    def describe(self) -> str:
        """Say the size in words, e.g. ``1920x1080 px``."""
        width, height = self.pixels
        return f"{width}x{height} px ({self.width_in:.2f} x {self.height_in:.2f} in)"


SLIDE_16_9 = PageSize.from_pixels(1920, 1080)
A4_LANDSCAPE = PageSize(11.693, 8.268, 150.0)  # 297 x 210 mm


def parse_size(text: str) -> PageSize:
    """Parse ``WxH`` in pixels (``1920x1080``), or ``a4`` for A4 landscape.

    Raises
    ------
    ExportInputError
        With the form to write instead.
    """
    if text.strip().lower() in {"a4", "a4-landscape"}:
        return A4_LANDSCAPE
    match = SIZE_PATTERN.match(text)
    if not match:
        raise ExportInputError(f"size {text!r}: write WIDTHxHEIGHT in pixels, e.g. 1920x1080, or a4")
    return PageSize.from_pixels(int(match[1]), int(match[2]))


def check_caption(text: str, what: str) -> str:
    """Return ``text`` when it may be an export's title or marking, else say what to fix.

    Both are printed on every page and slide and written into every file's metadata, so
    they follow the rules of all free text (``layers.text``) and must fit a slide banner.

    Parameters
    ----------
    text : str
        The title or marking as the analyst typed it.
    what : str
        How to name the field in the message, e.g. ``the title`` or ``--marking``.

    Raises
    ------
    ExportInputError
        If ``text`` is blank, longer than ``MAX_TITLE_CHARS`` or holds a character that
        ``layers.text.find_forbidden_character`` refuses (control or bidirectional).

    Examples
    --------
    >>> check_caption("Air bridge to Libya", "the title")
    'Air bridge to Libya'
    """
    if not text.strip():
        raise ExportInputError(f"{what} is empty: type the text to print on the slide")
    if len(text) > MAX_TITLE_CHARS:
        raise ExportInputError(f"{what} is {len(text)} characters long: shorten it to at most "
                               f"{MAX_TITLE_CHARS} (it must fit the slide's banner)")
    forbidden = find_forbidden_character(text)
    if forbidden is not None:
        at, description = forbidden
        raise ExportInputError(f"{what} holds a {description} at character {at + 1}: remove that "
                               "character (it can hide or reorder text)")
    return text


def check_basemap(name: str) -> str:
    """Return ``name`` when it is a key of ``dashboard.webmap.basemaps.BASEMAPS``, else say which are.

    Raises
    ------
    ExportInputError
        Listing the basemap names.
    """
    if name not in BASEMAPS:
        raise ExportInputError(f"unknown basemap {name!r}: use one of {', '.join(BASEMAPS)}")
    return name


def resolve_extent(text: str) -> tuple[Extent, str]:
    """Return the extent for a preset name or ``W,S,E,N``, and its name for captions.

    Raises
    ------
    ExportInputError
        If the text is neither a preset nor a sensible box.
    """
    try:
        extent = parse_extent(text.strip())
    except ValueError as exc:
        raise ExportInputError(str(exc)) from None
    name = text.strip() if text.strip() in EXTENTS else "custom"
    return check_extent_size(extent, text.strip()), name


def check_extent_size(extent: Extent, text: str) -> Extent:
    """Return ``extent`` when a briefing map can show it, else say why not.

    A box narrower or shorter than ``MIN_EXTENT_KM`` shows no more than one symbol (the
    slide would be empty); one wider than 180 degrees of longitude or taller than 90 of
    latitude is more than a hemisphere, which no conformal projection draws in one piece.

    Raises
    ------
    ExportInputError
        Naming the measured size and the limit.

    Examples
    --------
    >>> check_extent_size(EXTENTS["syria"], "syria").west
    34.5
    """
    lat = (extent.south + extent.north) / 2
    width_km = WGS84.line_length([extent.west, extent.east], [lat, lat]) / 1000
    height_km = WGS84.line_length([extent.west, extent.west], [extent.south, extent.north]) / 1000
    if extent.east - extent.west > MAX_EXTENT_LON or extent.north - extent.south > MAX_EXTENT_LAT:
        raise ExportInputError(f"extent {text} spans {extent.east - extent.west:g} x {extent.north - extent.south:g}"
                               f" degrees: more than a hemisphere ({MAX_EXTENT_LON:g} degrees of longitude, "
                               f"{MAX_EXTENT_LAT:g} of latitude) cannot be drawn in one conformal map")
    if min(width_km, height_km) < MIN_EXTENT_KM:
        raise ExportInputError(f"extent {text} is {width_km:.1f} x {height_km:.1f} km: a briefing map needs at "
                               f"least {MIN_EXTENT_KM:g} km each way (widen the box)")
    return extent


@dataclass(frozen=True)
class BriefingSpec:
    """Everything that decides what an export shows, apart from the data.

    Parameters
    ----------
    selection : TimeSelection
        The date and flight window.
    format : str
        A key of ``FORMATS`` (``png``, ``pdf``, ``pptx``, ``html``, ``kml``, ``gpkg``, ``geojson``).
    title, marking : str
        Title of the slide and the marking line shown at its top and bottom; see
        :func:`check_caption` for what they may hold.
    extent : Extent
        The map frame (map formats only; data formats export everything visible).
    extent_name : str
        ``theatre``, ``syria``, ``libya``, ``route``, ``view`` or ``custom``, for captions.
    size : PageSize or None
        None for the format's default: A4 landscape for PDF, 1920x1080 otherwise.
    visible_layers : frozenset of str
        The layers shown (``site``, ``route``, ``flight``, ``corridor``, ``event``); hidden
        layers are left out of every format.
    basemap : str
        The basemap the analyst picked on the live map (interactive HTML and snapshot as seen).
    filters : Filters
        The filters the data was drawn with (``layers.filters.apply_filters``, applied by
        the caller before the snapshot is built); named in the subtitle and the metadata.
    generated_at : datetime.datetime
        When the product was made (UTC); fixed in tests so output is repeatable.
    """

    selection: TimeSelection
    format: str = "png"
    title: str = DEFAULT_TITLE
    marking: str = DEFAULT_MARKING
    extent: Extent = EXTENTS[DEFAULT_EXTENT]
    extent_name: str = DEFAULT_EXTENT
    size: PageSize | None = None
    visible_layers: frozenset[str] = frozenset(LAYER_NAMES)
    basemap: str = "natural_earth"
    filters: Filters = NO_FILTERS
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ExportInputError(f"format {self.format!r}: use one of {', '.join(FORMATS)}")
        check_caption(self.title, "the title")
        check_caption(self.marking, "the marking")
        unknown = set(self.visible_layers) - set(LAYER_NAMES)
        if unknown:
            raise ExportInputError(f"unknown layers {sorted(unknown)}: use {', '.join(LAYER_NAMES)}")
        if self.generated_at.tzinfo is None:
            raise ExportInputError("generated_at must be timezone-aware (UTC)")
        check_basemap(self.basemap)

    @property
    def page(self) -> PageSize:
        """The page size in force: the given size, else the format's default."""
        if self.size is not None:
            return self.size
        return A4_LANDSCAPE if self.format == "pdf" else SLIDE_16_9

    @property
    def suffix(self) -> str:
        """The file suffix of the format, e.g. ``.png``."""
        return FORMATS[self.format].suffix
