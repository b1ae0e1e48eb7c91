"""The folium/Leaflet map renderer: base map, catalogue, per-date state, popups, symbols, script and style.

No Streamlit here: the live page and the HTML exports draw with it alike.
"""
