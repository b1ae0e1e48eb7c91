/* Airbridge (generated, not from npm): point L.Icon.Default at the vendored Leaflet
 * images. Leaflet 1.9.3 guesses the folder from leaflet.css; when the CSS is not applied
 * yet (streamlit-folium inserts the stylesheets after the scripts) its fallback drops the
 * "images/" part and default markers 404. Loaded right after leaflet.js by
 * dashboard/webmap/vendor_assets.py:localise_links(). Does nothing when inlined (no src). */
(function () {
  var s = document.currentScript;
  if (!s || !s.src || typeof L === "undefined") { return; }
  L.Icon.Default.imagePath = new URL("../leaflet@1.9.3/dist/images/", s.src).href;
})();
