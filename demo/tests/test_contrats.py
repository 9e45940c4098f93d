"""The demo contracting of 8401 and 8408, loaded after the demo fiches."""

import pytest

from contrats import cycle
from contrats.enums import EtatDocument
from contrats.models import Contrat, Protocole
from demo.contrats import load_contrats
from demo.loader import load_demo
from fiches.enums import Etat
from fiches.models import FicheAction

pytestmark = pytest.mark.django_db


def test_demo_protocole_contrat_signe_et_avenant_pour_8401_et_8408():
    messages = load_demo()  # the whole demo, as `make run` loads it
    assert sum("contrat signé et avenant" in m for m in messages) == 2, messages
    for code in ("8401", "8408"):
        c = Contrat.objects.get(territoire__code=code, territoire__phase_id=1)
        assert c.demo and c.etat == EtatDocument.SIGNE
        assert Protocole.objects.get(territoire=c.territoire).etat == EtatDocument.SIGNE
        a = c.avenants.get()
        assert a.demo and a.numero == 1 and a.etat == EtatDocument.SIGNE
        assert c.validation.demo
    # Every inscribed fiche of the demo was inscribed by the signature of the contract or the
    # avenant that annexes it, on its validation, at its last signature: no other way.
    inscrites = FicheAction.objects.filter(demo=True, etat__in=[Etat.INSCRITE, Etat.REALISEE])
    assert inscrites.filter(territoire__phase_id=1).count() == 10
    assert inscrites.filter(territoire__phase_id=2).count() == 4  # ti-8401's signed contract
    for f in inscrites:
        annexe = f.annexe_contrat.select_related("contrat", "avenant").get()
        document = annexe.avenant or annexe.contrat
        t = f.transitions.get(action="inscrire")
        assert (t.date_effet, t.decision) == (document.date_signature, document.validation)
    assert cycle.sans_reunion(
        Contrat.objects.get(territoire__code="8408", territoire__phase_id=1).validation
    )
    assert not cycle.sans_reunion(
        Contrat.objects.get(territoire__code="8401", territoire__phase_id=1).validation
    )
    assert load_contrats() == ["Contrats de démonstration déjà présents."]


def test_aucun_protocole_de_la_demo_ne_porte_de_montant():
    from contrats import documents, services
    from contrats.models import AccordSansReunion, Signataire

    load_demo()
    protocoles = list(Protocole.objects.filter(demo=True))
    assert len(protocoles) == 4  # 8401, 8408, ti-8401, ti-8413
    annexees = [a.fiche for p in protocoles for a in p.annexes.select_related("fiche")]
    assert annexees  # the demo shows a protocol with a fiche in annex
    for f in annexees:
        assert services.montants_de_la_fiche(f) == [], f.reference
    for p in protocoles:
        for a in p.annexes.all():
            assert not services.MONTANT.search(a.resume)
        assert "€" not in " ".join(t for _, t in documents.canevas(p).sections)
    # Each validation without a meeting rests on the recorded agreement of every party.
    for c in Contrat.objects.filter(demo=True):
        for d in (c, *c.avenants.all()):
            if cycle.sans_reunion(d.validation):
                accords = AccordSansReunion.objects.filter(signataire__in=d.signataires.all())
                assert accords.count() == d.signataires.count() > 0
    # A minister signs 8408's contract, by exception, with its reason.
    ministre = Signataire.objects.get(nature="ministre", contrat__territoire__code="8408")
    assert ministre.motif_ministre.startswith("[Démo] Signature lors du déplacement")
