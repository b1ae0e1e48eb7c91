/*
 * Airbridge map, part 4 of 5 (see airbridge-core.js): the ADS-B features of a state.
 *
 *   track     the flown track, a solid line on a white halo (broken where it went dark)
 *   gap       where it went dark, a dashed line on a white halo: it reads apart from the
 *             track and from any route line under it
 *   reach     where it could have landed while dark, a faint area with a dotted edge;
 *             only the edge answers the mouse, so the area never hides what is inside it
 *   position  the aircraft's last position, an arrowhead turned to its heading (a dot when
 *             the heading is unknown), with its label (placed by airbridge-labels.js)
 *
 * Colours, widths and dashes come from the options (layers/style.py through
 * dashboard/webmap/folium_map.py); the symbols' SVG too. As in airbridge-layers.js, a
 * feature is read through a variable named after its kind (track.popup, position.heading).
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.CREATORS.track) {
    return;
  }
  var ab = parts.ab;
  var text = parts.text, geometry = parts.geometry, latLng = parts.latLng, lineLatLngs = parts.lineLatLngs;
  var POPUP = parts.POPUP;
  var HIT_WIDTH_PX = 12;  // thin lines are hard to click: an invisible wider line takes the clicks
  var POSITION_LABEL_RANK = 0.5;  // aircraft labels are placed after busy sites' and before the others'

  function underline(latlngs, width) {
    return L.polyline(latlngs, {
      pane: "ab-tracks", color: "#ffffff", weight: width + 3, opacity: 0.85, interactive: false, lineCap: "round",
      lineJoin: "round"
    });
  }

  function hitLine(latlngs, popup, tip, kind) {
    var line = L.polyline(latlngs, {pane: "ab-tracks", color: "#000000", weight: HIT_WIDTH_PX, opacity: 0,
                                    className: "ab-hit ab-hit-" + kind});
    line.bindPopup(popup, POPUP);
    line.bindTooltip(tip, {sticky: true, className: "ab-tooltip"});
    return line;
  }

  function createTrack(track) {
    var style = ab.options.styles.track;
    var latlngs = lineLatLngs(geometry(track.geom));
    var line = L.polyline(latlngs, {
      pane: "ab-tracks", color: style.colour, weight: style.width, opacity: 0.95, lineCap: "round", lineJoin: "round",
      interactive: false, className: "ab-track"
    });
    return [underline(latlngs, style.width), line, hitLine(latlngs, text(track.popup), text(track.tip), "track")];
  }

  function createGap(gap) {
    var style = ab.options.styles.gap;
    var latlngs = lineLatLngs(geometry(gap.geom));
    var line = L.polyline(latlngs, {
      pane: "ab-tracks", color: style.colour, weight: style.width, opacity: 1, dashArray: style.dash, lineCap: "butt",
      interactive: false, className: "ab-gap"
    });
    return [underline(latlngs, style.width), line, hitLine(latlngs, text(gap.popup), text(gap.tip), "gap")];
  }

  function createReach(reach) {
    var style = ab.options.styles.reach;
    var rings = geometry(reach.geom).map(function (ring) { return ring.map(latLng); });
    var area = L.polygon(rings, {
      pane: "ab-areas", stroke: false, fillColor: style.colour, fillOpacity: style.fillOpacity, interactive: false,
      className: "ab-reach-area"
    });
    var edge = L.polygon(rings, {
      pane: "ab-areas", color: style.colour, weight: style.width, opacity: 0.9, dashArray: style.dash, fill: false,
      className: "ab-reach"
    });
    edge.bindPopup(text(reach.popup), POPUP);
    edge.bindTooltip(text(reach.tip), {sticky: true, className: "ab-tooltip"});
    return [area, edge];
  }

  function createPosition(position) {
    var style = ab.options.styles.position;
    var heading = Number(position.heading);
    var known = position.heading !== null && position.heading !== undefined && isFinite(heading);
    var turn = known ? ' style="transform: rotate(' + String(heading) + 'deg)"' : "";
    var html = '<div class="ab-position-symbol"' + turn + ">" + (known ? style.arrow : style.dot) + "</div>" +
      '<div class="ab-label ab-aircraft-label" style="color: ' + style.colour + '">' + text(position.label) + "</div>";
    var marker = L.marker(latLng(geometry(position.geom)), {
      icon: L.divIcon({className: "ab-position", html: html, iconSize: [24, 24], iconAnchor: [12, 12]}),
      riseOnHover: true, keyboard: true, zIndexOffset: 1200
    });
    marker.abRank = POSITION_LABEL_RANK;
    marker.abAlwaysLabelled = true;
    marker.bindPopup(text(position.popup), POPUP);
    marker.bindTooltip(text(position.tip), {direction: "top", offset: [0, -14], className: "ab-tooltip"});
    return [marker];
  }

  parts.CREATORS.track = createTrack;
  parts.CREATORS.gap = createGap;
  parts.CREATORS.reach = createReach;
  parts.CREATORS.position = createPosition;
}());
