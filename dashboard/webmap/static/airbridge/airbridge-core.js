/*
 * Airbridge map: draws the catalogue + state built by dashboard/webmap/map_payload.py on
 * a Leaflet map created by folium (dashboard/webmap/folium_map.py).
 *
 *   Airbridge.init(map, options)   once, from the base map's script
 *   Airbridge.update(state)        on every date: redraws the overlay layers
 *
 * The code is in these files, loaded in this order (LIBRARY_FILES in
 * dashboard/webmap/static_files.py), linked by the live page and inlined by the export:
 *
 *   airbridge-core.js     this file: the names Python sends, shared state, references
 *   airbridge-base.js     init and update, base layers, controls, reports to Streamlit
 *   airbridge-layers.js   the features of a state, the view (layers, basemap, focus)
 *   airbridge-sync.js     a kind's layers kept in step with a date's features (kept, refreshed, built)
 *   airbridge-tracks.js   the ADS-B features: tracks, gaps, reach areas, last positions
 *   airbridge-observations.js  what sources saw at a place: an eye beside the site
 *   airbridge-labels.js   placement of the site, named place and aircraft labels
 *   airbridge-layout.js   the boxes over the map kept clear of each other (legend, popups)
 *   airbridge-scrub.js    the date control, drawing any date from the catalogue's scrub index
 *   airbridge-view.js     the extent buttons; the date and map view written into the page's address
 *   airbridge-search.js   the search box: sites, places, registrations and callsigns on the map
 *
 * They share what they need through Airbridge.parts, which is not an API.
 *
 * Every HTML string here comes from the catalogue or state, where Python escaped it
 * (dashboard/webmap/popups.py); this code only joins such strings and never builds HTML
 * from data text itself. Numbers are formatted with String(). No network access other
 * than the two same-origin JSON files named in the options (the live page) or none at
 * all (the standalone export, which embeds both).
 */
(function () {
  "use strict";
  if (window.Airbridge) {
    return;
  }

  // The fields of each kind of feature, named as Python declares them
  // (dashboard/webmap/map_contract.py). A layer of the state holds one array per field;
  // tests/test_map_contract.py checks these names against Python's and against what
  // the drawing code reads (site.popup, route.width...).
  var FIELDS = {
    site: ["geom", "popup", "tip", "label", "symbol", "rank"],
    route: ["geom", "popup", "tip", "kind", "width", "dash", "stubs", "unstated"],
    flight: ["geom", "popups", "tips"],
    event: ["geom", "popups", "tips", "current"],
    observation: ["geom", "popups", "tips"],
    corridor: ["geom", "popup", "tip"],
    circle: ["geom", "km", "tip", "layer", "label", "rank"],
    track: ["geom", "popup", "tip"],
    gap: ["geom", "popup", "tip"],
    reach: ["geom", "popup", "tip"],
    position: ["geom", "popup", "tip", "label", "heading"]
  };
  // Drawing order, bottom first (Snapshot.layers() in layers/features.py).
  var LAYERS = ["corridor", "route", "reach", "track", "gap", "site", "observation", "flight", "position", "event"];
  var CONTROL_ORDER = ["site", "route", "flight", "event", "observation", "corridor", "track", "gap", "reach",
                       "position"];
  var SOFT_OBSTACLE_MAX_RANK = 1;  // sites whose labels may cover flight badges and event stars

  var ab = {
    map: null, options: null, catalogue: null, pending: null, groups: {}, bases: {}, control: null,
    legend: null, caption: null, notice: null, applied: {visible: null, basemap: null, focus: null},
    silent: 0, reportTimer: null, reports: 0, eventMarkers: {}, basemapState: "idle", tileErrors: 0,
    drawn: null, userMoved: false, keyed: {}, creators: {}, present: {}
  };

  // A text, geometry or symbol of the state is a number into the catalogue, or the
  // value itself when the catalogue lacks it.

  function text(ref) {
    return typeof ref === "string" ? ref : ab.catalogue.texts[ref];
  }

  function texts(refs, separator) {
    return [].concat(refs).map(text).join(separator);
  }

  function geometry(ref) {
    return typeof ref === "number" ? ab.catalogue.geoms[ref] : ref;
  }

  function symbol(ref) {
    return typeof ref === "number" ? ab.catalogue.symbols[ref] : ref;
  }

  function readFeatures(kind, layer) {
    // A layer is columnar, {field: [value per feature]}, or {} when it has no features;
    // this returns one object per feature, {field: value}.
    var names = FIELDS[kind];
    if (Object.keys(layer).length === 0) {
      return [];
    }
    names.forEach(function (name) {
      if (!Array.isArray(layer[name])) {
        throw new Error("the " + kind + " layer of the state has no field " + name);
      }
    });
    var features = [];
    for (var i = 0; i < layer[names[0]].length; i += 1) {
      var feature = {};
      for (var n = 0; n < names.length; n += 1) {
        feature[names[n]] = layer[names[n]][i];
      }
      features.push(feature);
    }
    return features;
  }

  function latLng(point) {
    return L.latLng(point[1], point[0]);
  }

  function lineLatLngs(lines) {
    return lines.map(function (line) { return line.map(latLng); });
  }

  function silently(action) {
    // Changes made by the code, not the user, are not reported to Streamlit.
    ab.silent += 1;
    try {
      action();
    } finally {
      ab.silent -= 1;
    }
  }

  function visibleLayerKeys() {
    return CONTROL_ORDER.filter(function (name) { return ab.map.hasLayer(ab.groups[name]); });
  }

  window.Airbridge = {
    init: null, update: null, summary: null, drawnAt: null,  // init and update: airbridge-base.js
    parts: {
      ab: ab, FIELDS: FIELDS, LAYERS: LAYERS, CONTROL_ORDER: CONTROL_ORDER, SOFT_OBSTACLE_MAX_RANK: SOFT_OBSTACLE_MAX_RANK,
      text: text, texts: texts,
      geometry: geometry, symbol: symbol, readFeatures: readFeatures, latLng: latLng, lineLatLngs: lineLatLngs,
      silently: silently, visibleLayerKeys: visibleLayerKeys
    }
  };
}());
