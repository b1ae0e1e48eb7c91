"""The ADS-B layers in KML: tracks as ``gx:Track``, gaps, reach areas and last positions.

* A track is a ``gx:Track`` (a ``<when>`` and a ``<gx:coord>lon lat alt_m</gx:coord>`` per
  vertex, so Google Earth's time slider moves the aircraft along it), or a
  ``gx:MultiTrack`` of them, not joined, where the flight went dark: the track stops at the
  last position before a gap and starts again at the first after it
  (:func:`dashboard.export.track_parts.split_track_at_gaps`). Altitudes are barometric
  feet converted to metres; a part is drawn ``absolute`` when every vertex has an altitude,
  else on the ground (``clampToGround``), since an unknown altitude is not made up.
* A gap is a LineString from the last position to the next, styled ``gap-dashed`` in the
  gap colour. KML has no dash pattern, so Google Earth draws it solid: the colour and the
  style name tell it from the track. Its balloon lists the candidate airfields, most
  likely first, with the reasons for each.
* A reach area is a Polygon with a faint fill; a last position an arrow icon turned to the
  aircraft's track over ground.

Every text is escaped as the rest of the KML is (:mod:`dashboard.export.kml_markup`).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

import pandas as pd

from layers.missing import is_present
from layers.style import GAP_STYLE, POSITION_COLOUR, REACH_FILL_OPACITY, REACH_STYLE, TRACK_STYLE, TRACK_WIDTH
from layers.tracks.positions import FT_PER_M

from dashboard.export.kml_markup import add_markup, add_text, format_kml_colour, gx_tag, tag
from dashboard.export.track_parts import TrackPart, split_track_at_gaps

TRACK_LAYERS = ("reach", "track", "gap", "position")
ARROW_ICON = "http://earth.google.com/images/kml-icons/track-directional/track-0.png"  # points north
NO_HEADING_ICON = "http://earth.google.com/images/kml-icons/track-directional/track-none.png"
TRACK_FIELDS = ("icao24", "callsign", "flight_id", "start", "end", "positions", "shown_until", "duration_min",
                "distance_km", "implied_speed_kt", "assumed_speed_kt", "reach_km", "last_alt_ft", "next_alt_ft",
                "gap_id", "time", "altitude_ft", "on_ground", "ground_speed_kt", "track_deg")
"""ExtendedData fields of the ADS-B layers, after the common ones."""


def build_track_geometry(track: pd.Series, gaps: pd.DataFrame) -> ET.Element | None:
    """Return the ``gx:Track`` (or ``gx:MultiTrack`` when it has gaps) of a ``track`` row.

    Parameters
    ----------
    track : pandas.Series
        A row of the ``track`` layer.
    gaps : pandas.DataFrame
        The snapshot's ``gap`` layer, hidden or not: a track is never drawn across a gap.
    """
    parts = split_track_at_gaps(track, gaps)
    if not parts:
        return None
    if len(parts) == 1:
        return _build_gx_track(parts[0])
    multi = ET.Element(gx_tag("MultiTrack"))
    add_markup(multi, gx_tag("interpolate"), "0", qualified=True)
    for part in parts:
        multi.append(_build_gx_track(part))
    return multi


def _build_gx_track(part: TrackPart) -> ET.Element:
    track = ET.Element(gx_tag("Track"))
    known = all(v.altitude_ft is not None for v in part.vertices)
    add_markup(track, "altitudeMode", "absolute" if known else "clampToGround")
    for vertex in part.vertices:
        add_markup(track, "when", vertex.time)
    for vertex in part.vertices:
        metres = 0.0 if vertex.altitude_ft is None else vertex.altitude_ft / FT_PER_M
        add_markup(track, gx_tag("coord"), f"{vertex.lon:.5f} {vertex.lat:.5f} {metres:.0f}", qualified=True)
    return track


def choose_track_style_id(layer: str, row: pd.Series) -> str:
    """Return the shared style id of an ADS-B feature (a position's names its heading)."""
    if layer == "gap":
        return "gap-dashed"
    if layer == "reach":
        return "reach-dotted"
    if layer == "position":
        heading = row.get("track_deg")
        return f"position-{round(float(heading)) % 360}" if is_present(heading) else "position"
    return "track"


def fill_track_style(style: ET.Element, layer: str, row: pd.Series) -> None:
    """Add the line, fill or icon style of an ADS-B layer to ``style``."""
    if layer == "position":
        icon_style = ET.SubElement(style, tag("IconStyle"))
        add_text(icon_style, "color", format_kml_colour(POSITION_COLOUR, 1.0))
        add_text(icon_style, "scale", "1.2")
        heading = row.get("track_deg")
        if is_present(heading):
            add_text(icon_style, "heading", f"{round(float(heading)) % 360}")
        icon = ET.SubElement(icon_style, tag("Icon"))
        add_text(icon, "href", ARROW_ICON if is_present(heading) else NO_HEADING_ICON)
        return
    line_style = ET.SubElement(style, tag("LineStyle"))
    line = {"track": TRACK_STYLE, "gap": GAP_STYLE, "reach": REACH_STYLE}[layer]
    add_text(line_style, "color", format_kml_colour(line.colour, 1.0))
    add_text(line_style, "width", f"{TRACK_WIDTH if layer == 'track' else 2.0:g}")
    if layer == "reach":
        poly_style = ET.SubElement(style, tag("PolyStyle"))
        add_text(poly_style, "color", format_kml_colour(REACH_STYLE.colour, REACH_FILL_OPACITY))
    if layer == "track":  # the aircraft Google Earth moves along the gx:Track with the time slider
        icon_style = ET.SubElement(style, tag("IconStyle"))
        add_text(icon_style, "color", format_kml_colour(POSITION_COLOUR, 1.0))
        icon = ET.SubElement(icon_style, tag("Icon"))
        add_text(icon, "href", NO_HEADING_ICON)


def find_track_times(layer: str, row: pd.Series) -> tuple[object, object]:
    """Return the KML time (begin, end) of an ADS-B feature: when it was seen, or dark."""
    if layer == "position":
        return row["time"], None
    if layer == "track":
        return row["start"], row["shown_until"]
    return row["start"], row["end"]


def describe_track_feature(layer: str, row: pd.Series) -> str:
    """Return the HTML paragraphs an ADS-B feature's balloon starts with, every value escaped."""
    aircraft = _describe_aircraft(row)
    if layer == "track":
        seen = (f"{_time(row['start'])} to {_time(row['end'])}, {int(row['positions']):,} positions"
                + (f" (shown to {_time(row['shown_until'])})" if row["shown_until"] != row["end"] else ""))
        return _paragraph("Aircraft", aircraft) + _paragraph("Seen (ADS-B)", seen)
    if layer == "gap":
        dark = (f"{row['duration_min']:g} min, {_time(row['start'])} to {_time(row['end'])}; "
                f"{row['distance_km']:g} km from the last position to the next"
                + (f" (implied {row['implied_speed_kt']} kt)" if is_present(row["implied_speed_kt"]) else "")
                + f"; at up to {row['assumed_speed_kt']} kt it could fly {row['reach_km']:g} km")
        return (_paragraph("Aircraft", aircraft) + _paragraph("Went dark", dark)
                + _describe_candidates(list(row["candidates"] or [])))
    if layer == "reach":
        area = (f"the places it could fly to and on to its next position within the "
                f"{row['duration_min']:g} min gap ({row['reach_km']:g} km at its top speed)")
        return _paragraph("Aircraft", aircraft) + _paragraph("Could have landed in", area)
    state = ["on the ground" if row["on_ground"] else "airborne"]
    state.append(f"{row['altitude_ft']:,} ft" if is_present(row["altitude_ft"]) else "altitude not reported")
    if is_present(row["ground_speed_kt"]):
        state.append(f"{row['ground_speed_kt']} kt")
    state.append(f"track {row['track_deg']}°" if is_present(row["track_deg"]) else "track not reported")
    return _paragraph("Aircraft", aircraft) + _paragraph(f"Last position {_time(row['time'])}", ", ".join(state))


def _describe_candidates(candidates: list[dict]) -> str:
    if not candidates:
        return _paragraph("Where it could have landed", "no airfield within reach")
    items = []
    for candidate in candidates:
        code = ", ".join(str(part) for part in (candidate.get("icao"), candidate.get("id")) if part)
        reasons = "; ".join(str(reason) for reason in candidate.get("reasons") or [])
        items.append(f"<li><b>{html.escape(str(candidate.get('name')))}</b> ({html.escape(code)}), score "
                     f"{html.escape(str(candidate.get('score')))}: {html.escape(reasons)}</li>")
    return f"<p><b>Where it could have landed, most likely first:</b></p><ol>{''.join(items)}</ol>"


def _describe_aircraft(row: pd.Series) -> str:
    parts = [str(row[key]) for key in ("registration", "callsign") if is_present(row.get(key))]
    if is_present(row.get("aircraft_type")):
        parts.append(str(row["aircraft_type"]))
    if is_present(row.get("icao24")):
        parts.append(f"Mode S {row['icao24']}")
    return ", ".join(parts) or "not identified"


def _paragraph(label: str, text: str) -> str:
    return f"<p><b>{html.escape(label)}:</b> {html.escape(text)}</p>"


def _time(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%SZ")  # type: ignore[arg-type]
