"""What a reader sees: the built site in headless Chromium, with every other host blocked.

Each page must load with no failed request, no request to another host and no console
error; every formula must be typeset by the self-hosted MathJax; moving a scrubber's slider
must change the figure shown; the Chinese search must find course terms.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest

from coursenn.instructor.student import write_student_notebooks

from pagewatch import OfflinePage
from repo import chapter_paths, read_notebook, solution_lines

pytestmark = [pytest.mark.browser, pytest.mark.book]

CHAPTER_PAGES = [f"chapters/{p.stem}.html" for p in chapter_paths()]
PAGES = [
    "intro.html",
    "notation.html",
    "instructors.html",
    "api.html",
    "references.html",
    "search.html",
    *CHAPTER_PAGES,
]


class PageVisit(OfflinePage):
    """Open one page, blocking and recording every request that leaves 127.0.0.1."""

    def __init__(self, browser, url: str) -> None:
        super().__init__(browser, viewport={"width": 1280, "height": 900})
        self.page.goto(url, wait_until="load")
        # Wait for MathJax (self-hosted, loaded with defer) to finish typesetting.
        self.page.wait_for_function(
            "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)"
        )
        self.page.evaluate("() => window.MathJax && MathJax.startup.promise")


@pytest.fixture(scope="module")
def loaded_pages(browser, site_url):
    """Each page loaded once for the whole module: loading one takes seconds (MathJax)."""
    pages: dict[str, PageVisit] = {}
    yield pages
    for v in pages.values():
        v.close()


@pytest.fixture
def visit(browser, site_url, loaded_pages):
    """``visit(path)``: the page as loaded (shared by the tests that only read it);
    ``visit(path, fresh=True)``: a new load of its own, for a test that clicks or types."""
    fresh_visits = []

    def open_page(path: str, *, fresh: bool = False) -> PageVisit:
        if fresh:
            fresh_visits.append(PageVisit(browser, f"{site_url}/{path}"))
            return fresh_visits[-1]
        if path not in loaded_pages:
            loaded_pages[path] = PageVisit(browser, f"{site_url}/{path}")
        return loaded_pages[path]

    yield open_page
    for v in fresh_visits:
        v.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_offline(visit, path):
    v = visit(path)
    assert v.foreign == [], f"{path} asked other hosts for: {v.foreign}"
    assert v.failed == [], f"{path} had failed requests: {v.failed}"
    assert v.errors == [], f"{path} logged errors: {v.errors}"


@pytest.mark.parametrize("path", ["intro.html", "notation.html", "api.html", *CHAPTER_PAGES])
def test_formulas_are_typeset(visit, path):
    v = visit(path)
    counts = v.page.evaluate(
        """() => {
            const maths = [...document.querySelectorAll('span.math, div.math')];
            return {
                math: maths.length,
                typeset: maths.filter(m => m.querySelector('mjx-container')).length,
                errors: document.querySelectorAll('mjx-merror').length,
                raw: maths.filter(m => /\\\\\\(|\\\\\\[|\\$\\$/.test(m.textContent)).length,
            };
        }"""
    )
    assert counts["math"] > 0, f"{path} has no formulas to check"
    assert counts["typeset"] == counts["math"], f"{path}: untypeset formulas {counts}"
    assert counts["errors"] == 0, f"{path}: MathJax error boxes {counts}"
    assert counts["raw"] == 0, f"{path}: raw TeX left on the page {counts}"


@pytest.mark.parametrize("path", CHAPTER_PAGES)
def test_moving_a_scrubber_changes_the_figure(visit, path):
    v = visit(path, fresh=True)
    scrubbers = v.page.locator("div.cnn-scrubber")
    assert scrubbers.count() >= 1, f"{path} has no scrubber"
    for i in range(scrubbers.count()):
        s = scrubbers.nth(i)
        s.scroll_into_view_if_needed()
        slider = s.locator("input.cnn-scrubber-range")
        shown = s.locator("img.cnn-frame:visible")
        assert shown.count() == 1
        before_src = shown.get_attribute("src")
        before_label = s.locator(".cnn-scrubber-value").inner_text()
        last = int(slider.get_attribute("max"))
        target = 0 if int(slider.input_value()) != 0 else last
        slider.fill(str(target))
        assert shown.count() == 1, "exactly one frame must be visible after moving the slider"
        assert shown.get_attribute("src") != before_src, f"scrubber {i} on {path}: figure unchanged"
        assert s.locator(".cnn-scrubber-value").inner_text() != before_label
        assert shown.is_visible() and shown.bounding_box()["width"] > 100


@pytest.mark.parametrize("term", ["激活函数", "神经元", "感知器"])
def test_search_page_finds_course_terms(visit, term):
    v = visit(f"search.html?q={quote(term)}")
    results = v.page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15_000)
    titles = " ".join(results.all_inner_texts())
    assert "神经元" in titles, f"searching {term!r} did not find chapter 1: {titles!r}"


# --- the site as readers meet it (issue 10) ------------------------------------------------


def _phone(browser, site_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_url}/{path}", wait_until="load")
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    return context, page


@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_a_phone(browser, site_url, path):
    context, page = _phone(browser, site_url, path)
    try:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide at a 390 px viewport"
        # wide tables scroll inside their box and say so
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.pst-scrollable-table-container')]
                .filter(b => b.scrollWidth > b.clientWidth + 1)
                .map(b => ({cue: b.classList.contains('cnn-scrolls'),
                            text: getComputedStyle(b, '::before').content}))"""
        )
        assert all(b["cue"] and "左右滑动" in b["text"] for b in boxes), boxes
    finally:
        context.close()


CJK_SPACE_CJK = (
    r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef] +[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
)


@pytest.mark.parametrize("path", PAGES)
def test_no_space_between_chinese_characters(visit, path):
    v = visit(path)
    found = v.page.evaluate(
        """(pattern) => {
            const re = new RegExp(pattern);
            const hits = [];
            // prose only: sphinx-exercise's generated titles ("解答 练习 1.1") are labels
            const blocks = [...document.querySelectorAll('article p, article li, article td')]
                .filter(el => !el.querySelector('p, ul, ol, div, table'))
                .filter(el => !el.classList.contains('admonition-title'));
            for (const el of blocks) {
                const copy = el.cloneNode(true);
                // a formula or code reads as a word of its own: keep a Latin placeholder
                copy.querySelectorAll('mjx-container, code, pre, .math')
                    .forEach(m => m.replaceWith(document.createTextNode('x')));
                const m = copy.textContent.replace(/\\n/g, ' ').match(re);
                if (m) hits.push(copy.textContent.slice(Math.max(0, m.index - 15), m.index + 15));
            }
            return hits;
        }""",
        CJK_SPACE_CJK,
    )
    assert found == [], f"{path}: Chinese text with a stray space: {found[:5]}"


@pytest.mark.parametrize("path", ["intro.html", "notation.html", *CHAPTER_PAGES])
def test_punctuation_after_a_formula_stays_on_its_line(visit, path):
    v = visit(path)
    loose = v.page.evaluate(
        """() => [...document.querySelectorAll('article span.math')]
            .filter(m => {
                const next = m.nextSibling;
                return next && next.nodeType === 3 && /^[，。、；：？！）]/.test(next.textContent)
                    && !m.parentElement.classList.contains('cnn-nowrap');
            })
            .map(m => m.textContent.slice(0, 30))"""
    )
    assert loose == [], f"{path}: formulas whose punctuation may wrap away: {loose[:5]}"
    wrapped = v.page.locator("span.cnn-nowrap")
    if wrapped.count():
        assert wrapped.first.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"


@pytest.mark.parametrize("width", [1280, 390])
def test_exercise_index_chapter_column_stays_on_one_line(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{site_url}/instructors.html", wait_until="load")
        cells = page.evaluate(
            """() => [...document.querySelectorAll('section#exercise-index table tbody tr')]
                .map(r => r.cells[0]).map(c => {
                    const range = document.createRange();
                    range.selectNodeContents(c);
                    return {text: c.textContent.trim(), lines: range.getClientRects().length,
                            height: range.getBoundingClientRect().height,
                            line: parseFloat(getComputedStyle(c).lineHeight)};
                })"""
        )
        assert cells, "no exercise index table"
        stacked = [c for c in cells if c["height"] > 1.5 * c["line"]]
        assert not stacked, f"chapter cells wrapped at {width} px: {stacked[:3]}"
    finally:
        context.close()


def test_solution_toggles_speak_chinese(visit):
    v = visit(CHAPTER_PAGES[0], fresh=True)
    solution = v.page.locator("div.solution.dropdown").first
    solution.scroll_into_view_if_needed()
    button = solution.locator("button.toggle-button")
    hint = "b => getComputedStyle(b, '::before').content"  # the hint text beside the arrow

    def shown_hint() -> str:
        return button.get_attribute("data-toggle-hint")

    assert shown_hint() == "点击显示" and "点击显示" in button.evaluate(hint)
    button.click()
    v.page.wait_for_function(
        "b => b.dataset.toggleHint === '点击隐藏'", arg=button.element_handle(), timeout=5_000
    )
    assert "点击隐藏" in button.evaluate(hint)
    text = solution.inner_text()
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text


def test_intro_chapter_table_matches_the_toc(visit):
    import yaml

    from repo import BOOK

    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    expected = [  # the numbered part's entries whose file exists (the book skips the others)
        entry["file"]
        for part in toc["parts"]
        if part.get("numbered")
        for entry in part["chapters"]
        if any((BOOK / f"{entry['file']}{suffix}").is_file() for suffix in (".ipynb", ".md"))
    ]
    v = visit("intro.html")
    rows = v.page.evaluate(
        """() => [...document.querySelectorAll('.coursenn-chapter-table tbody tr')].map(r => ({
            number: r.cells[0].textContent.trim(),
            href: r.cells[1].querySelector('a').getAttribute('href'),
            title: r.cells[1].querySelector('a').textContent.trim(),
            goals: r.cells[1].querySelectorAll('li').length,
            lectures: r.cells[2].textContent.trim(),
        }))"""
    )
    assert [r["href"].split("#")[0] for r in rows] == [f"{f}.html" for f in expected]
    assert [r["number"] for r in rows] == [str(i) for i in range(1, len(expected) + 1)]
    for row in rows:
        chapter = visit(row["href"])
        h1 = chapter.page.locator("article h1").first.inner_text()
        assert row["title"] in h1, (row, h1)
        assert row["goals"] >= 3, row
        assert re.fullmatch(r"0\d\d(、0\d\d)*", row["lectures"]), row


def _heading_terms(text: str) -> list[str]:
    import sys

    from repo import BOOK

    sys.path.insert(0, str(BOOK / "_ext"))
    from coursenn_book.search_terms import heading_terms

    return heading_terms(text)


@pytest.mark.parametrize("path", CHAPTER_PAGES)
def test_every_heading_term_finds_its_page(visit, path):
    chapter = visit(path)
    headings = chapter.page.evaluate(
        """() => [...document.querySelectorAll('article h1, article h2, article h3')].map(h => {
            const c = h.cloneNode(true);
            c.querySelectorAll('.headerlink, mjx-container, .math').forEach(e => e.remove());
            return c.textContent;
        })"""
    )
    terms = sorted({t for h in headings for t in _heading_terms(h)})
    assert len(terms) >= 10, terms
    search = visit("search.html")
    search.page.wait_for_function("() => Search.hasIndex()", timeout=15_000)
    docname = path.removesuffix(".html")
    found = search.page.evaluate(
        """([terms, docname]) => terms.filter(t => {
            const results = Search._performSearch(...Search._parseQuery(t));
            return results.some(r => r[0] === docname);
        })""",
        [terms, docname],
    )
    missing = sorted(set(terms) - set(found))
    assert not missing, f"searching these headings' terms does not find {path}: {missing}"


@pytest.mark.parametrize("term", ["折叶损失", "均方误差", "帽子函数", "分段线性插值", "合理性检查"])
def test_search_snippets_are_readable_text(visit, term):
    v = visit(f"search.html?q={quote(term)}")
    results = v.page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15_000)
    v.page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results li')].every(li => li.querySelector('p.context'))"
        " || document.querySelectorAll('#search-results li').length > 0",
        timeout=15_000,
    )
    v.page.wait_for_timeout(500)
    snippets = v.page.locator("#search-results p.context").all_inner_texts()
    assert snippets, f"no snippets for {term!r}"
    for s in snippets:
        assert "\\" not in s and "$" not in s, f"raw TeX in a snippet: {s!r}"
        assert ".pdf" not in s, s
        assert not s.startswith("...."), s


