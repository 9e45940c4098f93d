"""Pages of the fiches-actions (FAQ §4.6, §4.7): list, creation in steps, detail, edition,
moves along the validation path, funders' decisions, comments, execution follow-up (phase,
status, dated notes, indicators' measures) and attachments.

No rule lives here: reads come from fiches.selectors (what the person may see: anything else
answers 404), writes go through fiches.services and fiches.cycle, secret fields are read
through comptes.secrets (masked, or shown and logged), checks come from fiches.controles.
"""

from __future__ import annotations

import secrets as aleatoire
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_POST, require_safe

from comptes import secrets
from comptes.permissions import autoriser, exiger, peut_lire_secrets
from comptes.services import ConflitEdition
from fiches import cycle, services
from fiches import permissions as droits
from fiches.controles import controler, lisibles
from fiches.enums import Etat, Section
from fiches.models import FicheAction
from fiches.selectors import fiches_visibles, filtrer, totaux_financement
from fiches.similarite import similaires
from mesures.enums import Axe
from referentiel import formats, saisie
from territoires.models import Territoire

from . import forms as ff

PAR_PAGE = 50
SESSION = "fiches_brouillons"
BROUILLONS_GARDES = 10  # per session: the oldest drafts are dropped beyond this
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible(request, uuid) -> FicheAction:
    return get_object_or_404(
        fiches_visibles(request.user).select_related(
            "territoire", "territoire__phase", "porteur", "filiere"
        ),
        uuid=uuid,
    )


# --- List and export -----------------------------------------------------------------------


def _liste(request):
    form = ff.FiltresFichesForm(request.GET, user=request.user)
    form.is_valid()  # an invalid field is dropped alone; the others still filter
    f = form.cleaned_data
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
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    # A firm's name shows only to those who may see the firm (comptes.permissions).
    porteurs = {f.porteur_id for f in page}
    lisibles = set(
        ff.porteurs_possibles(request.user).filter(pk__in=porteurs).values_list("pk", flat=True)
    )
    query = request.GET.copy()
    query.pop("page", None)
    t = form.cleaned_data.get("territoire")
    return render(
        request,
        "fiches/liste.html",
        {
            "form": form,
            "nouvelle": t if t and droits.peut_creer_ici(request.user, t) else None,
            "page_obj": page,
            "total": page.paginator.count,
            "porteurs_lisibles": lisibles,
            "query": query.urlencode(),
        },
    )


