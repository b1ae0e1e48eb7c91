/*
 * Airbridge map, part 5 of 5 (see airbridge-core.js): places the labels of sites, named
 * places (the dashed circles of a place whose airfield is not named, labelled in italics)
 * and aircraft, after each drawing, zoom, resize and layer toggle.
 *
 * Most important first (rank: ends of the window's routes and flights, then active sites,
 * then the rest; an aircraft's registration with the first), each label tries 8 places
 * around its symbol, then the same 8 directions further out, joined to the symbol by a
 * leader line. No label ever overlaps another. A label that must show (rank 0 or 1, an
 * aircraft) takes the place that covers the least of the symbols, badges, stars, map
 * controls and map edge, a short leader costing less than covering a symbol; a less
 * important label shows only where it covers nothing at all, close to its symbol.
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.declutterLabels) {
    return;
  }
  var ab = parts.ab;
  var text = parts.text, geometry = parts.geometry, latLng = parts.latLng;

  var REQUIRED_MAX_RANK = 1;  // ranks 0 (busy) and 1 (active, reported...) must be labelled
  var LABEL_MIN_ZOOM_FOR_RANK = {3: 6.5};  // "no status yet" sites are labelled only when zoomed in
  var SOFT_OBSTACLE_MAX_RANK = parts.SOFT_OBSTACLE_MAX_RANK;
  // The 8 directions, best first: beside, then above and below, then the corners.
  var DIRECTIONS = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [1, 1], [-1, -1], [-1, 1]];
  // Gap between symbol and label per ring (px); ring 0 touches the symbol, the others get a leader.
  var RING_GAPS = [3, 16, 32, 52, 76, 104];
  var OPTIONAL_RINGS = 2;  // a less important label may move one ring out at most
  // Costs: px² covered, weighted; a ring out costs about a symbol's corner covered.
  var RING_COST = [0, 500, 1200, 2200, 3400, 4800];
  var DIRECTION_COST = 12;
  var WEIGHT = {label: Infinity, edge: 60, control: 60, symbol: 30, soft: 3};
  var SITE_HALF = 10, PLACE_HALF = 2, LABEL_MARGIN = 1;
  var OFF_VIEW_PX = 150;  // symbols further off the map than this are not labelled

  // ---- named places: a label at the centre of each circle ---------------------------

  var createCircle = parts.CREATORS.circle;
  parts.CREATORS.circle = function (circle) {
    var layers = createCircle(circle);
    var label = L.marker(latLng(geometry(circle.geom)), {
      icon: L.divIcon({className: "ab-place", iconSize: [0, 0], iconAnchor: [0, 0],
                       html: '<div class="ab-label ab-place-label">' + text(circle.label) + "</div>"}),
      interactive: false, keyboard: false, zIndexOffset: 700
    });
    label.abRank = circle.rank;
    label.abNamedPlace = true;
    // In the group of the layer whose place it names, as its circle.
    label.abGroup = layers[0].abGroup;
    return layers.concat([label]);
  };

  // ---- what is on the map --------------------------------------------------------------

  function collectItems() {
    var items = [];
    var seen = {};
    ["site", "position", "route", "flight", "event", "observation"].forEach(function (name) {
      if (!ab.groups[name] || !ab.map.hasLayer(ab.groups[name])) {
        return;
      }
      ab.groups[name].eachLayer(function (marker) {
        var element = marker.getElement && marker.getElement();
        var label = element && element.querySelector(".ab-label");
        if (!label || !label.textContent) {
          return;  // no label, or a place without a name
        }
        var item = {marker: marker, element: element, label: label, rank: marker.abRank, place: !!marker.abNamedPlace,
                    point: ab.map.latLngToContainerPoint(marker.getLatLng())};
        if (item.place) {
          // One label per named place, though routes, flights and events each outline it.
          var key = label.textContent + "@" + Math.round(item.point.x) + "," + Math.round(item.point.y);
          if (seen[key] && seen[key].rank <= item.rank) {
            item.duplicate = true;
          } else if (seen[key]) {
            seen[key].duplicate = true;
          }
          if (!item.duplicate) {
            seen[key] = item;
          }
        }
        items.push(item);
      });
    });
    return items;
  }

  function containerBox(element, origin) {
    var r = element.getBoundingClientRect();
    return {left: r.left - origin.left, top: r.top - origin.top, right: r.right - origin.left,
            bottom: r.bottom - origin.top};
  }

  function collectObstacles(items, size) {
    var obstacles = [];
    items.forEach(function (item) {
      if (!item.place) {
        var p = item.point;
        obstacles.push({left: p.x - SITE_HALF, right: p.x + SITE_HALF, top: p.y - SITE_HALF, bottom: p.y + SITE_HALF,
                        kind: "symbol", owner: item});
      }
    });
    ["flight", "event", "observation"].forEach(function (name) {
      if (!ab.map.hasLayer(ab.groups[name])) {
        return;
      }
      ab.groups[name].eachLayer(function (marker) {
        var box = marker.abBox;
        if (!box) {
          return;  // an uncertainty circle or a place label
        }
        var p = ab.map.latLngToContainerPoint(marker.getLatLng());
        obstacles.push({left: p.x + box.left, right: p.x + box.right, top: p.y + box.top, bottom: p.y + box.bottom,
                        kind: "soft"});
      });
    });
    // The controls and boxes drawn over the map hide whatever label lies under them.
    var container = ab.map.getContainer();
    var origin = container.getBoundingClientRect();
    var boxes = container.querySelectorAll(".leaflet-control, .ab-scrub");
    for (var i = 0; i < boxes.length; i += 1) {
      var box = containerBox(boxes[i], origin);
      if (box.right > box.left && box.bottom > box.top && getComputedStyle(boxes[i]).visibility !== "hidden" &&
          box.right > 0 && box.left < size.x && box.bottom > 0 && box.top < size.y) {
        obstacles.push({left: box.left - 2, right: box.right + 2, top: box.top - 2, bottom: box.bottom + 2,
                        kind: "control"});
      }
    }
    return obstacles;
  }

  // ---- candidate places --------------------------------------------------------------

  function candidate(item, ring, d) {
    // The label box at gap RING_GAPS[ring] from the symbol, in direction DIRECTIONS[d].
    var dx = DIRECTIONS[d][0], dy = DIRECTIONS[d][1];
    var half = item.place ? PLACE_HALF : SITE_HALF;
    var reach = half + RING_GAPS[ring];
    var corner = dx !== 0 && dy !== 0 ? 0.72 : 1;  // corners sit on a circle, not a square
    var qx = item.point.x + dx * reach * corner, qy = item.point.y + dy * reach * corner;
    var w = item.width, h = item.height;
    var left = dx > 0 ? qx : dx < 0 ? qx - w : qx - w / 2;
    var top = dy > 0 ? qy : dy < 0 ? qy - h : qy - h / 2;
    return {left: left, top: top, right: left + w, bottom: top + h, ring: ring, direction: d};
  }

  function overlapArea(a, b) {
    return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
      Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  }

  function outsideArea(box, size) {
    var inside = overlapArea(box, {left: 0, top: 0, right: size.x, bottom: size.y});
    return (box.right - box.left) * (box.bottom - box.top) - inside;
  }

  function cost(item, box, placed, obstacles, size, required) {
    var padded = {left: box.left - LABEL_MARGIN, right: box.right + LABEL_MARGIN, top: box.top - LABEL_MARGIN,
                  bottom: box.bottom + LABEL_MARGIN};
    for (var i = 0; i < placed.length; i += 1) {
      if (overlapArea(padded, placed[i]) > 0) {
        return Infinity;  // labels never overlap
      }
    }
    var total = RING_COST[box.ring] + DIRECTION_COST * box.direction;
    var outside = outsideArea(box, size);
    if (outside > 0 && !required) {
      return Infinity;
    }
    total += WEIGHT.edge * outside;
    // Labels of busy and active sites may cover badges and stars (they are drawn above
    // them) at a small cost; the others, and aircraft labels, cover nothing.
    var mayCoverSoft = item.rank <= SOFT_OBSTACLE_MAX_RANK && !item.marker.abAlwaysLabelled;
    for (var j = 0; j < obstacles.length; j += 1) {
      var other = obstacles[j];
      if (other.owner === item) {
        continue;
      }
      var area = overlapArea(box, other);
      if (area > 0) {
        if (!required && !(other.kind === "soft" && mayCoverSoft)) {
          return Infinity;
        }
        total += WEIGHT[other.kind] * area;
      }
    }
    return total;
  }

  function choosePlace(item, placed, obstacles, size) {
    var required = item.rank <= REQUIRED_MAX_RANK || !!item.marker.abAlwaysLabelled;
    var rings = required ? RING_GAPS.length : OPTIONAL_RINGS;
    var best = null;
    for (var ring = 0; ring < rings; ring += 1) {
      for (var d = 0; d < DIRECTIONS.length; d += 1) {
        var box = candidate(item, ring, d);
        var value = cost(item, box, placed, obstacles, size, required);
        if (value < Infinity && (best === null || value < best.cost)) {
          best = box;
          best.cost = value;
        }
      }
      if (best !== null && (ring + 1 >= rings || best.cost <= RING_COST[ring + 1])) {
        break;  // no place further out can cost less
      }
    }
    return best;
  }

  // ---- placing -----------------------------------------------------------------------

  function declutterLabels() {
    // Reads every size in one pass, places, then writes every style in another (one layout).
    if (!ab.map) {
      return;
    }
    var zoom = ab.map.getZoom();
    var size = ab.map.getSize();
    var items = collectItems();
    if (items.length === 0) {
      return;
    }
    items.forEach(function (item) {
      item.width = item.label.offsetWidth;
      item.height = item.label.offsetHeight;
      var neighbours = 0;
      items.forEach(function (other) {
        if (other !== item && Math.abs(other.point.x - item.point.x) < 90 && Math.abs(other.point.y - item.point.y) < 40) {
          neighbours += 1;
        }
      });
      item.neighbours = neighbours;
    });
    var obstacles = collectObstacles(items, size);
    // Most important first; within a rank, the most crowded first, while room is left.
    var order = items.slice().sort(function (a, b) {
      var ra = a.marker.abAlwaysLabelled ? 0 : a.rank, rb = b.marker.abAlwaysLabelled ? 0 : b.rank;
      return ra - rb || b.neighbours - a.neighbours;
    });
    var placed = [];
    order.forEach(function (item) {
      item.box = null;
      var minZoom = LABEL_MIN_ZOOM_FOR_RANK[item.rank];
      var p = item.point;
      if (item.duplicate || (minZoom !== undefined && zoom < minZoom) || p.x < -OFF_VIEW_PX || p.y < -OFF_VIEW_PX ||
          p.x > size.x + OFF_VIEW_PX || p.y > size.y + OFF_VIEW_PX) {
        return;
      }
      item.box = choosePlace(item, placed, obstacles, size);
      if (item.box) {
        placed.push(item.box);
      }
    });
    items.forEach(showPlace);
  }

  function showPlace(item) {
    // The label's box is in map container pixels; the label is positioned in its marker's
    // icon, whose top left is the point minus the icon anchor.
    var anchor = item.place ? 0 : 12;
    var originX = item.point.x - anchor, originY = item.point.y - anchor;
    var label = item.label;
    label.classList.toggle("ab-hidden", item.box === null);
    var leader = item.element.querySelector(".ab-leader");
    if (item.box === null) {
      if (leader) {
        leader.style.display = "none";
      }
      return;
    }
    label.style.left = String(Math.round(item.box.left - originX)) + "px";
    label.style.top = String(Math.round(item.box.top - originY)) + "px";
    label.dataset.abRing = String(item.box.ring);
    if (item.box.ring === 0) {
      if (leader) {
        leader.style.display = "none";
      }
      return;
    }
    if (!leader) {
      leader = L.DomUtil.create("span", "ab-leader", item.element);
    }
    // From the symbol's edge to the nearest point of the label.
    var half = item.place ? PLACE_HALF : SITE_HALF * 0.8;
    var tx = Math.max(item.box.left, Math.min(item.point.x, item.box.right));
    var ty = Math.max(item.box.top, Math.min(item.point.y, item.box.bottom));
    var angle = Math.atan2(ty - item.point.y, tx - item.point.x);
    var sx = item.point.x + Math.cos(angle) * half, sy = item.point.y + Math.sin(angle) * half;
    var length = Math.max(0, Math.sqrt((tx - sx) * (tx - sx) + (ty - sy) * (ty - sy)) - 1);
    leader.style.display = "";
    leader.style.left = String(Math.round(sx - originX)) + "px";
    leader.style.top = String(Math.round(sy - originY)) + "px";
    leader.style.width = String(Math.round(length)) + "px";
    leader.style.transform = "rotate(" + angle.toFixed(3) + "rad)";
  }

  parts.declutterLabels = declutterLabels;
}());
