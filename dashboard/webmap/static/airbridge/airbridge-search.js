/*
 * Airbridge map, the search box (see airbridge-core.js): a Leaflet control, top left,
 * with an input named "Search". It looks through what the map draws on its date, in the
 * catalogue texts it already has (no request): site names and their other names (the
 * site's tooltip and popup), named places (their uncertainty circles), and registrations
 * and callsigns of flight records, ADS-B tracks and last positions (tooltips and popups).
 * On the live page it also finds flight records of other dates, by name, in the scrub
 * index (airbridge-scrub.js): choosing one moves the date to the record's first day.
 * Choosing a result (a click, or Enter for the first) centres the map on it and opens its
 * popup; a place, which has no popup, opens one with its tooltip. No match says so.
 *
 * Texts are matched without case, accents or punctuation, so "ra82038" finds "RA-82038".
 * A match in a feature's name (its tooltip) ranks before one in its popup only, then by
 * kind (sites first). Every HTML string shown comes from the catalogue, escaped by Python;
 * texts are read through an inert DOMParser document, so nothing in them loads or runs.
 */
(function () {
  "use strict";
  var Airbridge = window.Airbridge;
  var parts = Airbridge.parts;
  if (parts.search) {
    return;
  }
  var ab = parts.ab;
  var KINDS = ["site", "circle", "flight", "track", "position", "gap"];  // searched, in ranking order
  var KIND_WORDS = {site: "site", circle: "place", flight: "flight record", track: "ADS-B track",
                    position: "aircraft position", gap: "went dark"};
  var MAX_RESULTS = 8;
  var MIN_ZOOM = 7;  // a chosen feature is shown at least this close
  var NAME_CHARS = 90;
  var NAME_SCORE = 0, ELSEWHERE_SCORE = 50, BODY_SCORE = 100;  // lower first, then by kind
  var RECORD_SEPARATOR = '<hr class="ab-sep">';  // between the records of a badge's popup (airbridge-layers.js)
  var parser = new DOMParser();
  var search = {box: null, input: null, list: null, status: null, results: []};

  function plain(html) {
    // The text of catalogue HTML, read in an inert document (no image loads, no script);
    // a line break stays one, so that a tooltip's first line is the feature's name.
    var marked = String(html || "").replace(/<br\s*\/?>/gi, "\n");
    return marked ? parser.parseFromString(marked, "text/html").body.textContent || "" : "";
  }

  function fold(value) {
    // Lower case without accents; and the same with only letters and digits left.
    var lower = value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    return [lower, lower.replace(/[^a-z0-9]+/g, "")];
  }

  function contentOf(holder) {
    var content = holder ? holder.getContent() : null;
    return typeof content === "string" ? content : "";
  }

  function collect() {
    // One entry per drawn layer that has a tooltip or a popup, in a layer group on the map.
    var entries = [];
    KINDS.forEach(function (kind, rank) {
      var keyed = ab.keyed[kind];
      if (!keyed) {
        return;
      }
      keyed.forEach(function (layers) {
        layers.forEach(function (layer) {
          var tip = contentOf(layer.getTooltip && layer.getTooltip());
          var popup = contentOf(layer.getPopup && layer.getPopup());
          if ((!tip && !popup) || !ab.map.hasLayer(layer)) {
            return;
          }
          entries.push({kind: kind, rank: rank, layer: layer, tip: tip, name: plain(tip || popup),
                        body: plain(popup)});
        });
      });
    });
    return entries;
  }

  function matches(text, query) {
    var folded = fold(text);
    return (query[0] && folded[0].indexOf(query[0]) >= 0) || (query[1] && folded[1].indexOf(query[1]) >= 0);
  }

  function find(queryText) {
    var query = fold(queryText.trim());
    if (!query[0]) {
      return [];
    }
    var hits = collect().map(function (entry) {
      var inName = matches(entry.name, query);
      if (!inName && !matches(entry.body, query)) {
        return null;
      }
      // Shown by the tooltip line that matched (a badge's tooltip lists several records).
      var lines = entry.name.split("\n").filter(function (line) { return line.trim(); });
      entry.label = shorten(lines.filter(function (line) { return matches(line, query); })[0] || lines[0] || "");
      entry.query = query;
      return {entry: entry, score: (inName ? NAME_SCORE : BODY_SCORE) + entry.rank};
    }).filter(Boolean).concat(findElsewhere(query));
    var seen = new Set();
    return hits.sort(function (a, b) {
      return a.score - b.score || a.entry.label.localeCompare(b.entry.label);
    }).filter(function (hit) {
      // Listed once per name: a place drawn by several layers, a record drawn on the date.
      var key = hit.entry.kind + "\n" + hit.entry.label;
      if (seen.has(key)) {
        return false;
      }
      seen.add(key);
      return true;
    }).slice(0, MAX_RESULTS).map(function (hit) { return hit.entry; });
  }

  function findElsewhere(query) {
    // Flight records by their name, from the scrub index (the live page only), wherever the
    // date is: one the map does not draw now is shown by moving the date to its first day,
    // which always shows it. They rank after names drawn now, before popup-only matches.
    var index = ab.catalogue.scrub;
    if (!index || !parts.scrub) {
      return [];
    }
    return index.records.filter(function (record) {
      return record.feature && matches(plain(parts.text(record.feature.tips[0])), query);
    }).map(function (record) {
      return {entry: {kind: "flight", day: record.from, query: query,
                      label: shorten(plain(parts.text(record.feature.tips[0])))},
              score: ELSEWHERE_SCORE + KINDS.indexOf("flight")};
    });
  }

  function chooseElsewhere(entry) {
    parts.scrub.moveTo(new Date(entry.day * 86400000).toISOString().slice(0, 10));
    parts.scheduleReport();  // Python hears the date, as after a slider move
    var drawn = collect().filter(function (found) {
      return found.kind === "flight" && matches(found.name, entry.query);
    });
    if (drawn.length) {
      drawn[0].label = entry.label;
      drawn[0].query = entry.query;
      choose(drawn[0]);
    } else {
      say("Moved to " + entry.label + ", but it is not drawn (its layer is off?).");
    }
  }

  function where(layer) {
    if (layer.getLatLng) {
      return layer.getLatLng();
    }
    return layer.getBounds ? layer.getBounds().getCenter() : null;
  }

  function choose(entry) {
    if (entry.day !== undefined) {
      chooseElsewhere(entry);
      return;
    }
    var layer = entry.layer;
    var at = where(layer);
    if (!at) {
      return;
    }
    ab.userMoved = true;  // the view goes into the URL (airbridge-view.js), as after a pan
    if (layer.getBounds && !layer.getLatLng) {
      ab.map.fitBounds(layer.getBounds(), {maxZoom: Math.max(ab.map.getZoom(), MIN_ZOOM), animate: false});
    } else {
      // As a focus on an event (airbridge-layers.js): the point below the middle, so the
      // popup opens above it clear of the date bar.
      var zoom = Math.max(ab.map.getZoom(), MIN_ZOOM);
      var point = ab.map.project(at, zoom).subtract([0, ab.map.getSize().y / 4]);
      ab.map.setView(ab.map.unproject(point, zoom), zoom, {animate: false});
    }
    if (layer.getPopup && layer.getPopup()) {
      putMatchFirst(layer, entry.query);
      layer.openPopup(at);
    } else {
      L.popup({className: "ab-search-popup"}).setLatLng(at).setContent(entry.tip).openOn(ab.map);
    }
    say("Showing " + entry.label + " (" + KIND_WORDS[entry.kind] + ").");
    hideResults();
  }

  function putMatchFirst(layer, query) {
    // A badge's popup lists the records at its place: the one whose heading matched (else
    // whose text did) goes first, and the usual order comes back when the popup closes (as
    // a focus on an event does).
    var html = contentOf(layer.getPopup());
    var pieces = html.split(RECORD_SEPARATOR);
    var at = pieces.map(function (piece) { return matches(titleOf(piece), query); }).indexOf(true);
    if (at < 0) {
      at = pieces.map(function (piece) { return matches(plain(piece), query); }).indexOf(true);
    }
    if (at > 0) {
      layer.setPopupContent([pieces[at]].concat(pieces.slice(0, at), pieces.slice(at + 1)).join(RECORD_SEPARATOR));
      layer.once("popupclose", function () { layer.setPopupContent(html); });
    }
  }

  function titleOf(piece) {
    // A record's heading (its name, with the registration) before the rest of its popup.
    var heading = parser.parseFromString(piece, "text/html").querySelector("h4");
    return heading ? heading.textContent || "" : "";
  }

  function shorten(name) {
    var line = name.trim().split("\n")[0].replace(/\s+/g, " ").trim();
    return line.length > NAME_CHARS ? line.slice(0, NAME_CHARS - 1) + "…" : line;
  }

  function say(message) {
    search.status.textContent = message;
    search.status.style.display = message ? "" : "none";
  }

  function hideResults() {
    search.list.textContent = "";
    search.list.style.display = "none";
    search.results = [];
  }

  function showResults(queryText) {
    hideResults();
    if (!queryText.trim()) {
      say("");
      return;
    }
    search.results = find(queryText);
    if (!search.results.length) {
      say("No match on the map for \u201c" + shorten(queryText) + "\u201d on this date.");
      return;
    }
    say(search.results.length === 1 ? "1 match: Enter shows it." :
      String(search.results.length) + " matches: Enter shows the first.");
    search.results.forEach(function (entry) {
      var item = L.DomUtil.create("li", "", search.list);
      var button = L.DomUtil.create("button", "ab-search-result", item);
      button.type = "button";
      button.textContent = entry.label + " \u2014 " + KIND_WORDS[entry.kind] +
        (entry.day !== undefined ? ", another date (moves the date)" : "");
      L.DomEvent.on(button, "click", function () { choose(entry); });
      L.DomEvent.on(button, "keydown", function (press) { moveFocus(press, button); });
    });
    search.list.style.display = "";
  }

  function moveFocus(press, button) {
    var buttons = Array.prototype.slice.call(search.list.querySelectorAll("button"));
    var at = buttons.indexOf(button);
    if (press.key === "ArrowDown" && at + 1 < buttons.length) {
      press.preventDefault();
      buttons[at + 1].focus();
    } else if (press.key === "ArrowUp") {
      press.preventDefault();
      (at > 0 ? buttons[at - 1] : search.input).focus();
    } else if (press.key === "Escape") {
      search.input.focus();
      hideResults();
    }
  }

  function build() {
    var Control = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = L.DomUtil.create("div", "ab-search leaflet-bar");
        box.setAttribute("role", "search");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        // Leaflet tells a click on a control by the target's ancestors; a chosen result is
        // removed at once, so its click must not reach the map (which would close the popup).
        L.DomEvent.on(box, "click", L.DomEvent.stopPropagation);
        search.input = L.DomUtil.create("input", "ab-search-input", box);
        search.input.type = "search";
        search.input.setAttribute("aria-label", "Search");
        search.input.placeholder = "Search sites, places, registrations";
        search.input.title = "Site names and other names, named places, registrations and callsigns on the " +
          "map's date. Enter shows the first match.";
        search.input.autocomplete = "off";
        search.list = L.DomUtil.create("ul", "ab-search-results", box);
        search.list.setAttribute("aria-label", "Search results");
        search.status = L.DomUtil.create("div", "ab-search-status", box);
        search.status.setAttribute("role", "status");
        hideResults();
        say("");
        L.DomEvent.on(search.input, "input", function () { showResults(search.input.value); });
        L.DomEvent.on(search.input, "keydown", function (press) {
          if (press.key === "Enter") {
            press.preventDefault();
            showResults(search.input.value);
            if (search.results.length) {
              choose(search.results[0]);
            }
          } else if (press.key === "ArrowDown" && search.results.length) {
            press.preventDefault();
            search.list.querySelector("button").focus();
          } else if (press.key === "Escape") {
            search.input.value = "";
            hideResults();
            say("");
          }
        });
        return box;
      }
    });
    search.box = new Control().addTo(ab.map);
    // Under the zoom and full-screen buttons, above the extent buttons (airbridge-view.js):
    // the date bar runs across the top beside them.
    var presets = ab.map.getContainer().querySelector(".leaflet-top.leaflet-left .ab-presets");
    if (presets) {
      presets.parentNode.insertBefore(search.box.getContainer(), presets);
    }
  }

  // After the map is made (Airbridge.init, airbridge-base.js), add the box once.
  var init = Airbridge.init;
  Airbridge.init = function (map, options) {
    var made = init.apply(this, arguments);
    if (!search.box && ab.map) {
      build();
    }
    return made;
  };
  parts.search = {find: find, choose: choose};
}());
