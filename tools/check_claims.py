"""List the numbers a chapter's prose states that no output above it prints.

Usage::

    .venv/bin/python tools/check_claims.py [chapters...]

Chapters are notebook paths or stems (``06_sigmoid_zigzag``, ``06``); default: all of
``chapters/``. Prints ``chapter: cell N: number «context»`` for every *unreviewed* number —
one that no output supports and that ``tools/claims_allowed.toml`` does not list — and exits 1
if there is any; ``--all`` also prints the allow-listed ones, ``--stale`` the allow-list entries
that no longer match anything.

The rules (DESIGN §5: "Prose quotes only numbers a cell prints robustly"):

**What is a number.** Decimals (``0.52``), scientific notation (``4e-03``, ``4×10⁻³``,
``10⁻²``, ``$4\\times10^{-3}$``), percentages (``45%``, ``0.13 %``), thousands separators
(``535,818``, ``120{,}000``), and integers. Not counted, because they are not results:

- plain integers 0–10 (ordinals and counts in ordinary language: "3 个种子", "5 层");
- a number right after 第 or before 章/节/讲/页/年/号 ("第 5 章", "第 67 页", "13 号"); after
  讲/讲义/练习/§/定理/算法/图/表/式/附录/Theorem/Algorithm/Figure/Table ("第十讲 10.1",
  "练习 1.2"); the numbers chained to such a one by 、/-/和/到 ("第 7、8 章", "10.1-10.2");
  a zero-padded lecture id (``000``–``009``); a year (1900–2099); a section number "四、5.";
- sizes: the integers of a product or a layer chain (``28×28``, ``55·55·96``, ``784-512-256-10``);
- a number glued to an ASCII letter, underscore or hyphen-letter: identifiers and labels
  (``ch06-five-sigmoids``, ``c37``, ``x1``, ``VGG16``, ``3x3``, ``float64``);
- equation numbers: ``(4.33)`` where the chapter's display math carries that tag.

Signs are ignored (prose often writes the size of a printed negative number).

**Outside formulas.** Display math (``$$…$$``, ``{math}``) and code fences are left out. Inline
math ``$…$`` and inline code ```…``` are left out *unless the whole span is a number* (or a tuple
or list of numbers, optionally after ≈, <, =): ``$3\\times10^{-6}$``, ``$(-0.14, -0.98)$``,
``$17°$``, ```1e-5``` are numbers set in another font, and they are exactly the results a reader
takes home; ``$0.25^5 \\approx 9.8\\times10^{-4}$``, ``$8\\times8$``, ```lr=0.1``` are formulas or
code, whose arithmetic is on the page (or in the code) for the reader to check.

**Lecture quotes.** Text inside “…”, 「…」, 『…』 and markdown blockquotes (``> …``). In these
chapters Chinese double quotes mark the lecture's own words (or a term); the lecture's numbers are
reproduced or corrected by the cells and 勘误 notes, which are checked here in their own words.

**Not prose.** Exercise statements and the solution markers (``{exercise}``,
``{solution-start}``, ``{solution-end}``: a task's data, not a result; the exercise tests check
the answers), directive option lines (``:label: …``), MyST roles (``{doc}`…```, ``{cite}`…```),
link targets, label lines ``(name)=``, HTML tags.

An integer's trailing zeros are digits, except after 约/近/≈/~ or before 万/亿 ("约 6100 万" is
6.1e7 to two digits). 万 and 亿 scale the number; a printed "159.5 M" is also read as 1.595e8.

**Supported.** A number in prose is supported when an output of a code cell *above* its markdown
cell, or of the run of code cells right after it (the prose often announces what the next cell
prints, and that output sits next to the sentence on the page), prints the same value at the
printed precision. Outputs are ``stream`` and ``text/plain``/``text/markdown``, not images, so a
value read off a figure or a scrubber frame needs the allow-list. The prose may round a printed
value to fewer digits (0.52 for a printed 0.519, 4×10⁻³ for 4.2e-03, 2.7% for 2.66%, 45% for a
printed fraction 0.449), but it may not claim more digits than are printed (0.250 for a printed
0.25), and a printed value that merely contains the digits does not count (0.52 is not 0.5213's
"52"). Formally, a prose number with value v and last-digit unit q (0.52 → 0.01; 3×10⁻⁶ → 10⁻⁶;
535,818 → 1) is supported by a printed p with unit q' ≤ q and |p − v| ≤ q/2. A percentage is
compared with a printed percentage, or with a printed fraction ×100, and the other way round.

A number in ordinary prose (not in a 勘误 note) is also supported when it is written literally in
the source of the code cells right next to the markdown cell (the run of code cells just above it
or just below it): the prose then describes the setting those cells use ("学习率 0.1、批量 32",
with ``lr=0.1`` and ``batch_size=32`` in the code), which the reader sees in the code.

**Limits.** The checker cannot know *which* printed number a sentence is about: a number with
one or two significant digits is supported by any printed value above that rounds to it (the old
"5 层时…约 10⁻²" passed because another layer printed 5.2e-03). It catches numbers that nothing
prints — typos, stale values after a re-run, claims about figures — not a wrong choice among
printed ones; reading the sentence against its output stays a reviewer's job.

**勘误 notes.** A ``{note} 勘误`` / ``{admonition} 勘误`` corrects the lecture with a value the
book computes, so every number it gives (outside quotes of the lecture) must be printed by an
output above the note or by the code cells right after it (up to the next markdown cell: the note
often announces the cell that computes it). Literals in code do not count there: a 勘误 value must
be computed.

**Allow-list.** ``tools/claims_allowed.toml`` holds the reviewed exceptions: chapter, number (or
a list of numbers with one reason), ``why``, and optionally ``context``, a piece of text that must
occur around the number (when the same number needs different reasons in one chapter). Each reason
starts with its kind: ``lecture:`` (the lecture's own number, or a fact of its data set, being
discussed), ``setting:`` (a hyperparameter or data size the code uses), ``derived:`` (arithmetic
on printed values or a theoretical value worked out in the prose), ``fact:`` (a constant such as
float64's largest value), ``forward:`` (printed by a later cell), or ``UNVERIFIED:`` (no cell
computes it yet: visible, to be fixed). An entry that matches nothing is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat
from chapter_files import select_chapters

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = Path(__file__).with_name("claims_allowed.toml")

# ---------------------------------------------------------------------------------------------
# Numbers


@dataclass(frozen=True)
class Number:
    """A number as written: its text, its value, the unit of its last digit, percent or not."""

    text: str
    value: float
    unit: float
    percent: bool = False


SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
MINUS = str.maketrans({"−": "-", "–": "-", "—": "-"})

# mantissa × 10^exp, 10^exp, 1e-3, or a plain number (thousands separated or not), then maybe %
NUMBER = re.compile(
    r"""
    (?:(?P<mant>\d+(?:\.\d+)?)\s*[×*·]\s*)?10\^(?P<exp>[-+]?\d+)
  | (?P<emant>\d+(?:\.\d+)?)[eE](?P<eexp>[-+]?\d+)
  | (?P<plain>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u202f\u2009]\d{3})+(?![\d.])|\d+(?:\.\d+)?)
    (?P<pct>\s*%)?(?P<cn>\s*[万亿](?![分])(?=.))?
    """,
    re.VERBOSE,
)


def _decimals(digits: str) -> int:
    return len(digits.split(".")[1]) if "." in digits else 0


def to_number(m: re.Match) -> Number:
    """The :class:`Number` a match of :data:`NUMBER` stands for."""
    text = m.group(0).strip()
    if m.group("exp") is not None:
        exp = int(m.group("exp"))
        mant = m.group("mant") or "1"
        return Number(text, float(f"{mant}e{exp}"), float(f"1e{exp - _decimals(mant)}"))
    if m.group("eexp") is not None:
        exp, mant = int(m.group("eexp")), m.group("emant")
        return Number(text, float(f"{mant}e{exp}"), float(f"1e{exp - _decimals(mant)}"))
    digits = re.sub(r"[, \u202f\u2009]", "", m.group("plain"))
    scale = {"万": 1e4, "亿": 1e8}.get((m.group("cn") or "").strip(), 1.0)
    unit = 10.0 ** -_decimals(digits) * scale
    return Number(text, float(digits) * scale, unit, bool(m.group("pct")))


def normalise(text: str) -> str:
    """Unicode superscripts and minus signs to ASCII: ``4×10⁻³`` -> ``4×10^-3``."""
    text = text.translate(MINUS)
    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+", lambda m: "^" + m.group(0).translate(SUPERSCRIPTS), text)


SI_SUFFIX = re.compile(r"\s?([kKMG])(?![A-Za-z])")


def printed_numbers(text: str) -> list[Number]:
    """Every number in an output's text (liberal: identifiers' digits count too).

    A number followed by k, M or G ("159.5 M params") is also read as thousands, millions or
    billions, so that prose may say "约 1.6 亿".
    """
    text = normalise(text)
    numbers = []
    for m in NUMBER.finditer(text):
        num = to_number(m)
        numbers.append(num)
        suffix = SI_SUFFIX.match(text, m.end())
        if suffix and m.group("plain"):
            scale = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}[suffix.group(1)]
            numbers.append(Number(num.text + suffix.group(1), num.value * scale, num.unit * scale))
    return numbers


def matches(claim: Number, printed: Number) -> bool:
    """Does ``printed`` support ``claim``: the same value at the claim's (coarser) precision?"""
    v, q, p, qp = abs(claim.value), claim.unit, abs(printed.value), printed.unit
    pairs = [(v, q, p, qp)]
    if claim.percent != printed.percent:  # 45% and a printed 0.449; "17.1–17.2%" and 17.1%
        pairs.append((v / 100, q / 100, p, qp) if claim.percent else (v, q, p / 100, qp / 100))
    return any(qp <= q * (1 + 1e-9) and abs(p - v) <= q / 2 * (1 + 1e-9) for v, q, p, qp in pairs)