def fiches_export(request):
    from fiches import tableur  # written apart; imported only when an export is asked

    _form, qs = _liste(request)
    response = HttpResponse(tableur.exporter(request.user, qs), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="fiches-actions.xlsx"'
    return response


# --- Creation, in steps --------------------------------------------------------------------


@dataclass(frozen=True)
class Etape:
    nom: str
    titre: str


ETAPES = (
    Etape("action", "L'action"),
    Etape("contenu", "Contenu"),
    Etape("perimetre", "Périmètre et calendrier"),
    Etape("financement", "Plan de financement"),
    Etape("verification", "Vérification"),
)
PAR_NOM = {e.nom: e for e in ETAPES}


def _brouillons(request) -> dict:
    return request.session.setdefault(SESSION, {})


def _brouillon(request, cle: str) -> tuple[dict, Territoire]:
    b = _brouillons(request).get(cle)
    if b is None:
        raise Http404("Brouillon introuvable.")
    t = get_object_or_404(Territoire.objects.select_related("phase"), pk=b["territoire"])
    if not droits.peut_creer_ici(request.user, t):
        raise Http404("Page introuvable.")
    return b, t


def _donnees(brouillon: dict, etape: str) -> MultiValueDict | None:
    saisi = brouillon["etapes"].get(etape)
    return MultiValueDict(saisi) if saisi is not None else None


def _axe(brouillon: dict) -> str:
    return (brouillon["etapes"].get("action", {}).get("axe") or [""])[0]


def _simplification(brouillon: dict) -> bool:
    """A simplification request: the « simplifier » axis (phase 1), or the box ticked on a
    fiche of phase 2 (FicheAction.est_simplification on what the first step holds)."""
    action = brouillon["etapes"].get("action", {})
    coche = bool((action.get("demande_simplification") or [""])[0])
    return FicheAction(axe=_axe(brouillon), demande_simplification=coche).est_simplification


def _etapes(brouillon: dict) -> list[Etape]:
    """A « simplifier » fiche needs no financing plan (FAQ §4.7): its step is left out. A
    phase-2 fiche carrying a request keeps it: it is a project of its priority too."""
    if _axe(brouillon) == Axe.SIMPLIFIER:
        return [e for e in ETAPES if e.nom != "financement"]
    return list(ETAPES)


def _formulaires(user, territoire, etape: str, data, simplification: bool) -> dict:
    """The forms of one step, bound to `data` (the saved input) when there is some."""
    if etape == "action":
        return {
            "form": ff.EtapeActionForm(
                data,
                porteurs=droits.porteurs_possibles(user, territoire),
                partenaires=ff.porteurs_possibles(user),
                phase=territoire.phase_id,
            )
        }
    if etape == "contenu":
        return {
            "form": ff.EtapeContenuForm(
                data, simplification=simplification, phase=territoire.phase_id
            )
        }
    if etape == "perimetre":
        return {"form": ff.EtapePerimetreForm(data, territoire=territoire)}
    if etape == "financement":
        return {
            "form": ff.EtapeFinancementForm(data),
            "lignes": ff.LignesFormSet(
                data, prefix="lignes", financeurs=ff.financeurs_possibles(user)
            ),
            "indicateurs": ff.IndicateursFormSet(data, prefix="indicateurs"),
        }
    return {}


def _ancre(bf) -> str:
    if bf.widget_type in ("radioselect", "inlineradioselect"):
        return f"radio-{bf.auto_id}"
    if bf.widget_type in ("checkboxselectmultiple", "inlinecheckboxselectmultiple"):
        return f"checkboxes-{bf.auto_id}"
    return bf.id_for_label or bf.auto_id


LIGNE_DE = {"lignes": "Ligne de financement", "indicateurs": "Indicateur"}


def sommaire(*objets) -> list[tuple[str, str]]:
    """The error summary at the top of a form: each error, linked to its field."""
    out: list[tuple[str, str]] = []

    def du_formulaire(form, avant=""):
        out.extend(("", f"{avant}{e}") for e in form.non_field_errors())
        for bf in form:
            out.extend((_ancre(bf), f"{avant}{bf.label} : {e}") for e in bf.errors)

    for o in objets:
        if o is None or not o.is_bound:
            continue
        if hasattr(o, "management_form"):
            out.extend(("", e) for e in o.non_form_errors())
            for i, form in enumerate(o.forms, start=1):
                du_formulaire(form, f"{LIGNE_DE.get(o.prefix, 'Ligne')} {i} — ")
        else:
            du_formulaire(o)
    return out


def _valides(formulaires: dict) -> bool:
    return all(f.is_valid() for f in formulaires.values())


@dataclass
class Assemblage:
    donnees: dict
    m2m: dict
    lignes: list
    indicateurs: list


def _assembler(user, territoire, brouillon) -> tuple[Assemblage | None, Etape | None]:
    """Everything the steps hold, validated; or the first step to correct."""
    simplification = _simplification(brouillon)
    a = Assemblage({}, {}, [], [])
    for e in _etapes(brouillon):
        if e.nom == "verification":
            break
        data = _donnees(brouillon, e.nom)
        if data is None:
            return None, e
        fs = _formulaires(user, territoire, e.nom, data, simplification)
        if not _valides(fs):
            return None, e
        for nom, valeur in fs["form"].cleaned_data.items():
            if nom in services.M2M_FICHE:
                a.m2m[nom] = list(valeur)
            else:
                a.donnees[nom] = valeur
        if e.nom == "financement":
            a.lignes = fs["lignes"].lignes()
            a.indicateurs = ff.indicateurs(fs["indicateurs"])
    return a, None


def _creer(user, territoire, a: Assemblage) -> FicheAction:
    return services.creer_fiche(
        user=user,
        territoire=territoire,
        donnees=a.donnees,
        lignes=a.lignes,
        m2m=a.m2m,
        indicateurs=a.indicateurs,
    )


def _apercu(user, territoire, a: Assemblage) -> tuple[list, bool]:
    """The checks of the fiche as it would be saved, computed on a trial write rolled back:
    nothing is kept. Returns the checks and whether the person may read their figures."""
    with transaction.atomic():
        fiche = _creer(user, territoire, a)
        controles = lisibles(user, fiche, controler(fiche))
        chiffres = peut_lire_secrets(user, fiche)
        transaction.set_rollback(True)
    return controles, chiffres


def fiche_nouvelle(request):
    t = ff.trouver_territoire(request.GET.get("territoire", ""))
    if t is None or not droits.peut_creer_ici(request.user, t):
        raise Http404("Page introuvable.")
    brouillons = _brouillons(request)
    while len(brouillons) >= BROUILLONS_GARDES:
        brouillons.pop(next(iter(brouillons)))
    cle = aleatoire.token_urlsafe(12)
    brouillons[cle] = {"territoire": t.pk, "etapes": {}}
    request.session.modified = True
    return redirect("fiches:etape", cle=cle, etape=ETAPES[0].nom)


def fiche_nouvelle_etape(request, cle: str, etape: str):
    brouillon, t = _brouillon(request, cle)
    etapes = _etapes(brouillon)
    if etape not in [e.nom for e in etapes]:
        raise Http404("Étape inconnue.")
    courante = PAR_NOM[etape]
    rang = [e.nom for e in etapes].index(etape)

    def aller(cible: Etape):
        return redirect("fiches:etape", cle=cle, etape=cible.nom)

    # A later step is reached only once the earlier ones are valid.
    for e in etapes[:rang]:
        fs = _formulaires(
            request.user, t, e.nom, _donnees(brouillon, e.nom), _simplification(brouillon)
        )
        if _donnees(brouillon, e.nom) is None or not _valides(fs):
            return aller(e)

    ctx = {"t": t, "cle": cle, "etape": courante, "etapes": etapes, "rang": rang + 1}
    if etape == "verification":
        return _verification(request, brouillon, t, etapes, ctx)

    if request.method == "POST":
        # Whatever happens next, the input is kept: nothing typed is lost.
        saisi = {
            k: request.POST.getlist(k)
            for k in request.POST
            if k not in ("csrfmiddlewaretoken", "aller")
        }
        brouillon["etapes"][etape] = saisi
        request.session.modified = True
        # Row counts that are not numbers (a page altered on the way) are recounted from the
        # rows sent: the step is shown again with the reason, and what was typed stays.
        corriges = ff.compteurs_corriges({k: (v or [""])[0] for k, v in saisi.items()})
        if corriges:
            saisi.update({k: [v] for k, v in corriges.items()})
            fs = _formulaires(request.user, t, etape, _donnees(brouillon, etape), _axe(brouillon))
            return render(
                request,
                "fiches/nouvelle.html",
                {
                    **ctx,
                    **fs,
                    "suivante": etapes[rang + 1],
                    "erreurs": [ff.COMPTEURS_ILLISIBLES],
                    "sommaire": sommaire(*fs.values()),
                },
                status=400,
            )
        quoi = request.POST.get("aller", "suivant")
        if quoi in ("ajouter_ligne", "ajouter_indicateur"):
            prefixe = "lignes" if quoi == "ajouter_ligne" else "indicateurs"
            total = int((saisi.get(f"{prefixe}-TOTAL_FORMS") or ["0"])[0])  # read above
            saisi[f"{prefixe}-TOTAL_FORMS"] = [str(min(total + 1, ff.RANGEES_MAX[prefixe]))]
            return redirect(reverse("fiches:etape", args=[cle, etape]) + f"#{prefixe}-{total}")
        etapes = _etapes(brouillon)  # the axis may have just changed
        rang = [e.nom for e in etapes].index(etape)
        if quoi == "precedent" and rang > 0:
            return aller(etapes[rang - 1])
        fs = _formulaires(
            request.user, t, etape, _donnees(brouillon, etape), _simplification(brouillon)
        )
        if _valides(fs):
            return aller(etapes[rang + 1])
    else:
        fs = _formulaires(
            request.user, t, etape, _donnees(brouillon, etape), _simplification(brouillon)
        )
    return render(
        request,
        "fiches/nouvelle.html",
        {**ctx, **fs, "suivante": etapes[rang + 1], "sommaire": sommaire(*fs.values())},
    )


def _verification(request, brouillon, t, etapes, ctx):
    a, a_corriger = _assembler(request.user, t, brouillon)
    if a is None:
        return redirect("fiches:etape", cle=ctx["cle"], etape=a_corriger.nom)
    erreurs: list[str] = []
    if request.method == "POST" and request.POST.get("aller") == "precedent":
        return redirect("fiches:etape", cle=ctx["cle"], etape=etapes[-2].nom)
    if request.method == "POST":
        try:
            fiche = _creer(request.user, t, a)
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            _brouillons(request).pop(ctx["cle"], None)
            request.session.modified = True
            messages.success(request, f"Fiche {fiche.reference} enregistrée en brouillon.")
            return redirect("fiches:detail", uuid=fiche.uuid)
    controles, chiffres = [], False
    if not erreurs:
        try:
            controles, chiffres = _apercu(request.user, t, a)
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
    return render(
        request,
        "fiches/verification.html",
        {
            **ctx,
            "a": a,
            "resume": _resume(a),
            "lignes_resume": [
                (
                    li["financeur"],
                    li["mesure"] or "—",
                    Section(li["section"]).label,
                    _affiche(None, li["montant"]),
                    "Oui" if li["de_minimis"] else "Non",
                    "Oui" if li["champs_secrets"] else "Non",
                )
                for li in a.lignes
            ],
            "erreurs": erreurs,
            "controles": controles,
            "chiffres": chiffres,
        },
    )


def _resume(a: Assemblage) -> list[tuple[str, str]]:
    """The fiche as typed, for the last look before saving."""
    champs = {f.name: f for f in FicheAction._meta.get_fields()}
    out = []
    for nom, valeur in a.donnees.items():
        f = champs[nom]
        out.append((str(f.verbose_name).capitalize(), _affiche(f, valeur)))
    for nom, valeurs in a.m2m.items():
        label = {
            "partenaires": "Partenaires",
            "epcis": "Intercommunalités",
            "communes": "Communes",
            "mesures": "Mesures du panier de services",
        }[nom]
        out.append((label, ", ".join(str(v) for v in valeurs) or "—"))
    return out


def _affiche(field, valeur) -> str:
    if valeur is None or valeur == "":
        return "—"
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(valeur, valeur))
    if hasattr(valeur, "strftime"):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, Decimal):
        return formats.euros(valeur, 2)
    return str(valeur)


