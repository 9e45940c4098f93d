"""The phases read once by a request that reads (config.middleware.PhasesLuesUneFois)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .models import Phase

# The phases as one read request reads them (phases_lues_une_fois); None outside of one.
_PHASES: ContextVar[dict | None] = ContextVar("phases_de_la_requete", default=None)


@contextmanager
def phases_lues_une_fois() -> Iterator[None]:
    """Within it, the phases are read once, whoever asks for the phase in force (the menu,
    the page, the forms): for a request that reads, not across requests (never stale)."""
    jeton = _PHASES.set({})
    try:
        yield
    finally:
        _PHASES.reset(jeton)


def phases() -> list[Phase]:
    memo = _PHASES.get()
    if memo is None:
        return list(Phase.objects.order_by("numero"))
    if "phases" not in memo:
        memo["phases"] = list(Phase.objects.order_by("numero"))
    return memo["phases"]
