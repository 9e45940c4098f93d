"""The platform's search page (docs/adr/0018-recherche.md)."""
