/*
 * Airbridge map, part 5 of 5 (see airbridge-core.js): places the site and aircraft labels
 * so that they do not cover each other, the site and aircraft symbols, or (for less
 * important sites) the flight badges, event stars and observation eyes. Run after each drawing, zoom, resize
 * and layer toggle. An aircraft's label (its registration) is placed after the labels of
 * busy sites and before the others', may also go to a corner of its arrow, and is always
 * shown: where no place is free it goes where it covers the least of the labels there.
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.declutterLabels) {
    return;
  }
  var ab = parts.ab;

  var LABEL_POSITIONS = ["r", "l", "t", "b"];
  // An aircraft's label may also go to a corner: it must show, and airfields crowd.
  var AIRCRAFT_LABEL_POSITIONS = ["r", "l", "t", "b", "tr", "br", "tl", "bl"];
  var LABEL_MIN_ZOOM_FOR_RANK = {3: 6.5};  // "no status yet" sites are labelled only when zoomed in
  var SOFT_OBSTACLE_MAX_RANK = parts.SOFT_OBSTACLE_MAX_RANK;

  // Label boxes relative to the 24 x 24 icon, per position (see .ab-pos-* in the CSS).
  function labelBox(position, width, height) {
    switch (position) {
      case "r": return {left: 27, top: 3};
      case "l": return {left: -3 - width, top: 3};
      case "t": return {left: 12 - width / 2, top: -1 - height};
      case "tr": return {left: 20, top: 2 - height};
      case "br": return {left: 20, top: 22};
      case "tl": return {left: 4 - width, top: 2 - height};
      case "bl": return {left: 4 - width, top: 22};
      default: return {left: 12 - width / 2, top: 25};
    }
  }

  function declutterLabels() {
    // Greedy placement, most important first: right, left, above, below, else hidden.
    // Reads all sizes in one pass and writes all classes in another (one layout).
    var zoom = ab.map.getZoom();
    var items = [];
    ["site", "position"].forEach(function (name) {
      if (!ab.groups[name] || !ab.map.hasLayer(ab.groups[name])) {
        return;
      }
      ab.groups[name].getLayers().forEach(function (marker) {
        var element = marker.getElement();
        var label = element && element.querySelector(".ab-label");
        if (label) {
          items.push({marker: marker, label: label});
        }
      });
    });
    if (items.length === 0) {
      return;
    }
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
    ["flight", "event", "observation"].forEach(function (name) {
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
      var positions = item.marker.abAlwaysLabelled ? AIRCRAFT_LABEL_POSITIONS : LABEL_POSITIONS;
      var fallback = null;
      for (var i = 0; i < positions.length; i += 1) {
        var offset = labelBox(positions[i], item.width, item.height);
        var left = item.point.x - 12 + offset.left, top = item.point.y - 12 + offset.top;
        var box = {left: left - 1, right: left + item.width + 1, top: top - 1, bottom: top + item.height + 1};
        // Labels of busy and active sites may cover badges and stars (they are drawn above
        // them); all labels avoid other labels and site symbols, aircraft labels avoid all.
        var strict = item.marker.abRank > SOFT_OBSTACLE_MAX_RANK || !!item.marker.abAlwaysLabelled;
        var blocking = taken.filter(function (other) {
          return other.owner !== item && (strict || !other.soft) && overlaps(box, other);
        });
        if (blocking.length === 0) {
          taken.push(box);
          item.position = positions[i];
          return;
        }
        // A label that must show goes where it covers the least of what is there.
        var covered = blocking.reduce(function (total, other) { return total + overlapArea(box, other); }, 0);
        if (item.marker.abAlwaysLabelled && (fallback === null || covered < fallback.covered)) {
          fallback = {position: positions[i], box: box, covered: covered};
        }
      }
      if (fallback !== null) {
        taken.push(fallback.box);
        item.position = fallback.position;
      }
    });
    items.forEach(function (item) {
      setPosition(item.label, item.position || "r");
      item.label.classList.toggle("ab-hidden", item.position === null);
    });
  }

  function setPosition(label, position) {
    AIRCRAFT_LABEL_POSITIONS.forEach(function (p) { label.classList.toggle("ab-pos-" + p, p === position); });
  }

  function overlapArea(a, b) {
    return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
      Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  parts.declutterLabels = declutterLabels;
}());
