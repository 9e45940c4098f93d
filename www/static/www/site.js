/* What every page needs beyond the design system's own script. */
(function () {
  "use strict";

  // A wide table scrolls sideways on a small screen: the keyboard must reach it (the table
  // becomes a tab stop only while it overflows).
  function tablesDefilantes() {
    // The design system's script may wrap a table in a shadow box that scrolls instead.
    document.querySelectorAll(".fr-table table, .fr-table__shadow").forEach(function (t) {
      var deborde = t.scrollWidth > t.clientWidth + 1;
      if (deborde && !t.hasAttribute("tabindex")) {
        t.setAttribute("tabindex", "0");
        t.dataset.defile = "1";
      } else if (!deborde && t.dataset.defile) {
        t.removeAttribute("tabindex");
        delete t.dataset.defile;
      }
    });
  }

  // On a phone, the filters of a list fold away unless some are in use: the results (or the
  // map) come first.
  function filtresReplies() {
    if (!window.matchMedia("(max-width: 47.99em)").matches) return;
    document.querySelectorAll("details[data-replier-mobile]").forEach(function (d) {
      if (!d.dataset.actifs || d.dataset.actifs === "0") d.open = false;
    });
  }

  // After a refused form, the error summary takes the focus: the person hears what to fix.
  function sommaireDesErreurs() {
    var sommaire = document.querySelector("[data-sommaire-erreurs]");
    if (sommaire) {
      sommaire.setAttribute("tabindex", "-1");
      sommaire.focus();
    }
  }

  // A long list of boxes to tick (www.commun.formulaires.ChoixCherchables) gets a field that
  // filters it as one types, accents and case aside; ticked boxes always stay in view.
  function plier(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[-'’]/g, " ").replace(/\s+/g, " ").trim();
  }
  function listesCherchables() {
    var vus = [];
    document.querySelectorAll("input[data-cherchable]").forEach(function (entree) {
      var groupe = entree.closest("fieldset");
      if (!groupe || vus.indexOf(groupe) !== -1) return;
      vus.push(groupe);
      var elements = groupe.querySelectorAll(".fr-fieldset__element");
      if (elements.length < 8) return;
      var id = (groupe.id || "liste") + "-filtre";
      var champ = document.createElement("div");
      champ.className = "fr-fieldset__element fr-input-group";
      champ.innerHTML = '<label class="fr-label" for="' + id + '">Filtrer la liste</label>' +
        '<input class="fr-input" type="search" id="' + id + '" autocomplete="off">' +
        '<p class="fr-hint-text" aria-live="polite"></p>';
      var boite = document.createElement("div");
      boite.className = "liste-cherchable";
      elements[0].parentNode.insertBefore(champ, elements[0]);
      champ.parentNode.insertBefore(boite, champ.nextSibling);
      elements.forEach(function (e) { boite.appendChild(e); });
      var filtre = champ.querySelector("input"), etat = champ.querySelector("p");
      function appliquer() {
        var q = plier(filtre.value), montres = 0, coches = 0;
        elements.forEach(function (e) {
          var coche = e.querySelector("input").checked;
          var garde = !q || plier(e.textContent).indexOf(q) !== -1 || coche;
          e.hidden = !garde;
          if (garde) montres++;
          if (coche) coches++;
        });
        etat.textContent = montres + " sur " + elements.length + " affichés, " + coches +
          " coché" + (coches > 1 ? "s" : "") + ".";
      }
      filtre.addEventListener("input", appliquer);
      boite.addEventListener("change", appliquer);
      // Enter in the filter must not send the form.
      filtre.addEventListener("keydown", function (ev) { if (ev.key === "Enter") ev.preventDefault(); });
      appliquer();
    });
  }

  function demarrer() {
    listesCherchables();
    tablesDefilantes();
    filtresReplies();
    sommaireDesErreurs();
    window.addEventListener("resize", tablesDefilantes);
    window.addEventListener("load", tablesDefilantes);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", demarrer);
  else demarrer();
})();
