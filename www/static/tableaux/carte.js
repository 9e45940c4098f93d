/* The map of a dashboard: each territory's intercommunalities coloured by the figure chosen in
   « Colorer la carte selon ». The values are those of the list beside the map (its figure's
   table: one row per territory, `data-cle` its code, `data-valeur` its raw value), so that the
   map and its accessible alternative never differ. Same contours and API as the national map
   (www/carte.js), no tile server. */
(function () {
  "use strict";
  var el = document.getElementById("carte-tableau");
  if (!el || !window.L) return;
  // Five classes on the DSFR's blue-france scale; grey for no value (or a withheld one).
  var CLASSES = ["#e3e3fd", "#cacafb", "#8585f6", "#313178", "#000091"];
  var SANS_VALEUR = "#d4d4d4";
  var METROPOLE = [[41.3, -5.2], [51.1, 9.6]];
  var resume = document.getElementById("carte-tableau-resume");
  var legende = document.getElementById("carte-tableau-legende");
  var nombre = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });

  function texte(s) {
    var span = document.createElement("span");
    span.textContent = String(s);
    return span.innerHTML;
  }

  // Values and labels from the table beside the map.
  var valeurs = {}, libelles = {}, affichages = {};
  var table = document.getElementById(el.dataset.table);
  if (table) {
    table.querySelectorAll("tbody tr[data-cle]").forEach(function (tr) {
      var code = tr.dataset.cle, cellule = tr.querySelector("td");
      libelles[code] = tr.querySelector("th").textContent.trim();
      affichages[code] = cellule ? cellule.textContent.trim() : "";
      var v = cellule && cellule.dataset.valeur !== undefined ? parseFloat(cellule.dataset.valeur) : NaN;
      if (!isNaN(v)) valeurs[code] = v;
    });
  }

  // Class limits: equal steps from 0 to the largest value (a count reads better that way).
  var max = Math.max.apply(null, Object.keys(valeurs).map(function (k) { return valeurs[k]; }).concat([0]));
  function classe(v) {
    if (v === undefined) return -1;
    if (max <= 0) return 0;
    return Math.min(CLASSES.length - 1, Math.floor((v / max) * CLASSES.length));
  }
  function couleur(code) {
    var c = classe(valeurs[code]);
    return c < 0 ? SANS_VALEUR : CLASSES[c];
  }

  function dessinerLegende() {
    if (!legende) return;
    var ul = document.createElement("ul");
    ul.className = "carte-legende";
    ul.setAttribute("aria-label", "Légende : " + (el.dataset.titre || ""));
    var pas = max / CLASSES.length;
    CLASSES.forEach(function (c, i) {
      var li = document.createElement("li");
      var bas = i * pas, haut = (i + 1) * pas;
      li.innerHTML = '<span class="carte-legende__pastille" aria-hidden="true"></span>' +
        texte(max > 0 ? "de " + nombre.format(bas) + (i === CLASSES.length - 1 ? " à " + nombre.format(max) : " à moins de " + nombre.format(haut)) : "0");
      li.firstChild.style.backgroundColor = c;
      ul.appendChild(li);
    });
    var li = document.createElement("li");
    li.innerHTML = '<span class="carte-legende__pastille" aria-hidden="true"></span>Sans valeur ou secret statistique';
    li.firstChild.style.backgroundColor = SANS_VALEUR;
    ul.appendChild(li);
    legende.appendChild(ul);
  }

  var map = L.map(el, { zoomSnap: 0.25 }).fitBounds(METROPOLE);
  map.attributionControl.setPrefix(false).addAttribution("IGN ADMIN EXPRESS, ANCT");
  var fond = fetch(el.dataset.contours).then(function (r) { return r.json(); }).then(function (gj) {
    L.geoJSON(gj, { interactive: false, style: { color: "#929292", weight: 0.6, fill: true,
      fillColor: "#f6f6f6", fillOpacity: 1 } }).addTo(map);
  });
  fetch(el.dataset.api).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }).then(function (gj) {
    return fond.then(function () { return gj; });
  }).then(function (gj) {
    var dessines = {};
    var couche = L.geoJSON(gj, {
      filter: function (f) { return f.properties.territoire in libelles; },
      style: function (f) {
        var p = f.properties;
        return { color: "#3a3a3a", weight: 0.4, fillColor: couleur(p.territoire),
          fillOpacity: p.entier ? 0.9 : 0.5 };
      },
      onEachFeature: function (f, l) {
        var code = f.properties.territoire;
        dessines[code] = true;
        l.bindTooltip("<strong>" + texte(libelles[code]) + "</strong><br>" +
          texte((el.dataset.titre || "") + " : " + (affichages[code] || "—")), { sticky: true });
      }
    }).addTo(map);
    var n = Object.keys(dessines).length;
    resume.textContent = n + " territoire" + (n > 1 ? "s" : "") + " sur la carte, colorés selon : " +
      (el.dataset.titre || "").toLowerCase() + ".";
    if (gj.features.length && couche.getLayers().length && el.dataset.api.indexOf("region=") >= 0) {
      map.fitBounds(couche.getBounds(), { padding: [10, 10] });
    }
    dessinerLegende();
    el.dataset.ready = String(couche.getLayers().length);
  }).catch(function (e) {
    resume.textContent = "La carte n'a pas pu être chargée (" + e.message + "). La liste des territoires donne les mêmes valeurs.";
    el.dataset.ready = "error";
  });
})();
