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

  function demarrer() {
    tablesDefilantes();
    filtresReplies();
    sommaireDesErreurs();
    window.addEventListener("resize", tablesDefilantes);
    window.addEventListener("load", tablesDefilantes);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", demarrer);
  else demarrer();
})();
