"""What the search finds among the territories (referentiel.moteur): a territory by its name or
code, or by the name or INSEE code of one of its communes on today's map (the referential's
own commune search). The map is public: no scoping."""

from referentiel import recherche
from referentiel.moteur import Resultat, fournisseur, plier

from .models import Perimetre, Territoire
from .selectors import phase_courante


def _presenter(t) -> Resultat:
    communes = getattr(t, "communes_trouvees", [])
    detail = f"Phase {t.phase_id}"
    if communes:
        detail += " — " + ", ".join(f"{nom} ({code})" for code, nom in communes[:5])
        if len(communes) > 5:
            detail += f" et {len(communes) - 5} autres communes"
    return Resultat(
        titre=f"{t.nom} ({t.code})",
        detail=detail,
        page=("carte:territoire", (t.phase_id, t.code)),
        identifiant=t.code,
    )


def _par_commune(q: str) -> dict[int, list[tuple[str, str]]]:
    codes = recherche.communes(q)
    trouvees: dict[int, list[tuple[str, str]]] = {}
    if codes:
        for t, code, nom in (
            Perimetre.objects.filter(date_fin__isnull=True, commune_id__in=codes)
            .values_list("territoire_id", "commune_id", "commune__nom")
            .order_by("commune__nom")
        ):
            trouvees.setdefault(t, []).append((code, nom))
    return trouvees


@fournisseur("territoires", "Territoires", ordre=10, presenter=_presenter)
def territoires(user, requete):
    par_commune = _par_commune(requete.texte)
    courante = getattr(phase_courante(), "pk", None)
    trouves = []
    for t in Territoire.objects.all():
        if t.pk in par_commune or requete.correspond(plier(t.nom, t.code)):
            t.communes_trouvees = par_commune.get(t.pk, [])
            trouves.append(t)
    # The current phase first, then by code.
    return sorted(trouves, key=lambda t: (t.phase_id != courante, t.phase_id, t.code))
