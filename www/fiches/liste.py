"""The list of the fiches-actions one may see, its exports (XLSX, CSV), and the national list of the
simplification requests (FAQ §5.5). Reads come from fiches.selectors."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from fiches import exports
from fiches import permissions as droits
from fiches.enums import Orientation
from fiches.selectors import demandes_simplification, en_lignes, fiches_visibles, filtrer
from referentiel.fichiers import TYPES, reponse_piece_jointe

from ..commun.formulaires import filtres
from ..commun.pages import paginer
from . import forms as ff

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _liste(request):
    form = ff.FiltresFichesForm(request.GET, user=request.user)
    f = filtres(form)
    qs = filtrer(
        fiches_visibles(request.user),
        territoire=f.get("territoire"),
        region=f.get("region"),
        axe=f.get("axe"),
        etat=f.get("etat"),
        type_porteur=f.get("type_porteur"),
        financeur=f.get("financeur"),
        mesure=f.get("mesure"),
        q=f.get("q"),
    ).order_by("territoire__code", "numero")
    return form, qs


def fiches(request):
    form, qs = _liste(request)
    # Sorted by territory code then number: a page reads only the territories it spans. The
    # counts are kept until the data changes, except for a search: a description made
    # public is not in the journal of writes (docs/adr/0021).
    pages = paginer(
        request,
        en_lignes(qs),
        groupe=("territoire_id", "territoire__code"),
        garder=not form.cleaned_data.get("q"),
    )
    page = pages["page_obj"]
    # A firm's name shows only to those who may see the firm (comptes.permissions).
    porteurs = {f.porteur_id for f in page}
    lisibles = set(
        ff.porteurs_possibles(request.user).filter(pk__in=porteurs).values_list("pk", flat=True)
    )
    t = form.cleaned_data.get("territoire")
    return render(
        request,
        "fiches/liste.html",
        {
            **pages,
            "form": form,
            "nouvelle": t if t and droits.peut_creer_ici(request.user, t) else None,
            "peut_rediger": not t and droits.territoires_ou_creer(request.user).exists(),
            "total": page.paginator.count,
            "porteurs_lisibles": lisibles,
        },
    )


def fiches_export(request):
    from fiches import tableur  # written apart; imported only when an export is asked

    _form, qs = _liste(request)
    ids = list(qs.values_list("pk", flat=True))
    # Too long for a request: the worker prepares it, the person waits on its page. A visitor
    # (the public inscribed fiches) has no account to keep a file for: answered at once.
    if request.user.is_authenticated and not exports.immediat(len(ids)):
        return redirect("fiches:export-prepare", pk=exports.demander(request.user, ids).pk)
    response = HttpResponse(tableur.exporter(request.user, qs), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="fiches-actions.xlsx"'
    return _prive(response)


def _export_de(request, pk):
    if (export := exports.export_de(request.user, pk)) is None:
        raise Http404("Aucun export de ce nom.")
    return export


def fiches_export_prepare(request, pk):
    """« Export en préparation »: reloads itself until the file is ready, then links to it."""
    export = _export_de(request, pk)
    return _prive(render(request, "fiches/export_prepare.html", {"export": export}))


def fiches_export_fichier(request, pk):
    export = _export_de(request, pk)
    if export.pret_le is None:
        raise Http404("Cet export n'est pas encore prêt.")
    nom = f"fiches-actions-{export.demande_le:%Y%m%d-%H%M}.xlsx"
    return reponse_piece_jointe(exports.chemin(export), nom=nom, t=TYPES["xlsx"])


def fiches_export_csv(request):
    """The same fiches, the columns of the workbook's « Fiches » sheet, streamed as read."""
    from fiches import tableur

    _form, qs = _liste(request)
    response = StreamingHttpResponse(
        tableur.lignes_csv(request.user, qs), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="fiches-actions.csv"'
    return _prive(response)


def _prive(response):
    # Its secrets are read while it is sent, after comptes.middleware has looked: an export
    # may carry some, so it is never kept by a cache.
    response["Cache-Control"] = "private, no-store"
    return response


def simplification(request):
    """One list of the simplification requests of every territory, by routing (FAQ §5.5)."""
    orientation = request.GET.get("orientation")
    if orientation not in Orientation.values:
        orientation = None
    return render(
        request,
        "fiches/simplification.html",
        {
            **paginer(request, demandes_simplification(request.user, orientation)),
            "orientations": Orientation.choices,
            "orientation": orientation,
        },
    )
