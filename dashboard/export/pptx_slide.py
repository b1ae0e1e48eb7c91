"""PowerPoint export: one 16:9 slide with the map picture (python-pptx), then its sources slides.

The title and marking are slide text, and the sources, with links, are in the speaker notes
and on the sources slides that follow the map (every footnote in full, with its link), after
each route's line (distance, flight time, countries crossed, closed airspace with its
sources; :mod:`dashboard.export.route_notes`), so
a deck shown without its notes still lets the audience check a symbol. The picture's
alternative text says what the map shows, for a screen reader and for a search.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.text.text import _Paragraph
from pptx.util import Emu, Inches, Length, Pt

from layers import Snapshot
from layers.sources import parse_source

from dashboard.export.briefing import SLIDE_WIDTH_IN, BriefingSpec, PageSize
from dashboard.export.errors import ExportError
from dashboard.export.export_style import use_export_style
from dashboard.export.footnotes import SITE_POSITIONS_NOTE
from dashboard.export.route_notes import ROUTE_NOTES_HEADING, RouteNote, build_route_notes
from dashboard.export.static_map import BriefingFigure, render_briefing_figure

SLIDE_HEIGHT_IN = 7.5
MARKING_IN = 0.3
TITLE_IN = 0.85
PICTURE_DPI = 200
TITLE_ONLY_LAYOUT = 5  # "Title Only" in python-pptx's default template
BLANK_LAYOUT = 6  # "Blank"
SOURCES_PER_SLIDE = 12  # footnotes of up to three lines each fill a slide at 9-10 pt
ROUTES_PER_SLIDE = 8  # a route's line and its closures' sources take up to four lines
ALT_TEXT_CHARS = 1500


def write_pptx(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write a one-slide presentation (13.333 x 7.5 in)."""
    presentation = start_presentation(spec)
    add_briefing_slide(presentation, snapshot, spec)
    presentation.save(str(path))


def start_presentation(spec: BriefingSpec) -> PresentationType:
    """Return an empty 16:9 presentation (13.333 x 7.5 in) with the spec's title and marking as properties."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    presentation.core_properties.title = spec.title
    presentation.core_properties.subject = spec.marking
    presentation.core_properties.author = "Airbridge"
    return presentation


def add_briefing_slide(presentation: PresentationType, snapshot: Snapshot, spec: BriefingSpec) -> None:
    """Add the briefing slide of ``snapshot``: title, marking, map picture and the sources in the notes."""
    picture_h = SLIDE_HEIGHT_IN - 2 * MARKING_IN - TITLE_IN
    page = PageSize(SLIDE_WIDTH_IN, picture_h, PICTURE_DPI)
    briefing = render_briefing_figure(snapshot, spec, page=page, with_title_block=False)
    image = io.BytesIO()
    with use_export_style():
        briefing.figure.savefig(image, format="png", dpi=PICTURE_DPI)
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY_LAYOUT])
    _write_title(slide, spec, briefing)
    _write_marking(slide, spec.marking, top_in=0.0)
    _write_marking(slide, spec.marking, top_in=SLIDE_HEIGHT_IN - MARKING_IN)
    image.seek(0)
    picture = slide.shapes.add_picture(image, Inches(0), Inches(MARKING_IN + TITLE_IN),
                                       width=Inches(SLIDE_WIDTH_IN), height=Inches(picture_h))
    picture.name = "Map"
    picture._element.nvPicPr.cNvPr.set("descr", describe_map(briefing))  # python-pptx has no alt-text API
    routes = build_route_notes(briefing.shown)
    _write_notes(slide, spec, briefing, routes)
    add_source_slides(presentation, spec, briefing, routes)


def describe_map(briefing: BriefingFigure) -> str:
    """Return the picture's alternative text: the subtitle, the places labelled and the routes drawn."""
    routes = briefing.shown.routes
    legs = list(dict.fromkeys(f"{row['from_name']} to {row['to_name']}" for _, row in routes.iterrows()))
    text = (f"Map: {briefing.subtitle}. Labelled places: {', '.join(briefing.labels) or 'none'}. "
            f"Routes drawn: {'; '.join(legs) or 'none'}. Sources: {len(briefing.footnotes)}, on the slides "
            "that follow and in the speaker notes.")
    return text.replace("\n", " ")[:ALT_TEXT_CHARS]


