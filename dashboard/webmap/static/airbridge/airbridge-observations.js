/*
 * Airbridge map, observations (see airbridge-core.js): what a source saw at a place on a
 * date (a satellite image, photo or ground report), kept apart from flights. The
 * observations at one place are one eye (the catalogue's SVG, from layers/style.py through
 * dashboard/webmap/symbols.py) above and left of the site symbol, with their number when
 * several; its popup lists them all, newest first. As in airbridge-layers.js, a feature
 * is read through a variable named after its kind (observation.popups).
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.CREATORS.observation) {
    return;
  }
  var ab = parts.ab;
  var texts = parts.texts, geometry = parts.geometry, latLng = parts.latLng;

  function createObservation(observation) {
    var count = observation.popups.length;
    var badge = count > 1 ? '<span class="ab-count">' + String(count) + "</span>" : "";
    var marker = L.marker(latLng(geometry(observation.geom)), {
      icon: L.divIcon({className: "ab-observation", html: ab.catalogue.eye + badge, iconSize: [22, 22],
                       iconAnchor: [30, 28]}),
      keyboard: true, zIndexOffset: 600
    });
    marker.abBox = {left: -30, top: -28, right: -8, bottom: -6};  // for the label placement
    marker.bindPopup(texts(observation.popups, '<hr class="ab-sep">'), parts.POPUP);
    marker.bindTooltip(parts.groupTooltip(observation.tips), {direction: "left", className: "ab-tooltip"});
    return [marker];
  }

  parts.CREATORS.observation = createObservation;
}());
