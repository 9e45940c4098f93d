/* National map: EPCI contours coloured by territory, no tile server (département outlines
   drawn underneath). Reads the filters of the page's form and the public API. */
(function () {
  "use strict";
  var el = document.getElementById("carte");
  if (!el || !window.L) return;
  var PALETTE = ["#000091", "#6a6af4", "#009081", "#c9191e", "#b34000", "#a558a0",
    "#3a55d1", "#00a95f", "#c3992a", "#e4794a", "#6e445a", "#417dc4", "#8585f6", "#34bab5"];
  function echapper(text) {
    var span = document.createElement("span");
    span.textContent = String(text);
    return span.innerHTML;
  }
  function couleur(code) {
    var h = 0;
    for (var i = 0; i < code.length; i++) h = (h * 31 + code.charCodeAt(i)) >>> 0;
    return PALETTE[h % PALETTE.length];
  }
  // Metropolitan France first; overseas territories are reached by the buttons below.
  var METROPOLE = [[41.3, -5.2], [51.1, 9.6]];
  var OUTRE_MER = [["Guadeloupe", [16.25, -61.55], 9], ["Martinique", [14.65, -61.0], 10],
    ["Guyane", [4.0, -53.0], 7], ["La Réunion", [-21.12, 55.53], 10],
    ["Mayotte", [-12.82, 45.15], 10], ["Métropole", null, 0]];
  var params = new URLSearchParams(window.location.search);
  var query = new URLSearchParams();
  ["phase", "region", "date"].forEach(function (k) {
    var input = document.querySelector("[name=" + k + "]");
    // The date as the page read it (ISO), not as typed (jj/mm/aaaa): the API takes ISO.
    var v = k === "date" ? (el.dataset.date || "") : params.get(k) || (input && input.value) || "";
    if (v) query.set(k, v);
  });
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true, preferCanvas: false })
    .fitBounds(METROPOLE);
  var boutons = document.getElementById("carte-zones");
  OUTRE_MER.forEach(function (z) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "fr-btn fr-btn--tertiary fr-btn--sm";
    b.textContent = z[0];
    b.addEventListener("click", function () {
      if (z[1]) map.setView(z[1], z[2]); else map.fitBounds(METROPOLE);
    });
    if (boutons) boutons.appendChild(b);
  });
  map.attributionControl.setPrefix(false).addAttribution("IGN ADMIN EXPRESS, ANCT");
  var fondUrl = el.dataset.contours + (query.get("region") ? "?region=" + query.get("region") : "");
  var resume = document.getElementById("carte-resume");
  var fond = fetch(fondUrl).then(function (r) { return r.json(); }).then(function (gj) {
    L.geoJSON(gj, { interactive: false, style: { color: "#929292", weight: 0.6, fill: true,
      fillColor: "#f6f6f6", fillOpacity: 1 } }).addTo(map);
  });
  var terrUrl = el.dataset.territoireUrl;
  fetch(el.dataset.api + "?" + query.toString()).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }).then(function (gj) {
    return fond.then(function () { return gj; });
  }).then(function (gj) {
    var territoires = {};
    var formes = {};  // territory code → its EPCI shapes, lit from the list beside the map
    var layer = L.geoJSON(gj, {
      style: function (f) {
        var p = f.properties;
        return { color: couleur(p.territoire), weight: p.entier ? 0.8 : 1.5,
          dashArray: p.entier ? null : "4 3", fillColor: couleur(p.territoire),
          fillOpacity: p.entier ? 0.55 : 0.25 };
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        territoires[p.territoire] = true;
        (formes[p.territoire] = formes[p.territoire] || []).push(l);
        var part = p.entier ? "" : " (" + Math.round(p.part_communes * 100) + " % des communes)";
        l.bindTooltip("<strong>" + echapper(p.territoire + " " + p.territoire_nom) +
          "</strong><br>" + echapper(p.epci) + part + (p.interregional ? "<br>Territoire interrégional" : ""), { sticky: true });
        l.on("click", function () {
          window.location.href = terrUrl.replace("/0/", "/" + p.phase + "/")
            .replace("CODE", encodeURIComponent(p.territoire)) +
            (query.get("date") ? "?date=" + query.get("date") : "");
        });
        l.on("mouseover", function () { l.setStyle({ weight: 3 }); });
        l.on("mouseout", function () { layer.resetStyle(l); });
      }
    }).addTo(map);
    // The shapes are pointer targets only: the keyboard goes through the list, one stop per
    // territory, instead of ~550 stops without a name.
    layer.eachLayer(function (l) {
      var forme = l.getElement && l.getElement();
      if (forme) { forme.setAttribute("tabindex", "-1"); forme.setAttribute("aria-hidden", "true"); }
    });
    function eclairer(code, oui) {
      (formes[code] || []).forEach(function (l) {
        if (oui) { l.setStyle({ color: "#161616", weight: 3, fillOpacity: 0.9 }); l.bringToFront(); }
        else layer.resetStyle(l);
      });
    }
    document.querySelectorAll("#carte-liste a[data-territoire]").forEach(function (a) {
      var code = a.dataset.territoire;
      ["focus", "mouseenter"].forEach(function (ev) {
        a.addEventListener(ev, function () { eclairer(code, true); a.dataset.eclaire = "1"; });
      });
      ["blur", "mouseleave"].forEach(function (ev) {
        a.addEventListener(ev, function () { eclairer(code, false); delete a.dataset.eclaire; });
      });
    });
    var n = Object.keys(territoires).length;
    var e = gj.features.length;
    resume.textContent = n + " territoire" + (n > 1 ? "s" : "") + " et " + e +
      " intercommunalité" + (e > 1 ? "s" : "") + " sur la carte" + (query.get("date") ? " au " +
      query.get("date").split("-").reverse().join("/") : " aujourd'hui") + ".";
    if (query.get("region")) {
      if (gj.features.length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    } else {
      map.fitBounds(METROPOLE);
    }
    el.dataset.ready = String(gj.features.length);
  }).catch(function (e) {
    resume.textContent = "La carte n'a pas pu être chargée (" + e.message + "). La liste des territoires reste disponible.";
    el.dataset.ready = "error";
  });
})();
