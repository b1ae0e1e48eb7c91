/*
 * Airbridge map, part 2 of 5 (see airbridge-core.js): Airbridge.init and Airbridge.update,
 * the base layers (online tiles, offline Natural Earth), the controls and boxes (layer
 * list, date caption, notice, legend, banner), the opening extent, and the reports of
 * layer, basemap and extent changes to Streamlit (the date and map view go into the page's
 * address first: airbridge-view.js).
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.showBase) {
    return;
  }
  var ab = parts.ab;
  var silently = parts.silently;

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

  function fetchJson(url) {
    // The published catalogue and basemap have gzip copies (URL + ".gz", options.gzipCopies):
    // Streamlit's server sends those as they are, where it gzips the JSON again on every
    // request. A browser without DecompressionStream, a missing copy or one that does not
    // unpack (a proxy that decoded it already) falls back to the JSON itself.
    function fetchPlain() {
      return fetch(url, {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
    }
    if (!ab.options.gzipCopies || typeof DecompressionStream !== "function") {
      return fetchPlain();
    }
    return fetch(url + ".gz", {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok || !response.body) {
          throw new Error("HTTP " + response.status);
        }
        return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).json();
      })
      .catch(fetchPlain);
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
    fetchJson(options.basemapUrl)
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

  function markReady() {
    // The map is ready (for tests and the benchmark) once a state is drawn and the
    // offline basemap, when shown, is loaded or has failed.
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

  // ---- controls ----------------------------------------------------------------------

  function buildControls(options) {
    var map = ab.map;
    var baseByLabel = {};
    options.basemaps.forEach(function (spec) { baseByLabel[spec.label] = ab.bases[spec.key]; });
    var overlays = {};
    parts.CONTROL_ORDER.forEach(function (name) {
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

  function scheduleReport() {
    // Nothing is reported before the first state is drawn: streamlit-folium sizes the
    // frame after the map is made, and the moveend of that resize, reported while the
    // catalogue was still loading, told Python that no layer was shown (measured: 7 of 24
    // fresh loads at 390-600 px drew nothing, the URL's layers emptied).
    if (ab.silent > 0 || !ab.options.report || !window.Streamlit || !ab.drawn) {
      return;
    }
    clearTimeout(ab.reportTimer);
    ab.reportTimer = setTimeout(report, 350);
  }

  function report() {
    var bounds = ab.map.getBounds();
    var round = function (v) { return Math.round(v * 1000) / 1000; };
    // Layers this script does not draw (none in its list) keep what the page asked for.
    var undrawn = (ab.applied.visible || []).filter(function (name) { return !ab.groups[name]; });
    var view = parts.describeView();  // airbridge-view.js
    var date = parts.scrub ? parts.scrub.date() : null;  // the date control's day (airbridge-scrub.js)
    parts.writeUrl({date: date, zoom: view.zoom, center: view.center});
    ab.reports += 1;
    window.Streamlit.setComponentValue({
      airbridge: {
        layers: parts.visibleLayerKeys().concat(undrawn), basemap: currentBaseKey(), report: ab.reports,
        date: date, zoom: view.zoom, center: view.center,
        bounds: [round(bounds.getWest()), round(bounds.getSouth()), round(bounds.getEast()), round(bounds.getNorth())]
      }
    });
  }

  // ---- public ------------------------------------------------------------------------

  function fitExtent(bounds) {
    // The legend sits at the right edge: fit the extent (the opening one by default) into
    // the rest of the map.
    var box = ab.legend && ab.legend.getContainer();
    var right = box && box.firstChild && box.offsetWidth < ab.map.getSize().x / 2 ? box.offsetWidth + 10 : 0;
    silently(function () {
      ab.map.fitBounds(bounds || ab.options.fitBounds, {animate: false, paddingBottomRight: [right, 0]});
    });
  }

  function init(map, options) {
    ab.map = map;
    ab.options = options;
    map.createPane("ab-basemap").style.zIndex = 150;
    map.createPane("ab-areas").style.zIndex = 405;  // reach areas, under every line
    map.createPane("ab-lines").style.zIndex = 410;
    map.createPane("ab-tracks").style.zIndex = 420;  // flown tracks and gaps, over the routes they follow
    map.createPane("ab-arrows").style.zIndex = 450;
    map.getPane("ab-arrows").style.pointerEvents = "none";
    parts.LAYERS.forEach(function (name) { ab.groups[name] = L.layerGroup(); });
    buildBaseLayers(options);
    buildControls(options);
    parts.watchLayout(map);  // airbridge-layout.js: legend, popups and full screen clear of each other
    parts.buildPresets(options.presets || []);  // airbridge-view.js
    parts.followHistory();
    showBase(options.basemap);
    ab.applied.basemap = options.basemap;
    map.on("baselayerchange", function (change) {
      if (change.layer) {
        styleContainer(change.layer);
      }
      scheduleReport();
    });
    map.on("overlayadd overlayremove", function () {
      parts.updateLegend();
      requestAnimationFrame(parts.declutterLabels);
      scheduleReport();
    });
    map.on("movestart", function () {
      if (ab.silent === 0) {
        ab.userMoved = true;
      }
    });
    map.on("moveend", scheduleReport);
    map.on("zoomend", function () { requestAnimationFrame(parts.declutterLabels); });
    map.on("popupopen popupclose", function (change) {
      map.getContainer().classList.toggle("ab-popup-open", change.type === "popupopen");
    });
    map.on("resize", function () {
      // The frame is sized after the map is made: keep the opening extent in view until
      // the user moves the map.
      if (!ab.userMoved && options.fitBounds) {
        fitExtent();
      }
      requestAnimationFrame(parts.declutterLabels);
    });
    if (options.fitBounds) {
      fitExtent();
    }
    if (options.catalogue) {
      setCatalogue(options.catalogue);
    } else {
      fetchJson(options.catalogueUrl)
        .then(setCatalogue)
        .catch(function (error) {
          showNotice("The map data could not be loaded (" + String(error.message) + "). Reload the page.");
        });
    }
  }

  function setCatalogue(catalogue) {
    ab.catalogue = catalogue;
    parts.updateLegend();
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
      var pending = ab.pending;
      ab.pending = null;
      parts.draw(pending);
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
    parts.draw(state);
  }

  parts.showBase = showBase;
  parts.fitExtent = fitExtent;
  parts.scheduleReport = scheduleReport;
  parts.markReady = markReady;
  window.Airbridge.init = init;
  window.Airbridge.update = update;
}());
