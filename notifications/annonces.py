"""What each event of the domain says, and to whom (notifications.destinataires): called
after the commit of what caused it (notifications.evenements), with the keys of its objects.

No amount in any text: a firm's figures never leave by e-mail; the link opens the page,
where the permission layer shows each reader what they may read."""

from __future__ import annotations

from datetime import date as Date

from django.db.models import Q
from django.utils import timezone

from contrats.models import Contrat, Protocole, Signataire
from fiches.cycle import MOUVEMENTS, libelle_action
from fiches.enums import Avis, Etat, StatutLigne
from fiches.models import FicheAction, Transition
from financements.models import Ajustement, Engagement, Paiement
from gouvernance.enums import TypeComite
from gouvernance.models import Participant, Reunion

from .destinataires import Fiche, _sauf, invites, representent
from .enums import Nature
from .envoi import Message, notifier


def _jour(d: Date) -> str:
    return f"{d:%d/%m/%Y}"


def _fiche(f: FicheAction) -> str:
    return f"la fiche {f.reference} « {f.titre} »"


# --- Fiches ----------------------------------------------------------------------------------


def transition(pk: int) -> None:
    """A move of a fiche, or a funder's decision on one of its lines."""
    t = Transition.objects.select_related("fiche__territoire", "fiche__porteur").get(pk=pk)
    f, gens = t.fiche, Fiche(t.fiche)
    if t.action != "soumettre":
        _decision(t, gens)
    if t.etat_avant != t.etat_apres and t.etat_apres in (Etat.SOUMISE, Etat.COPIL):
        _devant_le_comite(t, gens)
    elif t.action == "avis_copil" and t.etat_apres == Etat.INSTRUCTION:
        lignes = [li for li in gens.lignes if li.statut == StatutLigne.DEMANDE]
        message = Message(
            Nature.EXAMEN,
            f,
            f"Ligne à instruire : fiche {f.reference}",
            f"Le comité de pilotage régional a donné un avis favorable le {_jour(t.date_effet)} "
            f"à {_fiche(f)} : elle est en instruction. Votre décision est attendue sur la "
            "ligne de financement qui revient à votre organisation (accordée ou refusée).",
        )
        notifier(_sauf(gens.decident(lignes), t.par_id), message)
    elif (
        t.action.startswith("ligne_")
        and f.etat == Etat.INSTRUCTION
        and not any(li.statut == StatutLigne.DEMANDE for li in gens.lignes)
    ):
        message = Message(
            Nature.EXAMEN,
            f,
            f"Fiche à arbitrer : {f.reference}",
            f"Chaque financeur s'est prononcé sur ses lignes de {_fiche(f)} (dernière "
            f"décision le {_jour(t.date_effet)}). Elle attend l'arbitrage : retenue ou non.",
        )
        notifier(_sauf(gens.font("arbitrer_fiche"), t.par_id), message)


def _devant_le_comite(t: Transition, gens: Fiche) -> None:
    f = t.fiche
    local = t.etat_apres == Etat.SOUMISE
    type_ = TypeComite.COMITE_LOCAL if local else TypeComite.COPIL_REGIONAL
    mouvement = MOUVEMENTS["avis_local" if local else "avis_copil"]
    quoi = (
        f"a été soumise le {_jour(t.date_effet)} au comité de projet local du territoire "
        f"{f.territoire.nom}"
        if local
        else f"a reçu le {_jour(t.date_effet)} l'avis favorable du comité de projet local du "
        f"territoire {f.territoire.nom}"
    )
    # Who runs the committee (the permission of its move) and who sits on it.
    gens_du_comite = {u.pk: u for u in gens.font(mouvement.permission) + gens.siegent(type_)}
    message = Message(
        Nature.EXAMEN,
        f,
        f"Fiche soumise au {TypeComite(type_).label.lower()} : {f.reference}",
        f"{_fiche(f)[0].upper()}{_fiche(f)[1:]}, portée par {f.porteur.nom}, {quoi}. Elle "
        f"attend l'avis du {TypeComite(type_).label.lower()}.",
    )
    notifier(_sauf(gens_du_comite.values(), t.par_id), message)


def _decision(t: Transition, gens: Fiche) -> None:
    f = t.fiche
    quoi = libelle_action(t.action)
    if t.avis:
        quoi += f" — avis {Avis(t.avis).label.lower()}"
    if t.action.startswith("ligne_"):
        # The funder's decision says itself which line: « Bpifrance : ligne accordée — … ».
        texte = f"{t.motif}, le {_jour(t.date_effet)}, sur {_fiche(f)}."
    else:
        texte = f"{quoi}, le {_jour(t.date_effet)}, sur {_fiche(f)}."
        if t.etat_avant != t.etat_apres:
            texte += f" Elle est maintenant : « {Etat(t.etat_apres).label} »."
        if t.motif:
            texte += f"\nMotif : {t.motif}"
    destinataires = {u.pk: u for u in gens.cote()}
    if t.action in ("retenir", "ne_pas_retenir"):
        # The funders learn the fate of their lines.
        destinataires |= {u.pk: u for u in gens.decident(gens.lignes)}
    message = Message(Nature.DECISION, f, f"Décision sur la fiche {f.reference} : {quoi}", texte)
    notifier(_sauf(destinataires.values(), t.par_id), message)