# --- section anchors (issue 22, item 5) ---------------------------------------------------

# the section with this id has its heading at the top of the viewport (below the theme's bar)
HEADING_AT_TOP = (
    "id => { const h = document.getElementById(id).querySelector('h1, h2, h3, h4');"
    " const top = h.getBoundingClientRect().top; return top >= 0 && top < 120; }"
)


def test_a_label_anchor_opens_its_section_and_the_contents_follow(visit):
    v = visit("chapters/06_sigmoid_zigzag.html#ch06-whitening", fresh=True)
    assert "白化" in v.page.locator("#ch06-whitening h3").inner_text()
    v.page.wait_for_function(HEADING_AT_TOP, arg="ch06-whitening", timeout=5_000)
    active = "() => document.querySelector('a.nav-link.active[href=\"#ch06-whitening\"]')"
    v.page.wait_for_function(active, timeout=5_000)
    # a click on another entry of the right-hand contents lands on that heading, by its label
    v.page.locator('a.nav-link[href="#ch06-exp-cost"]:visible').click()
    v.page.wait_for_url("**#ch06-exp-cost", timeout=5_000)
    v.page.wait_for_function(HEADING_AT_TOP, arg="ch06-exp-cost", timeout=5_000)
    assert "exp()" in v.page.locator("#ch06-exp-cost h2").inner_text()


