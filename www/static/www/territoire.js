/* Small map of one territory: its EPCI, partial ones dashed. */
(function () {
  "use strict";
  var el = document.getElementById("carte");
  if (!el || !window.L) return;
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false).addAttribution("IGN ADMIN EXPRESS");
  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (gj) {
    var layer = L.geoJSON(gj, {
      style: function (f) {
        var entier = f.properties.entier;
        return { color: "#000091", weight: 1, dashArray: entier ? null : "4 3",
          fillColor: "#6a6af4", fillOpacity: entier ? 0.5 : 0.2 };
      },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.epci, { sticky: true }); }
    }).addTo(map);
    if (gj.features.length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    el.dataset.ready = String(gj.features.length);
  });
})();
