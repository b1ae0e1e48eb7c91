/*
 * Airbridge map, the view (see airbridge-core.js): the extent buttons (Theatre, Syria,
 * Libya, Russia to Libya: layers/extents.py, sent as options.presets), and the date and
 * map view written into the page's address when the map reports (airbridge-base.js).
 *
 * The address is the browser's history (dashboard/app/view_state.py): Streamlit pushes an
 * entry whenever Python writes a new query string. A slider step, a pan or a zoom must
 * not, so this script replaces the entry itself with what Python is about to write; a
 * window, layer or event change, which only Python writes, still pushes one, and Back
 * undoes it. The page and this frame share an origin (Streamlit's component server), so
 * the frame may call the page's history.replaceState.
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.writeUrl) {
    return;
  }
  var ab = parts.ab;
  var DEFAULT_DECIMALS = {zoom: 2, center: 4};  // used only when the page sends none

  function formatNumber(value, decimals) {
    // As dashboard/app/view_state.format_number writes it: rounded, no trailing zeros.
    return String(Number(value.toFixed(decimals)));
  }

  function describeView() {
    // The map view for the URL once the user (or a focus) has moved the map; before that
    // the page opens on the opening extent, fitted to each screen.
    if (!ab.userMoved) {
      return {zoom: null, center: null};
    }
    var decimals = (ab.options.urlParams || {}).decimals || DEFAULT_DECIMALS;
    var centre = ab.map.getCenter().wrap();
    return {
      zoom: formatNumber(ab.map.getZoom(), decimals.zoom),
      center: formatNumber(centre.lat, decimals.center) + "," + formatNumber(centre.lng, decimals.center)
    };
  }

  function orderParams(current, order) {
    // Python's order first (view_state.PARAM_NAMES), then any other parameter as it was.
    var ordered = new URLSearchParams();
    order.forEach(function (name) {
      if (current.has(name)) {
        ordered.set(name, current.get(name));
      }
    });
    current.forEach(function (value, name) {
      if (order.indexOf(name) < 0) {
        ordered.append(name, value);
      }
    });
    return ordered.toString();
  }

  function writeUrl(values) {
    // values: parameter -> text, or null to remove it; only those of urlParams.replace.
    var rule = ab.options.urlParams;
    try {
      var page = window.parent;
      if (!rule || page === window || !page.history) {
        return;
      }
      var current = new URLSearchParams(page.location.search);
      rule.replace.forEach(function (name) {
        if (values[name] === null || values[name] === undefined) {
          current.delete(name);
        } else {
          current.set(name, values[name]);
        }
      });
      var search = orderParams(current, rule.order);
      var wanted = search ? "?" + search : "";
      if (wanted !== page.location.search) {
        page.history.replaceState(page.history.state, "", page.location.pathname + wanted + page.location.hash);
      }
    } catch (error) {
      // A page of another origin: Python's write pushes an entry instead; nothing breaks.
    }
  }

  function followHistory() {
    // Back or Forward in the page: a report still waiting (350 ms after a pan) would carry
    // the view being left and undo the one restored; drop it (the restored state reports anew).
    var rule = ab.options.urlParams;
    try {
      if (rule && window.parent !== window) {
        window.parent.addEventListener("popstate", function () { clearTimeout(ab.reportTimer); });
      }
    } catch (error) {
      // A page of another origin: nothing to follow.
    }
  }

  function buildPresets(presets) {
    if (!presets.length) {
      return;
    }
    var Presets = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = L.DomUtil.create("div", "ab-box ab-presets");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Map extent");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        presets.forEach(function (preset) {
          var button = L.DomUtil.create("button", "ab-preset", box);
          button.type = "button";
          button.innerHTML = preset.label;  // escaped by Python (folium_map.build_base_map)
          button.title = "Show this extent";
          button.dataset.abExtent = preset.key;
          L.DomEvent.on(button, "click", function () { showPreset(preset); });
        });
        return box;
      }
    });
    new Presets().addTo(ab.map);
  }

  function showPreset(preset) {
    // The user's choice: the view is reported (and goes into the URL) as a pan would be.
    parts.fitExtent(preset.bounds);
    ab.userMoved = true;
    parts.scheduleReport();
  }

  parts.describeView = describeView;
  parts.writeUrl = writeUrl;
  parts.buildPresets = buildPresets;
  parts.followHistory = followHistory;
}());
