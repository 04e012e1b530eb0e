"""The book builds with -W and the static site stands on its own (no CDN, no kernel)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from repo import BOOK, ROOT, chapter_paths, read_notebook

pytestmark = pytest.mark.book


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


class _AssetCollector(HTMLParser):
    """Collect every URL the page loads by itself (scripts, styles, images, frames, fonts)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source") and a.get("src"):
            self.urls.append(a["src"])
        if (
            tag == "link"
            and a.get("href")
            and a.get("rel")
            in ("stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest")
        ):
            self.urls.append(a["href"])


def test_build_log_has_no_warnings(built_site):
    log = (built_site.parents[1] / "build.log").read_text(encoding="utf-8")
    assert "WARNING" not in log, log[-4000:]
    assert (built_site / "chapters" / "01_neuron.html").is_file()


def test_pages_load_no_asset_from_another_host(built_site):
    offenders = {}
    for page in html_pages(built_site):
        parser = _AssetCollector()
        parser.feed(page.read_text(encoding="utf-8"))
        remote = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        if remote:
            offenders[str(page.relative_to(built_site))] = remote
    assert not offenders, f"pages load assets from other hosts: {offenders}"


def test_mathjax_is_served_by_the_site(built_site):
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    page = (built_site / "chapters" / "01_neuron.html").read_text(encoding="utf-8")
    assert 'src="../_static/mathjax/tex-chtml.js"' in page


def _search_terms(site: Path) -> dict:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return index["terms"]


@pytest.mark.parametrize("term", ["神经元", "激活函数", "前向传播", "感知器", "权重矩阵"])
def test_search_index_holds_course_terms_as_whole_words(built_site, term):
    terms = _search_terms(built_site)
    assert term in terms, f"{term!r} is not a search term (jieba user dictionary not applied?)"


