"""Sphinx glue for the coursenn book.

* Sphinx's Chinese search splitter loads the jieba user dictionary from
  ``html_search_options["dict"]`` relative to the *current directory*. The book may be built
  from any directory, so resolve that path against the book folder (Sphinx's confdir).
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


def _resolve_search_dict(app: Sphinx, config: Config) -> None:
    options = dict(config.html_search_options or {})
    path = options.get("dict")
    if path and not Path(path).is_absolute():
        resolved = Path(app.confdir, path).resolve()
        if not resolved.is_file():
            raise FileNotFoundError(f"html_search_options dict: no file at {resolved}")
        options["dict"] = str(resolved)
        config.html_search_options = options


def _is_thebe_script(script) -> bool:
    filename = getattr(script, "filename", script) or ""
    body = getattr(script, "attributes", {}).get("body", "")
    return "thebe" in str(filename) or "THEBE_JS_URL" in body


def _clean_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe_script(s)]
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _resolve_search_dict)
    app.connect("html-page-context", _clean_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
