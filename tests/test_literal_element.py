"""Airbridge's map elements put their output into the page once, never through a second template pass."""

from __future__ import annotations

import folium
from folium.template import Template

from dashboard.webmap.folium_map import AirbridgeState
from dashboard.webmap.literal_element import LiteralMacroElement


class Echo(LiteralMacroElement):
    _template = Template("{% macro script(this, kwargs) %}var t = {{ this.text }};{% endmacro %}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def render_with(element) -> str:
    folium_map = folium.Map(tiles=None)
    element.add_to(folium_map)
    return folium_map.get_root().render()


def test_template_text_in_an_element_is_not_evaluated() -> None:
    page = render_with(Echo("{{ 7*7 }} {% raw %} {# x"))
    assert "var t = {{ 7*7 }} {% raw %} {# x;" in page


def test_a_command_in_an_element_does_not_run(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    render_with(Echo("{{ lipsum.__globals__.os.mkdir(dict(pwned=1)|first) }}"))
    assert not (tmp_path / "pwned").exists()


def test_map_state_text_reaches_the_page_as_escaped_json() -> None:
    page = render_with(AirbridgeState({"caption": "{{ 7*7 }}"}))
    assert 'Airbridge.update({"caption":"\\u007b{ 7*7 }}"});' in page
