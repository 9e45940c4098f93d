"""One fiche walked along its path by the four ways a move reaches it: its page, its API
endpoint, a committee's decision in a meeting, a contract's signature. Each reaches the one
lifecycle function (fiches.cycle), under the same rights, and is refused with the same French
message for the same illegal move: here, a move dated before the fiche's last one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from comptes.enums import Role
from comptes.permissions import autoriser
from comptes.tests.fabriques import MDP, personne
from contrats import cycle as cycle_contrats
from contrats.tests.fabriques import contrat_pret, equipe
from fiches import cycle
from fiches.enums import Avis, Etat, StatutLigne
from fiches.tests.fabriques import fiche
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint, ObjetDecision
from gouvernance.tests.fabriques import reunion_passee
from referentiel.models import Region

pytestmark = pytest.mark.django_db

J = timezone.localdate()
JSON = "application/json"


def jour(n: int):
    return J - timedelta(days=100 - n)


def trop_tot(avant, dernier) -> str:
    return (
        f"La date ({avant:%d/%m/%Y}) précède le dernier mouvement de la fiche ({dernier:%d/%m/%Y})."
    )


def texte(reponse) -> str:
    return " ".join(reponse.content.decode().replace("&#x27;", "'").split())


@pytest.fixture
def appels(monkeypatch):
    """Every call that reaches the lifecycle's one function, whichever way it came."""
    vus: list[tuple[str, str]] = []
    original = cycle._appliquer

    def espion(**kwargs):
        vus.append((kwargs["mouvement"], kwargs["user"].email))
        return original(**kwargs)

    monkeypatch.setattr(cycle, "_appliquer", espion)
    return vus


def test_page_api_comite_et_signature_passent_par_le_meme_parcours(client, appels):
    p = equipe()
    chef, pilote = p["chef"], p["pilote"]
    f = fiche(chef)
    url_page = f"/fiches/{f.uuid}/mouvement"
    url_api = f"/api/v1/fiches/{f.uuid}"

    def jeton(user) -> dict:
        r = client.post(
            "/api/v1/auth/token", {"email": user.email, "password": MDP}, content_type=JSON
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}

    # 1. The page: the team submits; a move dated before it is refused.
    client.force_login(chef)
    r = client.post(f"{url_page}/soumettre/", {"date_effet": jour(10).isoformat()})
    assert r.status_code == 302
    r = client.post(
        f"{url_page}/avis_local/",
        {"date_effet": jour(5).isoformat(), "avis": "favorable", "decision_texte": "Comité."},
    )
    assert trop_tot(jour(5), jour(10)) in texte(r)

    # 2. The API: the same illegal move, the same message; then the local committee's opinion.
    corps = {"date_effet": jour(5).isoformat(), "avis": "favorable", "decision_texte": "Comité."}
    r = client.post(f"{url_api}/avis-local", corps, content_type=JSON, **jeton(chef))
    assert r.status_code == 422 and r.json()["detail"] == trop_tot(jour(5), jour(10))
    corps["date_effet"] = jour(20).isoformat()
    r = client.post(f"{url_api}/avis-local", corps, content_type=JSON, **jeton(chef))
    assert r.status_code == 200 and r.json()["etat"] == Etat.COPIL
    # The same rights: the Région's pilot does not submit for the team, whatever the way.
    r = client.post(f"{url_api}/soumettre", {}, content_type=JSON, **jeton(pilote))
    assert r.status_code == 403 and r.json()["detail"] == (
        "Vous ne pouvez pas faire « Soumettre au comité de projet local » sur cette fiche."
    )
    client.force_login(pilote)  # the page answers a refusal like an object out of scope
    assert client.post(f"{url_page}/soumettre/", {}).status_code == 404

    # 3. A committee's decision: taken in a meeting held before the last move, refused alike.
    copil = gouvernance.copil_regional(Region.objects.get(code="84"))

    def decision_du_copil(quand, mouvement, avis=""):
        reunion = reunion_passee(pilote, copil, jour=(quand.year, quand.month, quand.day))
        point = gouvernance.ajouter_point(
            user=pilote, reunion=reunion, nature=NaturePoint.FICHE, fiche=f
        )
        return gouvernance.decider(
            user=pilote,
            reunion=reunion,
            point=point,
            objet=ObjetDecision.FICHE,
            mouvement=mouvement,
            avis=avis,
            texte="Relevé de décisions.",
        )

    with pytest.raises(ValidationError) as exc:
        decision_du_copil(jour(15), "avis_copil", Avis.FAVORABLE)
    assert exc.value.messages == [trop_tot(jour(15), jour(20))]
    decision_du_copil(jour(30), "avis_copil", Avis.FAVORABLE)
    dirigeant = personne("dirigeant@exemple.fr", Role.PORTEUR, organisation=f.porteur)
    for ligne in f.lignes.all():
        # Each funder on its line; the bearer's own share by someone of the firm.
        decideur = p["bpi"] if ligne.financeur.nom == "Bpifrance" else dirigeant
        cycle.decider_ligne(
            user=decideur, ligne=ligne, statut=StatutLigne.ACCORDE, date_effet=jour(40)
        )
    decision_du_copil(jour(50), "retenir")
    f.refresh_from_db()
    assert f.etat == Etat.RETENUE

    # 4. A contract's signature inscribes it: signed before its retention, refused alike and
    # nothing is signed; signed after, the fiche is inscribed on that day.
    contrat = contrat_pret(p, fiches=[f])
    cycle_contrats.valider(user=p["etat"], document=contrat, date=jour(45))
    signataires = list(contrat.signataires.all())
    for s in signataires[:-1]:
        cycle_contrats.signer(user=chef, signataire=s, date=jour(45))
    with pytest.raises(ValidationError) as exc:
        cycle_contrats.signer(user=chef, signataire=signataires[-1], date=jour(45))
    assert exc.value.messages == [trop_tot(jour(45), jour(50))]
    signataires[-1].refresh_from_db()
    assert signataires[-1].signe_le is None
    # The same rights: who may not inscribe a fiche records no signature either.
    assert not autoriser(pilote, "inscrire_fiche", f)
    with pytest.raises(PermissionDenied):
        cycle_contrats.signer(user=pilote, signataire=signataires[-1], date=jour(60))
    cycle_contrats.signer(user=chef, signataire=signataires[-1], date=jour(60))
    f.refresh_from_db()
    assert f.etat == Etat.INSCRITE
    assert f.transitions.get(action="inscrire").date_effet == jour(60)

    # Every way, refusals included, went through the one lifecycle function.
    assert appels == [
        ("soumettre", chef.email),  # page
        ("avis_local", chef.email),  # page, refused
        ("avis_local", chef.email),  # API, refused
        ("avis_local", chef.email),  # API
        ("soumettre", pilote.email),  # API, refused for the right
        ("avis_copil", pilote.email),  # committee, refused
        ("avis_copil", pilote.email),  # committee
        ("retenir", pilote.email),  # committee
        ("inscrire", chef.email),  # signature, refused
        ("inscrire", chef.email),  # signature
    ]