# --- Detail --------------------------------------------------------------------------------


@dataclass
class Delai:
    libelle: str
    du: object
    au: object

    @property
    def jours(self) -> int:
        return (self.au - self.du).days


def _delais(transitions, lignes) -> list[Delai]:
    """Days between the dated steps: submission, local opinion, COPIL opinion, each funder's
    decision, each payment (FAQ §1.2, §5.1: delays must be measurable)."""
    out = []
    actions = [t.action for t in transitions]

    def suivante(action, apres):
        for i in range(apres + 1, len(transitions)):
            if actions[i] == action:
                return i
        return None

    copil = None
    soumis = max((i for i, a in enumerate(actions) if a == "soumettre"), default=None)
    if soumis is not None:
        local = suivante("avis_local", soumis)
        if local is not None:
            out.append(
                Delai(
                    "Soumission → avis du comité de projet local",
                    transitions[soumis].date_effet,
                    transitions[local].date_effet,
                )
            )
            c = suivante("avis_copil", local)
            if c is not None:
                copil = transitions[c].date_effet
                out.append(
                    Delai(
                        "Avis du comité local → avis du comité de pilotage régional",
                        transitions[local].date_effet,
                        copil,
                    )
                )
    for li in lignes:
        depuis = copil or li.demande_le
        if depuis and li.decide_le:
            origine = "Avis du comité de pilotage régional" if copil else "Demande"
            out.append(Delai(f"{origine} → décision de {li.financeur}", depuis, li.decide_le))
        if li.decide_le and li.paye_le:
            out.append(Delai(f"Décision → paiement de {li.financeur}", li.decide_le, li.paye_le))
    return out


