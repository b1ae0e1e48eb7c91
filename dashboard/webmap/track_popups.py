"""Popup, tooltip and label HTML of the ADS-B layers: tracks, gaps, reach areas, last positions.

Also the part of a flight popup that only flights made from tracks have: the inferred
origin and destination with their candidate airfields, and the reasons in ``notes`` one
per line. Every data text goes through :func:`layers.escaping.escape_text` (through the
blocks of :mod:`dashboard.webmap.popup_blocks`); callsigns and registrations come from
files the analyst did not write and are never trusted as markup.

No Streamlit here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from layers.escaping import escape_text
from layers.missing import is_present
from layers.tracks.gaps import MIN_GROUND_MINUTES

from dashboard.webmap.popup_blocks import (
    wrap,
    write_confidence,
    write_heading,
    write_meta_line,
    write_provenance,
    write_row,
    write_sources,
)

__all__ = [
    "MAX_CANDIDATES_SHOWN", "build_gap_popup", "build_position_label", "build_position_popup", "build_reach_popup",
    "build_track_flight_rows", "build_track_popup", "build_track_tooltip", "describe_minutes", "describe_utc",
    "is_track_flight",
]

MAX_CANDIDATES_SHOWN = 5
"""Candidate airfields listed in a popup; the rest are counted ("and 3 more")."""
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-Z])")


def describe_utc(value: object, *, seconds: bool = False) -> str:
    """Return an ISO time as ``26 Dec 2024 18:32 UTC`` (with ``:30`` seconds when asked; nothing when missing)."""
    stamp = _read_time(value)
    if stamp is None:
        return "" if not is_present(value) else str(value)
    return f"{_describe_day(stamp)} {stamp.strftime('%H:%M:%S' if seconds else '%H:%M')} UTC"


def describe_minutes(minutes: object) -> str:
    """Return a duration as ``40 min`` or ``1 h 05 min``."""
    if not is_present(minutes):
        return ""
    value = float(minutes)  # type: ignore[arg-type]
    if value < 60:
        return f"{value:.0f} min"
    hours, rest = divmod(round(value), 60)
    return f"{hours} h {rest:02d} min"


def build_position_label(position: Mapping[str, Any]) -> str:
    """Return the short label beside an aircraft's position: registration, else callsign, else ICAO address."""
    for key in ("registration", "callsign", "icao24"):
        if is_present(position.get(key)) and str(position[key]).strip():
            return escape_text(str(position[key]).strip())
    return "aircraft"


def build_track_popup(track: Mapping[str, Any]) -> str:
    """Return the popup of a flown track: aircraft, callsign, flight id, times, positions, sources."""
    shown_until = track.get("shown_until")
    positions = track.get("positions")
    parts = [write_heading(track.get("name")), write_meta_line(["ADS-B track (flown, as received)",
                                                                 _describe_day(track.get("start"))]),
             _aircraft_row(track), write_row("Callsign", track.get("callsign")),
             write_row("Flight", track.get("flight_id")),
             write_row("First position", describe_utc(track.get("start"))),
             write_row("Last position", describe_utc(track.get("end")))]
    if is_present(shown_until) and shown_until != track.get("end"):
        parts.append(write_row("Drawn up to", f"{describe_utc(shown_until)} (the end of the selected day)"))
    if is_present(positions):
        parts.append(write_row("Positions", f"{int(positions):,} received; the line is thinned for display"))
    return _finish(parts, track)


def build_gap_popup(gap: Mapping[str, Any]) -> str:
    """Return the popup of a gap: how long, where it was last and next seen, and where it may have landed."""
    duration = describe_minutes(gap.get("duration_min"))
    parts = [write_heading(f"Went dark for {duration}" if duration else "Went dark"),
             write_meta_line([_describe_aircraft(gap), "no positions received"]),
             write_row("Last seen", _describe_fix(gap.get("start"), gap.get("last_alt_ft"))),
             write_row("Seen again", _describe_fix(gap.get("end"), gap.get("next_alt_ft")))]
    distance, implied = gap.get("distance_km"), gap.get("implied_speed_kt")
    if is_present(distance):
        speed = f" (implied {int(implied):,} kt)" if is_present(implied) else ""
        parts.append(write_row("Distance", f"{float(distance):,.0f} km between the two{speed}"))
    parts.append(write_row("Assumed top speed", _kt(gap.get("assumed_speed_kt"))))
    parts.append(write_row("Reach", _km(gap.get("reach_km"), "flyable while dark (last position → an airfield → "
                                                              "next position)")))
    parts.append(_list_gap_candidates(gap.get("candidates")))
    return _finish(parts, gap)


