/*
 * Airbridge map, part 3 of 5 (see airbridge-core.js): draws a state. Each feature of the
 * state becomes Leaflet layers in the group of its layer; features that did not change
 * keep theirs. Then the view of the state is applied (layers shown, basemap, focus), the
 * legend follows the layers shown, and the summary read by tests is written.
 *
 * A feature is read by the names of FIELDS (airbridge-core.js), always through a
 * variable named after its kind (site.popup, route.width...): tests/test_map_contract.py
 * reads this file to check those names.
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.draw) {
    return;
  }
  var ab = parts.ab;
  var text = parts.text, texts = parts.texts, geometry = parts.geometry, symbol = parts.symbol;
  var latLng = parts.latLng, lineLatLngs = parts.lineLatLngs, silently = parts.silently;

  // Drawing order, bottom first; the ADS-B kinds are drawn by airbridge-tracks.js.
  var KINDS = ["corridor", "circle", "route", "reach", "track", "gap", "site", "observation", "flight", "position",
               "event"];
  // The legend starts open only where it leaves the map mostly free: at most this share of
  // the map's area (a 1312x600 map at 1920 px had 37% of it, Syria included, under it).
  var LEGEND_OPEN_MAX_SHARE = 0.2;
  var FOCUS_LIFT_PX = 160;
  var EVENT_SEPARATOR = '<hr class="ab-sep">';  // between the events of one place in a popup
  var SOFT_OBSTACLE_MAX_RANK = parts.SOFT_OBSTACLE_MAX_RANK;
  var TOOLTIP_MAX_LINES = 7;  // of a group's tooltip; the popup lists them all
  var POPUP = {maxWidth: 420, minWidth: 260, maxHeight: 340, autoPanPadding: [16, 16], className: "ab-popup-wrap"};

  // Each create* function returns the Leaflet layers of one feature. Badges and stars sit
  // beside the site symbol; abBox is their box around the point, for the label placement.

  function createSite(site) {
    var html = '<div class="ab-site-symbol">' + symbol(site.symbol) + "</div>" +
      '<div class="ab-label ab-rank-' + String(site.rank) + '">' + text(site.label) + "</div>";
    var marker = L.marker(latLng(geometry(site.geom)), {
      icon: L.divIcon({className: "ab-site", html: html, iconSize: [24, 24], iconAnchor: [12, 12]}),
      riseOnHover: true, keyboard: true,
      zIndexOffset: site.rank <= SOFT_OBSTACLE_MAX_RANK ? 1000 - 100 * site.rank : 100 * (3 - site.rank)
    });
    marker.abRank = site.rank;
    marker.bindPopup(text(site.popup), POPUP);
    marker.bindTooltip(text(site.tip), {direction: "top", offset: [0, -14], className: "ab-tooltip"});
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

  function createRoute(route) {
    var style = ab.options.styles.route[route.kind];
    var lines = geometry(route.geom);
    var latlngs = lineLatLngs(lines);
    var halo = L.polyline(latlngs, {
      pane: "ab-lines", color: "#ffffff", weight: route.width + 3, opacity: 0.7, interactive: false, lineCap: "round"
    });
    var line = L.polyline(latlngs, {
      pane: "ab-lines", color: style.colour, weight: route.width, opacity: 0.95, dashArray: route.dash || null,
      lineCap: route.dash ? "butt" : "round", className: "ab-route ab-route-" + route.kind
    });
    line.bindPopup(texts(route.popup, ""), POPUP);
    line.bindTooltip(text(route.tip), {sticky: true, className: "ab-tooltip"});
    var drawn = [halo, line];
    var marks = ab.options.styles.routeMarks;
    if (route.unstated) {
      // A count report on the leg gives no figure: a white stripe down the line (layers/route_marks.py).
      drawn.push(L.polyline(latlngs, {
        pane: "ab-lines", color: "#ffffff", weight: Math.max(route.width * marks.stripeShare, 1), opacity: 1,
        dashArray: route.dash || null, lineCap: "butt", interactive: false, className: "ab-route-hollow"
      }));
    }
    if (route.stubs !== null) {
      // The stretch next to an end whose airfield is not named: thinner, dashed, faded.
      var stubWidth = Math.max(route.width * marks.stubWidthShare, 2);
      var stub = L.polyline(lineLatLngs(geometry(route.stubs)), {
        pane: "ab-lines", color: style.colour, weight: stubWidth, opacity: marks.stubOpacity, lineCap: "butt",
        dashArray: marks.stubDash.map(function (part) { return Math.max(part * stubWidth, 2); }).join(" "),
        className: "ab-route-stub ab-route-" + route.kind
      });
      stub.bindPopup(texts(route.popup, ""), POPUP);
      stub.bindTooltip(text(route.tip), {sticky: true, className: "ab-tooltip"});
      drawn.push(stub);
    }
    var arrow = arrowAt(lines, style.colour, route.width);
    return arrow ? drawn.concat([arrow]) : drawn;
  }

  function groupTooltip(refs) {
    return texts(refs.slice(0, TOOLTIP_MAX_LINES), "<br>") + (refs.length > TOOLTIP_MAX_LINES ? "<br>…" : "");
  }

  function createFlight(flight) {
    var count = flight.popups.length;
    var html = '<span class="ab-badge">' + String(count) + "</span>";
    var marker = L.marker(latLng(geometry(flight.geom)), {
      icon: L.divIcon({className: "ab-flight", html: html, iconSize: [24, 24], iconAnchor: [-4, 28]}),
      keyboard: true, zIndexOffset: 500
    });
    marker.abCount = count;
    marker.abBox = {left: 4, top: -28, right: 30, bottom: -4};
    marker.bindPopup(texts(flight.popups, '<hr class="ab-sep">'), POPUP);
    marker.bindTooltip(groupTooltip(flight.tips), {direction: "right", className: "ab-tooltip"});
    return [marker];
  }

  function createEvent(event) {
    var stars = ab.catalogue.stars;
    var now = event.current > 0;
    var count = event.popups.length;
    var badge = count > 1 ? '<span class="ab-count">' + String(count) + "</span>" : "";
    var marker = L.marker(latLng(geometry(event.geom)), {
      icon: L.divIcon({className: "ab-event " + (now ? "ab-event-now" : "ab-event-past"),
                       html: (now ? stars.now : stars.past) + badge, iconSize: [22, 22], iconAnchor: [30, -4]}),
      keyboard: true, zIndexOffset: now ? 800 : 0
    });
    marker.abBox = count > 1 ? {left: -38, top: -6, right: -8, bottom: 26} : {left: -30, top: 4, right: -8, bottom: 26};
    marker.abPlace = String(event.geom);  // how a focus names the marker to open
    marker.abPopups = event.popups;  // so that a focus can show its event's popup first
    marker.bindPopup(texts(event.popups, EVENT_SEPARATOR), POPUP);
    marker.bindTooltip(groupTooltip(event.tips), {direction: "left", className: "ab-tooltip"});
    return [marker];
  }

  function createCorridor(corridor) {
    var style = ab.options.styles.corridor;
    var line = L.polyline(lineLatLngs(geometry(corridor.geom)), {
      pane: "ab-lines", color: style.colour, weight: 2.5, opacity: 0.9, dashArray: style.dash, className: "ab-corridor"
    });
    line.bindPopup(text(corridor.popup), POPUP);
    line.bindTooltip(text(corridor.tip), {sticky: true, className: "ab-tooltip"});
    return [line];
  }

  function createCircle(circle) {
    var outline = L.circle(latLng(geometry(circle.geom)), {
      // Outline only: the same place can be drawn by several layers, and fills would add up.
      radius: circle.km * 1000, pane: "ab-lines", color: ab.options.styles.uncertainty, weight: 1.8,
      dashArray: "6 4", fill: false, className: "ab-circle"
    });
    outline.bindTooltip(text(circle.tip), {sticky: true, className: "ab-tooltip"});
    // In the group of the layer whose place it outlines, so it shows and hides with it.
    outline.abGroup = ab.groups[circle.layer];
    return [outline];
  }

  var CREATORS = {corridor: createCorridor, circle: createCircle, route: createRoute, site: createSite,
                  flight: createFlight, event: createEvent};  // airbridge-tracks.js adds the ADS-B kinds

  function draw(state) {
    var features = {};
    var changed = false;
    KINDS.forEach(function (kind) {
      features[kind] = parts.readFeatures(kind, state.layers[kind] || {});
      changed = parts.syncLayers(kind, features[kind]) || changed;
      ab.present[kind] = features[kind].length;
    });
    ab.eventMarkers = {};
    ab.groups.event.eachLayer(function (marker) { ab.eventMarkers[marker.abPlace] = marker; });
    applyView(state);
    ab.caption.getContainer().innerHTML = state.caption || "";
    ab.drawn = state;
    // The summary (read by tests and the benchmark) is written in the next frame, when
    // the new state is on screen.
    requestAnimationFrame(function () {
      foldLargeLegend();
      if (changed) {
        parts.declutterLabels();
      }
      summarise(state, features);
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
        parts.LAYERS.forEach(function (name) {
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
      parts.showBase(state.basemap);
      ab.applied.basemap = state.basemap;
    }
    updateLegend();
    var focus = state.focus;
    if (focus && focus.request !== ab.applied.focus) {
      ab.applied.focus = focus.request;
      applyFocus(focus);
    }
  }

  function applyFocus(focus) {
    // A view from a URL (centre and zoom exactly), an event chosen in the list (its point
    // below the middle, room above it for the popup), both, or neither: the opening extent.
    var exact = !!focus.centre;
    silently(function () {
      if (exact) {
        ab.map.setView(latLng(focus.centre), focus.zoom, {animate: false});
      } else if (focus.geom !== null) {
        var zoom = Math.max(focus.zoom, ab.map.getZoom());
        var point = ab.map.project(latLng(geometry(focus.geom)), zoom);
        var lift = Math.min(FOCUS_LIFT_PX, ab.map.getSize().y / 4);
        ab.map.setView(ab.map.unproject(point.subtract([0, lift]), zoom), zoom, {animate: false});
      } else {
        parts.fitExtent();
      }
      ab.map.closePopup();
    });
    ab.userMoved = exact || focus.geom !== null;
    var marker = focus.geom === null ? null : ab.eventMarkers[String(focus.geom)];
    if (marker && ab.map.hasLayer(ab.groups.event)) {
      openEventPopup(marker, focus.popup, exact);
    }
    parts.scheduleReport();  // the view shown goes into the URL
  }

  function openEventPopup(marker, popup, keepView) {
    // The chosen event's own popup first, then the other events of its place; the place's
    // usual list (newest first) comes back when the popup closes. A view shared by the app
    // already leaves room for the popup; another is panned so that the popup shows whole.
    var refs = marker.abPopups || [];
    var chosen = popup === null ? -1 : refs.map(text).indexOf(text(popup));
    if (chosen > 0) {
      var ordered = [refs[chosen]].concat(refs.slice(0, chosen), refs.slice(chosen + 1));
      marker.setPopupContent(texts(ordered, EVENT_SEPARATOR));
      marker.once("popupclose", function () { marker.setPopupContent(texts(refs, EVENT_SEPARATOR)); });
    }
    var options = marker.getPopup() ? marker.getPopup().options : null;
    var autoPan = options ? options.autoPan : true;
    if (options && keepView) {
      options.autoPan = false;  // a shared view is the view: the popup opens in it, the map does not move
    }
    silently(function () { marker.openPopup(); });
    if (options) {
      options.autoPan = autoPan;
    }
  }

  function updateLegend() {
    var box = ab.legend.getContainer();
    if (!box.firstChild && ab.catalogue) {
      box.innerHTML = ab.catalogue.legend;
    }
    // A section (or a row with its own data-ab-layer) shows while one of its layers is
    // switched on and, for the ADS-B ones (data-ab-when="drawn"), has features on the map.
    var visible = parts.visibleLayerKeys();
    var explained = box.querySelectorAll("[data-ab-layer]");
    for (var i = 0; i < explained.length; i += 1) {
      var drawnOnly = explained[i].getAttribute("data-ab-when") === "drawn";
      var shown = explained[i].getAttribute("data-ab-layer").split(" ").some(function (name) {
        return visible.indexOf(name) >= 0 && (!drawnOnly || ab.present[name] > 0);
      });
      explained[i].style.display = shown ? "" : "none";
    }
  }

  function foldLargeLegend() {
    // Once, when the first date is on screen: the legend then explains the layers drawn
    // (each layer's section shows as the layer is added), in the height it may take.
    var box = ab.legend.getContainer();
    var details = box.querySelector("details");
    if (ab.legendSized || !details) {
      return;
    }
    ab.legendSized = true;
    if (parts.fitLegend) {
      parts.fitLegend();
    }
    var size = ab.map.getSize();
    if (box.offsetWidth * box.offsetHeight > LEGEND_OPEN_MAX_SHARE * size.x * size.y) {
      details.open = false;  // it would hide too much of the map: folded, one click opens it
    }
  }

  function summarise(state, features) {
    var container = ab.map.getContainer();
    var summary = {
      asOf: state.asOf, window: state.window === null ? "all" : String(state.window),
      sites: features.site.length, routes: features.route.length,
      flights: features.flight.reduce(function (total, flight) { return total + flight.popups.length; }, 0),
      events: features.event.reduce(function (total, event) { return total + event.popups.length; }, 0),
      observations: features.observation.reduce(function (total, observation) {
        return total + observation.popups.length;
      }, 0),
      corridors: features.corridor.length, tracks: features.track.length, gaps: features.gap.length,
      reaches: features.reach.length, positions: features.position.length
    };
    Object.keys(summary).forEach(function (k) { container.dataset["ab" + k.charAt(0).toUpperCase() + k.slice(1)] = summary[k]; });
    window.Airbridge.summary = summary;
    window.Airbridge.drawnAt = performance.timeOrigin + performance.now();
    parts.markReady();
  }

  parts.draw = draw;
  parts.updateLegend = updateLegend;
  parts.CREATORS = CREATORS;
  parts.groupTooltip = groupTooltip;
  parts.POPUP = POPUP;
}());
