"""Sphinx glue for the coursenn book (``sphinx.local_extensions`` in ``_config.yml``).

Modules:

* :mod:`.reader_notebook` -- the site shows no check cells and no solution markers;
* :mod:`.cjk` -- Chinese typography (no stray spaces from line breaks, punctuation kept
  with the formula before it);
* :mod:`.search_terms` -- the jieba word list generated from the book, readable snippets;
* :mod:`.chapter_table` -- the intro page's chapter table from ``_toc.yml``;
* :mod:`.bibliography` -- author-year reference labels, sorted by author;
* :mod:`.api_docs` -- section titles inside docstrings become rubrics on the API page;
* :mod:`.images` -- output figures re-encoded as palette PNGs where they look the same;
* :mod:`.anchors` -- a labelled section's anchor is its label (``#ch06-whitening``, not ``#id7``);
* :mod:`.student_download` -- every chapter page offers its student notebook (no answers);
* here: page assets and theme fixes.

Page assets and theme fixes:

* ``templates/layout.html`` drops Font Awesome's 1.5 MB ``fontawesome.js`` (the theme's CSS
  already draws every icon with the Font Awesome web font) and loads the search index on
  the search page only.
* ``static/coursenn.css``: no-wrap spans, long inline code and signatures that wrap, a scroll
  cue on wide tables, the exercise index's short columns kept on one line.
* Jupyter Book 1 always loads sphinx-thebe. Its inline config script is added twice per page
  (a console error: "Identifier 'THEBE_JS_URL' has already been declared") and names a CDN
  URL. Live code in the page is switched off here (``launch_buttons.thebe: false``; students
  use Colab/Binder or their own kernel), so drop thebe's scripts from every page.
* pydata-sphinx-theme reads ``default_mode`` from the page context; left empty, every page
  logs "Got invalid theme mode" to the console. Default it to ``auto``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from . import (
    anchors,
    api_docs,
    bibliography,
    chapter_table,
    cjk,
    images,
    reader_notebook,
    search_terms,
    student_download,
)

HERE = Path(__file__).parent


def _add_paths(app: Sphinx, config: Config) -> None:
    config.templates_path = [str(HERE / "templates"), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]


def _is_thebe_script(script) -> bool:
    filename = getattr(script, "filename", script) or ""
    body = getattr(script, "attributes", {}).get("body", "")
    return "thebe" in str(filename) or "THEBE_JS_URL" in body


def _clean_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    if "script_files" in context:
        # in place: it is the builder's own list, to which add_js_file appends for this page
        context["script_files"][:] = [s for s in context["script_files"] if not _is_thebe_script(s)]
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_paths)
    app.connect("html-page-context", _clean_page_context)
    app.add_css_file("coursenn.css")
    app.add_js_file("coursenn.js", loading_method="defer")
    reader_notebook.setup(app)
    cjk.setup(app)
    search_terms.setup(app)
    chapter_table.setup(app)
    bibliography.setup(app)
    api_docs.setup(app)
    images.setup(app)
    anchors.setup(app)
    student_download.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