def build_reach_popup(reach: Mapping[str, Any]) -> str:
    """Return the popup of a reach area: what the outline means, for how long, how far."""
    reach_km = reach.get("reach_km")
    note = ("Inside this outline lie the airfields it could have flown to from its last position, landed at "
            f"for {MIN_GROUND_MINUTES:g} min and left for where it was seen again, in the time dark at the "
            "assumed top speed. It shows what was possible, not where the aircraft went.")
    parts = [write_heading(reach.get("name")), write_meta_line([_describe_aircraft(reach), "reach while dark"]),
             f'<p class="ab-note">{escape_text(note)}</p>',
             write_row("Dark", _describe_span(reach.get("start"), reach.get("end"), reach.get("duration_min"))),
             write_row("Flyable distance", _km(reach_km, "in all"))]
    return _finish(parts, reach)


def build_position_popup(position: Mapping[str, Any]) -> str:
    """Return the popup of an aircraft's last position up to the date."""
    on_ground = bool(position.get("on_ground"))
    altitude = "on the ground" if on_ground else _ft(position.get("altitude_ft"))
    heading = position.get("track_deg")
    parts = [write_heading(position.get("name")), write_meta_line(["Last position up to the date", "ADS-B"]),
             write_row("Seen at", describe_utc(position.get("time"), seconds=True)),
             write_row("Altitude", altitude or "not reported"),
             write_row("Ground speed", _kt(position.get("ground_speed_kt"))),
             write_row("Heading", f"{int(heading)}°" if is_present(heading) else "not reported"),
             write_row("Callsign", position.get("callsign")), _aircraft_row(position),
             write_row("Flight", position.get("flight_id"))]
    return _finish(parts, position)


def build_track_tooltip(properties: Mapping[str, Any]) -> str:
    """Return the hover text of a track, gap, reach area or position (escaped HTML)."""
    layer = properties.get("layer")
    name = f"<b>{escape_text(properties.get('name'))}</b>"
    if layer == "track":
        return f"{name}<br>ADS-B track, {escape_text(_describe_span(properties.get('start'), properties.get('end')))}"
    if layer == "gap":
        return f"{name}<br>no positions, {escape_text(_describe_span(properties.get('start'), properties.get('end')))}"
    if layer == "reach":
        return f"{name}<br>{escape_text(_km(properties.get('reach_km'), 'flyable while dark'))}"
    return f"{name}<br>last seen {escape_text(describe_utc(properties.get('time')))}"


def is_track_flight(flight: Mapping[str, Any]) -> bool:
    """Whether a flight-layer row was made from an ADS-B track (it has an aircraft address)."""
    return is_present(flight.get("icao24")) and bool(str(flight.get("icao24")))


def build_track_flight_rows(flight: Mapping[str, Any]) -> list[str]:
    """Return the rows a flight made from a track adds: times, inferred ends and their candidates, reasons."""
    parts = [write_row("Callsign", flight.get("callsign")),
             write_row("ICAO address", flight.get("icao24")),
             write_row("Seen", _describe_span(flight.get("start"), flight.get("end")))]
    for role, label in (("origin", "From (inferred from the track)"), ("destination", "To (inferred from the track)")):
        parts.append(write_row(label, _describe_end(flight.get(f"{role}_name"), flight.get(role))))
        parts.append(_list_end_candidates(flight.get(f"{role}_candidates")))
    notes = [line for line in _SENTENCE_END.split(str(flight.get("notes") or "")) if line.strip()]
    if notes:
        parts.append('<div class="ab-reasons-block"><b>How it was inferred:</b><ul class="ab-reasons">'
                     + "".join(f"<li>{escape_text(line)}</li>" for line in notes) + "</ul></div>")
    return parts


def _finish(parts: list[str], properties: Mapping[str, Any]) -> str:
    return wrap([*parts, write_confidence(properties.get("confidence")),
                 write_sources("Sources", properties.get("sources")), write_provenance(properties.get("provenance"))])


