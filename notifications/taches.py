"""The morning's notification work as a task (docs/adr/0020), queued by `envoyer_recapitulatif`
and run by the worker: the delays passed, the failed immediate notifications, the digests."""

from django_tasks import task

from . import envoi
from . import retards as retards_


@task()
def envoyer_recapitulatifs(relances_seulement: bool = False) -> list[str]:
    # The delays passed first: the immediate ones leave at once, the others join this
    # morning's digest. Each is written once (its key), however many runs see it.
    retards = 0 if relances_seulement else retards_.notifier_retards()
    relancees = envoi.relancer_immediates()
    recapitulatifs = 0 if relances_seulement else envoi.envoyer_recapitulatifs()
    restantes = envoi.a_envoyer().count()
    return [
        f"{retards} notification(s) de délai dépassé écrite(s), {relancees} notification(s) "
        f"immédiate(s) relancée(s), {recapitulatifs} récapitulatif(s) envoyé(s) ; "
        f"{restantes} notification(s) encore en attente."
    ]