# ---------------------------------------------------------------------------------------------
# Prose

# a number that is a reference, not a result, by what stands right before or after it
BEFORE = re.compile(
    r"(第|讲义?|练习|§|定理|算法|图|表|式|附录|Theorem|Algorithm|Figure|Table|Eq\.?"
    r"|[一二三四五六七八九十]、)\s*$",
    re.IGNORECASE,
)
# "约 6100 万", "≈ 320 万": trailing zeros of an integer said to be approximate are not digits
APPROX = re.compile(r"(约|近|≈|~)\s*$")
# the next number of a list or range that starts with a reference: "第 7、8 章", "10.1-10.2"
CHAINED = re.compile(r"^\s*[-~、,，和与至到]\s*$")
# a product or a layer-size chain: 28×28, 55·55·96, 784-512-256-10 (sizes, not results)
SHAPE = re.compile(r"\d\s*[×·*x]\s*$|\d-\d+-$")
SHAPE_AFTER = re.compile(r"^\s*[×·*x]\s*\d|^-\d+-\d")
SHAPE_MIDDLE = (re.compile(r"\d-$"), re.compile(r"^-\d"))
AFTER = re.compile(r"^\s*(章|节|讲|页|年|世纪|号)")
GLUED = re.compile(r"[A-Za-z_]$|[A-Za-z_]-$")  # c37, x_1, ch06-..., VGG-16
GLUED_AFTER = re.compile(r"^(?![eE][-+]?\d)[A-Za-z_]|^-[A-Za-z]")  # 3x3, 64-dim, float64's "64"

