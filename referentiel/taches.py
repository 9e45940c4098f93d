"""What a cron command does with a task (docs/adr/0020): hands it to the queue that the
`db_worker` command empties, or runs it at once with `--maintenant`. A task returns the lines
of its report, printed by the command when it ran here."""

from django.core.management.base import CommandError
from django_tasks import TaskResultStatus

OPTION_MAINTENANT = {
    "action": "store_true",
    "help": "Faire le travail ici, tout de suite, au lieu de le confier à la file (db_worker).",
}


def lancer(commande, tache, *, maintenant: bool, **kwargs) -> None:
    """Runs or queues `tache`; its report lines (or its failure) reach the command's output."""
    if maintenant:
        lignes = tache.call(**kwargs)
    else:
        resultat = tache.enqueue(**kwargs)
        if resultat.status == TaskResultStatus.FAILED:
            derniere = resultat.errors[-1].traceback.strip().splitlines()[-1]
            raise CommandError(f"La tâche {tache.name} a échoué : {derniere}")
        if resultat.status != TaskResultStatus.SUCCESSFUL:
            commande.stdout.write(
                f"Tâche {tache.name} mise en file ({resultat.id}) : le worker (db_worker) "
                "la traitera."
            )
            return
        lignes = resultat.return_value
    for ligne in lignes:
        commande.stdout.write(ligne)
