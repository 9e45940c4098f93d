// The financing plan's running total: the sum of its lines as they are typed, against the
// action's total cost when the page has one. Read aloud politely by screen readers.
(function () {
  "use strict";
  var zone = document.querySelector("[data-total-plan]");
  if (!zone) return;
  var form = zone.closest("form");
  var euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

  function montant(texte) {
    // « 125 000,50 », « 125000.50 », « 125 000 € »: spaces and the euro sign do not count.
    var propre = String(texte || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    if (propre === "") return 0;
    var n = Number(propre);
    return isFinite(n) ? n : NaN;
  }

  function supprimee(champ) {
    var case_ = form.querySelector('[name="' + champ.name.replace(/montant$/, "DELETE") + '"]');
    return case_ && case_.checked;
  }

  function calculer() {
    var somme = 0, illisible = false;
    form.querySelectorAll('input[name^="lignes-"][name$="-montant"]').forEach(function (champ) {
      if (supprimee(champ)) return;
      var n = montant(champ.value);
      if (isNaN(n)) illisible = true; else somme += n;
    });
    var cout = form.querySelector('input[name="cout_total"]');
    var texte = "Somme des lignes : " + euros.format(somme);
    if (illisible) texte += " (un montant n'est pas lisible et n'est pas compté)";
    var c = cout ? montant(cout.value) : NaN;
    if (cout && cout.value.trim() !== "" && !isNaN(c)) {
      var ecart = c - somme;
      texte += " · Coût total : " + euros.format(c) + " · ";
      texte += ecart > 0 ? "Reste à couvrir : " + euros.format(ecart)
        : ecart < 0 ? "Dépassement du coût : " + euros.format(-ecart)
        : "Le coût est couvert exactement";
    }
    zone.textContent = texte + ".";
  }

  form.addEventListener("input", calculer);
  form.addEventListener("change", calculer);
  calculer();
})();
