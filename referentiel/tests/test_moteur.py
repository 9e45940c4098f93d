"""The search's French folding (referentiel.moteur): accents, case, hyphens, plurals, word
beginnings; the same answer in Python and in SQL."""

from referentiel.moteur import _apres, mots_indexes, plier, requete


def trouve(q: str, texte: str) -> bool:
    return requete(q).correspond(plier(texte))


def test_accents_casse_et_tirets_ne_comptent_pas():
    assert trouve("tournon sur rhone", "Tournon-sur-Rhône")
    assert trouve("Epinal", "Épinal")
    assert trouve("épinal", "EPINAL")
    assert trouve("l'isle", "L’Isle-d’Abeau")


def test_un_pluriel_trouve_son_singulier_et_le_singulier_son_pluriel():
    assert trouve("fonderies", "Modernisation d'une fonderie")
    assert trouve("fonderie", "Deux fonderies modernisées")
    assert trouve("ateliers", "Un atelier partagé")
    assert trouve("chevaux", "Un cheval")
    assert trouve("compétences", "la compétence")


def test_un_debut_de_mot_suffit_pas_un_milieu():
    assert trouve("fond", "Fonderie de Tournon")
    assert trouve("mecaniq", "Pôle mécanique")
    assert not trouve("derie", "Fonderie de Tournon")


def test_tous_les_mots_de_la_requete_sont_exiges():
    assert trouve("fonderie tournon", "Fonderie de Tournon")
    assert not trouve("fonderie annonay", "Fonderie de Tournon")


def test_les_petits_mots_ne_comptent_pas_quand_d_autres_restent():
    assert trouve("friches de la vallee", "Friche industrielle, vallée du Rhône")
    assert requete("de la")  # alone, they are the query


def test_un_code_se_trouve_tel_quel():
    assert trouve("07010", "07010 Annonay")
    assert trouve("ti-8401", "Territoire ti-8401")
    assert not trouve("07010", "07011 Ailhon")


def test_une_requete_sans_mot_ne_cherche_rien():
    assert not requete("")
    assert not requete("  ! ? ")
    assert not requete("a")


# --- The word index: the same beginnings, fewer rows --------------------------------------


def test_l_index_laisse_un_mot_qui_en_commence_un_autre():
    assert mots_indexes(plier("Les fonderies de Tournon")) == [
        "de",
        "fonderies",
        "les",
        "tournon",
    ]  # « fonder » (stem), « le » (stem of « les ») begin a kept word


def test_un_debut_de_mot_est_un_intervalle_de_l_alphabet():
    # Every folded word that begins with the prefix is in [prefixe, fin), and no other.
    mots = ["a", "az", "aza", "azz", "b", "ba", "a9", "aa", "a0", "z", "zz", "zz9"]
    for prefixe in ["a", "az", "a9", "z", "zz", "b"]:
        dedans = {m for m in mots if m.startswith(prefixe)}
        fin = _apres(prefixe)
        assert {m for m in mots if m >= prefixe and (fin is None or m < fin)} == dedans
    assert _apres("zz") is None
    assert _apres("a9") == "aa"
