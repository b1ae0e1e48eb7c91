"""Map elements whose output reaches the page as it is, never compiled as a Jinja template.

branca's ``MacroElement.render`` wraps each macro's output in ``branca.element.Element``,
which compiles that output as a new Jinja template and evaluates it when the page is
rendered. Any data text inside it (a site name, an export title) would then run as
template code on the server. The elements here put the macro output into the page as a
:class:`LiteralElement` instead, so the only template ever compiled is the fixed one the
class defines, and data enters it as a value.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement


class LiteralElement(Element):
    """A piece of page text that renders as itself.

    Parameters
    ----------
    text : str
        HTML or script text, already escaped for where it goes.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "LiteralElement"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged (no template pass)."""
        return self.text


class LiteralMacroElement(MacroElement):
    """A ``MacroElement`` whose ``header``, ``html`` and ``script`` macros render once, literally."""

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's MacroElement.render returns None too
        """Add the macros' output to the figure's header, body and script as literal text.

        Raises
        ------
        TypeError
            If the element is not inside a ``branca`` figure.
        """
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a Figure")
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(LiteralElement(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
