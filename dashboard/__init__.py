"""Airbridge live dashboard: the Streamlit page, its folium map and the exports."""
