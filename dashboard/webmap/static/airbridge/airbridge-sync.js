/*
 * Airbridge map, keeping layers in step (see airbridge-core.js): for one kind of feature,
 * the Leaflet layers of a date's features. A feature that did not change keeps its layers;
 * one whose count changed but not its place has them refreshed; the rest are built
 * (parts.CREATORS, airbridge-layers.js and airbridge-tracks.js) or removed.
 *
 * A feature is read by the names of FIELDS (airbridge-core.js), always through a
 * variable named after its kind (route.geom...): tests/test_map_contract.py reads this
 * file to check those names.
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.syncLayers) {
    return;
  }
  var ab = parts.ab;

  // What a feature's layers are built from besides its texts and its size (a route's
  // width, a badge's count), per kind: a feature of the same shape as one that left is
  // refreshed in place instead of rebuilt. With 10,000 flight records nearly every route
  // and badge changes its count every day, and removing and adding their layers was most
  // of a date's drawing (issue 11: a drag's dates per second).
  var SHAPES = {
    // (a route's dash pattern scales with its width: not part of its shape)
    route: function (route) { return JSON.stringify([route.geom, route.kind, route.stubs, route.unstated]); },
    flight: function (flight) { return JSON.stringify([flight.geom]); }
  };

  function refreshIcon(marker, icon) {
    // A badge's new count is new HTML in the same box: written into the element Leaflet
    // drew (as L.DivIcon.createIcon writes it), not a new element with its listeners.
    var was = marker.options.icon.options, now = icon.options, element = marker.getElement();
    var sameBox = was.className === now.className && String(was.iconSize) === String(now.iconSize) &&
      String(was.iconAnchor) === String(now.iconAnchor) && was.bgPos === now.bgPos;
    if (sameBox && was.html === now.html) {
      marker.options.icon = icon;
    } else if (sameBox && element && typeof now.html === "string") {
      element.innerHTML = now.html;
      marker.options.icon = icon;
    } else {
      marker.setIcon(icon);
    }
  }

  function refresh(layers, fresh) {
    // FRESH are the layers CREATORS built for the new feature, never added to the map: the
    // kept layers take their style, icon, texts and marks (same shape, so the same layers
    // in the same order).
    layers.forEach(function (layer, i) {
      var model = fresh[i];
      if (layer.setStyle) {
        layer.setStyle(model.options);
      }
      if (layer.setIcon) {
        refreshIcon(layer, model.options.icon);
      }
      if (model.getPopup()) {
        layer.setPopupContent(model.getPopup().getContent());
      }
      if (model.getTooltip()) {
        layer.setTooltipContent(model.getTooltip().getContent());
      }
      Object.keys(model).forEach(function (name) {
        if (name.slice(0, 2) === "ab" && name !== "abGroup") {
          layer[name] = model[name];
        }
      });
    });
  }

  function sync(kind, features) {
    // Keep the layers of features that did not change (an open popup stays open, and a
    // step redraws only what moved), refresh those whose shape stayed (SHAPES), add the
    // new ones, remove the gone ones. Returns whether a label or a symbol may have moved.
    var old = ab.keyed[kind] || new Map();
    var next = new Map();
    var changed = false;
    var unmatched = [];
    features.forEach(function (feature) {
      var key = JSON.stringify(feature);
      if (next.has(key)) {
        return;
      }
      var layers = old.get(key);
      if (layers) {
        old.delete(key);
        next.set(key, layers);
      } else {
        next.set(key, null);
        unmatched.push([key, feature]);
      }
    });
    var shape = SHAPES[kind];
    var spare = new Map();  // shape -> keys of the old features of that shape left over
    if (shape) {
      old.forEach(function (layers, key) {
        var of = shape(JSON.parse(key));
        spare.set(of, (spare.get(of) || []).concat([key]));
      });
    }
    unmatched.forEach(function (pair) {
      var key = pair[0], feature = pair[1];
      var spareKeys = shape ? spare.get(shape(feature)) : null;
      var layers;
      if (spareKeys && spareKeys.length) {
        var oldKey = spareKeys.shift();
        layers = old.get(oldKey);
        old.delete(oldKey);
        refresh(layers, parts.CREATORS[kind](feature));
      } else {
        layers = parts.CREATORS[kind](feature);
        layers.forEach(function (layer) {
          layer.abGroup = layer.abGroup || ab.groups[kind];
          layer.abGroup.addLayer(layer);
        });
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

  parts.syncLayers = sync;
}());