# --- Money of a line -------------------------------------------------------------------------


def argent(modele: type, pk: int) -> None:
    """A commitment, a payment or an adjustment recorded on a line: told to the fiche's
    bearer and team, without its amount."""
    if modele is Engagement:
        e = Engagement.objects.select_related("ligne__fiche__territoire", "ligne__financeur")
        objet = e.get(pk=pk)
        ligne, quoi = objet.ligne, f"l'engagement de sa ligne, daté du {_jour(objet.date)}"
        if objet.convention:
            quoi += f" (convention : {objet.convention})"
    else:
        qs = modele.objects.select_related(
            "engagement__ligne__fiche__territoire", "engagement__ligne__financeur"
        )
        objet = qs.get(pk=pk)
        ligne = objet.engagement.ligne
        if modele is Paiement:
            quoi = f"un paiement sur sa ligne, daté du {_jour(objet.date)}"
        else:
            quoi = (
                f"une {objet.get_nature_display().lower()} de l'engagement de sa ligne, datée "
                f"du {_jour(objet.date)}"
            )
    f = ligne.fiche
    texte = (
        f"{ligne.financeur.nom} a enregistré {quoi}, sur {_fiche(f)} "
        f"({ligne.get_section_display().lower()})."
    )
    nom = {Engagement: "Engagement", Paiement: "Paiement", Ajustement: "Ajustement"}[modele]
    message = Message(Nature.ARGENT, f, f"{nom} enregistré : fiche {f.reference}", texte)
    notifier(_sauf(Fiche(f).cote(), objet.par_id), message)


# --- Signatures ------------------------------------------------------------------------------


def _attendue(document) -> bool:
    if document.date_signature:
        return False
    return isinstance(document, Protocole) or document.validation_id is not None


def signature(pk: int) -> None:
    """A signatory added to a document being signed: its signature is awaited."""
    s = Signataire.objects.get(pk=pk)
    if s.signe_le is None and _attendue(s.document):
        _signature_attendue(s)


def document_valide(modele: type, pk: int) -> None:
    """A contract or an avenant validated: each signature is awaited."""
    document = modele.objects.get(pk=pk)
    if _attendue(document):
        filtre = Q(contrat=document) if modele is Contrat else Q(avenant=document)
        for s in Signataire.objects.filter(filtre, signe_le__isnull=True):
            _signature_attendue(s)


def _signature_attendue(s: Signataire) -> None:
    document = s.document
    quand = f", validé le {_jour(document.validation.date)}" if document.validation_id else ""
    message = Message(
        Nature.SIGNATURE,
        document,
        f"Signature attendue : {document.titre}",
        f"{document.titre} est prêt à être signé{quand}. Votre signature est attendue pour : "
        f"{s.nom}, {s.qualite}.\nLa signature datée est ensuite enregistrée sur la plateforme "
        "par l'équipe du territoire ou par le référent de l'État.",
    )
    notifier(representent(s), message)


# --- Meetings --------------------------------------------------------------------------------


def _reunion(r: Reunion) -> str:
    quand = timezone.localtime(r.debut)
    lieu = f", {r.lieu}" if r.lieu else ""
    return f"la réunion du {r.nom_comite} le {quand:%d/%m/%Y à %H:%M}{lieu}"


def _a_venir(r: Reunion) -> bool:
    return r.debut > timezone.now()


def invitation(pk: int) -> None:
    """A person invited to a meeting to come."""
    p = Participant.objects.select_related("reunion__comite", "personne__compte").get(pk=pk)
    r = p.reunion
    compte = p.personne.compte if p.personne_id else None
    if compte is None or not _a_venir(r):
        return
    points = list(r.points.values_list("intitule", flat=True))
    texte = f"Vous êtes invité(e) à {_reunion(r)}."
    if points:
        texte += "\nOrdre du jour :\n" + "\n".join(f"- {i}" for i in points)
    message = Message(Nature.REUNION, r, f"Invitation : {r.nom_comite}", texte)
    notifier([u for u in invites(r) if u.pk == compte.pk], message)


def reunion_changee(pk: int, changements: str) -> None:
    """The date, the place or the agenda of a meeting to come changed."""
    r = Reunion.objects.select_related("comite").get(pk=pk)
    if not _a_venir(r):
        return
    message = Message(
        Nature.REUNION,
        r,
        f"Réunion modifiée : {r.nom_comite}",
        f"{_reunion(r)[0].upper()}{_reunion(r)[1:]} a changé : {changements}",
    )
    notifier(invites(r), message)


def reunion_annulee(pk: int) -> None:
    """A meeting to come is cancelled (gouvernance.reunions.annuler), with its reason."""
    r = Reunion.objects.select_related("comite").get(pk=pk)
    if not _a_venir(r):
        return
    message = Message(
        Nature.REUNION,
        r,
        f"Réunion annulée : {r.nom_comite}",
        f"{_reunion(r)[0].upper()}{_reunion(r)[1:]} est annulée.\nMotif : {r.motif_annulation}",
    )
    notifier(invites(r), message)
