"""One readable label style for the references: author-year, sorted by author.

Registered with pybtex as the formatting style ``coursenn`` (``bibtex_default_style`` in
``_config.yml``): pybtex's ``plain`` entries with labels such as "Cybenko 1989",
"Glorot & Bengio 2010" or "Rumelhart et al. 1986" (a, b, ... when two would be equal)
instead of alpha labels like "[RMPDPRGroup86]", sorted by the first author's family name,
year and title. An entry may give ``sortkey`` (as in biblatex) to sort a name written in
Chinese characters by its pinyin, e.g. ``sortkey = {Qiu Xipeng}`` for 邱锡鹏.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle


def _plain(latex: str) -> str:
    return Text.from_latex(latex).render_as("text")


def family_name(person) -> str:
    """The printed family name ("Montúfar", "PDP Research Group", "邱锡鹏")."""
    return _plain(" ".join(person.prelast_names + person.last_names))


def _people(entry) -> list:
    return list(entry.persons.get("author") or entry.persons.get("editor") or [])


def author_year_label(entry) -> str:
    people = _people(entry)
    names = [family_name(p) for p in people]
    if not names:
        who = _plain(entry.fields.get("key", entry.key))
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    year = entry.fields.get("year", "")
    return f"{who} {year}".strip()


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year_label(e) for e in entries]
        counts = Counter(labels)
        used: dict[str, int] = defaultdict(int)
        for label in labels:
            if counts[label] > 1:
                used[label] += 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[used[label] - 1]
            else:
                yield label


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class AuthorYearSorting(BaseSortingStyle):
    def sorting_key(self, entry):
        people = _people(entry)
        first = family_name(people[0]) if people else entry.key
        name = entry.fields.get("sortkey") or first
        return (_fold(_plain(name)), entry.fields.get("year", ""), _fold(_plain(entry.fields.get("title", ""))))


class CoursennStyle(PlainStyle):
    default_label_style = "coursenn_author_year"
    default_sorting_style = "coursenn_author_year"


def setup(app) -> None:
    register_plugin("pybtex.style.labels", "coursenn_author_year", AuthorYearLabels)
    register_plugin("pybtex.style.sorting", "coursenn_author_year", AuthorYearSorting)
    register_plugin("pybtex.style.formatting", "coursenn", CoursennStyle)
