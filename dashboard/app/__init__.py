"""The Streamlit page: the only code that imports streamlit (page, widgets, caching, URL state)."""