MATH_SPAN_NUMBER = re.compile(
    r"""^\s*(?:[≈<>≤≥=~]\s*)?
        [(\[]?\s*
        [-+]?\s*(?:\d[\d,]*(?:\.\d+)?(?:\s*×\s*10\^[-+]?\d+)?|10\^[-+]?\d+)\s*[°%]?
        (?:\s*,\s*[-+]?\s*(?:\d[\d,]*(?:\.\d+)?(?:\s*×\s*10\^[-+]?\d+)?|10\^[-+]?\d+)\s*[°%]?)*
        \s*[)\]]?\s*$""",
    re.VERBOSE,
)


def math_as_text(tex: str) -> str:
    """An inline math span in plain notation: ``3\\times10^{-6}`` -> ``3×10^-6``."""
    for old, new in [
        (r"\times", "×"),
        (r"^\circ", "°"),
        (r"\%", "%"),
        (r"\approx", "≈"),
        (r"\sim", "~"),
        (r"\le", "≤"),
        (r"\ge", "≥"),
        ("{,}", ","),
        (r"\,", ""),
        (r"\;", ""),
        (r"\!", ""),
        (r"\ ", " "),
        ("{", ""),
        ("}", ""),
    ]:
        tex = tex.replace(old, new)
    return normalise(tex)


def _inline(m: re.Match, quote: str) -> str:
    """An inline math or code span: kept as text if it is only numbers, else blanked."""
    body = m.group(1)
    text = math_as_text(body) if quote == "$" else normalise(body)
    code_number = quote == "`" and re.fullmatch(r"[-+]?\d[\d_.]*[eE][-+]?\d+", text)
    if MATH_SPAN_NUMBER.match(text) or code_number:
        return " " + text + " "
    return " " * len(m.group(0))