def fiche(request, uuid):
    return _page_fiche(request, _visible(request, uuid))


def _page_fiche(
    request,
    f: FicheAction,
    *,
    suivi_form: ff.SuiviForm | None = None,
    mesure_forms: dict | None = None,
    piece_form: ff.PieceJointeForm | None = None,
):
    """The detail page; the small forms of the follow-up come back bound, with their errors,
    when what was typed could not be saved."""
    user = request.user
    ctx = f.contexte_acces()  # once for the fiche, its lines, totals and checks
    champs = {c.nom: c for c in secrets.champs(user, f, FicheAction.SECRETABLE, ctx=ctx)}
    lignes = list(f.lignes.select_related("financeur", "mesure"))
    for li in lignes:
        li.fiche = f
        [li.montant_champ] = secrets.champs(user, li, ["montant"], ctx=li.contexte_acces(ctx))
        # The decisions the funder may now take on its line (fiches.cycle).
        li.decisions = [(s, s.label) for s in cycle.decisions_possibles(li, f.etat)]
        li.peut_decider = bool(li.decisions) and autoriser(user, "decider_ligne", li)
    general, par_financeur = totaux_financement(user, f, lignes, ctx=ctx)
    transitions = list(
        f.transitions.select_related("par__personne", "decision").order_by("date_effet", "le")
    )
    for tr in transitions:
        tr.libelle = cycle.libelle_action(tr.action)
    chiffres = peut_lire_secrets(user, f, ctx)
    connecte = user.is_authenticated
    peut_suivre = f.inscrite and autoriser(user, "suivre_fiche", f)
    if suivi_form is None and peut_suivre:
        courant = {
            "phase": f.phase_execution,
            "statut": f.statut_execution if f.statut_execution in dict(ff.STATUTS_CHOISIS) else "",
        }
        suivi_form = ff.SuiviForm(prefix="suivi", initial=courant)
    indicateurs = list(f.indicateurs.prefetch_related("valeurs").order_by("pk"))
    for i in indicateurs:
        i.mesure_form = (mesure_forms or {}).get(i.pk)
        if i.mesure_form is None and peut_suivre:
            i.mesure_form = ff.MesureIndicateurForm(prefix=f"mesure-{i.pk}")
    if piece_form is None and connecte and autoriser(user, "modifier", f):
        piece_form = ff.PieceJointeForm(prefix="piece")
    en_erreur = any(
        form is not None and form.is_bound and form.errors
        for form in (suivi_form, piece_form, *(mesure_forms or {}).values())
    )
    return render(
        request,
        "fiches/detail.html",
        {
            "en_erreur": en_erreur,
            "suivi_form": suivi_form,
            "piece_form": piece_form,
            "pieces_jointes": (
                f.pieces_jointes.select_related("ajoute_par__personne").order_by("-le", "-pk")
                if connecte
                else []
            ),
            "f": f,
            "champs": champs,
            "porteur_visible": ff.porteurs_possibles(user).filter(pk=f.porteur_id).exists(),
            "partenaires": f.partenaires.all(),
            "epcis": f.epcis.all(),
            "communes": f.communes.all(),
            "mesures": f.mesures.all(),
            "lignes": lignes,
            "general": general,
            "par_financeur": par_financeur,
            "transitions": transitions,
            "delais": _delais(transitions, lignes),
            "indicateurs": indicateurs,
            "notes": f.notes.select_related("auteur__personne") if connecte else [],
            "statut": f.statut_execution_derive(),
            "controles": lisibles(user, f, controler(f), ctx=ctx),
            "chiffres": chiffres,
            "commentaires": f.commentaires.select_related("auteur__personne") if connecte else [],
            "commentaire_form": ff.CommentaireForm() if connecte else None,
            "similaires": similaires(f, fiches_visibles(user)),
            "mouvements": [(n, cycle.MOUVEMENTS[n]) for n in cycle.mouvements_possibles(user, f)],
            "peut_modifier": droits.peut_modifier(user, f),
            "connecte": connecte,
        },
    )


