"""The open-data rebuild as a task (docs/adr/0020), queued by `construire_donnees_ouvertes`
and run by the worker: a long build never holds a web request."""

from django_tasks import task

from .paquet import construire
from .scdl import sans_siret


@task()
def construire_paquet(valider: bool = True) -> list[str]:
    """Builds and publishes the package; PaquetInvalide leaves the previous one in place."""
    rapport = construire(valider=valider)
    lignes = [
        f"{e.fichier.csv} : {e.lignes} lignes, {e.octets / 1024:.0f} Ko" for e in rapport.ecrits
    ]
    if n := sans_siret():
        lignes.append(
            f"{n} subvention(s) entre personnes publiques hors du fichier SCDL : SIRET de "
            "l'attribuant ou du bénéficiaire inconnu."
        )
    lignes.append(
        f"Paquet publié dans {rapport.chemin} : {len(rapport.ecrits)} fichiers, "
        f"{rapport.octets / 1024 / 1024:.1f} Mo, en {rapport.secondes:.1f} s."
    )
    return lignes