def _aircraft_row(properties: Mapping[str, Any]) -> str:
    described = " ".join(str(properties[k]) for k in ("aircraft_type", "registration") if is_present(properties.get(k)))
    address = properties.get("icao24")
    if is_present(address):
        described = f"{described}, ICAO address {address}" if described else f"ICAO address {address}"
    return write_row("Aircraft", described or "not identified")


def _describe_aircraft(properties: Mapping[str, Any]) -> str:
    for key in ("registration", "callsign", "icao24"):
        if is_present(properties.get(key)):
            return str(properties[key])
    return ""


def _read_time(value: object) -> pd.Timestamp | None:
    if not is_present(value):
        return None
    try:
        return pd.Timestamp(str(value))
    except ValueError:
        return None


def _describe_day(value: object) -> str:
    stamp = value if isinstance(value, pd.Timestamp) else _read_time(value)
    return f"{stamp.day} {stamp:%b %Y}" if stamp is not None else ""


def _describe_fix(time: object, altitude: object) -> str:
    when = describe_utc(time, seconds=True)
    height = _ft(altitude)
    return f"{when} at {height}" if height else f"{when}, altitude not reported"


def _describe_span(start: object, end: object, minutes: object = None) -> str:
    first, last = describe_utc(start), describe_utc(end)
    if first and last and _describe_day(start) == _describe_day(end):
        last = last.removeprefix(_describe_day(end) + " ")  # same day: "26 Dec 2024 18:32 UTC – 19:12 UTC"
    span = " – ".join(part for part in (first, last) if part)
    duration = describe_minutes(minutes)
    return f"{span} ({duration})" if duration and span else span


def _describe_end(name: object, ref: object) -> str:
    if not is_present(name):
        return ""
    return f"{name} ({ref})" if is_present(ref) and str(ref) != str(name) else str(name)


def _ft(value: object) -> str:
    return f"{int(value):,} ft" if is_present(value) else ""  # type: ignore[call-overload]


def _kt(value: object) -> str:
    return f"{int(value):,} kt" if is_present(value) else ""  # type: ignore[call-overload]


def _km(value: object, words: str) -> str:
    return f"{float(value):,.0f} km {words}" if is_present(value) else ""  # type: ignore[arg-type]


def _list_gap_candidates(candidates: object) -> str:
    listed = _as_list(candidates)
    if not listed:
        return '<p><b>Where it may have landed:</b> no airfield within reach</p>'
    items = []
    for candidate in listed[:MAX_CANDIDATES_SHOWN]:
        codes = ", ".join(str(c) for c in dict.fromkeys((candidate.get("icao"), candidate.get("id"))) if is_present(c))
        score = candidate.get("score")
        reasons = "".join(f"<li>{escape_text(reason)}</li>" for reason in _as_list(candidate.get("reasons")))
        listed_reasons = f'<ul class="ab-reasons">{reasons}</ul>' if reasons else ""
        code_text = f" ({escape_text(codes)})" if codes else ""
        score_text = f", score {float(score):.2f}" if is_present(score) else ""
        items.append(f"<li><b>{escape_text(candidate.get('name'))}</b>{code_text}{score_text}{listed_reasons}</li>")
    return ('<div class="ab-candidates-block"><b>Where it may have landed</b> (best first):'
            f'<ol class="ab-candidates">{"".join(items)}</ol>{_count_more(len(listed))}</div>')


def _list_end_candidates(candidates: object) -> str:
    listed = _as_list(candidates)
    if not listed:
        return ""
    items = []
    for candidate in listed[:MAX_CANDIDATES_SHOWN]:
        codes = ", ".join(str(c) for c in dict.fromkeys((candidate.get("icao"), candidate.get("id"))) if is_present(c))
        distance = candidate.get("distance_km")
        far = f", {float(distance):,.1f} km away" if is_present(distance) else ""
        items.append(f"<li>{escape_text(candidate.get('name'))}{f' ({escape_text(codes)})' if codes else ''}"
                     f"{escape_text(far)}</li>")
    return (f'<div class="ab-candidates-block">Candidates:<ol class="ab-candidates">{"".join(items)}</ol>'
            f"{_count_more(len(listed))}</div>")


def _count_more(count: int) -> str:
    more = count - MAX_CANDIDATES_SHOWN
    return f'<p class="ab-small">and {more} more</p>' if more > 0 else ""


def _as_list(value: object) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    if value is not None and hasattr(value, "tolist"):
        return list(value.tolist())
    return []
