"""The network's library of resources (FAQ §7.4): who deposits, uploads checked by content and
size with nothing stored on refusal, files served as attachments, drafts unseen by others."""

from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actualites import ressources
from actualites.models import Ressource
from comptes.enums import Role
from comptes.tests.fabriques import personne, territoire
from referentiel.models import Region

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PROGRAMME = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100


@pytest.fixture
def gens():
    return {
        "national": personne("national@exemple.fr", Role.NATIONAL),
        "pilote": personne("pilote84@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "pilote11": personne("pilote11@exemple.fr", Role.PILOTE_REGION, region_id="11"),
        "chef": personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401")),
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stockes(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _deposer(user, region=None, *, fichier=None, lien="", publiee=True, titre="Guide"):
    return ressources.deposer(
        user=user,
        region=region,
        titre=titre,
        resume="Le guide méthodologique de la phase 2.",
        categorie="guide",
        date=date(2024, 3, 1),
        fichier=fichier,
        lien=lien,
        publiee=publiee,
    )


def _pdf(nom="guide.pdf", contenu=PDF):
    return SimpleUploadedFile(nom, contenu, content_type="application/pdf")


def _formulaire(**champs):
    return {
        "niveau": "84",
        "titre": "Kit de communication",
        "resume": "Logos et gabarits.",
        "categorie": "communication",
        "date": "2024-05-02",
        "publiee": "on",
        **champs,
    }


def test_la_delegation_depose_pour_tous_une_region_pour_la_sienne(gens, media):
    ara = Region.objects.get(code="84")
    assert _deposer(gens["national"], lien="https://exemple.fr/guide").source == (
        "Délégation nationale"
    )
    assert _deposer(gens["pilote"], ara, lien="https://exemple.fr/kit").region_id == "84"
    for user, region in ((gens["pilote"], None), (gens["pilote11"], ara), (gens["chef"], ara)):
        with pytest.raises(PermissionDenied):
            _deposer(user, region, fichier=_pdf())
    assert Ressource.objects.count() == 2 and stockes(media) == []


def test_un_fichier_ou_un_lien_jamais_les_deux_ni_aucun(gens, media):
    with pytest.raises(ValidationError) as exc:
        _deposer(gens["national"], fichier=_pdf(), lien="https://exemple.fr")
    assert exc.value.message_dict == {"lien": ["Donnez un fichier ou un lien, pas les deux."]}
    with pytest.raises(ValidationError) as exc:
        _deposer(gens["national"])
    assert "Déposez un fichier ou donnez un lien externe." in exc.value.messages
    with pytest.raises(ValidationError):
        _deposer(gens["national"], lien="javascript:alert(1)")
    assert not Ressource.objects.exists() and stockes(media) == []


def test_fichier_stocke_sous_media_root_avec_un_nom_engendre(gens, media):
    r = _deposer(gens["national"], fichier=_pdf("../../Mon guide (final).pdf"))
    (chemin,) = stockes(media)
    assert chemin.is_relative_to(media) and chemin.parent == media / "ressources"
    assert "guide" not in chemin.name and chemin.suffix == ".pdf"
    assert chemin.read_bytes() == PDF and r.type_fichier == "pdf" and r.taille == len(PDF)


def test_type_refuse_par_son_contenu_et_rien_n_est_stocke(client, gens, media):
    client.force_login(gens["pilote"])
    r = client.post("/ressources/nouvelle/", _formulaire(fichier=_pdf("kit.pdf", PROGRAMME)))
    page = unescape(r.content.decode())
    assert r.status_code == 400 and "Ce type de fichier n'est pas accepté" in page
    assert "Rien n'a été enregistré" in page
    assert not Ressource.objects.exists() and stockes(media) == []


def test_taille_refusee_et_rien_n_est_stocke(client, gens, media, settings):
    settings.TAILLE_MAX_RESSOURCE = 1024 * 1024
    client.force_login(gens["pilote"])
    gros = _pdf("kit.pdf", PDF + b"0" * (1024 * 1024))
    r = client.post("/ressources/nouvelle/", _formulaire(fichier=gros))
    page = unescape(r.content.decode())
    assert r.status_code == 400 and "Le fichier dépasse la taille maximale de 1 Mo." in page
    assert not Ressource.objects.exists() and stockes(media) == []


def test_rien_n_est_stocke_quand_la_base_refuse_la_ressource(gens, media):
    with pytest.raises(ValidationError):
        _deposer(gens["national"], fichier=_pdf(), titre="x" * 201)
    assert not Ressource.objects.exists() and stockes(media) == []


def test_depot_par_la_page_puis_servi_en_piece_jointe_avec_nosniff(client, gens, media):
    client.force_login(gens["pilote"])
    r = client.post("/ressources/nouvelle/", _formulaire(fichier=_pdf("kit.pdf")))
    res = Ressource.objects.get()
    assert r.status_code == 302 and r.url == f"/ressources/{res.pk}/"
    client.logout()
    assert "Kit de communication" in client.get("/ressources/").content.decode()
    assert "Télécharger" in client.get(f"/ressources/{res.pk}/").content.decode()
    f = client.get(f"/ressources/{res.pk}/fichier/")
    assert f.status_code == 200 and b"".join(f.streaming_content) == PDF
    assert f["Content-Disposition"] == 'attachment; filename="kit-de-communication.pdf"'
    assert f["X-Content-Type-Options"] == "nosniff"
    assert f["Content-Type"] == "application/pdf"


def test_une_ressource_non_publiee_est_404_pour_les_autres(client, gens, media):
    ara = Region.objects.get(code="84")
    brouillon = _deposer(gens["pilote"], ara, fichier=_pdf(), publiee=False, titre="Brouillon")
    urls = [f"/ressources/{brouillon.pk}/", f"/ressources/{brouillon.pk}/fichier/"]
    for user in (None, gens["chef"], gens["pilote11"], gens["national"]):
        client.logout()
        if user:
            client.force_login(user)
        assert [client.get(u).status_code for u in urls] == [404, 404], user
        assert "Brouillon" not in client.get("/ressources/").content.decode()
    client.force_login(gens["pilote"])
    assert "Brouillon" in client.get("/ressources/").content.decode()
    f = client.get(urls[1])
    assert f.status_code == 200 and f["Cache-Control"] == "private, no-store"
    b"".join(f.streaming_content)


def test_les_ressources_se_filtrent_par_categorie_et_region(client, gens, media):
    _deposer(gens["national"], lien="https://exemple.fr/guide", titre="Guide national")
    ressources.deposer(
        user=gens["pilote"],
        region=Region.objects.get(code="84"),
        titre="Fiche pratique régionale",
        resume="Une fiche.",
        categorie="fiche_pratique",
        date=date(2024, 1, 5),
        lien="https://exemple.fr/fiche",
        publiee=True,
    )
    page = client.get("/ressources/", {"categorie": "fiche_pratique"}).content.decode()
    assert "Fiche pratique régionale" in page and "Guide national" not in page
    page = client.get("/ressources/", {"region": "84"}).content.decode()
    assert "Fiche pratique régionale" in page and "Guide national" not in page


def test_une_modification_sur_une_version_depassee_n_ecrase_rien(
    client, gens, media, django_capture_on_commit_callbacks
):
    res = _deposer(gens["national"], fichier=_pdf())
    (ancien,) = stockes(media)
    client.force_login(gens["national"])
    champs = {**_formulaire(), "titre": "Titre A", "version": res.version}
    champs.pop("niveau")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/ressources/{res.pk}/modifier/", {**champs, "fichier": _pdf("b.pdf")})
    assert r.status_code == 302
    (nouveau,) = stockes(media)  # the replaced file is gone
    assert nouveau != ancien
    r = client.post(f"/ressources/{res.pk}/modifier/", {**champs, "titre": "Titre B"})
    assert r.status_code == 409
    res.refresh_from_db()
    assert res.titre == "Titre A" and res.version == 2
    client.force_login(gens["pilote"])
    assert client.get(f"/ressources/{res.pk}/modifier/").status_code == 404


def test_sitemap_et_plan_du_site_sans_brouillon_ni_evenement_reserve(client, gens, media):
    from datetime import timedelta

    from django.utils import timezone

    from actualites import evenements

    publiee = _deposer(gens["national"], lien="https://exemple.fr/a", titre="Publiée")
    brouillon = _deposer(gens["national"], lien="https://exemple.fr/b", publiee=False)
    debut = timezone.now() + timedelta(days=3)
    commun = {"description": "D", "lieu": "Paris", "organisateur": "DN", "debut": debut}
    public = evenements.organiser(
        user=gens["national"], titre="Public", fin=debut + timedelta(hours=1), public=True, **commun
    )
    reserve = evenements.organiser(
        user=gens["national"], titre="Réservé", fin=debut + timedelta(hours=1), **commun
    )
    plan = client.get("/sitemap.xml").content.decode()
    assert f"/ressources/{publiee.pk}/<" in plan and f"/ressources/{brouillon.pk}/<" not in plan
    assert f"/evenements/{public.pk}/<" in plan and f"/evenements/{reserve.pk}/<" not in plan
    assert "/ressources/<" in plan and "/evenements/<" in plan
    page = client.get("/plan-du-site/").content.decode()
    assert "Ressources du réseau" in page and "Événements du réseau" in page