@login_required
@require_POST
def fiche_commenter(request, uuid):
    f = _visible(request, uuid)
    form = ff.CommentaireForm(request.POST)
    if form.is_valid():
        try:
            services.commenter(user=request.user, fiche=f, texte=form.cleaned_data["texte"])
        except ValidationError as exc:
            messages.error(request, " ".join(saisie.messages(exc)))
        else:
            messages.success(request, "Commentaire ajouté.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("fiches:detail", args=[f.uuid]) + "#commentaires")


# --- Execution follow-up, indicators, attachments ------------------------------------------


@login_required
@require_POST
def fiche_suivre(request, uuid):
    f = _visible(request, uuid)
    exiger(autoriser(request.user, "suivre_fiche", f))
    form = ff.SuiviForm(request.POST, prefix="suivi")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.suivre(
                user=request.user,
                fiche=f,
                phase=d["phase"],
                statut=d["statut"],
                texte=d["texte"],
                date=d["date"],
            )
        except ValidationError as exc:
            for message in saisie.messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, "Suivi d'exécution enregistré.")
            return redirect(reverse("fiches:detail", args=[f.uuid]) + "#suivi")
    return _page_fiche(request, f, suivi_form=form)


@login_required
@require_POST
def fiche_mesurer(request, uuid, pk: int):
    f = _visible(request, uuid)
    exiger(autoriser(request.user, "suivre_fiche", f))
    indicateur = get_object_or_404(f.indicateurs.all(), pk=pk)
    form = ff.MesureIndicateurForm(request.POST, prefix=f"mesure-{indicateur.pk}")
    if form.is_valid():
        try:
            services.mesurer(
                user=request.user,
                indicateur=indicateur,
                date=form.cleaned_data["date"],
                valeur=form.cleaned_data["valeur"],
            )
        except ValidationError as exc:
            for message in saisie.messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, f"Mesure de « {indicateur.libelle} » enregistrée.")
            return redirect(
                reverse("fiches:detail", args=[f.uuid]) + f"#indicateur-{indicateur.pk}"
            )
    return _page_fiche(request, f, mesure_forms={indicateur.pk: form})


