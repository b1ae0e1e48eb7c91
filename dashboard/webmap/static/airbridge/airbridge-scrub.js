/*
 * Airbridge map, the date control (see airbridge-core.js): with a catalogue that holds a
 * scrub index (dashboard/webmap/scrub_index.py), the map draws any date and window by
 * itself. The control (a range input, role slider, named "Date"; Play/Pause; Speed) sits
 * on the map; moving it redraws the map at once, and Streamlit hears the date only when
 * the hand settles (the report of airbridge-base.js, debounced), to update the event
 * list, the histogram and the URL.
 *
 * The rules are those of layers/timeline.py and layers/tracks/map_layers.py, on day
 * numbers (days since 1970-01-01, UTC): a window of N days ending on D covers D-N+1 .. D
 * and a record is in it when its first .. last day meets it; a site shows the variant in
 * force on D; an event shows from its first day (an observation while its period meets
 * the window); a track and the last position are cut
 * at the end of D (the index holds one variant per day the flight is under way); a gap
 * shows from the day it ends. Features come encoded from Python: this file only chooses
 * and groups them, as map_payload.encode_layers does (tests/test_scrub_browser.py checks
 * the result against Python's, date by date).
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.scrub) {
    return;
  }
  var ab = parts.ab;
  var DAY_MS = 86400000;
  var PAGE_DAYS = 30;  // Page Up / Page Down
  var SPEEDS = [[1, "1 day / s"], [3, "3 days / s"], [7, "1 week / s"]];
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var KINDS = ["site", "route", "flight", "event", "observation", "corridor", "circle", "track", "gap", "reach",
               "position"];
  var scrub = {day: null, windowKey: "7", fromPython: null, reported: null, view: null, control: null,
               input: null, play: null, speed: null, timer: null, drawnDay: null};
  var drawState = parts.draw;

  function isoDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function dayOf(iso) {
    return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS);
  }

  function describeDay(day, withWeekday) {
    var date = new Date(day * DAY_MS);
    var text = String(date.getUTCDate()) + " " + MONTHS[date.getUTCMonth()] + " " + String(date.getUTCFullYear());
    return withWeekday ? WEEKDAYS[date.getUTCDay()] + " " + text : text;
  }

  function caption(day, windowDays) {
    // As popups.build_map_caption (plain ASCII and an en dash: nothing to escape).
    var flights = windowDays === null ? "Flights: all up to " + describeDay(day, false) :
      "Flights: " + describeDay(day - windowDays + 1, false) + " – " + describeDay(day, false) + " (" +
      (windowDays === 1 ? "1 day" : String(windowDays) + " days") + ")";
    return "<b>" + describeDay(day, true) + "</b><br>" + flights;
  }

  function variantOn(variants, day) {
    // The last [day, feature] taking effect on or before ``day`` (variants are sorted by day).
    var found = null;
    for (var i = 0; i < variants.length && variants[i][0] <= day; i += 1) {
      found = variants[i][1];
    }
    return found;
  }

  function runOn(runs, day) {
    var low = 0, high = runs.length - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (runs[middle][1] < day) {
        low = middle + 1;
      } else if (runs[middle][0] > day) {
        high = middle - 1;
      } else {
        return runs[middle];
      }
    }
    return null;
  }

  function groupByPlace(items) {
    var groups = new Map();
    items.forEach(function (item) {
      if (!groups.has(item.place)) {
        groups.set(item.place, []);
      }
      groups.get(item.place).push(item);
    });
    return Array.from(groups.values());
  }

  function groupTips(group, heading) {
    var tips = group.map(function (item) { return item.feature.tips[0]; });
    return group.length === 1 ? tips : [heading[String(group.length)]].concat(tips);
  }

  function computeFeatures(day, windowKey) {
    // Return kind -> features on ``day`` for the window ``windowKey``, as Python encodes them.
    var index = ab.catalogue.scrub;
    var windowDays = index.windows[windowKey];
    var low = windowDays === null ? null : day - windowDays + 1;
    var meets = function (item) { return item.from <= day && (low === null || item.to >= low); };
    var out = {};
    KINDS.forEach(function (kind) { out[kind] = []; });
    var circles = new Map();
    var addCircle = function (circle) {
      var key = JSON.stringify([circle.geom, circle.km, circle.layer]);
      if (circle && !circles.has(key)) {
        circles.set(key, circle);
      }
    };
    var routes = [];
    index.routes.forEach(function (leg) {
      var run = runOn(leg.spans[windowKey], day);
      if (run) {
        routes.push(leg.features[run[2]]);
      }
    });
    routes.sort(function (a, b) { return b.flights - a.flights || a.first - b.first; });
    routes.forEach(function (choice) {
      out.route.push(choice.feature);
      choice.circles.forEach(addCircle);
    });
    var busy = {};
    var records = index.records.filter(meets);
    records.forEach(function (record) { record.ends.forEach(function (id) { busy[id] = true; }); });
    groupByPlace(records.filter(function (record) { return record.feature; })).forEach(function (group) {
      group.sort(function (a, b) { return a.order - b.order; });
      if (group[0].circle) {
        addCircle(group[0].circle);
      }
      out.flight.push({geom: group[0].feature.geom, popups: group.map(function (r) { return r.feature.popups[0]; }),
                       tips: groupTips(group, index.groupTips.flight)});
    });
    var shown = index.events.filter(function (item) { return item.from <= day; });
    groupByPlace(shown).forEach(function (group) {
      group.sort(function (a, b) { return b.order - a.order; });
      if (group[0].circle) {
        addCircle(group[0].circle);
      }
      out.event.push({geom: group[0].feature.geom, popups: group.map(function (e) { return e.feature.popups[0]; }),
                      tips: groupTips(group, index.groupTips.event), current: group.filter(meets).length});
    });
    groupByPlace(index.observations.filter(meets)).forEach(function (group) {
      group.sort(function (a, b) { return b.order - a.order; });
      if (group[0].circle) {
        addCircle(group[0].circle);
      }
      out.observation.push({geom: group[0].feature.geom, tips: groupTips(group, index.groupTips.observation),
                            popups: group.map(function (o) { return o.feature.popups[0]; })});
    });
    index.sites.forEach(function (entry) {
      var feature = variantOn(entry.variants, day);
      if (feature) {
        out.site.push(Object.assign({}, feature, {rank: busy[entry.id] ? 0 : feature.rank}));
      }
    });
    index.corridors.forEach(function (line) {
      if ((line.from === null || line.from <= day) && (line.to === null || line.to >= day)) {
        out.corridor.push(line.feature);
      }
    });
    out.circle = Array.from(circles.values());
    addTracks(index, day, meets, out);
    return out;
  }

  function addTracks(index, day, meets, out) {
    var flying = {};
    var latest = new Map();  // icao24 -> the flight started last by the end of the day
    index.tracks.filter(meets).forEach(function (flown) {
      flying[flown.id] = true;
      var drawnTrack = variantOn(flown.track, day);
      if (drawnTrack) {
        out.track.push(drawnTrack);
      }
      if (flown.drawn && flown.startDay <= day) {
        var best = latest.get(flown.icao24);
        if (!best || flown.start > best.start) {
          latest.set(flown.icao24, flown);
        }
      }
    });
    index.gaps.forEach(function (dark) {
      if (flying[dark.flight] && dark.day <= day) {
        out.gap.push(dark.gap);
        if (dark.reach) {
          out.reach.push(dark.reach);
        }
      }
    });
    Array.from(latest.keys()).sort().forEach(function (icao24) {
      var mark = variantOn(latest.get(icao24).position, day);
      if (mark) {
        out.position.push(mark);
      }
    });
  }

  function toColumns(kind, features) {
    var columns = {};
    if (features.length) {
      parts.FIELDS[kind].forEach(function (name) {
        columns[name] = features.map(function (feature) { return feature[name]; });
      });
    }
    return columns;
  }

  function render() {
    if (scrub.day === null || !scrub.view) {
      return;
    }
    var features = computeFeatures(scrub.day, scrub.windowKey);
    var layers = {};
    KINDS.forEach(function (kind) { layers[kind] = toColumns(kind, features[kind]); });
    var windowDays = ab.catalogue.scrub.windows[scrub.windowKey];
    drawState(Object.assign({}, scrub.view, {
      asOf: isoDay(scrub.day), window: windowDays, caption: caption(scrub.day, windowDays), layers: layers
    }));
    scrub.drawnDay = scrub.day;
    syncControl();
  }

  function draw(state) {
    // A state from Python: with layers (a one-date map), drawn as it is; without (the live
    // page), its view is kept and the date applied unless it is the echo of one reported.
    if (state.layers || !ab.catalogue.scrub) {
      drawState(state);
      return;
    }
    var windowKey = state.window === null ? "all" : String(state.window);
    var day = scrub.day;
    if (day === null || (state.asOf !== scrub.fromPython && state.asOf !== scrub.reported)) {
      day = dayOf(state.asOf);
    }
    scrub.fromPython = state.asOf;
    var same = scrub.view && day === scrub.drawnDay && windowKey === scrub.windowKey &&
      JSON.stringify([state.visible, state.basemap, state.focus]) ===
      JSON.stringify([scrub.view.visible, scrub.view.basemap, scrub.view.focus]);
    scrub.view = state;
    scrub.windowKey = windowKey;
    scrub.day = day;
    buildControl();
    if (!same) {
      render();  // an echo of the map's own report redraws nothing
    }
  }

  function moveTo(day, report) {
    var index = ab.catalogue.scrub;
    day = Math.max(index.first, Math.min(index.last, day));
    if (day === scrub.day && scrub.drawnDay === day) {
      return;
    }
    scrub.day = day;
    render();
    if (report) {
      scrub.reported = isoDay(day);
      parts.scheduleReport();
    }
  }

  function syncControl() {
    if (!scrub.input) {
      return;
    }
    scrub.input.value = String(scrub.day);
    scrub.input.setAttribute("aria-valuetext", describeDay(scrub.day, true));
    scrub.control.querySelector(".ab-scrub-day").textContent = describeDay(scrub.day, true);
  }

  function setPlaying(playing) {
    clearInterval(scrub.timer);
    scrub.timer = null;
    if (playing) {
      var index = ab.catalogue.scrub;
      if (scrub.day >= index.last) {
        moveTo(index.first, true);
      }
      // One day per tick at an even pace: 1, 3 or 7 ticks a second.
      scrub.timer = setInterval(function () {
        moveTo(scrub.day + 1, true);
        if (scrub.day >= index.last) {
          setPlaying(false);
        }
      }, 1000 / Number(scrub.speed.value));
    }
    scrub.play.textContent = playing ? "Pause" : "Play";
    scrub.play.setAttribute("aria-pressed", playing ? "true" : "false");
    scrub.control.dataset.abPlaying = playing ? "1" : "0";
  }

  function buildControl() {
    if (scrub.control) {
      return;
    }
    var index = ab.catalogue.scrub;
    var box = L.DomUtil.create("div", "ab-scrub", ab.map.getContainer());
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    scrub.play = L.DomUtil.create("button", "ab-scrub-play", box);
    scrub.play.type = "button";
    scrub.input = L.DomUtil.create("input", "ab-scrub-date", box);
    scrub.input.type = "range";
    scrub.input.min = String(index.first);
    scrub.input.max = String(index.last);
    scrub.input.step = "1";
    scrub.input.setAttribute("aria-label", "Date");
    scrub.input.title = "Arrow keys move one day, Page Up/Down 30 days. The map shows the state on this day.";
    var day = L.DomUtil.create("span", "ab-scrub-day", box);
    day.setAttribute("aria-hidden", "true");
    scrub.speed = L.DomUtil.create("select", "ab-scrub-speed", box);
    scrub.speed.setAttribute("aria-label", "Speed");
    SPEEDS.forEach(function (choice) {
      var option = L.DomUtil.create("option", "", scrub.speed);
      option.value = String(choice[0]);
      option.textContent = choice[1];
    });
    scrub.control = box;
    L.DomEvent.on(scrub.input, "input", function () { moveTo(Number(scrub.input.value), true); });
    L.DomEvent.on(scrub.input, "keydown", function (press) {
      if (press.key === "PageUp" || press.key === "PageDown") {
        press.preventDefault();
        moveTo(scrub.day + (press.key === "PageUp" ? PAGE_DAYS : -PAGE_DAYS), true);
      }
    });
    L.DomEvent.on(scrub.play, "click", function () { setPlaying(scrub.timer === null); });
    L.DomEvent.on(scrub.speed, "change", function () {
      if (scrub.timer !== null) {
        setPlaying(true);
      }
    });
    setPlaying(false);
    parts.fitLayout();  // popups open below it (airbridge-layout.js)
  }

  parts.draw = draw;
  parts.scrub = {
    // For the report to Streamlit (airbridge-base.js) and for tests.
    date: function () { return scrub.day === null ? null : isoDay(scrub.day); },
    moveTo: function (iso, windowKey) {
      if (windowKey !== undefined) {
        scrub.windowKey = windowKey;
        scrub.drawnDay = null;
      }
      moveTo(dayOf(iso), false);
    },
    computeFeatures: computeFeatures
  };
}());
