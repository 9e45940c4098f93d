"""The platform's search: what `referentiel.moteur.chercher` finds for the reader, grouped by
kind with their counts; a few of each kind, then one kind at a time, page by page. Public:
a visitor finds what is public, a signed-in person what their scope lets them see."""

from django.shortcuts import render

from referentiel.moteur import chercher, fournisseurs

from ..commun.pages import paginer

APERCU = 5  # results of each kind on the overview
PAR_PAGE = 20


def recherche(request):
    q = " ".join(request.GET.get("q", "").split())[:200]
    genres = {f.genre: f for f in fournisseurs(request.user)}
    genre = request.GET.get("genre", "")
    genre = genre if genre in genres else ""
    contexte = {"q": q, "genre": genres.get(genre), "groupes": [], "requete": None}
    if q:
        requete, groupes = chercher(request.user, q, genre or None)
        contexte.update(requete=requete, groupes=groupes, total=sum(g.total for g in groupes))
        if genre:
            pagination = paginer(request, groupes[0].objets, par_page=PAR_PAGE)
            contexte.update(pagination, resultats=groupes[0].presenter(pagination["page_obj"]))
        else:
            for g in groupes:
                g.apercu = g.presenter(g.objets[:APERCU])
    return render(request, "recherche/resultats.html", contexte)