def prose_text(markdown: str, equation_tags: set[str]) -> str:
    """A markdown fragment with formulas, code, quotes and markup blanked out."""
    text = re.sub(r"\$\$.*?\$\$", " ", markdown, flags=re.S)
    text = re.sub(r"\{[a-z:-]+\}`[^`]*`", " ", text)  # {doc}`...`, {cite:t}`...`
    text = re.sub(r"(?<!`)`([^`\n]+)`(?!`)", lambda m: _inline(m, "`"), text)
    text = re.sub(r"(?<![$\\])\$([^$\n]+)\$", lambda m: _inline(m, "$"), text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"<[^>\n]+>", " ", text)  # html tags
    text = re.sub(r"^\s*\([\w-]+\)=\s*$", " ", text, flags=re.M)  # (label)=
    text = re.sub(r"^\s*:[\w-]+:.*$", " ", text, flags=re.M)  # directive options
    text = re.sub(r"^\s*>.*$", " ", text, flags=re.M)  # blockquotes
    text = re.sub(r"“[^”]*”|「[^」]*」|『[^』]*』", "“”", text)
    for tag in equation_tags:
        text = text.replace(f"({tag})", " ")
    return normalise(text)


def claims_in(text: str) -> list[tuple[Number, str]]:
    """The numbers in cleaned prose that count as claims, each with a bit of context."""
    found = []
    skipped_end = -1
    for m in NUMBER.finditer(text):
        num = to_number(m)
        before, after = text[: m.start()], text[m.end() :]
        is_plain_int = m.group("plain") is not None and "." not in num.text and not num.percent
        if skipped_end >= 0 and CHAINED.match(text[skipped_end : m.start()]):
            skipped_end = m.end()
            continue
        skipped_end = -1
        middle = SHAPE_MIDDLE[0].search(before[-2:]) and SHAPE_MIDDLE[1].match(after[:2])
        if is_plain_int and (SHAPE.search(before[-9:]) or SHAPE_AFTER.match(after[:12]) or middle):
            continue
        is_year = 1900 <= num.value <= 2099 and "," not in num.text
        if is_plain_int and (num.value <= 10 or is_year):
            continue
        if is_plain_int and re.fullmatch(r"00\d", num.text):
            continue
        if BEFORE.search(before[-12:]) or AFTER.match(after):
            skipped_end = m.end()
            continue
        if GLUED.search(before[-2:]) or GLUED_AFTER.match(after[:2]):
            continue
        if before.endswith(".") and re.search(r"\d\.$", before):  # "四、5." or a version x.y.z
            continue
        if is_plain_int and num.value and (m.group("cn") or APPROX.search(before[-4:])):
            digits = re.sub(r"[^\d]", "", num.text)
            zeros = len(digits) - len(digits.rstrip("0"))
            num = Number(num.text, num.value, num.unit * 10.0**zeros, num.percent)
        context = re.sub(r"\s+", " ", text[max(0, m.start() - 18) : m.end() + 12]).strip()
        found.append((num, context))
    return found


FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\{([\w-]+)\})?\s*(.*)$")
NOT_PROSE = {"exercise", "solution-start", "solution-end", "math", "code-cell", "code"}


def split_markdown(source: str) -> list[tuple[str, bool]]:
    """A markdown cell as (text, is_erratum) pieces, without code and non-prose directives."""
    pieces: list[tuple[str, bool]] = []
    stack: list[tuple[str, str | None, bool]] = []  # (fence, directive, erratum)
    buf: list[str] = []

    def flush(erratum: bool) -> None:
        if buf:
            pieces.append(("\n".join(buf), erratum))
            buf.clear()

    for line in source.splitlines():
        m = FENCE.match(line)
        skipping = any(d is None or d in NOT_PROSE for _, d, _ in stack)
        erratum = any(e for _, _, e in stack)
        if m and stack and line.strip() == stack[-1][0]:
            flush(erratum)
            stack.pop()
            continue
        if m and (m.group(2) or not skipping):
            flush(erratum)
            directive = m.group(3)
            is_erratum = directive in {"note", "admonition", "warning"} and "勘误" in m.group(4)
            stack.append((m.group(1), directive, is_erratum or erratum))
            if directive and directive not in NOT_PROSE and not skipping:
                buf.append(m.group(4))  # an admonition's title is prose
            continue
        if not skipping:
            buf.append(line)
    flush(any(e for _, _, e in stack))
    return pieces


# ---------------------------------------------------------------------------------------------
# Notebooks


