"""The intro page's chapter table, generated from ``_toc.yml`` and the chapters themselves.

``{coursenn-chapters}`` (a directive in ``intro.md``) lists, for every notebook in the book's
numbered part in ``_toc.yml`` order: the chapter number, its title (a link), its goals
(the list under **本章目标**) and the lecture documents it follows (the three-digit numbers
in its **对应讲义** paragraph). A new chapter appears as soon as it is in ``_toc.yml`` and its
file exists (an entry without a file is left out, as the book's contents leave it out), so
the table cannot go stale.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

GOALS = "本章目标"
LECTURES = "对应讲义"
_LECTURE_NO = re.compile(r"(?<![\d.])(0\d\d)(?![\d.])")


@dataclass
class Chapter:
    number: int
    docname: str  # e.g. "chapters/01_neuron"
    title: str
    goals: list[str] = field(default_factory=list)
    lectures: list[str] = field(default_factory=list)


def numbered_entries(toc: dict) -> list[str]:
    """The files of the ``_toc.yml`` parts marked ``numbered``, in order (no suffix)."""
    files = []
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for entry in part.get("chapters", []):
            if "file" in entry:
                files.append(str(Path(entry["file"]).with_suffix("")))
    return files


def _markdown(nb: dict) -> list[str]:
    cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "markdown"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]


def read_chapter(path: Path, number: int, docname: str) -> Chapter:
    """Title, goals and lecture numbers of one chapter notebook (or Markdown file)."""
    if path.suffix == ".ipynb":
        text = "\n\n".join(_markdown(json.loads(path.read_text(encoding="utf-8"))))
    else:
        text = path.read_text(encoding="utf-8")
    title_match = re.search(r"^#\s+(.+?)\s*$", text, flags=re.M)
    if not title_match:
        raise ValueError(f"{path}: no '# title' heading")
    chapter = Chapter(number, docname, title_match.group(1))
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(rf"^\s*(\*\*{GOALS}\*\*|#+\s*{GOALS})\s*[:：]?\s*$", line):
            for goal_line in lines[i + 1 :]:
                if goal_line.startswith(("- ", "* ")):
                    chapter.goals.append(goal_line[2:].strip())
                elif goal_line.startswith("  ") and chapter.goals:
                    chapter.goals[-1] += goal_line.strip()
                elif goal_line.strip() or chapter.goals:
                    break
            break
    for line in lines:
        if line.lstrip().startswith(f"**{LECTURES}**"):
            chapter.lectures = list(dict.fromkeys(_LECTURE_NO.findall(line)))
            break
    return chapter


def book_chapters(confdir: Path, toc_path: str) -> list[tuple[Chapter, Path]]:
    toc = yaml.safe_load(Path(confdir, toc_path).read_text(encoding="utf-8"))
    out = []
    for docname in numbered_entries(toc):
        candidates = [Path(confdir, docname + s) for s in (".ipynb", ".md")]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            continue  # as the book's contents do (external_toc_exclude_missing)
        out.append((read_chapter(path, len(out) + 1, docname), path))
    return out


class ChapterTable(SphinxDirective):
    """``{coursenn-chapters}``: the table of the book's chapters (no arguments)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        confdir = Path(self.env.app.confdir)
        chapters = book_chapters(confdir, self.config.external_toc_path)
        self.env.note_dependency(str(confdir / self.config.external_toc_path))
        lines = ["| 章 | 标题与本章目标 | 讲义 |", "|---|---|---|"]
        for chapter, path in chapters:
            self.env.note_dependency(str(path))
            link = f"{{doc}}`{chapter.title} </{chapter.docname}>`"
            lines.append(
                f"| {chapter.number} | **{link}** | {'、'.join(chapter.lectures) or '—'} |"
            )
        # MyST tables cannot hold lists: build the goals lists as nodes after parsing.
        container = nodes.container(classes=["coursenn-chapter-table"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), 0, container)
        rows = list(container.findall(nodes.row))[1:]  # skip the header row
        for row, (chapter, _) in zip(rows, chapters, strict=True):
            cell = row.children[1]
            goal_list = nodes.bullet_list(classes=["coursenn-goals"])
            for goal in chapter.goals:
                item = nodes.list_item()
                self.state.nested_parse(StringList([goal]), 0, item)
                goal_list += item
            if chapter.goals:
                cell += goal_list
        return [container]


def setup(app: Sphinx) -> None:
    app.add_directive("coursenn-chapters", ChapterTable)
