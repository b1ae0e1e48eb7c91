/*
 * Airbridge map, the layout of the boxes over the map (see airbridge-core.js): they never
 * cover each other or what the user opens.
 *
 * - The legend (bottom right) never grows into the layer list (top right): its height is
 *   capped at the room under the top-right corner, whether the list is folded or open, so
 *   a click always reaches the list's checkboxes.
 * - A popup opens below the boxes across the top of the map (the date control, the layer
 *   list, the zoom buttons), so its heading and close button are never under them.
 * - Full screen shows the map's container, which holds the date control (airbridge-scrub.js
 *   builds it there), so the slider and Play stay; the layout is measured again after.
 * - A press on the map never scrolls the page that holds it (focusWithoutScrolling).
 */
(function () {
  "use strict";
  var parts = window.Airbridge.parts;
  if (parts.watchLayout) {
    return;
  }
  var ab = parts.ab;
  var GAP_PX = 8;
  var EDGE_PX = 16;  // as Leaflet's default autopan padding
  var LEFT_PAD_MIN_MAP_PX = 520;  // narrower maps cannot spare the zoom buttons' width beside a popup

  function relativeBox(element, origin) {
    var r = element.getBoundingClientRect();
    return {left: r.left - origin.left, top: r.top - origin.top, right: r.right - origin.left,
            bottom: r.bottom - origin.top, width: r.width, height: r.height};
  }

  function topRightBottom(container, origin) {
    // The lowest edge of the top-right corner's boxes (layer list, banner), as drawn now.
    var corner = container.querySelector(".leaflet-top.leaflet-right");
    var bottom = 0;
    if (corner) {
      for (var i = 0; i < corner.children.length; i += 1) {
        var box = relativeBox(corner.children[i], origin);
        if (box.height > 0) {
          bottom = Math.max(bottom, box.bottom);
        }
      }
    }
    return bottom;
  }

  function fitLegend() {
    var container = ab.map.getContainer();
    var origin = container.getBoundingClientRect();
    var legend = ab.legend && ab.legend.getContainer();
    if (!legend || legend.offsetHeight === 0) {
      return;  // no legend yet (it comes with the catalogue)
    }
    // The legend sits on the bottom edge: its bottom stays where it is as its height changes.
    var bottom = relativeBox(legend, origin).bottom;
    var room = Math.max(40, Math.floor(bottom - topRightBottom(container, origin) - GAP_PX));
    legend.style.maxHeight = String(room) + "px";
  }

  parts.fitLegend = fitLegend;  // the legend measures its open size in the room it will have

  function fitPopupPadding() {
    // Every popup of this map reads its padding from the class options at the moment it
    // pans (the map is alone in its frame or page, so no other map shares them).
    var container = ab.map.getContainer();
    var origin = container.getBoundingClientRect();
    var size = ab.map.getSize();
    var top = 0;
    var boxes = container.querySelectorAll(".ab-scrub, .leaflet-top.leaflet-right > .leaflet-control");
    for (var i = 0; i < boxes.length; i += 1) {
      var box = relativeBox(boxes[i], origin);
      var list = boxes[i].classList.contains("leaflet-control-layers-expanded");
      if (box.height > 0 && !list) {  // an open layer list folds as the pointer leaves it
        top = Math.max(top, box.bottom);
      }
    }
    var left = EDGE_PX;
    var zoom = container.querySelector(".leaflet-control-zoom");
    if (zoom && size.x >= LEFT_PAD_MIN_MAP_PX) {
      left = Math.max(left, relativeBox(zoom, origin).right + GAP_PX);
    }
    L.Popup.mergeOptions({
      autoPanPaddingTopLeft: [left, Math.max(EDGE_PX, top + GAP_PX)],
      autoPanPaddingBottomRight: [EDGE_PX, EDGE_PX]
    });
  }

  function fitLayout() {
    if (!ab.map) {
      return;
    }
    fitLegend();
    fitPopupPadding();
  }

  function watchLayout(map) {
    // Measured again whenever a box or the map changes size: the layer list opening, the
    // date control wrapping on a narrow map, the legend unfolding, full screen.
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function () { requestAnimationFrame(fitLayout); });
      observer.observe(map.getContainer());
      var corner = map.getContainer().querySelector(".leaflet-top.leaflet-right");
      if (corner) {
        observer.observe(corner);
      }
      if (ab.legend) {
        observer.observe(ab.legend.getContainer());  // it unfolds, and fills when the catalogue comes
      }
      parts.observeLayout = function (element) { observer.observe(element); };
    }
    map.on("resize enterFullscreen exitFullscreen", function () { requestAnimationFrame(fitLayout); });
    // Before a click opens a popup (the map hears "preclick" first).
    map.on("preclick", fitPopupPadding);
    map.getContainer().addEventListener("mousedown", focusWithoutScrolling, true);
    fitLayout();
  }

  function focusWithoutScrolling(press) {
    // A press on the map focuses its container (Leaflet's keyboard handler calls focus() on
    // mouse-down, and a symbol is focusable too). Focusing scrolls the page that holds the
    // map's frame until the whole frame is in view, so on a screen shorter than the page the
    // map moved under the pointer between mouse-down and mouse-up and the click fell beside
    // the symbol: no popup. Focus the container first, without scrolling: Leaflet then finds
    // it focused and leaves it. Form controls (search, selects, buttons) keep their focus.
    var target = press.target;
    if (press.button !== 0 || !(target instanceof Element) ||
        target.closest("input, select, textarea, button, a, label, .leaflet-control, .leaflet-popup")) {
      return;
    }
    var container = ab.map.getContainer();
    if (document.activeElement !== container) {
      press.preventDefault();  // not the symbol's own focus, which would blur the container again
      container.focus({preventScroll: true});
    }
  }

  parts.watchLayout = watchLayout;
  parts.fitLayout = fitLayout;
}());
