"""Demo library of resources and events of the network: files made here at load time (a PDF
and a DOCX by the platform's own document tooling, a CSV), never downloaded; a link; events
upcoming and past, public or for the network only."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from actualites import ressources
from actualites.models import Evenement, Ressource
from referentiel import fichiers
from referentiel.calendrier import PARIS
from referentiel.models import Region
from referentiel.redaction import Redaction, en_docx, en_pdf


def _guide() -> bytes:
    r = Redaction(titre="Guide méthodologique de la phase 2 (démonstration)")
    r.intitule("Guide méthodologique de la phase 2", 0)
    r.paragraphe("Document de démonstration : il ne décrit aucune règle réelle du programme.")
    r.intitule("Les étapes d'une fiche-action")
    r.liste(
        [
            "Rédaction par le porteur et l'équipe du territoire",
            "Comité de projet local",
            "COPIL régional",
            "Instruction par chaque financeur",
            "Inscription au contrat",
        ]
    )
    return en_pdf(r)


def _kit() -> bytes:
    r = Redaction(titre="Kit de contractualisation (démonstration)")
    r.intitule("Kit de contractualisation", 0)
    r.paragraphe("Trame de contrat et liste des pièces, à adapter par chaque territoire.")
    r.champ("Version", "démonstration")
    return en_docx(r)


def _fiche_csv() -> bytes:
    lignes = ["étape;délai cible (jours)", "comité de projet local;30", "COPIL régional;60"]
    return ("\n".join(lignes) + "\n").encode()


RESSOURCES = [
    # région, catégorie, il y a (jours), titre, résumé, (nom, contenu) ou lien, publiée
    (
        None,
        "guide",
        60,
        "Guide méthodologique de la phase 2",
        "Les étapes d'une fiche-action, du comité de projet local à l'inscription au contrat.",
        ("guide.pdf", _guide),
        True,
    ),
    (
        None,
        "contractualisation",
        45,
        "Kit de contractualisation",
        "La trame de contrat et la liste des pièces, en document modifiable.",
        ("kit.docx", _kit),
        True,
    ),
    (
        "84",
        "fiche_pratique",
        20,
        "Fiche pratique : délais cibles d'instruction",
        "Les délais visés en Auvergne-Rhône-Alpes, en tableau.",
        ("delais.csv", _fiche_csv),
        True,
    ),
    (
        None,
        "communication",
        10,
        "Kit de communication",
        "Logos et règles d'usage de la marque de l'État.",
        "https://www.systeme-de-design.gouv.fr/",
        True,
    ),
    (
        None,
        "fiche_pratique",
        2,
        "Fiche pratique : le suivi des paiements (brouillon)",
        "En préparation par la délégation nationale.",
        ("paiements.csv", _fiche_csv),
        False,
    ),
]


def _fichier(r: Ressource, nom: str, contenu: bytes) -> None:
    f = ContentFile(contenu, name=nom)
    t = fichiers.verifier_fichier(f, taille_max=settings.TAILLE_MAX_RESSOURCE)
    r.fichier.save(fichiers.nom_de_stockage(ressources.DOSSIER, t), f, save=False)
    r.type_fichier, r.taille = t.code, f.size


def charger_ressources() -> list[str]:
    if Ressource.objects.filter(demo=True).exists():
        return ["Ressources de démonstration déjà présentes."]
    aujourd_hui = timezone.localdate()
    for region, categorie, il_y_a, titre, resume, source, publiee in RESSOURCES:
        r = Ressource(
            region=Region.objects.filter(code=region).first() if region else None,
            categorie=categorie,
            date=aujourd_hui - timedelta(days=il_y_a),
            titre=titre,
            resume=resume,
            publiee=publiee,
            demo=True,
        )
        if isinstance(source, str):
            r.lien = source
        else:
            _fichier(r, source[0], source[1]())
        r.save()
    return [f"Démo ressources : {len(RESSOURCES)} ressources (dont un brouillon)."]


EVENEMENTS = [
    # région, dans (jours), heure, durée (h), titre, lieu, lien, organisateur, public
    (
        None,
        15,
        time(10, 0),
        1.5,
        "Webinaire : l'évaluation à mi-parcours",
        "",
        "https://webinaire.exemple.fr/territoires-industrie",
        "Délégation nationale",
        True,
    ),
    (
        "84",
        30,
        time(9, 30),
        7,
        "Rencontre régionale des chefs de projet",
        "Hôtel de Région, Lyon",
        "",
        "Région Auvergne-Rhône-Alpes",
        False,
    ),
    (
        None,
        -60,
        time(9, 0),
        8,
        "Forum national des Territoires d'industrie",
        "Paris",
        "",
        "Délégation nationale",
        True,
    ),
]


def charger_evenements() -> list[str]:
    if Evenement.objects.filter(demo=True).exists():
        return ["Événements de démonstration déjà présents."]
    aujourd_hui = timezone.localdate()
    for region, dans, heure, duree, titre, lieu, lien, organisateur, public in EVENEMENTS:
        jour: date = aujourd_hui + timedelta(days=dans)
        debut = datetime.combine(jour, heure, tzinfo=PARIS)
        Evenement.objects.create(
            region=Region.objects.filter(code=region).first() if region else None,
            titre=titre,
            description=f"{titre} : programme détaillé communiqué aux inscrits (démonstration).",
            debut=debut,
            fin=debut + timedelta(hours=duree),
            lieu=lieu,
            lien=lien,
            organisateur=organisateur,
            public=public,
            demo=True,
        )
    return [f"Démo événements : {len(EVENEMENTS)} événements (à venir et passés)."]


def charger() -> list[str]:
    return charger_ressources() + charger_evenements()
