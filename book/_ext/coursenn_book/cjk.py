"""Chinese typography at build time: no stray spaces from source line breaks, and no line
that starts with a punctuation mark stranded after a formula.

* Markdown turns a line break inside a paragraph into a space. Between two Chinese
  characters (or next to full-width punctuation) that space is wrong ("最重要的 区别是",
  "变换。 先把"), so :class:`JoinCJKLines` removes it, and any typed space there too; a
  break between Chinese and Latin text or a formula stays a space ("使用 numpy"), as
  Chinese typesetting allows.
* A browser may break a line between an inline formula and the "，" or "。" after it.
  :class:`KeepPunctuationWithMath` wraps the formula and the punctuation that follows it in
  ``<span class="cnn-nowrap">`` (``white-space: nowrap`` in ``coursenn.css``).

Code, literal blocks, math source and raw HTML are never touched.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.transforms import Transform
from sphinx.transforms.post_transforms import SphinxPostTransform

# CJK ideographs (with extension A and compatibility forms), kana, full-width forms and
# CJK punctuation.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_CHAR = re.compile(f"[{_CJK}]")
# Punctuation that must not begin a line (closing marks, commas, stops).
_TRAILING_PUNCT = "，。、；：？！）》」』】〉”’…—～"
TRAILING_PUNCT = re.compile(f"^[{_TRAILING_PUNCT}]+")
# Full-width punctuation beside which a line break never becomes a space.
_WIDE_PUNCT = re.compile("[\u3000-\u303f\uff00-\uffef“”‘’…—]")

SKIP = (
    nodes.literal,
    nodes.literal_block,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    nodes.doctest_block,
)


def _skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, SKIP):
            return True
        parent = parent.parent
    return False


def _join(before: str, after: str, had_newline: bool, space: str) -> str:
    """What whitespace between the characters ``before`` and ``after`` becomes."""
    if before and after:
        if CJK_CHAR.match(before) and CJK_CHAR.match(after):
            return ""
        if _WIDE_PUNCT.match(before) or _WIDE_PUNCT.match(after):
            return ""
    return " " if had_newline else space


_SPACE = re.compile(r"[ \t\n]+")
PLACEHOLDER = "x"  # an inline formula or code: reads as a Latin word


def join_cjk_lines(texts: list[str]) -> list[str]:
    """Remove whitespace between CJK characters in a run of text pieces read in order.

    ``texts`` are the pieces of one paragraph in document order (inline formulas and code
    given as :data:`PLACEHOLDER`); whitespace at the edge of a piece is judged by the
    neighbouring pieces. Between two Chinese characters, or beside full-width punctuation,
    whitespace goes; any other line break becomes one space; other spaces stay.
    """
    out = list(texts)
    for i, text in enumerate(texts):
        if not _SPACE.search(text):
            continue

        def repl(m: re.Match, i: int = i, text: str = text) -> str:
            before = text[m.start() - 1] if m.start() > 0 else _last_char(texts, i)
            after = text[m.end()] if m.end() < len(text) else _next_char(texts, i)
            return _join(before, after, "\n" in m.group(0), m.group(0))

        out[i] = _SPACE.sub(repl, text)
    return out


def _last_char(texts: list[str], i: int) -> str:
    for t in reversed(texts[:i]):
        if t.strip():
            return t.rstrip()[-1]
    return ""


def _next_char(texts: list[str], i: int) -> str:
    for t in texts[i + 1 :]:
        if t.strip():
            return t.lstrip()[0]
    return ""


def _pieces(node: nodes.Node, out: list) -> None:
    """(Text node or None, text) in document order; skipped inline nodes as placeholders."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            out.append((child, str(child)))
        elif isinstance(child, SKIP):
            out.append((None, PLACEHOLDER))
        else:
            _pieces(child, out)


class JoinCJKLines(Transform):
    """Drop whitespace between Chinese characters (and beside full-width punctuation) in
    every paragraph-like node: source line breaks and stray spaces alike."""

    default_priority = 880  # late: after MyST and the directives made their nodes

    def apply(self, **kwargs) -> None:
        for block in list(self.document.findall(nodes.TextElement)):
            if isinstance(block, SKIP) or _skipped(block):
                continue
            if block.parent is not None and isinstance(block.parent, nodes.TextElement):
                continue  # handled with its enclosing text element
            pieces: list = []
            _pieces(block, pieces)
            if not any(node is not None and _SPACE.search(t) for node, t in pieces):
                continue
            joined = join_cjk_lines([t for _, t in pieces])
            for (node, old), new in zip(pieces, joined, strict=True):
                if node is not None and new != old:
                    node.parent.replace(node, nodes.Text(new))


class JoinCJKLinesAfterReferences(SphinxPostTransform):
    """The same, once more after cross-references are resolved: a link's text ("见 符号表",
    "依据 邱锡鹏 [2020]") is only known then."""

    default_priority = 900

    def run(self, **kwargs) -> None:
        JoinCJKLines.apply(self)


class KeepPunctuationWithMath(Transform):
    """Wrap inline math and the punctuation right after it in a no-wrap span."""

    default_priority = 881

    def apply(self, **kwargs) -> None:
        for math in list(self.document.findall(nodes.math)):
            parent = math.parent
            if parent is None or _skipped(math):
                continue
            index = parent.index(math)
            if index + 1 >= len(parent.children):
                continue
            following = parent[index + 1]
            if not isinstance(following, nodes.Text):
                continue
            match = TRAILING_PUNCT.match(str(following))
            if not match:
                continue
            punct, rest = match.group(0), str(following)[match.end() :]
            span = nodes.inline(classes=["cnn-nowrap"])
            parent.replace(math, span)
            span += math
            span += nodes.Text(punct)
            if rest:
                parent.replace(following, nodes.Text(rest))
            else:
                parent.remove(following)


def setup(app) -> None:
    app.add_transform(JoinCJKLines)
    app.add_post_transform(JoinCJKLinesAfterReferences)
    app.add_transform(KeepPunctuationWithMath)
