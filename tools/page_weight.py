"""Print every page's first-visit weight and load time, as a reader's browser sees it.

Serves a built book (``book/_build/html`` by default) on 127.0.0.1, opens each page in a
fresh headless Chromium context (empty cache, every other host blocked) and adds up the
bytes of every resource the page loads until the network is idle: the HTML, scripts,
styles, fonts, images and anything a script fetches (e.g. the search index). Embedded
``data:`` images are part of the HTML's bytes; scrubbers are also listed on their own.

Two totals: the bytes of the files (``raw``), and what a browser transfers from a static
host that compresses text (``gzip``: HTML, JS, CSS, SVG and JSON gzipped at level 6, as
GitHub Pages and most servers do; fonts and images are already compressed and count as
they are). The local server here sends files uncompressed, so load times are for raw bytes.

Usage::

    python tools/page_weight.py [SITE_DIR] [--phone] [--json OUT.json]

The numbers are measured, printed and reported; no test asserts them (load times depend on
the machine and on what else runs on it).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SITE = ROOT / "book" / "_build" / "html"

COMPRESSED_KINDS = {"html", "js", "css", "other"}

KINDS = {
    ".html": "html",
    ".js": "js",
    ".css": "css",
    ".woff": "font",
    ".woff2": "font",
    ".ttf": "font",
    ".otf": "font",
    ".eot": "font",
    ".png": "image",
    ".svg": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".webp": "image",
    ".gif": "image",
    ".ico": "image",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def pages_of(site: Path) -> list[str]:
    """The site's reader-facing pages (no ``_static``, no generated index pages)."""
    skip = {"genindex.html", "py-modindex.html"}
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts and p.name not in skip
    )


def kind_of(url: str) -> str:
    suffix = Path(urlsplit(url).path).suffix.lower()
    return KINDS.get(suffix, "other")


def measure(browser, base: str, path: str, viewport: dict) -> dict:
    """Open ``path`` once with an empty cache; return bytes per kind, requests and timings."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sizes: dict[str, int] = defaultdict(int)
    transfer = [0]
    urls: list[tuple[str, int]] = []

    def route(r):
        u = r.request.url
        if u.startswith(("data:", "blob:", "about:")) or urlsplit(u).hostname == "127.0.0.1":
            r.continue_()
        else:
            r.abort()

    def on_response(response):
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            return
        kind = kind_of(response.url)
        sizes[kind] += len(body)
        compressible = kind in COMPRESSED_KINDS or response.url.split("?")[0].endswith(".svg")
        transfer[0] += len(gzip.compress(body, 6, mtime=0)) if compressible else len(body)
        urls.append((response.url.removeprefix(base + "/"), len(body)))

    page.route("**/*", route)
    page.on("response", on_response)
    start = time.perf_counter()
    page.goto(f"{base}/{path}", wait_until="load")
    load_s = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    timing = page.evaluate(
        """() => {
            const n = performance.getEntriesByType('navigation')[0];
            return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd};
        }"""
    )
    scrubbers = page.evaluate(
        "() => [...document.querySelectorAll('div.cnn-scrubber')].map(d => d.outerHTML.length)"
    )
    context.close()
    return {
        "page": path,
        "bytes": sum(sizes.values()),
        "gzip_bytes": transfer[0],
        "by_kind": dict(sizes),
        "requests": len(urls),
        "resources": sorted(urls, key=lambda t: -t[1]),
        "load_ms": round(timing["load"]) if timing["load"] else round(load_s * 1000),
        "dcl_ms": round(timing["dcl"]),
        "scrubbers": scrubbers,
    }


def kb(n: int) -> str:
    return f"{n / 1000:,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=DEFAULT_SITE)
    parser.add_argument("--phone", action="store_true", help="390 px wide viewport")
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON")
    parser.add_argument("--top", type=int, default=0, help="list the N largest resources")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file() and not (site / "intro.html").is_file():
        parser.error(f"{site} is not a built book (no index.html or intro.html)")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        parser.error("headless Chromium not found (install Debian's 'chromium' package)")

    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    viewport = {"width": 390, "height": 844} if args.phone else {"width": 1280, "height": 900}
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=executable,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            for path in pages_of(site):
                rows.append(measure(browser, base, path, viewport))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    kinds = ["html", "js", "css", "font", "image", "other"]
    header = f"{'page':42} {'raw kB':>7} {'gzip kB':>8} {'req':>4} "
    header += " ".join(f"{k:>6}" for k in kinds)
    header += f" {'load ms':>8}  scrubbers kB"
    print(f"first visit, empty cache, viewport {viewport['width']} px; sizes in kB")
    print(header)
    print("-" * len(header))
    for r in rows:
        cols = " ".join(f"{kb(r['by_kind'].get(k, 0)):>6}" for k in kinds)
        scr = ", ".join(kb(s) for s in r["scrubbers"]) or "-"
        print(
            f"{r['page']:42} {kb(r['bytes']):>7} {kb(r['gzip_bytes']):>8} {r['requests']:>4} "
            f"{cols} {r['load_ms']:>8}  {scr}"
        )
        for url, size in r["resources"][: args.top]:
            print(f"    {kb(size):>8}  {url}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
