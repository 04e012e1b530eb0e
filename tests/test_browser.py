"""What a reader sees: the built site in headless Chromium, with every other host blocked.

Each page must load with no failed request, no request to another host and no console
error; every formula must be typeset by the self-hosted MathJax; moving a scrubber's slider
must change the figure shown; the Chinese search must find course terms.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from repo import chapter_paths

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


class PageVisit:
    """Open one page, blocking and recording every request that leaves 127.0.0.1."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.goto(url, wait_until="load")
        # Wait for MathJax (self-hosted, loaded with defer) to finish typesetting.
        self.page.wait_for_function(
            "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)"
        )
        self.page.evaluate("() => window.MathJax && MathJax.startup.promise")

    def _route(self, route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def open_page(path: str) -> PageVisit:
        v = PageVisit(browser, f"{site_url}/{path}")
        visits.append(v)
        return v

    yield open_page
    for v in visits:
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
    v = visit(path)
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
