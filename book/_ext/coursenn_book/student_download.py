"""Student notebooks on the site: every chapter page offers its exercises without the answers.

The theme's download menu (the ⤓ button in a page's header) offers the chapter notebook as
the book publishes it: the instructor's notebook, solutions and outputs included. Here,
during the book build,

* each chapter notebook's student version is made by :func:`coursenn.instructor.student.
  write_student_notebooks`, the very code of ``coursenn student`` (solutions stripped,
  hidden grading cases dropped, outputs cleared), and saved in the site as
  ``student/NN_name_student.ipynb`` (:func:`student_file`); a chapter that breaks the
  exercise format stops the build with the tool's own report;
* the download menu of each chapter page gets an entry for it (:data:`STUDENT_TEXT`), and
  the full notebook's entry says that it holds the answers (:data:`FULL_TEXT`);
* a short line under the chapter's title links to the student notebook as well
  (:func:`download_line`), with the HTML ``download`` attribute and its file name.

All links are relative. In the menu, ``coursenn.js`` adds the ``download`` attribute to
both notebook entries (the theme renders menu entries as links that open a new tab; the
menu itself needs JavaScript anyway).

The offline site, opened from ``file://``: there a browser ignores ``download`` (every
file is an origin of its own) and shows a notebook as a page of JSON text. So each student
notebook also gets a script copy, ``student/NN_name_student.ipynb.js`` (:func:`offline_copy`,
the text as one ASCII JavaScript string); on ``file://`` pages ``coursenn.js`` loads it when
a student link is clicked and saves the text from memory (a ``blob:`` URL, which the
browser does download under the given name), byte for byte the ``.ipynb`` file.

The notebooks in ``chapters/`` are never changed.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.osutil import relative_uri

from coursenn.instructor.cells import ExerciseFormatError
from coursenn.instructor.student import write_student_notebooks

FOLDER = "student"  # in the site: student/NN_name_student.ipynb
LINE_CLASS = "coursenn-downloads"
STUDENT_ENTRY_LABEL = "download-student-notebook-button"  # the theme makes it a class btn-<label>
LINK_CLASS = "coursenn-student-notebook"  # the link in the line under the title
STUDENT_TEXT = "学生版 .ipynb（无答案）"
STUDENT_TOOLTIP = "下载学生版笔记本：练习的答案已去掉，可以自己做"
FULL_TEXT = "完整版 .ipynb（含答案）"
FULL_TOOLTIP = "下载完整笔记本：含练习答案和全部输出"


def student_file(docname: str) -> str:
    """Where a chapter's student notebook lives in the site, relative to its root.

    ``"chapters/01_neuron"`` -> ``"student/01_neuron_student.ipynb"``.
    """
    return f"{FOLDER}/{PurePosixPath(docname).name}_student.ipynb"


def _is_notebook(app: Sphinx, docname: str) -> bool:
    return str(app.env.doc2path(docname)).endswith(".ipynb")


def _html_build(app: Sphinx) -> bool:
    return app.builder.format == "html"


def write_student_files(chapters: dict[str, Path], site: Path) -> list[Path]:
    """Write each chapter's student notebook into ``site`` at :func:`student_file`.

    Parameters
    ----------
    chapters : dict of str to Path
        Docname (``"chapters/01_neuron"``) to the chapter notebook.
    site : Path
        The HTML output folder.

    Returns
    -------
    list of Path
        The files written: each notebook, then its :func:`offline_copy` script.

    Raises
    ------
    ExerciseFormatError
        A chapter breaks the exercise format (then nothing is written).
    """
    with tempfile.TemporaryDirectory() as tmp:
        made = {path.name: path for path in write_student_notebooks(list(chapters.values()), tmp)}
        written = []
        for docname, chapter in chapters.items():
            target = site / student_file(docname)
            target.parent.mkdir(parents=True, exist_ok=True)
            # coursenn student keeps the chapter's name; a fresh copy gets the usual permissions
            shutil.copyfile(made[chapter.name], target)
            script = target.with_name(target.name + ".js")
            text = target.read_text(encoding="utf-8")
            script.write_text(offline_copy(text, target.name), encoding="utf-8")
            written += [target, script]
    stale = set((site / FOLDER).glob("*_student.ipynb*")) - set(written)
    for path in stale:  # a chapter left the book since the last build
        path.unlink()
    return written


def offline_copy(text: str, filename: str) -> str:
    """A script that holds ``text`` for ``coursenn.js``: ``coursennNotebooks[filename] = text``.

    The string is written as ASCII (``\\uXXXX`` escapes), so the browser reads it right
    whatever charset it assumes for the script.
    """
    return (
        f"/* {filename} for the offline site (file://): coursenn.js saves it from here. */\n"
        "window.coursennNotebooks = window.coursennNotebooks || {};\n"
        f"window.coursennNotebooks[{json.dumps(filename)}] = {json.dumps(text)};\n"
    )


def _on_env_updated(app: Sphinx, env) -> None:
    if not _html_build(app):
        return
    chapters = {
        docname: Path(env.doc2path(docname)).resolve()
        for docname in sorted(env.found_docs)
        if _is_notebook(app, docname)
    }
    try:
        write_student_files(chapters, Path(app.outdir))
    except ExerciseFormatError as exc:
        raise ExtensionError(
            "coursenn_book: cannot make the student notebooks (coursenn student):\n  "
            + "\n  ".join(exc.problems)
        ) from exc


def download_line(href: str, filename: str) -> str:
    """The line under a chapter's title: a link that downloads the student notebook.

    ``href`` is relative to the page; ``filename`` is the name the browser saves it under.
    """
    href, filename = html.escape(href), html.escape(filename)
    return (
        f'<p class="{LINE_CLASS}">做练习用：'
        f'<a class="reference download {LINK_CLASS}" href="{href}" download="{filename}">'
        f"下载学生版笔记本 <code>{filename}</code></a>（答案已去掉）。"
        "含答案的完整版在页首的下载菜单中。</p>"
    )


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not (_html_build(app) and _is_notebook(app, docname)):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        raise ExtensionError(f"coursenn_book: {docname} has no title to put the download under")
    target = student_file(docname)
    href = relative_uri(app.builder.get_target_uri(docname), target)
    line = download_line(href, PurePosixPath(target).name)
    section.insert(1, nodes.raw("", line, format="html"))


def _download_menu(context: dict) -> list[dict] | None:
    """The entries of the theme's download menu on this page, or None if it has none."""
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            return button["buttons"]
    return None


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree):
    if doctree is None or not _is_notebook(app, pagename):
        return
    menu = _download_menu(context)
    if menu is None:
        raise ExtensionError(
            f"coursenn_book: {pagename} has no download menu (html_theme_options "
            "use_download_button) to offer the student notebook in"
        )
    full = [entry for entry in menu if entry.get("url", "").endswith(".ipynb")]
    for entry in full:
        entry.update(text=FULL_TEXT, tooltip=FULL_TOOLTIP)
    student = {
        "type": "link",
        "url": context["pathto"](student_file(pagename), 1),
        "text": STUDENT_TEXT,
        "tooltip": STUDENT_TOOLTIP,
        "icon": "fas fa-file-pen",
        "label": STUDENT_ENTRY_LABEL,
    }
    menu.insert(0, student)


def setup(app: Sphinx) -> None:
    app.connect("env-updated", _on_env_updated)
    app.connect("doctree-resolved", _on_doctree_resolved)
    # after the theme has filled its header buttons (sphinx-book-theme: priority 501)
    app.connect("html-page-context", _on_page_context, priority=600)
