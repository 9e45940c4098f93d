/* Small map of one territory: its EPCI, partial ones dashed. */
(function () {
  "use strict";
  var el = document.getElementById("carte");
  if (!el || !window.L) return;
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false).addAttribution("IGN ADMIN EXPRESS");
  fetch(el.dataset.geojson).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }).then(function (gj) {
    var layer = L.geoJSON(gj, {
      style: function (f) {
        var entier = f.properties.entier;
        return { color: "#000091", weight: 1, dashArray: entier ? null : "4 3",
          fillColor: "#6a6af4", fillOpacity: entier ? 0.5 : 0.2 };
      },
      onEachFeature: function (f, l) {
        var span = document.createElement("span");
        span.textContent = f.properties.epci;
        l.bindTooltip(span.innerHTML, { sticky: true });
      }
    }).addTo(map);
    if (gj.features.length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    el.dataset.ready = String(gj.features.length);
  }).catch(function (e) {
    el.textContent = "La carte du territoire n'a pas pu être chargée (" + e.message + ").";
    el.dataset.ready = "error";
  });
})();