@dataclass(frozen=True)
class Claim:
    """A number in a chapter's prose that no output supports."""

    chapter: str
    cell: int
    number: Number
    context: str
    erratum: bool

    def __str__(self) -> str:
        kind = " (勘误)" if self.erratum else ""
        return f"{self.chapter}: cell {self.cell}: {self.number.text} «{self.context}»{kind}"


def output_text(cell) -> str:
    """The text a code cell prints: stream and text/plain or text/markdown outputs."""
    texts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            texts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            for mime in ("text/plain", "text/markdown"):
                texts.append(out.get("data", {}).get(mime, ""))
    return "\n".join(texts)


def code_literals(source: str) -> set[float]:
    """The values of the number literals written in a code cell's source (``1_000``, ``1e-5``)."""
    pattern = r"(?<![\w.])\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?"
    return {float(m.group(0).replace("_", "")) for m in re.finditer(pattern, source)}


def unsupported(nb, chapter: str) -> list[Claim]:
    """Every number in the notebook's prose that no output (or code setting) supports."""
    tags = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for display in re.findall(r"\$\$.*?\$\$", cell.source, flags=re.S):
                tags.update(re.findall(r"\((\d+\.\d+)\)", display))
    printed: list[Number] = []
    claims = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            printed.extend(printed_numbers(output_text(cell)))
            continue
        if cell.cell_type != "markdown":
            continue
        below = []
        for nxt in nb.cells[i + 1 :]:
            if nxt.cell_type != "code":
                break
            below.append(nxt)
        above = []
        for prev in reversed(nb.cells[:i]):
            if prev.cell_type != "code":
                break
            above.append(prev)
        below_printed = [n for c in below for n in printed_numbers(output_text(c))]
        literals = set().union(*(code_literals(c.source) for c in above + below))
        for piece, erratum in split_markdown(cell.source):
            for num, context in claims_in(prose_text(piece, tags)):
                if any(matches(num, p) for p in printed + below_printed):
                    continue
                if not erratum and abs(num.value) in literals:
                    continue
                claims.append(Claim(chapter, i, num, context, erratum))
    return claims


# ---------------------------------------------------------------------------------------------
# The allow-list


@dataclass(frozen=True)
class Allowed:
    """A reviewed exception: this number in this chapter is justified, and why."""

    chapter: str
    number: str
    why: str
    context: str = ""

    def covers(self, claim: Claim) -> bool:
        return (
            claim.chapter == self.chapter
            and claim.number.text == self.number
            and self.context in claim.context
        )


def load_allowed(path: Path = ALLOWED) -> list[Allowed]:
    """The allow-list, one :class:`Allowed` per number.

    Each ``[[allow]]`` table has ``chapter``, ``number`` (the number as the checker prints it,
    or a list of them sharing one reason), ``why`` and optionally ``context``.
    """
    if not path.exists():
        return []
    allowed = []
    for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("allow", []):
        numbers = entry.pop("number")
        for number in [numbers] if isinstance(numbers, str) else numbers:
            allowed.append(Allowed(number=number, **entry))
    return allowed


def check(
    paths: list[Path], allowed: list[Allowed]
) -> tuple[list[Claim], list[Claim], list[Allowed]]:
    """(unreviewed claims, allow-listed claims, stale entries of the checked chapters)."""
    claims = [c for p in paths for c in unsupported(nbformat.read(p, as_version=4), p.stem)]
    unreviewed = [c for c in claims if not any(a.covers(c) for a in allowed)]
    covered = [c for c in claims if any(a.covers(c) for a in allowed)]
    checked = {p.stem for p in paths}
    stale = [a for a in allowed if a.chapter in checked and not any(a.covers(c) for c in claims)]
    return unreviewed, covered, stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="notebook paths or stems (default: all)")
    parser.add_argument("--all", action="store_true", help="also list allow-listed numbers")
    parser.add_argument(
        "--stale", action="store_true", help="list allow-list entries matching nothing"
    )
    args = parser.parse_args(argv)
    unreviewed, covered, stale = check(select_chapters(args.chapters), load_allowed())
    for claim in unreviewed:
        print(claim)
    if args.all:
        for claim in covered:
            print(f"allowed: {claim}")
    if args.stale:
        for entry in stale:
            print(f"stale: {entry.chapter}: {entry.number} ({entry.why})")
    print(f"{len(unreviewed)} unreviewed, {len(covered)} allow-listed", file=sys.stderr)
    return 1 if unreviewed else 0


if __name__ == "__main__":
    sys.exit(main())
