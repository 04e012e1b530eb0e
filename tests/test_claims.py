"""Every number in the chapters' prose is printed by an output or reviewed in the allow-list.

``tools/check_claims.py`` holds the rules (its docstring); ``tools/claims_allowed.toml`` the
reviewed exceptions. The unit tests below pin the rules on small synthetic notebooks.
"""

from __future__ import annotations

import check_claims as cc  # tools/ is on sys.path (tests/conftest.py)
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from repo import chapter_paths

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_every_number_in_prose_is_printed_or_reviewed():
    unreviewed, _, stale = cc.check(chapter_paths(), cc.load_allowed())
    lines = [str(c) for c in unreviewed]
    assert not lines, (
        "numbers no output supports (fix the prose or review them in "
        "tools/claims_allowed.toml):\n" + "\n".join(lines)
    )
    assert not stale, "allow-list entries that match nothing (remove them):\n" + "\n".join(
        f"{a.chapter}: {a.number} ({a.why})" for a in stale
    )


def test_every_allow_list_entry_has_a_kind_of_reason():
    kinds = ("lecture:", "setting:", "derived:", "fact:", "forward:", "UNVERIFIED:")
    chapters = {p.stem for p in chapter_paths()}
    for entry in cc.load_allowed():
        assert entry.chapter in chapters, entry
        assert entry.why.startswith(kinds) and len(entry.why) > 20, entry


# ---------------------------------------------------------------------------------------------
# the rules, on synthetic notebooks


def printing(text: str):
    cell = new_code_cell("print(...)", execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text=text)]
    return cell


def claims(*cells) -> list[str]:
    nb = new_notebook(cells=list(cells))
    nbformat.validate(nb)
    return [c.number.text for c in cc.unsupported(nb, "synthetic")]


def prose(text: str) -> list[str]:
    """The numbers of ``text`` that count as claims (no outputs anywhere)."""
    return [n.text for n, _ in cc.claims_in(cc.prose_text(text, set()))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "准确率 0.52，损失 4e-03，比例 45%，共 535,818 个参数",
            ["0.52", "4e-03", "45%", "535,818"],
        ),
        ("约 4×10⁻³，约 10⁻²", ["4×10^-3", "10^-2"]),
        ("约 $3\\times10^{-6}$，落在 $(-0.14, -0.98)$", ["3×10^-6", "0.14", "0.98"]),
        ("讲义的 `1e-5`，代码 `lr=0.1`", ["1e-5"]),
        ("3 个种子、5 层、第 67 页、第 5 章、讲义 003、1989 年、ch06-five-sigmoids、c37", []),
        (
            "三个种子：0.983、0.992、0.986；四、5. 损失函数；13 号滤波器",
            ["0.983", "0.992", "0.986"],
        ),
        ("公式 $0.25^5 \\approx 9.8\\times10^{-4}$ 与 $$x = 0.37$$", []),
        ("讲义说“约 0.37”，而\n> 引文 0.44\n", []),
        ("784-512-256-10 的网络，28×28 的图", []),
        ("共 70 000 张，约 6100 万个参数", ["70 000", "6100 万"]),
    ],
)
def test_what_counts_as_a_number(text, expected):
    assert prose(text) == expected


def test_prose_may_round_a_printed_value_but_not_add_digits():
    out = printing("rate 0.519, ratio 4.2e-03, share 2.66%, accuracy 0.449, params 60,965,224\n")
    ok = "测得 0.52、约 $4\\times10^{-3}$、2.7%、45%、约 6100 万。"
    assert claims(out, new_markdown_cell(ok)) == []
    bad = "测得 0.5190、约 $10^{-2}$、2.6%、0.46、5000 万、0.21、519、4.3%。"
    assert claims(out, new_markdown_cell(bad)) == [
        "0.5190",
        "10^-2",
        "2.6%",
        "0.46",
        "5000 万",
        "0.21",
        "519",
        "4.3%",
    ]


def test_only_outputs_above_or_right_below_count():
    above = printing("loss 0.731\n")
    later = printing("loss 0.842\n")
    cells = [
        above,
        new_markdown_cell("一开始 0.731，后来 0.842。"),
        new_markdown_cell("继续。"),
        later,
    ]
    assert claims(*cells) == ["0.842"]
    cells = [above, new_markdown_cell("一开始 0.731，后来 0.842。"), later]
    assert claims(*cells) == []


def test_a_setting_in_the_code_next_to_the_prose_counts_but_not_in_an_erratum():
    code = new_code_cell("fit(model, lr=0.05, batch_size=64, epochs=12)", execution_count=1)
    assert claims(new_markdown_cell("学习率 0.05、批量 64、12 个 epoch："), code) == []
    erratum = "```{note} 勘误\n讲义的学习率应为 0.05。\n```"
    assert claims(new_markdown_cell(erratum), code) == ["0.05"]


def test_an_erratum_needs_a_cell_computing_its_numbers_above_or_right_after_it():
    note = "```{admonition} 勘误\n:class: note\n讲义写“1057056”，应为 105,705,600。\n```"
    computed = printing("290,400 * 364 = 105,705,600\n")
    assert claims(new_markdown_cell(note), computed) == []
    assert claims(computed, new_markdown_cell(note)) == []
    assert claims(new_markdown_cell(note), new_markdown_cell("下面算。"), computed) == [
        "105,705,600"
    ]
    found = cc.unsupported(new_notebook(cells=[new_markdown_cell(note)]), "x")
    assert [c.erratum for c in found] == [True]
    assert "(勘误)" in str(found[0])


def test_exercises_and_code_fences_are_not_prose():
    exercise = "```{exercise} 手算\n:label: ch00-x\n特征值是 4 和 0.01。\n```"
    fence = "```python\nx = 0.123\n```\n正文 0.456。"
    assert claims(new_markdown_cell(exercise), new_markdown_cell(fence)) == ["0.456"]


def test_the_allow_list_covers_by_chapter_number_and_context(tmp_path):
    path = tmp_path / "allowed.toml"
    path.write_text(
        '[[allow]]\nchapter = "x"\nnumber = ["0.25", "7.5"]\nwhy = "derived: test"\n'
        '[[allow]]\nchapter = "x"\nnumber = "9.5"\ncontext = "后来"\nwhy = "setting: test"\n',
        encoding="utf-8",
    )
    allowed = cc.load_allowed(path)
    assert [a.number for a in allowed] == ["0.25", "7.5", "9.5"]
    claim = cc.Claim("x", 3, cc.Number("0.25", 0.25, 0.01), "约 0.25 倍", erratum=False)
    assert allowed[0].covers(claim)
    assert not allowed[1].covers(claim)
    other = cc.Claim("x", 3, cc.Number("9.5", 9.5, 0.1), "一开始 9.5", erratum=False)
    assert not allowed[2].covers(other)
