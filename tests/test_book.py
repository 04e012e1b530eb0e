"""The book builds with -W and the static site stands on its own (no CDN, no kernel)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from repo import BOOK, ROOT, chapter_paths

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
