"""The pages anyone reads without signing in, by URL name (docs/adr/0011-pages-par-domaine.md).

Every other page sends a visitor to the sign-in page first, and back after it
(comptes.middleware.ConnexionExigee): login is required by default, and a page is public only
by being listed here. A public page still shows each visitor only what is public for
everyone (a draft, a firm, an amount under secrecy answer 404 or stay masked).

The public sees the map, the territories and what has been contracted, as open data (DOMAIN
« Public »), and the catalogue of measures.
"""

PAGES_PUBLIQUES = frozenset(
    {
        # The map: home page, national map, territories, régions, the API's documentation.
        "carte:accueil",
        "carte:carte",
        "carte:territoires",
        "carte:territoire",
        "carte:regions",
        "carte:region",
        "carte:api",
        # Signing in and out; ProConnect's sign-in and its return (docs/adr/0005).
        "comptes:connexion",
        "comptes:deconnexion",
        # A forgotten password: the request, its acknowledgement, the link sent, the end.
        "comptes:mot-de-passe-oublie",
        "comptes:mot-de-passe-envoye",
        "comptes:mot-de-passe-nouveau",
        "comptes:mot-de-passe-change",
        "oidc_authentication_init",
        "oidc_authentication_callback",
        "oidc_logout",
        # Public bodies (a firm is shown only to those who may see it).
        "comptes:organisation",
        # The panier de services (FAQ §5).
        "mesures:liste",
        "mesures:detail",
        # What has been contracted: the inscribed fiches, their export, the simplification
        # requests they carry; the signed protocols, contracts and avenants, their documents,
        # and the contracting section of a territory.
        "fiches:liste",
        "fiches:detail",
        "fiches:export",
        "fiches:export-csv",
        "fiches:simplification",
        "contrats:liste",
        "contrats:territoire",
        "contrats:document",
        "contrats:telecharger",
        # The national map published at a CNI (FAQ §2.3).
        "gouvernance:version",
        # The programme and the platform, the FAQ, help, the site's legal duties (footer).
        "programme:presentation",
        "programme:faq",
        "programme:aide",
        "programme:mentions-legales",
        "programme:donnees-personnelles",
        "programme:accessibilite",
        "programme:plan-du-site",
        "programme:robots",
        "programme:sitemap",
        # The open-data package: its page and its files (the register of aid to firms is the
        # national delegation's only).
        "opendata:index",
        "opendata:fichier",
        # The network's news and their Atom feeds (FAQ §7.4).
        "actualites:liste",
        "actualites:detail",
        "actualites:flux",
        "actualites:flux-national",
        "actualites:flux-region",
        # The platform's search: the public for a visitor, more for a signed-in person.
        "recherche:index",
        # The library of resources (a draft is 404 to all but its publishers) and the
        # network's events (a network-only event is 404 without signing in).
        "actualites:ressources",
        "actualites:ressource",
        "actualites:ressource-fichier",
        "actualites:evenements",
        "actualites:evenement",
        "actualites:evenement-ics",
        "actualites:flux-evenements",
        # A person's calendar feed, read by a calendar application without a session: its
        # secret token stands for the person (gouvernance.agenda).
        "gouvernance:agenda-ics",
    }
)

# URL applications that keep their own access: the administration its sign-in page, the API
# (django-ninja) its tokens.
ACCES_A_PART = frozenset({"admin", "ninja"})