def add_source_slides(presentation: PresentationType, spec: BriefingSpec, briefing: BriefingFigure,
                      routes: Sequence[RouteNote] = ()) -> None:
    """Add slides after the map listing each route's line, then every footnote in full: number, outlet, link, claims.

    ``routes`` are :func:`build_route_notes` of what the map draws.
    """
    for start in range(0, len(routes), ROUTES_PER_SLIDE):
        slide = presentation.slides.add_slide(presentation.slide_layouts[BLANK_LAYOUT])
        _write_marking(slide, spec.marking, top_in=0.0)
        _write_marking(slide, spec.marking, top_in=SLIDE_HEIGHT_IN - MARKING_IN)
        box = slide.shapes.add_textbox(Inches(0.4), Inches(MARKING_IN + 0.1), Inches(SLIDE_WIDTH_IN - 0.8),
                                       Inches(SLIDE_HEIGHT_IN - 2 * MARKING_IN - 0.2))
        box.name = "Routes"
        frame = box.text_frame
        frame.word_wrap = True
        heading = frame.paragraphs[0].add_run()
        heading.text = f"{ROUTE_NOTES_HEADING}: {spec.title}, {briefing.subtitle}"
        heading.font.size, heading.font.bold = Pt(12), True
        for route in routes[start:start + ROUTES_PER_SLIDE]:
            paragraph = frame.add_paragraph()
            paragraph.space_before = Pt(4)
            _write_route(paragraph, route, size=Pt(10))
    notes = list(briefing.footnotes)
    pages = [notes[start:start + SOURCES_PER_SLIDE] for start in range(0, len(notes), SOURCES_PER_SLIDE)] or [[]]
    for index, page in enumerate(pages, start=1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[BLANK_LAYOUT])
        _write_marking(slide, spec.marking, top_in=0.0)
        _write_marking(slide, spec.marking, top_in=SLIDE_HEIGHT_IN - MARKING_IN)
        box = slide.shapes.add_textbox(Inches(0.4), Inches(MARKING_IN + 0.1), Inches(SLIDE_WIDTH_IN - 0.8),
                                       Inches(SLIDE_HEIGHT_IN - 2 * MARKING_IN - 0.2))
        box.name = "Sources"
        frame = box.text_frame
        frame.word_wrap = True
        heading = frame.paragraphs[0].add_run()
        more = f" ({index} of {len(pages)})" if len(pages) > 1 else ""
        heading.text = f"Sources{more}: {spec.title}, {briefing.subtitle}"
        heading.font.size, heading.font.bold = Pt(14), True
        for note in page:
            paragraph = frame.add_paragraph()
            paragraph.space_before = Pt(3)
            lead = paragraph.add_run()
            lead.text = f"{note.number}  {note.display}: "
            lead.font.size, lead.font.bold = Pt(10), True
            address = paragraph.add_run()
            address.text = note.source.ascii_url
            address.font.size = Pt(9)
            if note.is_link:
                address.hyperlink.address = note.url
            claims = paragraph.add_run()
            claims.text = f" - supports: {note.describe_claims()}"
            claims.font.size = Pt(9)
        if index == len(pages):
            closing = frame.add_paragraph().add_run()
            closing.text = SITE_POSITIONS_NOTE
            closing.font.size = Pt(9)


def _write_title(slide: Slide, spec: BriefingSpec, briefing: BriefingFigure) -> None:
    title = slide.shapes.title
    if title is None:
        raise ExportError(f"slide layout {TITLE_ONLY_LAYOUT} of the PowerPoint template has no title placeholder")
    title.left, title.top = Inches(0.2), Inches(MARKING_IN)
    title.width, title.height = Inches(SLIDE_WIDTH_IN - 0.4), Inches(TITLE_IN)
    frame = title.text_frame
    frame.word_wrap = True
    frame.text = spec.title
    heading = frame.paragraphs[0]
    heading.alignment = PP_ALIGN.LEFT
    heading.runs[0].font.size = Pt(26)
    heading.runs[0].font.bold = True
    subtitle = frame.add_paragraph()
    subtitle.alignment = PP_ALIGN.LEFT
    run = subtitle.add_run()
    run.text = briefing.subtitle
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _write_marking(slide: Slide, marking: str, top_in: float) -> None:
    box = slide.shapes.add_textbox(Inches(0), Inches(top_in), Inches(SLIDE_WIDTH_IN), Inches(MARKING_IN))
    box.name = "Marking"
    frame = box.text_frame
    frame.margin_top = frame.margin_bottom = Emu(0)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    run = paragraph.add_run()
    run.text = marking
    run.font.size = Pt(12)
    run.font.bold = True


def _write_notes(slide: Slide, spec: BriefingSpec, briefing: BriefingFigure, routes: Sequence[RouteNote]) -> None:
    """Speaker notes: title, marking, the time selection, then every footnote with its link.

    Each source is named as ``SourceNote.display`` shows it (with the host when the label
    does not name it) and its address is a live link only when it may be one.
    """
    frame = slide.notes_slide.notes_text_frame
    if frame is None:
        raise ExportError("the PowerPoint template's notes page has no text placeholder")
    frame.text = f"{spec.marking}. {spec.title}. {briefing.subtitle}."
    if routes:
        frame.add_paragraph().text = f"{ROUTE_NOTES_HEADING}:"
    for route in routes:
        _write_route(frame.add_paragraph(), route)
    heading = frame.add_paragraph()
    heading.text = "Sources for what the map shows (confidence grade of each claim in brackets):"
    for note in briefing.footnotes:
        paragraph = frame.add_paragraph()
        paragraph.add_run().text = f"[{note.number}] {note.display}: "
        address = paragraph.add_run()
        address.text = note.url
        if note.is_link:  # anything but an http(s) URL with a host stays plain text
            address.hyperlink.address = note.url
        paragraph.add_run().text = f" - supports: {note.describe_claims()}"
    frame.add_paragraph().text = SITE_POSITIONS_NOTE
    frame.add_paragraph().text = (f"Generated {spec.generated_at:%Y-%m-%d %H:%M} UTC by Airbridge "
                                  f"(python -m dashboard.export).")


def _write_route(paragraph: _Paragraph, route: RouteNote, *, size: Length | None = None) -> None:
    """Write a route's line, then each closure it flags with its sources, a link where one may be."""
    runs = [paragraph.add_run()]
    runs[0].text = route.text
    for name, sources in route.closures:
        runs.append(paragraph.add_run())
        runs[-1].text = f" | Closed airspace: {name}:"
        for source in map(parse_source, sources):
            runs.append(paragraph.add_run())
            runs[-1].text = f" {source.display} "
            address = paragraph.add_run()
            address.text = source.ascii_url
            if source.is_link:  # anything but an http(s) URL with a host stays plain text
                address.hyperlink.address = source.url
            runs.append(address)
    for run in runs:
        if size is not None:
            run.font.size = size