def test_site_language_is_chinese(built_site):
    page = (built_site / "intro.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*lang="zh[-_]CN"', page)
    assert "搜索" in page


@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_launch_buttons_point_at_the_real_notebook(built_site, notebook):
    config = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    branch = config["repository"]["branch"]
    page = (built_site / "chapters" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    rel = notebook.relative_to(ROOT).as_posix()
    assert (ROOT / rel).is_file()
    assert f"https://colab.research.google.com/github/{repo}/blob/{branch}/{rel}" in page
    assert f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=tree/{rel}" in page


@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_solutions_are_collapsed_and_live_widgets_hidden(built_site, notebook):
    page = (built_site / "chapters" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    solutions = re.findall(r'<div class="([^"]*\bsolution\b[^"]*)"', page)
    assert solutions, "no solution blocks rendered"
    assert all("dropdown" in classes for classes in solutions), solutions
    assert "cnn-scrubber" in page
    assert "widget-view+json" not in page and "jupyter-widgets" not in page


# --- what readers see of the exercises (issue 8, item 6) ----------------------------------


def _page_text(page: str) -> str:
    """The page's text with tags removed (code highlighting spans vanish, text stays)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _cell_outputs(page: str) -> list[str]:
    """The text of every cell output block on a chapter page."""
    outputs = []
    for m in re.finditer(r'<div class="cell_output[^"]*">', page):
        depth, i = 1, m.end()
        while depth and i < len(page):
            nxt_open = page.find("<div", i)
            nxt_close = page.find("</div>", i)
            if nxt_open != -1 and nxt_open < nxt_close:
                depth, i = depth + 1, nxt_open + 4
            else:
                depth, i = depth - 1, nxt_close + 6
        outputs.append(_page_text(page[m.end() : i]))
    return outputs


def _tagged_sources(notebook: Path, tag: str) -> list[str]:
    return [
        c.source.strip()
        for c in read_notebook(notebook).cells
        if c.cell_type == "code" and tag in c.metadata.get("tags", [])
    ]


@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_chapter_pages_show_no_check_cells_and_no_solution_markers(built_site, notebook):
    page = (built_site / "chapters" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    text = _page_text(page)
    autochecks = _tagged_sources(notebook, "autocheck")
    assert autochecks, f"{notebook.name} has no autocheck cell to hide"
    for source in autochecks + _tagged_sources(notebook, "hidden-check"):
        assert source not in text, f"a check cell's code is on the page:\n{source[:200]}"
    assert not re.search(r"\bcheck\(\s*[\"']ch\d\d-", text), "a check(...) call is on the page"
    assert "### BEGIN SOLUTION" not in text and "### END SOLUTION" not in text
    assert page.count('class="coursenn-check-note') == len(autochecks)
    assert "在笔记本中运行检查单元" in text
    shown = [o for o in _cell_outputs(page) if "✅" in o or "❌" in o]
    assert not shown, f"check output on the page: {shown[:2]}"
    # the solutions themselves are still there (folded), without their markers
    solutions = _tagged_sources(notebook, "solution")
    inner = [
        line.strip()
        for s in solutions
        for line in s.splitlines()
        if line.strip() and "SOLUTION" not in line
    ]
    assert inner and all(line in text for line in inner[:20])


# --- search: terms of every heading are words of the index (issue 10, item 1) -------------


def _ext(module: str = "search_terms"):
    """A module of the book's local Sphinx extension, ``book/_ext/coursenn_book``."""
    import importlib
    import sys

    sys.path.insert(0, str(BOOK / "_ext"))
    return importlib.import_module(f"coursenn_book.{module}")


def _headings(page: str) -> list[str]:
    article = page[page.index('<article class="bd-article">') :]
    found = re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", article, flags=re.S)
    return [
        re.sub(r"\s+", " ", _page_text(re.sub(r'<span class="math.*?</span>', " ", h)))
        for _, h in found
    ]


def _search_index(site: Path) -> dict:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_every_heading_term_is_a_search_word_of_its_page(built_site, notebook):
    index = _search_index(built_site)
    doc = index["docnames"].index(f"chapters/{notebook.stem}")
    page = (built_site / "chapters" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    terms = {t for h in _headings(page) for t in _ext().heading_terms(h)}
    assert len(terms) >= 10, terms

    def pages_of(term: str) -> set[int]:
        found = set()
        for table in (index["terms"], index["titleterms"]):
            hit = table.get(term, [])
            found.update(hit if isinstance(hit, list) else [hit])
        return found

    missing = sorted(t for t in terms if doc not in pages_of(t))
    assert not missing, f"heading terms that are not search words of their page: {missing}"


def test_search_dictionary_is_generated_from_the_book(built_site):
    generated = built_site.parents[1] / "_build" / ".doctrees"
    dictionary = next(built_site.parents[0].rglob("coursenn_search_dict.txt"), None)
    assert dictionary is not None, f"no generated jieba dictionary under {generated}"
    words = {line.split()[0] for line in dictionary.read_text(encoding="utf-8").splitlines()}
    extra = set(_ext().read_extra(BOOK / "_search_extra.txt"))
    from_book = words - extra
    # terms that only the chapters' headings, bold text or glosses name
    for term in ["帽子函数", "分段线性插值", "折叶损失", "二元交叉熵"]:
        assert term in words, f"{term!r} missing from the generated dictionary"
    assert len(from_book) > 3 * len(extra)


def test_glossed_and_heading_terms_are_cut_as_written():
    st = _ext()
    assert st.heading_terms("多类 SVM 损失（折叶损失）") == ["多类", "损失", "折叶损失"]
    assert st.heading_terms("ReLU 版本：帽子函数与分段线性插值") == [
        "版本",
        "帽子函数",
        "分段线性插值",
    ]
    assert st.glossed_terms("这就是均方误差 (mean squared error)。") == ["均方误差"]
    assert st.glossed_terms("称为反向传播 (backpropagation)") == ["反向传播"]
    assert st.glossed_terms("我们称之为反向传播 (backpropagation)") == ["反向传播"]
    assert st.glossed_terms("掌握前馈神经网络 (feedforward neural network)") == ["前馈神经网络"]
    assert st.glossed_terms("没有括号的句子") == []


# --- page assets (issue 10, item 7) -------------------------------------------------------


def test_pages_load_no_fontawesome_script_and_the_index_only_on_search(built_site):
    for page in html_pages(built_site):
        name = page.relative_to(built_site).as_posix()
        text = page.read_text(encoding="utf-8")
        assert "fontawesome.js" not in text, f"{name} loads fontawesome.js"
        if name != "search.html" and "http-equiv" not in text[:600]:
            assert "searchindex.js" not in text, f"{name} loads the search index"
    assert "searchindex.js" in (built_site / "search.html").read_text(encoding="utf-8")


# --- references and API page (issue 10, items 6 and 8) ------------------------------------


def test_references_have_author_year_labels_sorted_by_author(built_site):
    page = (built_site / "references.html").read_text(encoding="utf-8")
    labels = [
        "[" + html.unescape(x) + "]"
        for x in re.findall(r'<span class="label"><span class="fn-bracket">\[</span>(.*?)<', page)
    ]
    assert len(labels) >= 10
    assert all(re.fullmatch(r"\[\S.* \d{4}[a-z]?\]", lab) for lab in labels), labels
    assert "[邱锡鹏 2020]" in labels
    firsts = [lab[1:].split()[0] for lab in labels]
    qiu = firsts.index("邱锡鹏")
    latin = [f.lower() for i, f in enumerate(firsts) if i != qiu]
    assert latin == sorted(latin), firsts
    assert all(f.lower() < "qiu" for f in firsts[:qiu]), firsts
    assert all(f.lower() > "qiu" for f in firsts[qiu + 1 :]), firsts


API_PAGE = BOOK / "api.md"
# the modules the API page documents, in its order (one automodule per section)
API_MODULES = re.findall(r"^\.\. automodule:: (\S+)", API_PAGE.read_text(encoding="utf-8"), re.M)
# the page groups the modules by role, one "##" heading per role (issue 24)
API_ROLES = [
    "网络库 (the library)",
    "数据与训练 (data and training)",
    "各章的实验 (experiments of the chapters)",
    "图与交互 (pictures)",
    "练习 (exercises)",
    "教师工具 (instructor)",
]


def _public_modules() -> set[str]:
    """Every public module of coursenn: no leading underscore, not a ``python -m`` shim."""
    src = ROOT / "src"
    found = set()
    for path in (src / "coursenn").rglob("*.py"):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(part.startswith("_") for part in parts):
            continue
        if parts[:2] == ("coursenn", "exercises") and len(parts) > 2:
            continue  # the chapters' registries: documented by coursenn.exercises
        if parts[:2] == ("coursenn", "plotting") and len(parts) > 2:
            continue  # re-exported by coursenn.plotting
        found.add(".".join(parts))
    return found - {"coursenn", "coursenn.__main__"}


def test_every_public_module_has_a_section_on_the_api_page():
    assert len(API_MODULES) == len(set(API_MODULES)), "a module is documented twice"
    assert set(API_MODULES) == _public_modules()


def test_api_page_has_one_section_per_module_and_no_docstring_headings(built_site):
    page = (built_site / "api.html").read_text(encoding="utf-8")
    headings = _headings(page)
    assert headings[0].startswith("API 参考")
    modules = [h.split("：")[0].strip() for h in headings[1:] if h.startswith("coursenn")]
    assert modules == API_MODULES, headings
    roles = [h.rstrip("#") for h in headings[1:] if not h.startswith("coursenn")]
    assert roles == API_ROLES, headings
    assert "The lecture’s momentum forms are the same updates" in _page_text(page)
    toc = page[page.index('id="pst-page-navigation-heading-2"') :]
    toc_entries = re.findall(r'<a class="reference internal nav-link" href="#([^"]+)"', toc)
    assert len(toc_entries) == len(API_MODULES) + len(API_ROLES), toc_entries
    for name in [
        "coursenn.nn.conv.fast.im2col",
        "coursenn.exercises.check",
        "coursenn.instructor.grade.grade_notebooks",
    ]:
        assert page.count(f'id="{name}"') == 1, name


# --- section anchors: the label, never a counter (issue 22, item 5) -----------------------

COUNTER_ANCHOR = re.compile(r"id\d+")


def _section_anchors(page: str) -> dict[str, list[str]]:
    """The anchors of a page's sections: each section's ids (docutils writes the ones after
    the first as empty spans right after the tag), the "on this page" contents links and the
    headings' permalinks."""
    extra = re.findall(r'<section\b[^>]*>((?:\s*<span id="[^"]+"></span>)+)', page)
    return {
        "section ids": re.findall(r'<section\b[^>]*\bid="([^"]+)"', page)
        + [i for spans in extra for i in re.findall(r'id="([^"]+)"', spans)],
        "contents links": re.findall(r'class="reference internal nav-link" href="#([^"]*)"', page),
        "permalinks": re.findall(r'class="headerlink" href="#([^"]*)"', page),
    }


def test_a_labelled_section_is_anchored_by_its_label():
    ordered_ids = _ext("anchors").ordered_ids
    # docutils' order: the title's id first, the label propagated behind it
    assert ordered_ids(["pca", "ch06-minmax-pca"], {"ch06-minmax-pca"}) == [
        "ch06-minmax-pca",
        "pca",
    ]
    assert ordered_ids(["ch06-whitening", "id7"], {"ch06-whitening"}) == ["ch06-whitening"]
    assert ordered_ids(["id12", "ch01-xor", "xor"], {"ch01-xor"}) == ["ch01-xor", "xor"]
    # an unlabelled section keeps what it has: the site test below catches its counter
    assert ordered_ids(["id7"], {"ch06-whitening"}) == ["id7"]


def test_no_section_anchor_is_a_counter(built_site):
    """#id7 moves when a section is added above it and says nothing in a shared URL."""
    offenders = {}
    for page in html_pages(built_site):
        name = page.relative_to(built_site).as_posix()
        for kind, anchors in _section_anchors(page.read_text(encoding="utf-8")).items():
            counters = [a for a in anchors if COUNTER_ANCHOR.fullmatch(a)]
            if counters:
                offenders[f"{name} {kind}"] = counters
    assert not offenders, f"section anchors that are counters, not labels: {offenders}"


def test_chapter_sections_are_anchored_by_their_labels(built_site):
    for notebook in chapter_paths():
        page = (built_site / "chapters" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        anchors = _section_anchors(page)
        part = notebook.name.split("_", 1)[0]
        outside = [a for a in anchors["contents links"] if not a.startswith(f"ch{part}-")]
        assert anchors["contents links"] and not outside, f"{notebook.name}: {outside}"


def test_whitening_section_is_reached_by_its_label(built_site):
    page = (built_site / "chapters" / "06_sigmoid_zigzag.html").read_text(encoding="utf-8")
    section = re.search(
        r'<section id="ch06-whitening">\s*(?:<span id="[^"]+"></span>)*<h3>(.*?)</h3>', page, re.S
    )
    assert section, "no <section id='ch06-whitening'> with its heading"
    assert "白化" in _page_text(section.group(1))
    assert 'class="headerlink" href="#ch06-whitening"' in section.group(1)
    toc = re.search(r'class="reference internal nav-link" href="#ch06-whitening">(.*?)</a>', page)
    assert toc and "白化" in _page_text(toc.group(1)), "no contents entry for the whitening section"
    # a {ref} from another chapter lands on the label, in that page's own section ids
    other = (built_site / "chapters" / "07_dead_relu.html").read_text(encoding="utf-8")
    assert 'href="06_sigmoid_zigzag.html#ch06-same-sign"' in other
    assert '<section id="ch06-same-sign">' in page


class _LinksAndIds(HTMLParser):
    """The hrefs of a page's links and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def test_every_link_to_an_anchor_of_the_book_lands(built_site):
    """A {ref} or contents link whose #anchor is not an id of its target page scrolls nowhere."""
    parsed = {}
    for page in html_pages(built_site):
        parser = _LinksAndIds()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = parser
    dangling = []
    for page, parser in parsed.items():
        for href in parser.hrefs:
            target, _, anchor = href.partition("#")
            if not anchor or re.match(r"^[a-z]+:|^//", target):
                continue
            path = (page.parent / target).resolve() if target else page
            if path in parsed and anchor not in parsed[path].ids:
                dangling.append(f"{page.relative_to(built_site.resolve())}: {href}")
    assert not dangling, f"{len(dangling)} links to a missing anchor: {dangling[:20]}"


# --- student notebooks on every chapter page (issue 22, item 7) ---------------------------


def _toc_notebook_pages() -> list[str]:
    """Every notebook page ``_toc.yml`` lists (chapters and their sections), as docnames."""
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry and (BOOK / f"{entry['file']}.ipynb").is_file():
                found.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc["parts"]:
        walk(part.get("chapters", []))
    return found


class _Links(HTMLParser):
    """Every link of a page: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def _links_to(page: str, href: str) -> list[dict]:
    parser = _Links()
    parser.feed(page)
    return [link for link in parser.links if link.get("href") == href]


@pytest.mark.parametrize("docname", _toc_notebook_pages())
def test_chapter_page_offers_its_student_notebook(built_site, docname, tmp_path):
    from coursenn.instructor.student import write_student_notebooks

    stem = Path(docname).name
    page = (built_site / f"{docname}.html").read_text(encoding="utf-8")
    href = f"../student/{stem}_student.ipynb"
    links = _links_to(page, href)
    menu = [link for link in links if "dropdown-item" in link.get("class", "")]
    line = [link for link in links if "coursenn-student-notebook" in link.get("class", "")]
    assert len(menu) == 1 and len(line) == 1, f"{docname}: links to {href}: {links}"
    assert "学生版 .ipynb（无答案）" in menu[0]["text"]
    assert line[0]["download"] == f"{stem}_student.ipynb"
    assert "下载学生版笔记本" in line[0]["text"]
    # the full notebook's entry says what it holds
    (full,) = _links_to(page, f"../_sources/{docname}.ipynb")
    assert "完整版 .ipynb（含答案）" in full["text"], full
    # the file is in the site: what `coursenn student` makes of the chapter, byte for byte
    served = built_site / "student" / f"{stem}_student.ipynb"
    assert served.is_file(), f"{served} is not in the build"
    (made,) = write_student_notebooks([BOOK / f"{docname}.ipynb"], tmp_path)
    assert served.read_bytes() == made.read_bytes()
    # and so is its copy for the offline site (coursenn.js reads it on file:// pages)
    script = served.with_name(served.name + ".js").read_text(encoding="ascii")
    assignment = f'window.coursennNotebooks["{served.name}"] = '
    assert assignment in script
    held = script[script.index(assignment) + len(assignment) :].rstrip().removesuffix(";")
    assert json.loads(held) == made.read_text(encoding="utf-8")


def test_site_holds_one_student_notebook_per_chapter_page(built_site):
    served = {p.name for p in (built_site / "student").iterdir()}
    stems = [Path(d).name for d in _toc_notebook_pages()]
    assert len(stems) >= 10
    assert served == {f"{s}_student.ipynb{ext}" for s in stems for ext in ("", ".js")}