# --- student notebooks to download (issue 22, item 7) -------------------------------------

STUDENT_CHAPTER = chapter_paths()[0]
STUDENT_NAME = f"{STUDENT_CHAPTER.stem}_student.ipynb"
MENU_TOGGLE = ".dropdown-download-buttons button.dropdown-toggle"
MENU_STUDENT = ".dropdown-download-buttons a.btn-download-student-notebook-button"
MENU_FULL = ".dropdown-download-buttons a.btn-download-source-button"
LINE_STUDENT = "p.coursenn-downloads a.coursenn-student-notebook"


def _assert_is_the_student_notebook(data: bytes, chapter: Path, tmp_path: Path) -> None:
    """``data`` is what ``coursenn student`` makes of ``chapter``: valid, and no answer in it."""
    text = data.decode("utf-8")
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    (made,) = write_student_notebooks([chapter], tmp_path)
    assert data == made.read_bytes(), "the download is not what `coursenn student` makes"
    assert "### BEGIN SOLUTION" not in text
    assert not [c for c in nb.cells if "hidden-check" in c.metadata.get("tags", [])]
    # the reference answers: lines the instructor's chapter shows only in its solutions
    answers = {line for line in solution_lines(read_notebook(chapter)) if "SOLUTION" not in line}
    code = [line for line in answers if not line.startswith("#") and "=" in line]
    assert code, f"{chapter.name}: no reference answer line to look for"
    shown = {line.strip() for cell in nb.cells for line in cell.source.splitlines()}
    assert not answers & shown, f"answers in the student notebook: {sorted(answers & shown)}"


