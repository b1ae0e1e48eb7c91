/*
 * Airbridge map: draws the catalogue + state built by dashboard/map_payload.py on a
 * Leaflet map created by folium (dashboard/folium_map.py).
 *
 *   Airbridge.init(map, options)   once, from the base map's script
 *   Airbridge.update(state)        on every date: redraws the overlay layers
 *
 * Every HTML string here comes from the catalogue or state, where Python escaped it
 * (dashboard/popups.py); this file only joins such strings and never builds HTML from
 * data text itself. Numbers are formatted with String(). No network access other than
 * the two same-origin JSON files named in the options (the live page) or none at all
 * (the standalone export, which embeds both).
 */
(function () {
  "use strict";
  if (window.Airbridge) {
    return;
  }

  var LAYERS = ["corridor", "route", "site", "flight", "event"];  // drawing order, bottom first
  var CONTROL_ORDER = ["site", "route", "flight", "event", "corridor"];
  var LABEL_POSITIONS = ["r", "l", "t", "b"];
  var LABEL_MIN_ZOOM_FOR_RANK = {3: 6.5};
  var LEGEND_OPEN_MIN_WIDTH = 1200;  // px of map width
  var FOCUS_LIFT_PX = 160;
  var SOFT_OBSTACLE_MAX_RANK = 1;  // sites whose labels may cover flight badges and event stars
  var POPUP = {maxWidth: 420, minWidth: 260, maxHeight: 340, autoPanPadding: [16, 16], className: "ab-popup-wrap"};  // "no status yet" sites are labelled only when zoomed in
  var ab = {
    map: null, options: null, catalogue: null, pending: null, groups: {}, bases: {}, control: null,
    legend: null, caption: null, notice: null, applied: {visible: null, basemap: null, focus: null},
    silent: 0, reportTimer: null, reports: 0, eventMarkers: {}, basemapState: "idle", tileErrors: 0,
    drawn: null, userMoved: false, keyed: {}
  };

  function text(ref) {
    if (typeof ref === "string") {
      return ref;
    }
    return ab.catalogue.texts[ref];
  }

  function texts(refs, separator) {
    return [].concat(refs).map(text).join(separator);
  }

  function geometry(ref) {
    return typeof ref === "number" ? ab.catalogue.geoms[ref] : ref;
  }

  function latLng(point) {
    return L.latLng(point[1], point[0]);
  }

  function lineLatLngs(lines) {
    return lines.map(function (line) { return line.map(latLng); });
  }

  function silently(action) {
    ab.silent += 1;
    try {
      action();
    } finally {
      ab.silent -= 1;
    }
  }

  // ---- base layers -------------------------------------------------------------------

  function buildBaseLayers(options) {
    options.basemaps.forEach(function (spec) {
      var layer;
      if (spec.offline) {
        layer = L.geoJSON(null, {
          pane: "ab-basemap", interactive: false, attribution: spec.attribution,
          renderer: L.canvas({pane: "ab-basemap", padding: 0.5}),
          style: function () {
            return {color: "#8c8c8c", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1};
          }
        });
        layer.on("add", function () { loadNaturalEarth(layer); });
      } else {
        layer = L.tileLayer(spec.url, {
          attribution: spec.attribution, maxZoom: spec.maxZoom, subdomains: spec.subdomains || "abc"
        });
        layer.on("tileerror", function () { onTileError(spec); });
        layer.on("tileload", function () { ab.tileErrors = 0; hideNotice(); });
      }
      layer.abKey = spec.key;
      layer.abOffline = !!spec.offline;
      ab.bases[spec.key] = layer;
    });
  }

  function loadNaturalEarth(layer) {
    if (ab.basemapState !== "idle") {
      return;
    }
    var options = ab.options;
    if (options.basemapData) {
      layer.addData(options.basemapData);
      ab.basemapState = "ready";
      markReady();
      return;
    }
    ab.basemapState = "loading";
    fetch(options.basemapUrl, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        layer.addData(data);
        ab.basemapState = "ready";
        markReady();
      })
      .catch(function (error) {
        ab.basemapState = "failed";
        showNotice("The offline basemap could not be loaded (" + String(error.message) + "); the layers are drawn without it.");
        markReady();
      });
  }

  function onTileError(spec) {
    ab.tileErrors += 1;
    if (ab.tileErrors === 1) {
      showNotice("The online basemap “" + spec.label + "” cannot be reached (no network?). " +
                 "Choose “Natural Earth (offline)” in the layer list.");
    }
  }

  function showNotice(message) {
    if (!ab.notice) {
      return;
    }
    ab.notice.getContainer().textContent = message;
    ab.notice.getContainer().style.display = "block";
  }

  function hideNotice() {
    if (ab.notice) {
      ab.notice.getContainer().style.display = "none";
    }
  }

  function currentBaseKey() {
    var key = null;
    Object.keys(ab.bases).forEach(function (k) {
      if (ab.map.hasLayer(ab.bases[k])) {
        key = k;
      }
    });
    return key;
  }

  function showBase(key) {
    var layer = ab.bases[key] || ab.bases[ab.options.basemaps[0].key];
    silently(function () {
      Object.keys(ab.bases).forEach(function (k) {
        if (ab.bases[k] !== layer && ab.map.hasLayer(ab.bases[k])) {
          ab.map.removeLayer(ab.bases[k]);
        }
      });
      if (!ab.map.hasLayer(layer)) {
        ab.map.addLayer(layer);
      }
    });
    styleContainer(layer);
  }

  function styleContainer(layer) {
    var container = ab.map.getContainer();
    container.classList.toggle("ab-sea", !!layer.abOffline);
    container.classList.toggle("ab-dark", layer.abKey === "carto_dark" || layer.abKey === "esri_imagery");
    ab.tileErrors = 0;
    if (layer.abOffline) {
      hideNotice();
    }
  }

  // ---- controls ----------------------------------------------------------------------

  function buildControls(options) {
    var map = ab.map;
    var baseByLabel = {};
    options.basemaps.forEach(function (spec) { baseByLabel[spec.label] = ab.bases[spec.key]; });
    var overlays = {};
    CONTROL_ORDER.forEach(function (name) {
      overlays[options.layerTitles[name]] = ab.groups[name];
    });
    ab.control = L.control.layers(baseByLabel, overlays, {collapsed: options.collapsedControl, position: "topright"})
      .addTo(map);

    var Box = L.Control.extend({
      options: {position: "topright", className: ""},
      onAdd: function () {
        var div = L.DomUtil.create("div", "ab-box " + this.options.className);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    ab.caption = new Box({position: "topleft", className: "ab-caption"}).addTo(map);
    ab.notice = new Box({position: "bottomleft", className: "ab-notice"}).addTo(map);
    ab.notice.getContainer().style.display = "none";
    ab.notice.getContainer().setAttribute("role", "status");
    ab.legend = new Box({position: "bottomright", className: "ab-legend-box"}).addTo(map);
    if (options.title || options.marking) {
      var banner = new Box({position: "topright", className: "ab-banner"}).addTo(map);
      banner.getContainer().innerHTML = (options.marking ? '<div class="ab-marking">' + options.marking + "</div>" : "") +
        (options.title ? '<div class="ab-title">' + options.title + "</div>" : "");
      // The banner goes first in the top-right corner, above the layer list.
      var corner = banner.getContainer().parentNode;
      corner.insertBefore(banner.getContainer(), corner.firstChild);
    }
  }

  // ---- reporting to Streamlit --------------------------------------------------------

  function visibleLayerKeys() {
    return CONTROL_ORDER.filter(function (name) { return ab.map.hasLayer(ab.groups[name]); });
  }

  function scheduleReport() {
    if (ab.silent > 0 || !ab.options.report || !window.Streamlit) {
      return;
    }
    clearTimeout(ab.reportTimer);
    ab.reportTimer = setTimeout(report, 350);
  }

  function report() {
    var bounds = ab.map.getBounds();
    var round = function (v) { return Math.round(v * 1000) / 1000; };
    ab.reports += 1;
    window.Streamlit.setComponentValue({
      airbridge: {
        layers: visibleLayerKeys(), basemap: currentBaseKey(), report: ab.reports,
        bounds: [round(bounds.getWest()), round(bounds.getSouth()), round(bounds.getEast()), round(bounds.getNorth())]
      }
    });
  }

  // ---- drawing -----------------------------------------------------------------------

  // Each create* function returns the Leaflet layers of one feature array of the state.
  // Badges and stars sit beside the site symbol; abBox is their box around the point, for
  // the label placement.

  function createSite(f) {
    var symbol = typeof f[4] === "number" ? ab.catalogue.symbols[f[4]] : f[4];
    var html = '<div class="ab-site-symbol">' + symbol + "</div>" +
      '<div class="ab-label ab-rank-' + String(f[5]) + '">' + text(f[3]) + "</div>";
    var marker = L.marker(latLng(geometry(f[0])), {
      icon: L.divIcon({className: "ab-site", html: html, iconSize: [24, 24], iconAnchor: [12, 12]}),
      riseOnHover: true, keyboard: true,
      zIndexOffset: f[5] <= SOFT_OBSTACLE_MAX_RANK ? 1000 - 100 * f[5] : 100 * (3 - f[5])
    });
    marker.abRank = f[5];
    marker.bindPopup(text(f[1]), POPUP);
    marker.bindTooltip(text(f[2]), {direction: "top", offset: [0, -14], className: "ab-tooltip"});
    return [marker];
  }

  function arrowAt(lines, colour, width) {
    // The arrowhead sits 55 % along the line, turned to the line's direction on screen
    // (Mercator keeps angles, so any zoom gives the same one).
    var points = [];
    lines.forEach(function (line) { line.forEach(function (p) { points.push(latLng(p)); }); });
    if (points.length < 2) {
      return null;
    }
    var projected = points.map(function (p) { return ab.map.project(p, 4); });
    var lengths = [0];
    for (var i = 1; i < projected.length; i += 1) {
      lengths.push(lengths[i - 1] + projected[i].distanceTo(projected[i - 1]));
    }
    var target = lengths[lengths.length - 1] * 0.55;
    var at = 1;
    while (at < lengths.length - 1 && lengths[at] < target) {
      at += 1;
    }
    var a = projected[at - 1], b = projected[at];
    var share = lengths[at] > lengths[at - 1] ? (target - lengths[at - 1]) / (lengths[at] - lengths[at - 1]) : 0;
    var where = ab.map.unproject(a.add(b.subtract(a).multiplyBy(share)), 4);
    var angle = Math.atan2(b.y - a.y, b.x - a.x) * 180 / Math.PI;
    var size = Math.round(10 + width * 1.3);
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '" viewBox="0 0 10 10" ' +
      'style="transform: rotate(' + angle.toFixed(1) + 'deg)"><path d="M1 1 L9 5 L1 9 L3 5 Z" fill="' + colour +
      '" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round"/></svg>';
    return L.marker(where, {
      icon: L.divIcon({className: "ab-arrow", html: svg, iconSize: [size, size], iconAnchor: [size / 2, size / 2]}),
      interactive: false, keyboard: false, pane: "ab-arrows"
    });
  }

  function createRoute(f) {
    var style = ab.options.styles.route[f[3]];
    var latlngs = lineLatLngs(geometry(f[0]));
    var width = f[4];
    var halo = L.polyline(latlngs, {
      pane: "ab-lines", color: "#ffffff", weight: width + 3, opacity: 0.7, interactive: false, lineCap: "round"
    });
    var line = L.polyline(latlngs, {
      pane: "ab-lines", color: style.colour, weight: width, opacity: 0.95, dashArray: f[6] || null,
      lineCap: f[6] ? "butt" : "round", className: "ab-route ab-route-" + f[3]
    });
    line.bindPopup(text(f[1]), POPUP);
    line.bindTooltip(text(f[2]), {sticky: true, className: "ab-tooltip"});
    var arrow = arrowAt(geometry(f[0]), style.colour, width);
    return arrow ? [halo, line, arrow] : [halo, line];
  }

  function createFlight(f) {
    var html = '<span class="ab-badge">' + String(f[3]) + "</span>";
    var marker = L.marker(latLng(geometry(f[0])), {
      icon: L.divIcon({className: "ab-flight", html: html, iconSize: [24, 24], iconAnchor: [-4, 28]}),
      keyboard: true, zIndexOffset: 500
    });
    marker.abCount = f[3];
    marker.abBox = {left: 4, top: -28, right: 30, bottom: -4};
    marker.bindPopup(texts(f[1], '<hr class="ab-sep">'), POPUP);
    marker.bindTooltip(texts(f[2].slice(0, 7), "<br>") + (f[2].length > 7 ? "<br>…" : ""),
                       {direction: "right", className: "ab-tooltip"});
    return [marker];
  }

  function createEvent(f) {
    var stars = ab.catalogue.stars;
    var now = f[4] > 0;
    var count = f[3] > 1 ? '<span class="ab-count">' + String(f[3]) + "</span>" : "";
    var marker = L.marker(latLng(geometry(f[0])), {
      icon: L.divIcon({className: "ab-event " + (now ? "ab-event-now" : "ab-event-past"),
                       html: (now ? stars["in"] : stars.out) + count, iconSize: [22, 22], iconAnchor: [30, -4]}),
      keyboard: true, zIndexOffset: now ? 800 : 0
    });
    marker.abBox = f[3] > 1 ? {left: -38, top: -6, right: -8, bottom: 26} : {left: -30, top: 4, right: -8, bottom: 26};
    marker.abPlace = String(f[0]);
    marker.bindPopup(texts(f[1], '<hr class="ab-sep">'), POPUP);
    marker.bindTooltip(texts(f[2].slice(0, 7), "<br>") + (f[2].length > 7 ? "<br>…" : ""),
                       {direction: "left", className: "ab-tooltip"});
    return [marker];
  }

  function createCorridor(f) {
    var style = ab.options.styles.corridor;
    var line = L.polyline(lineLatLngs(geometry(f[0])), {
      pane: "ab-lines", color: style.colour, weight: 2.5, opacity: 0.9, dashArray: style.dash, className: "ab-corridor"
    });
    line.bindPopup(text(f[1]), POPUP);
    line.bindTooltip(text(f[2]), {sticky: true, className: "ab-tooltip"});
    return [line];
  }

  function createCircle(f) {
    var colour = ab.options.styles.uncertainty;
    var circle = L.circle(latLng(geometry(f[0])), {
      // Outline only: the same place can be drawn by several layers, and fills would add up.
      radius: f[1] * 1000, pane: "ab-lines", color: colour, weight: 1.8, dashArray: "6 4", fill: false,
      className: "ab-circle"
    });
    circle.bindTooltip(text(f[2]), {sticky: true, className: "ab-tooltip"});
    return [circle];
  }

  var CREATORS = {corridor: createCorridor, circle: createCircle, route: createRoute, site: createSite,
                  flight: createFlight, event: createEvent};

  function sync(kind, entries) {
    // Keep the layers of features that did not change (an open popup stays open, and a
    // step redraws only what moved); add the new ones, remove the gone ones.
    var old = ab.keyed[kind] || new Map();
    var next = new Map();
    var changed = false;
    entries.forEach(function (f) {
      var key = JSON.stringify(f);
      if (next.has(key)) {
        return;
      }
      var layers = old.get(key);
      if (layers) {
        old.delete(key);
      } else {
        var group = ab.groups[kind === "circle" ? f[3] : kind];
        layers = CREATORS[kind](f);
        layers.forEach(function (layer) { group.addLayer(layer); layer.abGroup = group; });
        changed = true;
      }
      next.set(key, layers);
    });
    old.forEach(function (layers) {
      layers.forEach(function (layer) { layer.abGroup.removeLayer(layer); });
      changed = true;
    });
    ab.keyed[kind] = next;
    return changed;
  }

  function draw(state) {
    var layers = state.layers;
    var changed = false;
    ["corridor", "circle", "route", "site", "flight", "event"].forEach(function (kind) {
      changed = sync(kind, layers[kind]) || changed;
    });
    ab.eventMarkers = {};
    ab.groups.event.eachLayer(function (marker) { ab.eventMarkers[marker.abPlace] = marker; });
    applyView(state);
    ab.caption.getContainer().innerHTML = state.caption || "";
    ab.drawn = state;
    // The summary (read by tests and the benchmark) is written in the next frame, when
    // the new state is on screen.
    requestAnimationFrame(function () {
      if (changed) {
        declutterLabels();
      }
      summarise(state);
    });
  }

  function sameList(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function applyView(state) {
    // Python's choice wins only when it changed: a toggle made on the map meanwhile
    // (reported, not yet echoed back) is not undone by a slider step.
    if (!sameList(state.visible, ab.applied.visible)) {
      silently(function () {
        LAYERS.forEach(function (name) {
          var on = state.visible.indexOf(name) >= 0;
          if (on && !ab.map.hasLayer(ab.groups[name])) {
            ab.map.addLayer(ab.groups[name]);
          } else if (!on && ab.map.hasLayer(ab.groups[name])) {
            ab.map.removeLayer(ab.groups[name]);
          }
        });
      });
      ab.applied.visible = state.visible.slice();
    }
    if (state.basemap !== ab.applied.basemap) {
      showBase(state.basemap);
      ab.applied.basemap = state.basemap;
    }
    updateLegend();
    var focus = state.focus;
    if (focus && focus.n !== ab.applied.focus) {
      ab.applied.focus = focus.n;
      silently(function () {
        // The point goes below the middle, leaving room above it for the event's popup.
        var zoom = Math.max(focus.z, ab.map.getZoom());
        var point = ab.map.project(L.latLng(focus.ll[0], focus.ll[1]), zoom);
        var lift = Math.min(FOCUS_LIFT_PX, ab.map.getSize().y / 4);
        ab.map.setView(ab.map.unproject(point.subtract([0, lift]), zoom), zoom, {animate: false});
      });
      ab.userMoved = true;
      var key = focus.g === undefined ? null : String(focus.g);
      if (key !== null && ab.eventMarkers[key] && ab.map.hasLayer(ab.groups.event)) {
        ab.eventMarkers[key].openPopup();
      }
    }
  }

  function updateLegend() {
    var box = ab.legend.getContainer();
    if (!box.firstChild && ab.catalogue) {
      box.innerHTML = ab.catalogue.legend;
      var details = box.querySelector("details");
      if (details && ab.map.getSize().x < LEGEND_OPEN_MIN_WIDTH) {
        details.open = false;  // on a small map the legend starts folded; one click opens it
      }
    }
    var visible = visibleLayerKeys();
    var sections = box.querySelectorAll("section[data-ab-layer]");
    for (var i = 0; i < sections.length; i += 1) {
      sections[i].style.display = visible.indexOf(sections[i].getAttribute("data-ab-layer")) >= 0 ? "" : "none";
    }
  }

  function summarise(state) {
    var container = ab.map.getContainer();
    var sum = function (list, index) {
      return list.reduce(function (total, f) { return total + f[index]; }, 0);
    };
    var summary = {
      asOf: state.asOf, window: state.window === null ? "all" : String(state.window),
      sites: state.layers.site.length, routes: state.layers.route.length,
      flights: sum(state.layers.flight, 3), events: sum(state.layers.event, 3), corridors: state.layers.corridor.length
    };
    Object.keys(summary).forEach(function (k) { container.dataset["ab" + k.charAt(0).toUpperCase() + k.slice(1)] = summary[k]; });
    window.Airbridge.summary = summary;
    window.Airbridge.drawnAt = performance.timeOrigin + performance.now();
    markReady();
  }

  function markReady() {
    var container = ab.map.getContainer();
    var baseDone = ab.basemapState === "ready" || ab.basemapState === "failed" || !ab.bases.natural_earth ||
      !ab.map.hasLayer(ab.bases.natural_earth);
    if (window.Airbridge.summary && baseDone) {
      if (container.dataset.abReady !== "1") {
        container.dataset.abReadyAt = String(performance.timeOrigin + performance.now());
      }
      container.dataset.abReady = "1";
    }
  }

  // ---- labels ------------------------------------------------------------------------

  // Label boxes relative to the 24 x 24 icon, per position (see .ab-pos-* in the CSS).
  function labelBox(position, width, height) {
    switch (position) {
      case "r": return {left: 27, top: 3};
      case "l": return {left: -3 - width, top: 3};
      case "t": return {left: 12 - width / 2, top: -1 - height};
      default: return {left: 12 - width / 2, top: 25};
    }
  }

  function declutterLabels() {
    // Greedy placement, most important sites first: right, left, above, below, else hidden.
    // Reads all sizes in one pass and writes all classes in another (one layout).
    var group = ab.groups.site;
    if (!ab.map.hasLayer(group)) {
      return;
    }
    var zoom = ab.map.getZoom();
    var items = [];
    group.getLayers().forEach(function (marker) {
      var element = marker.getElement();
      var label = element && element.querySelector(".ab-label");
      if (label) {
        items.push({marker: marker, label: label});
      }
    });
    items.sort(function (a, b) { return a.marker.abRank - b.marker.abRank; });
    items.forEach(function (item) {
      item.width = item.label.offsetWidth;
      item.height = item.label.offsetHeight;
      item.point = ab.map.latLngToContainerPoint(item.marker.getLatLng());
    });
    var taken = items.map(function (item) {
      return {left: item.point.x - 10, right: item.point.x + 10, top: item.point.y - 10, bottom: item.point.y + 10,
              owner: item};
    });
    ["flight", "event"].forEach(function (name) {
      if (!ab.map.hasLayer(ab.groups[name])) {
        return;
      }
      ab.groups[name].eachLayer(function (marker) {
        var box = marker.abBox;
        if (!box) {
          return;  // an uncertainty circle
        }
        var p = ab.map.latLngToContainerPoint(marker.getLatLng());
        taken.push({left: p.x + box.left, right: p.x + box.right, top: p.y + box.top, bottom: p.y + box.bottom,
                    soft: true});
      });
    });
    items.forEach(function (item) {
      var minZoom = LABEL_MIN_ZOOM_FOR_RANK[item.marker.abRank];
      item.position = null;
      if (minZoom !== undefined && zoom < minZoom) {
        return;
      }
      for (var i = 0; i < LABEL_POSITIONS.length; i += 1) {
        var offset = labelBox(LABEL_POSITIONS[i], item.width, item.height);
        var left = item.point.x - 12 + offset.left, top = item.point.y - 12 + offset.top;
        var box = {left: left - 1, right: left + item.width + 1, top: top - 1, bottom: top + item.height + 1};
        // Labels of busy and active sites may cover badges and stars (they are drawn above
        // them); all labels avoid other labels and site symbols.
        var strict = item.marker.abRank > SOFT_OBSTACLE_MAX_RANK;
        if (!taken.some(function (other) {
          return other.owner !== item && (strict || !other.soft) && overlaps(box, other);
        })) {
          taken.push(box);
          item.position = LABEL_POSITIONS[i];
          return;
        }
      }
    });
    items.forEach(function (item) {
      setPosition(item.label, item.position || "r");
      item.label.classList.toggle("ab-hidden", item.position === null);
    });
  }

  function setPosition(label, position) {
    LABEL_POSITIONS.forEach(function (p) { label.classList.toggle("ab-pos-" + p, p === position); });
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // ---- public ------------------------------------------------------------------------

  function fitExtent() {
    // The legend sits at the right edge: fit the extent into the rest of the map.
    var box = ab.legend && ab.legend.getContainer();
    var right = box && box.firstChild && box.offsetWidth < ab.map.getSize().x / 2 ? box.offsetWidth + 10 : 0;
    silently(function () {
      ab.map.fitBounds(ab.options.fitBounds, {animate: false, paddingBottomRight: [right, 0]});
    });
  }

  function init(map, options) {
    ab.map = map;
    ab.options = options;
    map.createPane("ab-basemap").style.zIndex = 150;
    map.createPane("ab-lines").style.zIndex = 410;
    map.createPane("ab-arrows").style.zIndex = 450;
    map.getPane("ab-arrows").style.pointerEvents = "none";
    LAYERS.forEach(function (name) { ab.groups[name] = L.layerGroup(); });
    buildBaseLayers(options);
    buildControls(options);
    showBase(options.basemap);
    ab.applied.basemap = options.basemap;
    map.on("baselayerchange", function (event) {
      if (event.layer) {
        styleContainer(event.layer);
      }
      scheduleReport();
    });
    map.on("overlayadd overlayremove", function () {
      updateLegend();
      requestAnimationFrame(declutterLabels);
      scheduleReport();
    });
    map.on("movestart", function () {
      if (ab.silent === 0) {
        ab.userMoved = true;
      }
    });
    map.on("moveend", scheduleReport);
    map.on("zoomend", function () { requestAnimationFrame(declutterLabels); });
    map.on("resize", function () {
      // The frame is sized after the map is made: keep the opening extent in view until
      // the user moves the map.
      if (!ab.userMoved && options.fitBounds) {
        fitExtent();
      }
      requestAnimationFrame(declutterLabels);
    });
    if (options.fitBounds) {
      fitExtent();
    }
    if (options.catalogue) {
      setCatalogue(options.catalogue);
    } else {
      fetch(options.catalogueUrl, {credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(setCatalogue)
        .catch(function (error) {
          showNotice("The map data could not be loaded (" + String(error.message) + "). Reload the page.");
        });
    }
  }

  function setCatalogue(catalogue) {
    ab.catalogue = catalogue;
    updateLegend();
    var details = ab.legend.getContainer().querySelector("details");
    if (details) {
      details.addEventListener("toggle", function () {
        if (!ab.userMoved && ab.options.fitBounds) {
          fitExtent();
        }
      });
    }
    if (!ab.userMoved && ab.options.fitBounds) {
      fitExtent();
    }
    if (ab.pending) {
      var state = ab.pending;
      ab.pending = null;
      draw(state);
    }
  }

  function update(state) {
    if (!ab.map) {
      throw new Error("Airbridge.update before Airbridge.init");
    }
    if (!ab.catalogue) {
      ab.pending = state;
      return;
    }
    draw(state);
  }

  window.Airbridge = {init: init, update: update, summary: null, drawnAt: null};
}());
