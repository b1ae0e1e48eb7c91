/*
 * Airbridge map, the measuring tools (see airbridge-core.js): a geodesic distance tool and
 * range rings, in one Leaflet control at the bottom left, above the scale bar.
 *
 * Distances are geodesics on the WGS84 ellipsoid (Vincenty's inverse and direct formulae,
 * iterated to 1e-12 rad), never lengths on the Web Mercator screen, which at 35 degrees N
 * overstate distance by a fifth. A measured line is drawn along the geodesic (a vertex
 * every 20 km), so its shape on the map is the shape the aircraft would fly.
 *
 * Range rings: the catalogue's ``tools`` (dashboard/webmap/measure_tools.py) lists each
 * aircraft type's documented ranges with their sources (layers/tracks/performance.py)
 * and the sites to draw from. A ring is the set of points at that geodesic distance from
 * the site (180 vertices); its label and the panel name the load the figure is for and
 * the source. Names, labels and sources come escaped from Python, as every catalogue text;
 * they are read as text through an inert DOMParser document and set as text, never as HTML.
 */
(function () {
  "use strict";
  var Airbridge = window.Airbridge;
  var parts = Airbridge.parts;
  if (parts.measure) {
    return;
  }
  var ab = parts.ab;
  var A = 6378137.0, F = 1 / 298.257223563, B = A * (1 - F);
  var RAD = Math.PI / 180;
  var STEP_KM = 20;  // a vertex every 20 km along a measured geodesic
  var RING_VERTICES = 180;
  var KM_PER_NM = 1.852;
  var RING_COLOURS = ["#7B3294", "#008837", "#C2A5CF"];
  var parser = new DOMParser();
  var tools = {measuring: false, points: [], layer: null, rings: null, box: null, readout: null,
               measureButton: null, ringPanel: null, origin: null, type: null};

  // ---- geodesy (WGS84) -------------------------------------------------------------

  function inverse(lat1, lon1, lat2, lon2) {
    // Vincenty (1975): distance (km) and initial azimuth (degrees); null when it does not
    // converge (points nearly antipodal), where the caller falls back to a sphere.
    var L0 = (lon2 - lon1) * RAD;
    var U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD)), U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var lambda = L0, lambdaP, iterations = 0;
    var sinLambda, cosLambda, sinSigma, cosSigma, sigma, sinAlpha, cosSqAlpha, cos2SigmaM, C;
    do {
      sinLambda = Math.sin(lambda);
      cosLambda = Math.cos(lambda);
      sinSigma = Math.sqrt(Math.pow(cosU2 * sinLambda, 2) + Math.pow(cosU1 * sinU2 - sinU1 * cosU2 * cosLambda, 2));
      if (sinSigma === 0) {
        return {km: 0, azimuth: 0};
      }
      cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
      sigma = Math.atan2(sinSigma, cosSigma);
      sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
      cosSqAlpha = 1 - sinAlpha * sinAlpha;
      cos2SigmaM = cosSqAlpha !== 0 ? cosSigma - 2 * sinU1 * sinU2 / cosSqAlpha : 0;
      C = F / 16 * cosSqAlpha * (4 + F * (4 - 3 * cosSqAlpha));
      lambdaP = lambda;
      lambda = L0 + (1 - C) * F * sinAlpha *
        (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    } while (Math.abs(lambda - lambdaP) > 1e-12 && ++iterations < 200);
    if (iterations >= 200) {
      return null;
    }
    var uSq = cosSqAlpha * (A * A - B * B) / (B * B);
    var bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    var bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    var deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
      bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
    var azimuth = Math.atan2(cosU2 * sinLambda, cosU1 * sinU2 - sinU1 * cosU2 * cosLambda) / RAD;
    return {km: B * bigA * (sigma - deltaSigma) / 1000, azimuth: (azimuth + 360) % 360};
  }

  function direct(lat1, lon1, azimuth, km) {
    // Vincenty's direct problem: the point ``km`` from (lat1, lon1) along ``azimuth``.
    var alpha1 = azimuth * RAD, s = km * 1000;
    var sinAlpha1 = Math.sin(alpha1), cosAlpha1 = Math.cos(alpha1);
    var tanU1 = (1 - F) * Math.tan(lat1 * RAD), cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1), sinU1 = tanU1 * cosU1;
    var sigma1 = Math.atan2(tanU1, cosAlpha1);
    var sinAlpha = cosU1 * sinAlpha1, cosSqAlpha = 1 - sinAlpha * sinAlpha;
    var uSq = cosSqAlpha * (A * A - B * B) / (B * B);
    var bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    var bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    var sigma = s / (B * bigA), sigmaP, cos2SigmaM, sinSigma, cosSigma, iterations = 0;
    do {
      cos2SigmaM = Math.cos(2 * sigma1 + sigma);
      sinSigma = Math.sin(sigma);
      cosSigma = Math.cos(sigma);
      var deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
        bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
      sigmaP = sigma;
      sigma = s / (B * bigA) + deltaSigma;
    } while (Math.abs(sigma - sigmaP) > 1e-12 && ++iterations < 200);
    var tmp = sinU1 * sinSigma - cosU1 * cosSigma * cosAlpha1;
    var lat2 = Math.atan2(sinU1 * cosSigma + cosU1 * sinSigma * cosAlpha1,
                          (1 - F) * Math.sqrt(sinAlpha * sinAlpha + tmp * tmp));
    var lambda = Math.atan2(sinSigma * sinAlpha1, cosU1 * cosSigma - sinU1 * sinSigma * cosAlpha1);
    var C = F / 16 * cosSqAlpha * (4 + F * (4 - 3 * cosSqAlpha));
    var dLon = lambda - (1 - C) * F * sinAlpha *
      (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    return [lat2 / RAD, lon1 + dLon / RAD];
  }

  function distanceKm(a, b) {
    var solved = inverse(a[0], a[1], b[0], b[1]);
    if (solved) {
      return solved.km;
    }
    // Nearly antipodal: a sphere of the mean radius, within 0.5 % there.
    var dLat = (b[0] - a[0]) * RAD, dLon = (b[1] - a[1]) * RAD;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * RAD) * Math.cos(b[0] * RAD) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function unwrap(latlngs) {
    // Consecutive longitudes within 180 degrees of each other, so Leaflet draws a line
    // across the antimeridian instead of back across the whole map.
    for (var i = 1; i < latlngs.length; i += 1) {
      while (latlngs[i][1] - latlngs[i - 1][1] > 180) { latlngs[i][1] -= 360; }
      while (latlngs[i][1] - latlngs[i - 1][1] < -180) { latlngs[i][1] += 360; }
    }
    return latlngs;
  }

  function geodesicPath(a, b) {
    var solved = inverse(a[0], a[1], b[0], b[1]);
    if (!solved || solved.km === 0) {
      return [a.slice(), b.slice()];
    }
    var steps = Math.max(1, Math.ceil(solved.km / STEP_KM)), path = [];
    for (var i = 0; i <= steps; i += 1) {
      path.push(i === steps ? b.slice() : direct(a[0], a[1], solved.azimuth, solved.km * i / steps));
    }
    return unwrap(path);
  }

  function ring(lat, lon, km) {
    var points = [];
    for (var i = 0; i <= RING_VERTICES; i += 1) {
      points.push(direct(lat, lon, (360 * i / RING_VERTICES) % 360, km));
    }
    return unwrap(points);
  }

  // ---- the measure tool ------------------------------------------------------------

  function formatKm(km) {
    return Math.round(km).toLocaleString("en-GB") + " km (" + Math.round(km / KM_PER_NM).toLocaleString("en-GB") +
      " NM)";
  }

  function totalKm() {
    var total = 0;
    for (var i = 1; i < tools.points.length; i += 1) {
      total += distanceKm(tools.points[i - 1], tools.points[i]);
    }
    return total;
  }

  function say(text) {
    tools.readout.textContent = text;
    tools.readout.style.display = text ? "" : "none";
  }

  function redrawMeasure() {
    tools.layer.clearLayers();
    var options = {pane: "ab-tools", color: "#D7191C", weight: 2.5, interactive: false};
    for (var i = 1; i < tools.points.length; i += 1) {
      L.polyline(geodesicPath(tools.points[i - 1], tools.points[i]), options).addTo(tools.layer);
    }
    tools.points.forEach(function (point) {
      L.circleMarker(point, {pane: "ab-tools", radius: 4, color: "#D7191C", weight: 2, fillColor: "#FFFFFF",
                             fillOpacity: 1, interactive: false}).addTo(tools.layer);
    });
    if (tools.points.length > 1) {
      say("Geodesic distance (WGS84): " + formatKm(totalKm()) + ", " + (tools.points.length - 1) +
          (tools.points.length > 2 ? " legs" : " leg") + ". Click to add a point; Esc or Measure to stop.");
    } else {
      say("Click the map to start measuring; Esc or Measure to stop.");
    }
  }

  function setMeasuring(on) {
    tools.measuring = on;
    tools.measureButton.setAttribute("aria-pressed", on ? "true" : "false");
    ab.map.getContainer().classList.toggle("ab-measuring", on);
    if (on) {
      ab.map.doubleClickZoom.disable();
      tools.points = [];
      redrawMeasure();
    } else {
      ab.map.doubleClickZoom.enable();
      if (tools.points.length < 2) {
        tools.layer.clearLayers();
        say("");
      } else {
        say(tools.readout.textContent.replace(/ Click to add.*$/, ""));
      }
    }
  }

  function addPoint(click) {
    if (!tools.measuring) {
      return;
    }
    ab.map.closePopup();
    tools.points.push([click.latlng.lat, click.latlng.lng]);
    redrawMeasure();
  }

  // ---- range rings -----------------------------------------------------------------

  function plain(html) {
    return html ? parser.parseFromString(String(html), "text/html").body.textContent || "" : "";
  }

  function option(select, value, text) {
    var item = document.createElement("option");
    item.value = value;
    item.textContent = text;
    select.appendChild(item);
  }

  function fillRingPanel() {
    var table = ab.catalogue && ab.catalogue.tools;
    tools.origin.textContent = "";
    tools.type.textContent = "";
    if (!table) {
      return;
    }
    table.origins.forEach(function (origin, index) { option(tools.origin, String(index), plain(origin.name)); });
    table.types.forEach(function (type, index) { option(tools.type, String(index), plain(type.name)); });
  }

  function drawRings() {
    var table = ab.catalogue && ab.catalogue.tools;
    if (!table || !table.origins.length || !table.types.length) {
      return;
    }
    var origin = table.origins[Number(tools.origin.value) || 0], type = table.types[Number(tools.type.value) || 0];
    tools.rings.clearLayers();
    var lines = [];
    type.ranges.forEach(function (figure, index) {
      var colour = RING_COLOURS[index % RING_COLOURS.length];
      var text = plain(type.name) + ": " + formatKm(figure.km) + ", " + plain(figure.label);
      var line = L.polyline(ring(origin.lat, origin.lon, figure.km),
                            {pane: "ab-tools", color: colour, weight: 2, dashArray: "8 5", interactive: false});
      line.addTo(tools.rings);
      var north = direct(origin.lat, origin.lon, 0, figure.km);
      L.tooltip({permanent: true, direction: "top", className: "ab-ring-label", pane: "ab-tools"})
        .setLatLng(north).setContent(document.createTextNode(text)).addTo(tools.rings);
      lines.push(text + " (source: " + plain(figure.source) + ")");
    });
    say("Range rings from " + plain(origin.name) + ", still air, one way: " + lines.join("; "));
  }

  // ---- the control -----------------------------------------------------------------

  function button(parent, text, title) {
    var item = L.DomUtil.create("button", "ab-tool", parent);
    item.type = "button";
    item.textContent = text;
    item.title = title;
    return item;
  }

  function build() {
    var map = ab.map;
    map.createPane("ab-tools").style.zIndex = 640;  // over the symbols, under the popups
    tools.layer = L.layerGroup().addTo(map);
    tools.rings = L.layerGroup().addTo(map);
    var Control = L.Control.extend({
      options: {position: "bottomleft"},  // above the scale bar: the top left holds search and extents
      onAdd: function () {
        var box = L.DomUtil.create("div", "ab-box ab-tools");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        tools.measureButton = button(box, "Measure", "Measure a geodesic distance: click points on the map");
        tools.measureButton.setAttribute("aria-pressed", "false");
        var ringsButton = button(box, "Range rings", "Rings of documented aircraft ranges around a site");
        ringsButton.setAttribute("aria-expanded", "false");
        tools.ringPanel = L.DomUtil.create("div", "ab-ring-panel", box);
        tools.ringPanel.style.display = "none";
        var fromLabel = L.DomUtil.create("label", "", tools.ringPanel);
        fromLabel.textContent = "From ";
        tools.origin = L.DomUtil.create("select", "", fromLabel);
        tools.origin.setAttribute("aria-label", "Range rings from");
        var typeLabel = L.DomUtil.create("label", "", tools.ringPanel);
        typeLabel.textContent = "Aircraft ";
        tools.type = L.DomUtil.create("select", "", typeLabel);
        tools.type.setAttribute("aria-label", "Aircraft type of the rings");
        var drawButton = button(tools.ringPanel, "Draw rings", "Draw the type's documented ranges around the site");
        var clearButton = button(tools.ringPanel, "Clear", "Remove the rings and the measured line");
        tools.readout = L.DomUtil.create("div", "ab-tool-readout", box);
        tools.readout.setAttribute("role", "status");
        tools.readout.setAttribute("aria-live", "polite");
        tools.readout.style.display = "none";
        tools.measureButton.addEventListener("click", function () { setMeasuring(!tools.measuring); });
        ringsButton.addEventListener("click", function () {
          var open = tools.ringPanel.style.display === "none";
          tools.ringPanel.style.display = open ? "" : "none";
          ringsButton.setAttribute("aria-expanded", open ? "true" : "false");
          if (open && !tools.origin.options.length) {
            fillRingPanel();
          }
        });
        drawButton.addEventListener("click", drawRings);
        clearButton.addEventListener("click", function () {
          tools.rings.clearLayers();
          tools.points = [];
          tools.layer.clearLayers();
          say("");
        });
        return box;
      }
    });
    tools.box = new Control().addTo(map);
    map.on("click", addPoint);
    map.getContainer().addEventListener("keydown", function (press) {
      if (press.key === "Escape" && tools.measuring) {
        setMeasuring(false);
      }
    });
  }

  // After the map is made (Airbridge.init, airbridge-base.js), add the control once.
  var init = Airbridge.init;
  Airbridge.init = function () {
    var made = init.apply(this, arguments);
    if (!tools.box && ab.map) {
      build();
    }
    return made;
  };
  parts.measure = {inverse: inverse, direct: direct, distanceKm: distanceKm, ring: ring, path: geodesicPath,
                   state: tools, drawRings: drawRings};
  Airbridge.measure = parts.measure;
}());