def test_student_notebook_downloads_from_the_chapter_menu(visit, tmp_path):
    v = visit(f"chapters/{STUDENT_CHAPTER.stem}.html", fresh=True)
    v.page.click(MENU_TOGGLE)
    entry = v.page.locator(MENU_STUDENT)
    entry.wait_for(state="visible", timeout=5_000)
    assert entry.inner_text().strip() == "学生版 .ipynb（无答案）"
    assert v.page.locator(MENU_FULL).inner_text().strip() == "完整版 .ipynb（含答案）"
    with v.page.expect_download(timeout=15_000) as info:
        entry.click()
    download = info.value
    assert download.suggested_filename == STUDENT_NAME
    _assert_is_the_student_notebook(Path(download.path()).read_bytes(), STUDENT_CHAPTER, tmp_path)
    assert v.foreign == [] and v.errors == [], (v.foreign, v.errors)


@pytest.mark.parametrize("where", ["menu", "line"])
def test_student_notebook_downloads_from_the_offline_site(browser, built_site, tmp_path, where):
    """Opened from file:// (no server): the browser ignores `download` there, coursenn.js
    saves the notebook's script copy instead; either way the file must be the same."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors, remote = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: r.url.startswith("http") and remote.append(r.url))
    try:
        url = (built_site / "chapters" / f"{STUDENT_CHAPTER.stem}.html").as_uri()
        page.goto(url, wait_until="load")
        if where == "menu":
            page.click(MENU_TOGGLE)
        link = page.locator(MENU_STUDENT if where == "menu" else LINE_STUDENT)
        link.wait_for(state="visible", timeout=5_000)
        with page.expect_download(timeout=15_000) as info:
            link.click()
        download = info.value
        assert download.suggested_filename == STUDENT_NAME
        data = Path(download.path()).read_bytes()
        _assert_is_the_student_notebook(data, STUDENT_CHAPTER, tmp_path)
        assert page.url == url, "the page navigated away instead of downloading"
        assert errors == [] and remote == [], (errors, remote)
    finally:
        context.close()
