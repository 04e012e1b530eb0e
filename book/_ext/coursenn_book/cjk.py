"""Chinese typography at build time: no stray spaces from source line breaks, and no line
that starts with a punctuation mark stranded after a formula.

* Markdown turns a line break inside a paragraph into a space. Between two Chinese
  characters (or next to full-width punctuation) that space is wrong ("最重要的 区别是"), so
  :class:`JoinCJKLines` removes such breaks; a break between Chinese and Latin text stays a
  space ("使用 numpy"), as Chinese typesetting allows.
* A browser may break a line between an inline formula and the "，" or "。" after it.
  :class:`KeepPunctuationWithMath` wraps the formula and the punctuation that follows it in
  ``<span class="cnn-nowrap">`` (``white-space: nowrap`` in ``coursenn.css``).

Code, literal blocks, math source and raw HTML are never touched.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.transforms import Transform

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


def _join(before: str, after: str) -> str:
    """What a source line break between the characters ``before`` and ``after`` becomes."""
    if not before or not after:
        return " "
    if CJK_CHAR.match(before) and CJK_CHAR.match(after):
        return ""
    if _WIDE_PUNCT.match(before) or _WIDE_PUNCT.match(after):
        return ""
    return " "


def join_cjk_lines(texts: list[str]) -> list[str]:
    """Remove line breaks between CJK characters in a run of text pieces read in order.

    ``texts`` are the text nodes of one paragraph, in document order; a break at the end of
    one piece is judged by the first character of the next (inline markup in between).
    """
    out = list(texts)
    for i, text in enumerate(out):
        if "\n" not in text:
            continue
        pieces = text.split("\n")
        result = pieces[0]
        for piece in pieces[1:]:
            before = result.rstrip(" \t")[-1:] or _last_char(out, i)
            stripped = piece.lstrip(" \t")
            after = stripped[:1] or _next_char(out, i)
            result = result.rstrip(" \t") + _join(before, after) + stripped
        out[i] = result
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


class JoinCJKLines(Transform):
    """Drop source line breaks between Chinese characters in every paragraph-like node."""

    default_priority = 880  # late: after MyST and the directives made their nodes

    def apply(self, **kwargs) -> None:
        for block in list(self.document.findall(nodes.TextElement)):
            if isinstance(block, SKIP) or _skipped(block):
                continue
            if block.parent is not None and isinstance(block.parent, nodes.TextElement):
                continue  # handled with its enclosing text element
            texts = [t for t in block.findall(nodes.Text) if not _skipped(t)]
            if not any("\n" in t for t in texts):
                continue
            joined = join_cjk_lines([str(t) for t in texts])
            for old, new in zip(texts, joined, strict=True):
                if new != str(old):
                    old.parent.replace(old, nodes.Text(new))


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
    app.add_transform(KeepPunctuationWithMath)