@login_required
@require_POST
def fiche_piece_ajouter(request, uuid):
    f = _visible(request, uuid)
    exiger(autoriser(request.user, "modifier", f))
    form = ff.PieceJointeForm(request.POST, request.FILES, prefix="piece")
    if form.is_valid():
        try:
            piece = services.ajouter_piece_jointe(
                user=request.user,
                fiche=f,
                titre=form.cleaned_data["titre"],
                fichier=form.cleaned_data["fichier"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for champ, erreurs in exc.message_dict.items():
                    form.add_error(champ if champ in form.fields else None, erreurs)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, f"Pièce jointe « {piece.titre} » ajoutée.")
            return redirect(reverse("fiches:detail", args=[f.uuid]) + "#pieces-jointes")
    return _page_fiche(request, f, piece_form=form)


@login_required
@require_safe
def fiche_piece_jointe(request, uuid, pk: int):
    """The file, only to those who see the fiche (404 otherwise): never a public media URL."""
    f = _visible(request, uuid)
    piece = get_object_or_404(f.pieces_jointes.all(), pk=pk)
    try:
        fichier = piece.fichier.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Fichier introuvable.") from exc
    response = FileResponse(
        fichier, as_attachment=True, filename=PurePosixPath(piece.fichier.name).name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def fiche_decider_ligne(request, uuid):
    f = _visible(request, uuid)
    form = ff.DecisionLigneForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Décision non enregistrée : "
            + " ".join(e for errs in form.errors.values() for e in errs),
        )
        return redirect(reverse("fiches:detail", args=[f.uuid]) + "#plan-de-financement")
    ligne = get_object_or_404(f.lignes.all(), pk=form.cleaned_data["ligne"])
    exiger(autoriser(request.user, "decider_ligne", ligne))
    try:
        cycle.decider_ligne(
            user=request.user,
            ligne=ligne,
            statut=form.cleaned_data["statut"],
            date_effet=form.cleaned_data["date_effet"],
            motif=form.cleaned_data["motif"],
        )
    except ValidationError as exc:
        messages.error(request, "Décision non enregistrée : " + " ".join(saisie.messages(exc)))
    else:
        messages.success(request, "Décision enregistrée.")
    return redirect(reverse("fiches:detail", args=[f.uuid]) + "#plan-de-financement")


# --- Moves along the validation path -------------------------------------------------------


def fiche_mouvement(request, uuid, nom: str):
    f = _visible(request, uuid)
    m = cycle.MOUVEMENTS.get(nom)
    if m is None:
        raise Http404("Mouvement inconnu.")
    exiger(autoriser(request.user, m.permission, f))
    form = ff.MouvementForm(
        request.POST or None,
        avec_avis=m.avec_avis,
        avec_decision=m.instance is not None,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cycle.appliquer(
                user=request.user,
                fiche=f,
                mouvement=nom,
                date_effet=d["date_effet"],
                motif=d.get("motif", ""),
                avis=d.get("avis", ""),
                decision_texte=d.get("decision_texte", ""),
            )
        except ValidationError as exc:
            for message in saisie.messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, f"« {m.libelle} » : enregistré.")
            return redirect("fiches:detail", uuid=f.uuid)
    return render(
        request,
        "fiches/mouvement.html",
        {
            "f": f,
            "m": m,
            "nom": nom,
            "form": form,
            "possible": f.etat in m.depuis,
            # Inscription is the contract's signature: the page says so, offers no form.
            "par_signature": cycle.refus_par_signature(m) if m.par_signature else "",
        },
    )


# --- Edition of a draft ----------------------------------------------------------------------


def _initial(user, f: FicheAction) -> dict:
    lisibles = {c.nom: c for c in secrets.champs(user, f, FicheAction.SECRETABLE)}
    initial = {nom: getattr(f, nom) for nom in services.CHAMPS_FICHE}
    for nom, c in lisibles.items():
        initial[nom] = None if c.masque else c.valeur
    initial["porteur"] = f.porteur_id
    initial["filiere"] = f.filiere_id
    initial["collective"] = "1" if f.collective else "0"
    for nom in services.M2M_FICHE:
        initial[nom] = list(getattr(f, nom).values_list("pk", flat=True))
    initial["version"] = f.version
    return initial


def _lignes_initiales(user, f: FicheAction) -> list[dict]:
    out = []
    for li in f.lignes.select_related("financeur"):
        li.fiche = f
        [montant] = secrets.champs(user, li, ["montant"])
        out.append(
            {
                "financeur": li.financeur_id,
                "mesure": li.mesure_id,
                "section": li.section,
                "montant": montant.valeur,
                "de_minimis": li.de_minimis,
                "confidentiel": "montant" in li.champs_secrets,
            }
        )
    return out


@login_required
def fiche_modifier(request, uuid):
    f = _visible(request, uuid)
    exiger(autoriser(request.user, "modifier", f))
    user, t = request.user, f.territoire
    if f.etat != Etat.BROUILLON:
        return render(request, "fiches/modifier.html", {"f": f, "fige": True})
    data = request.POST.copy() if request.method == "POST" else None
    # Row counts that are not numbers are recounted from the rows sent (see the creation).
    corriges = ff.compteurs_corriges(data.dict()) if data is not None else {}
    for cle, valeur in corriges.items():
        data[cle] = valeur
    initial = None if data is not None else _initial(user, f)
    if data is not None:
        saisi = FicheAction(
            axe=data.get("axe") or f.axe,
            demande_simplification=bool(data.get("demande_simplification")),
        )
        simplification = saisi.est_simplification
    else:
        simplification = f.est_simplification
    forms = {
        "action": ff.EtapeActionForm(
            data,
            initial=initial,
            porteurs=droits.porteurs_possibles(user, t),
            partenaires=ff.porteurs_possibles(user),
            phase=t.phase_id,
        ),
        "contenu": ff.EtapeContenuForm(
            data, initial=initial, simplification=simplification, phase=t.phase_id
        ),
        "perimetre": ff.EtapePerimetreForm(data, initial=initial, territoire=t),
        "financement": ff.EtapeFinancementForm(data, initial=initial),
        "version": ff.VersionForm(data, initial=initial),
    }
    lignes = ff.LignesFormSet(
        data,
        prefix="lignes",
        initial=_lignes_initiales(user, f) if data is None else None,
        financeurs=ff.financeurs_possibles(user),
    )
    if corriges:
        return render(
            request,
            "fiches/modifier.html",
            {
                "f": f,
                "forms": forms,
                "lignes": lignes,
                "erreurs": [ff.COMPTEURS_ILLISIBLES],
                "sommaire": sommaire(*forms.values(), lignes),
            },
            status=400,
        )
    if data is not None and data.get("aller") == "ajouter_ligne":
        total = int(data.get("lignes-TOTAL_FORMS") or 0)  # read above
        data["lignes-TOTAL_FORMS"] = str(min(total + 1, ff.RANGEES_MAX["lignes"]))
        return render(
            request,
            "fiches/modifier.html",
            {"f": f, "forms": forms, "lignes": lignes, "ajout": True},
        )
    conflit, erreurs = None, []
    if data is not None and all(fm.is_valid() for fm in forms.values()) and lignes.is_valid():
        donnees, m2m = {}, {}
        for nom in ("action", "contenu", "perimetre", "financement"):
            for k, v in forms[nom].cleaned_data.items():
                if k in services.M2M_FICHE:
                    m2m[k] = list(v)
                else:
                    donnees[k] = v
        # Unticked, a box sends nothing: the request is withdrawn (and its fields with it,
        # fiches.services.modifier_fiche).
        donnees.setdefault("demande_simplification", False)
        try:
            services.modifier_fiche(
                user=user,
                fiche=f,
                version=forms["version"].cleaned_data["version"],
                donnees=donnees,
                lignes=lignes.lignes(),
                m2m=m2m,
            )
        except ConflitEdition as exc:
            champs = {fd.name: fd for fd in FicheAction._meta.get_fields()}
            conflit = [
                (champs[n].verbose_name, _affiche(champs[n], mine), _affiche(champs[n], theirs))
                for n, mine, theirs in exc.differences
            ]
            erreurs.append(
                "Quelqu'un a enregistré cette fiche pendant que vous la modifiiez : rien n'a été "
                "écrasé. Voici ce qui a changé ; reprenez vos modifications sur la version "
                "actuelle."
            )
            data["version"] = FicheAction.objects.get(pk=f.pk).version
        except ValidationError as exc:
            erreurs += saisie.messages(exc)
        else:
            messages.success(request, "Fiche enregistrée.")
            return redirect("fiches:detail", uuid=f.uuid)
    return render(
        request,
        "fiches/modifier.html",
        {
            "f": f,
            "forms": forms,
            "lignes": lignes,
            "conflit": conflit,
            "erreurs": erreurs,
            "sommaire": sommaire(*forms.values(), lignes) if data is not None else [],
        },
    )


def simplification(request):
    """One list of the simplification requests of every territory, by routing (FAQ §5.5)."""
    from fiches.enums import Orientation
    from fiches.selectors import demandes_simplification

    orientation = request.GET.get("orientation")
    if orientation not in {v for v, _ in Orientation.choices}:
        orientation = None
    return render(
        request,
        "fiches/simplification.html",
        {
            "demandes": demandes_simplification(request.user, orientation),
            "orientations": Orientation.choices,
            "orientation": orientation,
        },
    )
