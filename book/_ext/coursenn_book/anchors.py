"""Section anchors are the sections' labels: ``(ch06-whitening)=`` gives ``#ch06-whitening``.

Docutils makes a section's id from its title. A Chinese title has no ASCII letters, so the
section gets a counter (``id7``) that changes whenever a section is added above it; a title
with a few English words gets a fragment of them (``pca``). Every section of the book carries
an explicit label (``tests/test_hygiene.py`` checks the chapters), and the label goes into the
section's ids behind the title's id. The *first* id is the one readers see: the heading's
permalink and the "on this page" contents link to it, and section numbers are keyed by it.

:class:`LabelsFirst` puts a labelled section's labels first, keeps a title id made of words
(an old link to ``#relu`` still lands) and drops the counter ids, so no ``#idN`` anchor is left
on a labelled section. Sections without a label are not touched.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

COUNTER_ID = re.compile(r"id\d+")


def explicit_ids(document: nodes.document) -> set[str]:
    """The ids of the document's explicit targets: labels such as ``(ch06-whitening)=``."""
    return {
        document.nameids[name]
        for name, explicit in document.nametypes.items()
        if explicit and document.nameids.get(name)
    }


def ordered_ids(ids: list[str], labels: set[str]) -> list[str]:
    """A labelled section's ids: its labels first, then title ids made of words; no counters.

    >>> ordered_ids(["pca", "ch06-minmax-pca"], {"ch06-minmax-pca"})
    ['ch06-minmax-pca', 'pca']
    >>> ordered_ids(["ch06-whitening", "id7"], {"ch06-whitening"})
    ['ch06-whitening']
    >>> ordered_ids(["id7"], set())
    ['id7']
    """
    own = [i for i in ids if i in labels]
    if not own:
        return list(ids)
    return own + [i for i in ids if i not in labels and not COUNTER_ID.fullmatch(i)]


class LabelsFirst(SphinxTransform):
    """Make each labelled section's label its primary id (see the module docstring)."""

    # after docutils' PropagateTargets (260), which moves a label onto the section after it,
    # and Sphinx's SortIds (261), which only moves a leading ``idN`` to the end
    default_priority = 262

    def apply(self, **kwargs) -> None:
        labels = explicit_ids(self.document)
        for section in self.document.findall(nodes.section):
            ids = ordered_ids(section["ids"], labels)
            for dropped in set(section["ids"]) - set(ids):
                if self.document.ids.get(dropped) is section:
                    del self.document.ids[dropped]
            section["ids"] = ids


def setup(app: Sphinx) -> None:
    app.add_transform(LabelsFirst)
