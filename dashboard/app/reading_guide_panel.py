"""The page's "How to read this map" panel: statuses, grades, record types, windows, sourcing policy."""

from __future__ import annotations

import streamlit as st

from layers.escaping import escape_markdown

from dashboard.webmap.reading_guide import build_reading_guide

GUIDE_TITLE = "How to read this map"


def render_reading_guide() -> None:
    """Draw the folded guide; every term and explanation goes through :func:`escape_markdown`."""
    with st.expander(GUIDE_TITLE, expanded=False):
        for section in build_reading_guide():
            st.markdown(f"**{escape_markdown(section.title)}**")
            lines = [f"- **{escape_markdown(term)}**: {escape_markdown(text)}" if term
                     else f"- {escape_markdown(text)}" for term, text in section.rows]
            st.markdown("\n".join(lines))
