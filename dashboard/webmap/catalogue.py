"""The catalogue: every text, geometry and site symbol the map can show, numbered once.

A state refers to catalogue entries by number (``dashboard.webmap.map_contract``), so a
slider step does not re-send what the browser already holds. How a state refers is a
:class:`References`: :class:`CatalogueBuilder` numbers new entries while the catalogue is
built, :class:`StateReferences` looks entries up in a finished catalogue (anything missing
is sent inline), and :class:`InlineReferences` sends everything inline.

No Streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from layers.escaping import dump_script_json

from dashboard.webmap.map_contract import CataloguePayload, Geometry, GeometryRef, SymbolRef, TextRef
from dashboard.webmap.symbols import build_event_symbol, build_observation_symbol


class References(Protocol):
    """How encoded features refer to texts, geometries and symbols."""

    def text(self, html: str) -> TextRef:
        """Return the number of ``html`` in the catalogue, or the text itself."""

    def geometry(self, coords: Geometry) -> GeometryRef:
        """Return the number of ``coords`` in the catalogue, or the coordinates themselves."""

    def symbol(self, key: str, svg: str) -> SymbolRef:
        """Return the number of the symbol ``key`` (drawn as ``svg``) in the catalogue, or the SVG."""


@dataclass
class CatalogueBuilder:
    """Collects texts, geometries and symbols, numbering each distinct one once."""

    texts: list[str] = field(default_factory=list)
    geometries: list[Geometry] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)
    _text_numbers: dict[str, int] = field(default_factory=dict)
    _geometry_numbers: dict[str, int] = field(default_factory=dict)
    _symbol_numbers: dict[str, int] = field(default_factory=dict)

    def text(self, html: str) -> int:
        """Add ``html`` if new; return its number."""
        if html not in self._text_numbers:
            self._text_numbers[html] = len(self.texts)
            self.texts.append(html)
        return self._text_numbers[html]

    def geometry(self, coords: Geometry) -> int:
        """Add the coordinates if new; return their number."""
        key = json.dumps(coords)
        if key not in self._geometry_numbers:
            self._geometry_numbers[key] = len(self.geometries)
            self.geometries.append(coords)
        return self._geometry_numbers[key]

    def symbol(self, key: str, svg: str) -> int:
        """Add the symbol if new; return its number."""
        if key not in self._symbol_numbers:
            self._symbol_numbers[key] = len(self.symbols)
            self.symbols.append(svg)
        return self._symbol_numbers[key]

    def build(self, legend_html: str, scrub: Mapping[str, Any] | None = None,
              tools: Mapping[str, Any] | None = None) -> Catalogue:
        """Return the finished, immutable catalogue.

        ``scrub`` is the scrub index (``dashboard.webmap.scrub_index``), ``tools`` the measuring
        tools' table (``dashboard.webmap.measure_tools``).
        """
        return Catalogue(tuple(self.texts), tuple(self.geometries), tuple(self.symbols), legend_html,
                         dict(self._text_numbers), dict(self._geometry_numbers), dict(self._symbol_numbers), scrub,
                         tools)


@dataclass(frozen=True)
class Catalogue:
    """Numbered texts (escaped HTML), geometries and site symbols, the legend, and the scrub index (or None)."""

    texts: tuple[str, ...]
    geometries: tuple[Geometry, ...]
    symbols: tuple[str, ...]
    legend: str
    text_numbers: Mapping[str, int]
    geometry_numbers: Mapping[str, int]
    symbol_numbers: Mapping[str, int]
    scrub: Mapping[str, Any] | None = None
    tools: Mapping[str, Any] | None = None

    def to_payload(self) -> CataloguePayload:
        """Return the JSON-ready catalogue the map's script reads (names: ``map_contract``)."""
        return {"texts": list(self.texts), "geoms": list(self.geometries), "symbols": list(self.symbols),
                "legend": self.legend, "stars": {"now": build_event_symbol(True), "past": build_event_symbol(False)},
                "eye": build_observation_symbol(),
                "scrub": dict(self.scrub) if self.scrub is not None else None,
                "tools": dict(self.tools) if self.tools is not None else None}

    def to_json(self) -> str:
        """Return the catalogue as compact JSON (safe to embed in a script element)."""
        return dump_script_json(self.to_payload())

    def symbol_keys(self) -> list[str]:
        """Return the symbols' keys in catalogue order (what :meth:`from_payload` needs besides the payload)."""
        return sorted(self.symbol_numbers, key=self.symbol_numbers.__getitem__)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], symbol_keys: list[str]) -> Catalogue:
        """Return the catalogue that :meth:`to_payload` gave ``payload``, its symbols keyed by ``symbol_keys``.

        Raises
        ------
        ValueError
            If the payload lacks a part or the keys do not match its symbols.
        """
        try:
            texts = tuple(str(text) for text in payload["texts"])
            geometries = tuple(payload["geoms"])
            symbols = tuple(str(svg) for svg in payload["symbols"])
            legend = str(payload["legend"])
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a catalogue payload: {error!r}") from error
        if len(symbol_keys) != len(symbols):
            raise ValueError(f"{len(symbol_keys)} symbol keys for {len(symbols)} symbols")
        return cls(texts, geometries, symbols, legend, {text: n for n, text in enumerate(texts)},
                   {json.dumps(coords): n for n, coords in enumerate(geometries)},
                   {key: n for n, key in enumerate(symbol_keys)}, payload.get("scrub"), payload.get("tools"))


@dataclass(frozen=True)
class StateReferences:
    """References into a finished catalogue; anything missing is sent inline."""

    catalogue: Catalogue

    def text(self, html: str) -> TextRef:
        """Return the catalogue number of ``html``, or ``html`` itself."""
        return self.catalogue.text_numbers.get(html, html)

    def geometry(self, coords: Geometry) -> GeometryRef:
        """Return the catalogue number of the coordinates, or the coordinates themselves."""
        return self.catalogue.geometry_numbers.get(json.dumps(coords), coords)

    def symbol(self, key: str, svg: str) -> SymbolRef:
        """Return the catalogue number of the symbol ``key``, or its SVG."""
        return self.catalogue.symbol_numbers.get(key, svg)


class InlineReferences:
    """No references: every text, geometry and symbol is sent as it is."""

    def text(self, html: str) -> TextRef:
        """Return ``html``."""
        return html

    def geometry(self, coords: Geometry) -> GeometryRef:
        """Return the coordinates."""
        return coords

    def symbol(self, key: str, svg: str) -> SymbolRef:
        """Return the SVG."""
        return svg
