"""The Chinese search's word list, generated from the book itself at every build.

Sphinx splits Chinese text into words with jieba, which only keeps a compound term whole
(折叶损失, 均方误差, 帽子函数) if its dictionary lists it; a search for a term that was
split finds nothing. A hand-kept list goes stale with every new chapter, so this module
collects the terms while Sphinx reads the book:

* every heading and admonition/exercise title (:func:`heading_terms`);
* every bold phrase (:func:`phrase_terms`);
* every term given with an English gloss, "反向传播 (backpropagation)" (:func:`glossed_terms`);
* the entries of the notation page (:data:`NOTATION_DOC`);

adds the hand list of extras (``html_search_options["dict"]``, e.g. ``_search_extra.txt``)
and hands jieba the merged file before the search index is built (``env-updated``).

The search page also gets ``coursenn-search.js``: result snippets as readable text
(formulas as plain symbols, no code cells, the paragraph around the first hit).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from .cjk import SKIP

NOTATION_DOC = "notation"
GENERATED_NAME = "coursenn_search_dict.txt"
MIN_LEN, MAX_LEN = 2, 8
FREQ = 2000  # high enough that jieba keeps each listed term whole

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{_HAN}]+")
# Function words that join two terms in a title ("Sigmoid 与 tanh", "网络结构与记号").
_JOINERS = re.compile("[的与及或和]")
_GLOSS = re.compile(
    f"([{_HAN}]+)\\s*[（(]\\s*[A-Za-z][A-Za-z0-9 \\-'/]*(?:[,，;；][^)）]*)?[)）]"
)
# Words that end a glossed term's left edge (the term starts after them).
_GLOSS_STOP = {
    "的", "是", "叫", "叫做", "称为", "称作", "即", "就是", "和", "与", "或", "及", "用", "把",
    "在", "对", "从", "到", "为", "这", "那", "一个", "这个", "它", "我们", "得到", "做",
}


def _pieces(text: str) -> list[str]:
    return [p for run in _RUN.findall(text) for p in _JOINERS.split(run) if p]


def heading_terms(title: str) -> list[str]:
    """The search terms of a heading: its Chinese runs between non-Chinese text, punctuation
    and joining words (的 与 及 或 和), each 2-8 characters long.

    >>> heading_terms("多类 SVM 损失（折叶损失）")
    ['多类', '损失', '折叶损失']
    >>> heading_terms("ReLU 版本：帽子函数与分段线性插值")
    ['版本', '帽子函数', '分段线性插值']
    """
    return [p for p in _pieces(title) if MIN_LEN <= len(p) <= MAX_LEN]


phrase_terms = heading_terms  # a bold phrase is cut the same way


def glossed_terms(text: str) -> list[str]:
    """Chinese terms written with an English gloss: "反向传播 (backpropagation)".

    The term is the end of the Chinese run before the parenthesis, cut with jieba into
    words and taken back to the first function word, at least two characters per English
    word of the gloss (so "这就是均方误差 (mean squared error)" gives 均方误差).
    """
    import jieba

    terms = []
    for match in _GLOSS.finditer(text):
        run = match.group(1)
        gloss = match.group(0)[len(run) :]
        n_words = len(re.findall(r"[A-Za-z]+", gloss.split(",")[0].split("，")[0]))
        words = list(jieba.cut(run, HMM=False))
        term = ""
        for word in reversed(words):
            if word in _GLOSS_STOP or len(term) >= max(2, 2 * n_words):
                break
            term = word + term
        if MIN_LEN <= len(term) <= MAX_LEN:
            terms.append(term)
    return terms


def _text(node: nodes.Node) -> str:
    """A node's text without code, math or raw HTML."""
    parts = []
    for t in node.findall(nodes.Text):
        parent = t.parent
        skip = False
        while parent is not None and parent is not node.parent:
            if isinstance(parent, SKIP):
                skip = True
                break
            parent = parent.parent
        if not skip:
            parts.append(str(t))
    return "".join(parts)


def doctree_terms(doctree: nodes.document, docname: str) -> set[str]:
    """Every term :mod:`search_terms` collects from one document."""
    terms: set[str] = set()
    for title in doctree.findall(nodes.title):
        terms.update(heading_terms(_text(title)))
    for strong in doctree.findall(nodes.strong):
        terms.update(phrase_terms(_text(strong)))
    for para in doctree.findall(nodes.paragraph):
        terms.update(glossed_terms(_text(para)))
    if docname == NOTATION_DOC:
        for entry in doctree.findall(nodes.entry):
            terms.update(heading_terms(_text(entry)))
    return terms


def read_extra(path: Path) -> list[str]:
    """The hand list: one term a line (optionally ``term freq tag``); ``#`` starts a comment."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            terms.append(line.split()[0])
    return terms


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    if not hasattr(env, "coursenn_search_terms"):
        env.coursenn_search_terms = {}
    env.coursenn_search_terms[env.docname] = sorted(doctree_terms(doctree, env.docname))


def _on_purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "coursenn_search_terms", {}).pop(docname, None)


def _on_merge(app: Sphinx, env, docnames, other) -> None:
    if not hasattr(env, "coursenn_search_terms"):
        env.coursenn_search_terms = {}
    env.coursenn_search_terms.update(getattr(other, "coursenn_search_terms", {}))


def _write_dictionary(app: Sphinx, env) -> None:
    """Merge the hand list and the collected terms; point the Chinese search at the file."""
    options = dict(app.config.html_search_options or {})
    extra_path = options.get("coursenn_extra") or options.get("dict")
    extra = []
    if extra_path:
        path = Path(app.confdir, extra_path)
        if not path.is_file():
            raise FileNotFoundError(f"html_search_options dict: no hand list at {path}")
        extra = read_extra(path)
    collected = {t for terms in getattr(env, "coursenn_search_terms", {}).values() for t in terms}
    import jieba

    jieba.initialize()
    # Words jieba already knows stay as they are (a lower frequency would change how it
    # cuts ordinary text); every other term is listed with a frequency that keeps it whole.
    known = jieba.dt.FREQ
    terms = [t for t in dict.fromkeys([*extra, *sorted(collected)]) if not known.get(t)]
    out = Path(app.doctreedir, GENERATED_NAME)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"{t} {FREQ} n\n" for t in terms), encoding="utf-8")
    options.setdefault("coursenn_extra", extra_path)
    options["dict"] = str(out)
    # The HTML builder creates its search indexer after env-updated (prepare_writing),
    # with these options: jieba then loads the merged list.
    app.config.html_search_options = options


def _search_page_assets(app: Sphinx, pagename: str, templatename, context, doctree) -> None:
    if pagename == "search":
        app.add_js_file("coursenn-search.js", loading_method="defer")


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-purge-doc", _on_purge)
    app.connect("env-merge-info", _on_merge)
    app.connect("env-updated", _write_dictionary)
    app.connect("html-page-context", _search_page_assets)
